"""The PDF of a Multi-Agency Core Group Monitoring Form record (000), drawn with reportlab.

reportlab is imported inside the functions: it takes about half a second and the app must start
fast. Text is laid out by reports.pdf.text (any script, copied out as typed); nothing typed is
ever read as markup.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace
from typing import Any

from coreform.ages import age_text, is_baby
from coreform.forms.model import Field, Kind
from coreform.forms.monitoring import CHILD, MONITORING_FORM
from coreform.records import LONDON, ChildObservation, MonitoringRecord, RecordState
from reports.pdf.container import attach_record
from reports.pdf.fonts import LATIN, font_name
from reports.pdf.text import Span

# 000: the form's name, marked confidential on every page as its emails are.
FORM_TITLE = f"{MONITORING_FORM.title} CONFIDENTIAL"

LANGUAGE = "en-GB"  # the form's language; names in other scripts are tagged by their glyphs
# A value this short stays in the label/value table; longer ones flow below their label.
_TABLE_VALUE_CHARS = 400
_TABLE_VALUE_LINES = 6
_NARROW_VALUE_CHARS = 28
_HEADING_NAME_CHARS = 120

_MM = 72 / 25.4
_MARGIN = 18 * _MM
_LABEL_WIDTH = 58 * _MM
_PAIR_LABEL_WIDTH = 40 * _MM
# Text inside headings and banners lines up with text inside table cells.
_INSET = 5

_INK = "#1f2933"
_MUTED = "#6b7280"
_RULE = "#c8ced6"
_LABEL_BACKGROUND = "#f2f4f7"
_HEADING_BACKGROUND = "#dfe7f1"
_YES = "#1b7f3b"
_NO = "#b3261e"
_AMENDED = "#9b1c1c"


def pdf_file_name(record: MonitoringRecord) -> str:
    """`CG-2026-00042-v1.pdf`: the reference and version, never a child's name."""
    reference = re.sub(r"[^A-Za-z0-9_-]+", "-", record.reference).strip("-")
    stem = reference or f"coreform-record-{re.sub(r'[^A-Za-z0-9]', '', record.id)[:12]}"
    return f"{stem}-v{record.version}.pdf"


def pdf_title(record: MonitoringRecord) -> str:
    """The PDF's metadata title; it names the reference only (metadata is often indexed)."""
    return f"{FORM_TITLE} – {record.reference or 'no reference'}"


def build_monitoring_pdf(
    record: MonitoringRecord, *, generated_at: dt.datetime, password: str | None = None
) -> bytes:
    """The record's PDF with its data attached; AES-256 encrypted when a password is given."""
    return attach_record(_render(record, generated_at), record, password)


def _render(record: MonitoringRecord, generated_at: dt.datetime) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=20 * _MM,
        bottomMargin=18 * _MM,
        title=pdf_title(record),
        author="coreform",
        subject=MONITORING_FORM.title,
        creator="coreform",
        producer="coreform (reportlab)",
        lang=LANGUAGE,
        displayDocTitle=1,
        # reportlab otherwise opens every page with Helvetica, a font the PDF would not embed.
        initialFontName=font_name(LATIN, bold=False),
    )
    # No frame padding, so tables, headings and the running header share one left edge.
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="form", frames=[frame])])
    form = _Form(doc.width)
    _write_record(form, record)
    doc.build(form.finish(), canvasmaker=_page_canvas(record, generated_at))
    return buffer.getvalue()


# ---- text ----------------------------------------------------------------------------------


def _is_short(text: str) -> bool:
    return len(text) <= _TABLE_VALUE_CHARS and text.count("\n") < _TABLE_VALUE_LINES


def _is_narrow(text: str) -> bool:
    return len(text) <= _NARROW_VALUE_CHARS and "\n" not in text


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _none() -> list[Span]:
    return [Span("Not recorded", color=_MUTED)]


def _yes_no(value: bool | None) -> list[Span]:
    # Tick or cross with the word beside it, so the answer never rests on a symbol or a colour.
    if value is True:
        return [Span("✓", color=_YES), Span(" Yes")]
    if value is False:
        return [Span("✗", color=_NO), Span(" No")]
    return _none()


