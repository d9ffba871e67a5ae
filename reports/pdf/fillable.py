"""The fillable monitoring form (issue 13) for agencies without coreform: the same questions and
labels as the record (`coreform.fillable.questions`), AcroForm fields any PDF reader fills in,
CONFIDENTIAL, the key worker's details and the children printed on it, and who it is for inside
it (`coreform-form.json`) so the key worker's coreform imports the filled-in copy.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from coreform.fillable import KIND_HINTS, FormContext, Question, context_json, field_name, questions
from coreform.forms.model import NOT_ANSWERED, Kind
from coreform.intake import FORM_CONTEXT_ATTACHMENT_NAME
from reports.pdf.fonts import BOLD, REGULAR, register_fonts
from reports.pdf.monitoring import FORM_TITLE

_MM = 72 / 25.4
_MARGIN = 18 * _MM
_LINE = 12.5
_FIELD_HEIGHT = 17
_LONG_FIELD_HEIGHT = 52
_GAP = 6
_INK = (0.12, 0.16, 0.2)
_MUTED = (0.42, 0.45, 0.5)
_HEADING_BACKGROUND = (0.875, 0.906, 0.945)
_FIELD_BACKGROUND = (0.965, 0.973, 0.988)
_BLANK = " "


def build_fillable_form(context: FormContext, *, generated_at: dt.datetime) -> bytes:
    """The blank form for the family in `context`, with `context` attached."""
    register_fonts()
    from reportlab.lib.colors import Color
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{FORM_TITLE} — fillable form {context.form_id[:8]}")
    width, height = A4
    usable = width - 2 * _MARGIN
    layout = _Layout(canvas, height, generated_at, context)
    layout.start_page()
    layout.prefilled(context, usable, simpleSplit)
    section, item = "", None
    for question in questions(len(context.family.children)):
        if question.section.title != section:
            section = question.section.title
            layout.heading(section, usable)
        if question.item is not None and question.item != item:
            item = question.item
            child = context.family.children[item]
            layout.subheading(f"Child {item + 1}: {child.name}", usable)
        layout.question(question, usable, simpleSplit, Color)
    canvas.save()
    return _attach_context(buffer.getvalue(), context)


class _Layout:
    """Places labels and fields top to bottom, starting a new page when one is full."""

    def __init__(
        self, canvas: Any, page_height: float, generated_at: dt.datetime, context: FormContext
    ) -> None:
        self.canvas = canvas
        self.page_height = page_height
        self.y = 0.0
        self.page = 0
        self.footer = (
            f"CONFIDENTIAL · form {context.form_id[:8]} · made {generated_at:%d/%m/%Y} · "
            "return it by email to the key worker named above"
        )

    def start_page(self) -> None:
        if self.page:
            self.canvas.showPage()
        self.page += 1
        canvas = self.canvas
        top = self.page_height - _MARGIN
        canvas.setFillColorRGB(*_INK)
        canvas.setFont(BOLD, 14)
        canvas.drawString(_MARGIN, top - 12, FORM_TITLE)
        canvas.setFont(REGULAR, 8)
        canvas.setFillColorRGB(*_MUTED)
        canvas.drawString(_MARGIN, _MARGIN / 2, f"{self.footer} · page {self.page}")
        self.y = top - 24

    def room(self, needed: float) -> None:
        if self.y - needed < _MARGIN:
            self.start_page()

    def text(self, lines: list[str], font: str = REGULAR, size: float = 9.5) -> None:
        # Names may be in any script: shaped and ordered by the record PDF's own line layout.
        from reports.pdf.flowables import draw_line
        from reports.pdf.text import Span, lay_out

        ink = "#" + "".join(f"{round(part * 255):02x}" for part in _INK)
        for line in lines:
            self.y -= _LINE
            for laid in lay_out([Span(line)], 10_000, size=size, bold=font == BOLD, color=ink):
                draw_line(self.canvas, laid, _MARGIN, self.y)

    def heading(self, title: str, usable: float) -> None:
        self.room(_LINE * 2 + _FIELD_HEIGHT * 2)
        self.y -= _GAP
        self.canvas.setFillColorRGB(*_HEADING_BACKGROUND)
        self.canvas.rect(_MARGIN, self.y - _LINE - 4, usable, _LINE + 6, stroke=0, fill=1)
        self.text([title], BOLD, 11)
        self.y -= 6

    def subheading(self, title: str, usable: float) -> None:
        self.room(_LINE * 2 + _FIELD_HEIGHT * 2)
        self.y -= _GAP
        self.text([title.strip()], BOLD, 10)

    def prefilled(self, context: FormContext, usable: float, split: Any) -> None:
        family = context.family
        worker = family.key_worker
        intro = (
            "Please fill in this form in any PDF reader (for example Adobe Acrobat Reader, "
            "Microsoft Edge or Preview), save it, and email the saved file back to the key "
            "worker below within 2 working days of your visit. Dates as dd/mm/yyyy, times as "
            "hh:mm. Do not change the file name."
        )
        self.text(split(intro, REGULAR, 9.5, usable))
        self.heading("Key worker (return the form to)", usable)
        details = [
            f"Name: {worker.name}",
            f"Email: {worker.email}",
            f"Team: {worker.team}",
            f"Phone: {worker.phone}",
        ]
        self.text([line for line in details if not line.endswith(": ")])
        self.heading("Children", usable)
        self.text([f"Family: {family.name}"])
        for child in family.children:
            born = f", born {child.date_of_birth:%d/%m/%Y}" if child.date_of_birth else ""
            local = f", {child.local_identifier}" if child.local_identifier else ""
            self.text([f"{child.name}{born} ({child.plan_type.label}{local})"])

    def question(self, question: Question, usable: float, split: Any, color: Any) -> None:
        spec = question.spec
        hint = KIND_HINTS.get(spec.kind)
        label = f"{spec.label} ({hint})" if hint else spec.label
        lines = split(label, REGULAR, 9.5, usable)
        notes = split(spec.hint, REGULAR, 8, usable) if spec.hint else []
        tall = spec.kind is Kind.LONG_TEXT
        field_height = _LONG_FIELD_HEIGHT if tall else _FIELD_HEIGHT
        self.room((len(lines) + len(notes)) * _LINE + field_height + _GAP * 2)
        self.y -= _GAP
        self.text(lines)
        self.text(notes, REGULAR, 8)
        self.y -= field_height + 3
        form = self.canvas.acroForm
        # The fields use Helvetica, reportlab's default: its AcroForm takes only the 14 standard
        # PDF fonts (acroform.makeFont raises ValueError for any other), so the embedded Noto
        # faces cannot be named here. Where Helvetica lacks a character, a reader draws it in a
        # font of its own choosing, or as a box (it depends on the reader and the computer's
        # fonts); the value itself is kept as Unicode text whatever the font, and the import
        # reads that text, so a name typed in any script arrives as typed (tests/test_fillable).
        common: dict[str, Any] = {
            "name": field_name(question.path),
            "tooltip": label,
            "x": _MARGIN,
            "y": self.y,
            "height": field_height,
            "borderColor": color(*_MUTED),
            "fillColor": color(*_FIELD_BACKGROUND),
            "textColor": color(*_INK),
            "forceBorder": True,
            "fontSize": 9,
        }
        if spec.kind in (Kind.YES_NO, Kind.CHOICE):
            # A blank first entry: reportlab cannot make a list with an empty value.
            options = [_BLANK] + [text for text, _value in spec.options() if text != NOT_ANSWERED]
            form.choice(
                value=_BLANK,
                options=options,
                fieldFlags="combo",
                width=min(usable, 90 * _MM),
                **common,
            )
        else:
            narrow = spec.kind in KIND_HINTS
            flags = "multiline" if tall else ""
            form.textfield(
                value="", width=45 * _MM if narrow else usable, fieldFlags=flags, **common
            )


def _attach_context(pdf: bytes, context: FormContext) -> bytes:
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    attachment = writer.add_attachment(FORM_CONTEXT_ATTACHMENT_NAME, context_json(context))
    attachment.subtype = NameObject("/application/json")
    attachment.description = TextStringObject("coreform fillable form: who it is for (JSON)")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