def _date(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value is not None else ""


def _time(value: dt.time | None) -> str:
    return f"{value:%H:%M}" if value is not None else ""


def _moment(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(LONDON) if value.tzinfo is not None else value
    return f"{_date(local.date())} at {local:%H:%M}"


_TABLE_STYLE: list[tuple[Any, ...]] = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LINEBELOW", (0, 0), (-1, -1), 0.4, _RULE),
    ("LINEABOVE", (0, 0), (-1, 0), 0.4, _RULE),
    ("LEFTPADDING", (0, 0), (-1, -1), _INSET),
    ("RIGHTPADDING", (0, 0), (-1, -1), _INSET),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]


def _table_style() -> list[tuple[Any, ...]]:
    # Cells hold text blocks, but reportlab still sets the cell font: Helvetica, never embedded.
    return [*_TABLE_STYLE, ("FONTNAME", (0, 0), (-1, -1), font_name(LATIN, bold=False))]


# The questions that say who each child is, with their age on the visit date after the birth date
# (an unborn child's expected date is shown in the birth date's place).
_BIRTH_ONLY = ("child.unborn", "child.expected_date")
_CHILD_LISTED = tuple(spec for spec in CHILD.fields if spec.listed and spec.key not in _BIRTH_ONLY)
_AGE_COLUMN = "Age at the visit"
_CHILD_COLUMNS = tuple(
    label
    for spec in _CHILD_LISTED
    for label in ((spec.label, _AGE_COLUMN) if spec.key == "child.date_of_birth" else (spec.label,))
)


# ---- layout --------------------------------------------------------------------------------


class _Form:
    """Collects the story: short fields in label/value tables, long text flowing below."""

    def __init__(self, width: float) -> None:
        from reports.pdf.flowables import TextStyle

        self.width = width
        self.story: list[Any] = []
        self._rows: list[tuple[Any, Any, bool]] = []
        self._heading: Any = None
        base = TextStyle(size=9, leading=11.5, color=_INK)
        self.body_style = base
        self.label_style = replace(base, size=8.5, leading=10.5, color="#374151")
        self.prose_label_style = replace(
            base, bold=True, space_before=7, space_after=2, indent=_INSET
        )
        self.prose_style = replace(base, indent=_INSET)
        self.title_style = replace(base, bold=True, size=17, leading=21, space_after=4)
        self.meta_style = replace(base, color=_MUTED, space_after=6)
        self.section_style = replace(
            base,
            bold=True,
            size=10.5,
            leading=13,
            space_before=7,
            space_after=5,
            background=_HEADING_BACKGROUND,
            padding=3,
            indent=_INSET,
            outline_level=0,
        )
        self.subheading_style = replace(
            base, bold=True, size=10, leading=13, space_before=9, space_after=4, outline_level=1
        )
        self.banner_style = replace(
            base,
            bold=True,
            size=13,
            leading=16,
            color="#ffffff",
            background=_AMENDED,
            padding=4,
            indent=_INSET,
            space_before=6,
            space_after=0,
        )
        self.banner_text_style = replace(base, background="#fbeaea", padding=2, indent=_INSET)
        self.draft_style = replace(self.banner_style, background="#4b5563", space_after=8)

    def paragraph(self, content: str | list[Span], style: Any) -> None:
        """Our own words or the user's, never read as markup."""
        from reports.pdf.flowables import TextBlock

        spans = [Span(content)] if isinstance(content, str) else content
        self._add(TextBlock(spans, style))

    def text(self, text: str, style: Any) -> None:
        """Plain user text, one block per typed paragraph (each splits across pages by line)."""
        from reportlab.platypus import Spacer

        for line in text.split("\n"):
            if line.strip():
                self.paragraph(line, style)
            else:
                self._add(Spacer(1, 6))

    def gap(self, points: float) -> None:
        from reportlab.platypus import Spacer

        self._add(Spacer(1, points))

    def section(self, title: str) -> None:
        self._heading_block(title, self.section_style)

    def subheading(self, title: str) -> None:
        self._heading_block(title, self.subheading_style)

    def _heading_block(self, title: str, style: Any) -> None:
        from reports.pdf.flowables import TextBlock

        self._flush()
        self._heading = TextBlock([Span(title)], style)

    def field(self, label: str, value: str) -> None:
        """A field of user text: in the table when short, else flowing under its label."""
        if not value.strip():
            self.row(label, _none())
        elif _is_short(value):
            self.row(label, [Span(value)], narrow=_is_narrow(value))
        else:
            self.prose_field(label, value)

    def prose_field(self, label: str, value: str) -> None:
        """Free text read as prose: under its label, full width (a blank or brief one is a row)."""
        if not value.strip():
            self.row(label, _none())
            return
        if _is_narrow(value):
            self.row(label, [Span(value)])
            return
        self.paragraph(label, self.prose_label_style)
        self.text(value, self.prose_style)

    def row(self, label: str, value: list[Span], *, narrow: bool = True) -> None:
        """A label/value row; narrow rows may be set two to a line."""
        from reports.pdf.flowables import TextBlock

        self._rows.append(
            (TextBlock([Span(label)], self.label_style), TextBlock(value, self.body_style), narrow)
        )

    def children(self, children: list[ChildObservation], visit_date: dt.date | None) -> None:
        """One line per child in a grid; a child with long details gets label/value rows."""
        from reportlab.platypus import Table, TableStyle

        from reports.pdf.flowables import TextBlock

        lines = [_child_cells(child, visit_date) for child in children]
        if not lines:
            self.row("Children", _none())
            return
        if not all(_is_short(value) and len(value) < 200 for line in lines for value in line):
            for number, line in enumerate(lines, start=1):
                self.subheading(f"Child {number}")
                for label, value in zip(_CHILD_COLUMNS, line, strict=True):
                    self.field(label, value)
            return
        self._flush()
        header = [TextBlock([Span(label)], self.label_style) for label in _CHILD_COLUMNS]
        body = [
            [TextBlock([Span(value)] if value else _none(), self.body_style) for value in line]
            for line in lines
        ]
        widths = [0.34, 0.16, 0.16, 0.18, 0.16]
        table = Table(
            [header, *body],
            colWidths=[self.width * w for w in widths],
            hAlign="LEFT",
            repeatRows=1,
        )
        table.setStyle(
            TableStyle(
                [
                    *_table_style(),
                    ("BACKGROUND", (0, 0), (-1, 0), _LABEL_BACKGROUND),
                ]
            )
        )
        self._add(table, flush=False)

    def _add(self, flowable: Any, *, flush: bool = True) -> None:
        """Appends to the story; a pending heading keeps with the start of this flowable."""
        from reports.pdf.flowables import HeadingWithStart

        if flush:
            self._flush()
        if self._heading is not None:
            flowable = HeadingWithStart(self._heading, flowable)
            self._heading = None
        self.story.append(flowable)

    def _flush(self) -> None:
        from reportlab.platypus import Table, TableStyle

        if not self._rows:
            return
        cells = [[label, value] for label, value, _ in self._rows]
        if len(cells) > 1 and all(narrow for _, _, narrow in self._rows):
            # Short answers two to a line keep a short record on one sheet of paper.
            half = self.width / 2
            widths = [_PAIR_LABEL_WIDTH, half - _PAIR_LABEL_WIDTH] * 2
            rows = [
                [*cells[i], *(cells[i + 1] if i + 1 < len(cells) else ["", ""])]
                for i in range(0, len(cells), 2)
            ]
            backgrounds = [
                ("BACKGROUND", (0, 0), (0, -1), _LABEL_BACKGROUND),
                ("BACKGROUND", (2, 0), (2, -1), _LABEL_BACKGROUND),
            ]
        else:
            widths = [_LABEL_WIDTH, self.width - _LABEL_WIDTH]
            rows = cells
            backgrounds = [("BACKGROUND", (0, 0), (0, -1), _LABEL_BACKGROUND)]
        table = Table(
            rows,
            colWidths=widths,
            hAlign="LEFT",
            splitByRow=1,
            spaceBefore=0 if self._heading is not None else 6,
        )
        table.setStyle(TableStyle([*_table_style(), *backgrounds]))
        self._rows = []
        self._add(table, flush=False)

    def finish(self) -> list[Any]:
        self._flush()
        if self._heading is not None:
            self.story.append(self._heading)
            self._heading = None
        return self.story


# ---- the record ----------------------------------------------------------------------------


def _write_record(form: _Form, record: MonitoringRecord) -> None:
    """The form's sections in its order (coreform.forms.monitoring), with the questions shown."""
    form.paragraph(FORM_TITLE, form.title_style)
    form.paragraph(_record_line(record), form.meta_style)
    if record.amendment is not None:
        _write_amendment(form, record)
    if record.state is RecordState.DRAFT:
        form.paragraph("DRAFT – not submitted", form.draft_style)
    for section in MONITORING_FORM.sections:
        form.section(section.title)
        for spec in section.fields:
            if spec.shown_in(record, record):
                _write_field(form, spec, spec.value_in(record))
        if section.items is not None:
            form.children(record.children, record.visit_date)
            for number, observation in enumerate(record.children, start=1):
                _write_child(form, number, observation, record)


def _write_field(form: _Form, spec: Field, value: Any) -> None:
    """One answer: yes/no with a tick or cross, free text under its label, the rest in a row."""
    kind = spec.kind
    if kind is Kind.YES_NO:
        form.row(spec.label, _yes_no(spec.is_yes(value)))
    elif kind is Kind.LONG_TEXT:
        form.prose_field(spec.label, value if isinstance(value, str) else "")
    elif kind is Kind.CHOICE:
        form.field(spec.label, spec.choice_label(value) or "")
    elif kind is Kind.DATE:
        form.field(spec.label, _date(value))
    elif kind is Kind.TIME:
        form.field(spec.label, _time(value))
    elif kind is Kind.DATETIME:
        form.field(spec.label, _moment(value))
    elif kind is Kind.WORKING_DAYS:
        days = value if isinstance(value, int) else 0
        form.field(spec.label, f"{days} working day{'s' if days != 1 else ''}")
    else:
        form.field(spec.label, value if isinstance(value, str) else "")


def _record_line(record: MonitoringRecord) -> list[Span]:
    line = [Span("Reference "), Span(record.reference or "not yet given", bold=True)]
    line.append(Span(f" · version {record.version}"))
    if record.submitted_at is not None:
        line.append(Span(f" · submitted {_moment(record.submitted_at)}"))
    return line


def _write_amendment(form: _Form, record: MonitoringRecord) -> None:
    amendment = record.amendment
    assert amendment is not None
    form.paragraph("AMENDED", form.banner_style)
    who = f" by {amendment.amended_by}" if amendment.amended_by.strip() else ""
    form.paragraph(
        f"Amended on {_moment(amendment.amended_at)}{who}. "
        f"This version replaces version {amendment.previous_version}.",
        form.banner_text_style,
    )
    form.paragraph([Span("Reason for the amendment", bold=True)], form.banner_text_style)
    form.text(amendment.reason or "Not given", form.banner_text_style)
    form.gap(6)


def _write_child(
    form: _Form, number: int, observation: ChildObservation, record: MonitoringRecord
) -> None:
    """One child's observations; the questions that do not apply to this child are left out,
    and a child with none (an unborn child) is in the table of children only."""
    shown = [s for s in CHILD.fields if not s.listed and s.shown_in(record, observation)]
    if not shown:
        return
    name = _shorten(observation.child.name.strip() or "name not given", _HEADING_NAME_CHARS)
    form.section(f"{CHILD.title} {number}: {name}")
    for spec in shown:
        _write_field(form, spec, spec.value_in(observation))


def _child_cells(observation: ChildObservation, visit_date: dt.date | None) -> list[str]:
    cells: list[str] = []
    for spec in _CHILD_LISTED:
        value = spec.value_in(observation)
        if spec.key == "child.date_of_birth" and observation.child.unborn:
            cells += [f"Unborn (expected {_date(observation.child.expected_date)})", "unborn"]
        elif spec.key == "child.date_of_birth":
            cells += [_date(value), _age(observation, visit_date)]
        elif spec.kind is Kind.CHOICE:
            cells.append(spec.choice_label(value) or "")
        else:
            cells.append(value if isinstance(value, str) else "")
    return cells


def _age(observation: ChildObservation, visit_date: dt.date | None) -> str:
    born = observation.child.date_of_birth
    text = age_text(born, visit_date)
    return f"{text} (baby)" if text and is_baby(born, visit_date) else text


# ---- pages ---------------------------------------------------------------------------------


def _page_canvas(record: MonitoringRecord, generated_at: dt.datetime) -> Any:
    """A canvas class that draws header and footer once the page count is known."""
    from reportlab.pdfgen.canvas import Canvas

    footer = (
        f"Reference {record.reference or 'not yet given'} · version {record.version} · "
        f"generated {_moment(generated_at)}"
    )

    class PagedCanvas(Canvas):  # type: ignore[misc]  # reportlab has no type hints
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802  # reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            self.showOutline()  # the reader opens with the bookmarks (sections, children) shown
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self._decorate(number, total)
                super().showPage()
            super().save()

        def _decorate(self, number: int, total: int) -> None:
            width, height = self._pagesize
            self.saveState()
            self.setStrokeColor(_RULE)
            self.setLineWidth(0.6)
            # 000: every page carries the form's heading, so a loose page is still marked.
            _running_line(self, FORM_TITLE, _MARGIN, height - 13 * _MM, bold=True, size=9)
            self.line(_MARGIN, height - 15 * _MM, width - _MARGIN, height - 15 * _MM)
            self.line(_MARGIN, 14 * _MM, width - _MARGIN, 14 * _MM)
            _running_line(self, footer, _MARGIN, 10 * _MM, color=_MUTED)
            page = f"Page {number} of {total}"
            _running_line(self, page, width - _MARGIN, 10 * _MM, color=_MUTED, right=True)
            self.restoreState()

    return PagedCanvas


def _running_line(
    canvas: Any,
    text: str,
    x: float,
    baseline: float,
    *,
    bold: bool = False,
    size: float = 8,
    color: str = _INK,
    right: bool = False,
) -> None:
    from reports.pdf.flowables import draw_line
    from reports.pdf.text import lay_out

    (line,) = lay_out([Span(text)], 10_000, size=size, bold=bold, color=color)
    draw_line(canvas, line, x - line.width if right else x, baseline)
