"""The building blocks of a form's PDF: how values are written, the styles, and `FormStory`,
which turns a form's sections into reportlab flowables (label/value tables, prose, grids).

Shared by every form drawn here (the monitoring record, the core group minutes). reportlab is
imported inside the methods: it takes about half a second and the app must start fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, Protocol

from coreform.forms.model import Field, Kind
from coreform.records import LONDON
from reports.pdf.fonts import LATIN, font_name
from reports.pdf.text import Span

# A value this short stays in the label/value table; longer ones flow below their label.
_TABLE_VALUE_CHARS = 400
_TABLE_VALUE_LINES = 6
_NARROW_VALUE_CHARS = 28
# A grid cell longer than this turns the grid into one labelled block per row.
_GRID_CELL_CHARS = 200

MM = 72 / 25.4
MARGIN = 18 * MM
_LABEL_WIDTH = 58 * MM
_PAIR_LABEL_WIDTH = 40 * MM
# Text inside headings and banners lines up with text inside table cells.
INSET = 5

INK = "#1f2933"
MUTED = "#6b7280"
RULE = "#c8ced6"
LABEL_BACKGROUND = "#f2f4f7"
_HEADING_BACKGROUND = "#dfe7f1"
_YES = "#1b7f3b"
_NO = "#b3261e"
_AMENDED = "#9b1c1c"


class Amended(Protocol):
    """Why a locked form was changed (a record's Amendment, the minutes' MinutesAmendment)."""

    reason: str
    amended_at: dt.datetime
    amended_by: str
    previous_version: int


# ---- values --------------------------------------------------------------------------------


def is_short(text: str) -> bool:
    return len(text) <= _TABLE_VALUE_CHARS and text.count("\n") < _TABLE_VALUE_LINES


def is_narrow(text: str) -> bool:
    return len(text) <= _NARROW_VALUE_CHARS and "\n" not in text


def fits_grid(values: Iterable[str]) -> bool:
    """Whether these cell texts are short enough to be set as a grid (else one block per row)."""
    return all(is_short(value) and len(value) < _GRID_CELL_CHARS for value in values)


def shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def not_recorded() -> list[Span]:
    return [Span("Not recorded", color=MUTED)]


def yes_no(value: bool | None) -> list[Span]:
    # Tick or cross with the word beside it, so the answer never rests on a symbol or a colour.
    if value is True:
        return [Span("✓", color=_YES), Span(" Yes")]
    if value is False:
        return [Span("✗", color=_NO), Span(" No")]
    return not_recorded()


def date_text(value: dt.date | None) -> str:
    return f"{value.day} {value:%B %Y}" if value is not None else ""


def time_text(value: dt.time | None) -> str:
    return f"{value:%H:%M}" if value is not None else ""


def moment_text(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    local = value.astimezone(LONDON) if value.tzinfo is not None else value
    return f"{date_text(local.date())} at {local:%H:%M}"


def value_text(spec: Field, value: Any) -> str:
    """A field's answer as the text a table cell shows (yes/no answers have their own spans)."""
    kind = spec.kind
    if kind is Kind.CHOICE:
        return spec.choice_label(value) or ""
    if kind is Kind.DATE:
        return date_text(value)
    if kind is Kind.TIME:
        return time_text(value)
    if kind is Kind.DATETIME:
        return moment_text(value)
    if kind is Kind.WORKING_DAYS:
        days = value if isinstance(value, int) else 0
        return f"{days} working day{'s' if days != 1 else ''}"
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value if isinstance(value, str) else ""


_TABLE_STYLE: list[tuple[Any, ...]] = [
    ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ("LINEBELOW", (0, 0), (-1, -1), 0.4, RULE),
    ("LINEABOVE", (0, 0), (-1, 0), 0.4, RULE),
    ("LEFTPADDING", (0, 0), (-1, -1), INSET),
    ("RIGHTPADDING", (0, 0), (-1, -1), INSET),
    ("TOPPADDING", (0, 0), (-1, -1), 2),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
]


def table_style() -> list[tuple[Any, ...]]:
    # Cells hold text blocks, but reportlab still sets the cell font: Helvetica, never embedded.
    return [*_TABLE_STYLE, ("FONTNAME", (0, 0), (-1, -1), font_name(LATIN, bold=False))]


# ---- layout --------------------------------------------------------------------------------


class FormStory:
    """Collects the story: short fields in label/value tables, long text flowing below."""

    def __init__(self, width: float) -> None:
        from reports.pdf.flowables import TextStyle

        self.width = width
        self.story: list[Any] = []
        self._rows: list[tuple[Any, Any, bool]] = []
        self._heading: Any = None
        base = TextStyle(size=9, leading=11.5, color=INK)
        self.body_style = base
        self.label_style = replace(base, size=8.5, leading=10.5, color="#374151")
        self.prose_label_style = replace(
            base, bold=True, space_before=7, space_after=2, indent=INSET
        )
        self.prose_style = replace(base, indent=INSET)
        self.note_style = replace(base, size=8.5, leading=10.5, color=MUTED, indent=INSET)
        self.title_style = replace(base, bold=True, size=17, leading=21, space_after=4)
        self.meta_style = replace(base, color=MUTED, space_after=6)
        self.section_style = replace(
            base,
            bold=True,
            size=10.5,
            leading=13,
            space_before=7,
            space_after=5,
            background=_HEADING_BACKGROUND,
            padding=3,
            indent=INSET,
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
            indent=INSET,
            space_before=6,
            space_after=0,
        )
        self.banner_text_style = replace(base, background="#fbeaea", padding=2, indent=INSET)
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
        from reports.pdf.flowables import HeadingWithStart, TextBlock

        self._flush()
        heading = TextBlock([Span(title)], style)
        # A section opening straight on a subheading keeps both with what follows.
        self._heading = (
            heading if self._heading is None else HeadingWithStart(self._heading, heading)
        )

    def field(self, label: str, value: str) -> None:
        """A field of user text: in the table when short, else flowing under its label."""
        if not value.strip():
            self.row(label, not_recorded())
        elif is_short(value):
            self.row(label, [Span(value)], narrow=is_narrow(value))
        else:
            self.prose_field(label, value)

    def prose_field(self, label: str, value: str) -> None:
        """Free text read as prose: under its label, full width (a blank or brief one is a row)."""
        if not value.strip():
            self.row(label, not_recorded())
            return
        if is_narrow(value):
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

    def answer(self, spec: Field, value: Any) -> None:
        """One answer: yes/no with a tick or cross, free text under its label, the rest a row."""
        if spec.kind is Kind.YES_NO:
            self.row(spec.label, yes_no(spec.is_yes(value)))
        elif spec.kind is Kind.LONG_TEXT:
            self.prose_field(spec.label, value if isinstance(value, str) else "")
        else:
            self.field(spec.label, value_text(spec, value))

    def grid(
        self,
        columns: Sequence[str | list[Span]],
        lines: Sequence[Sequence[list[Span]]],
        widths: Sequence[float],
        *,
        header_column: bool = False,
    ) -> None:
        """A table with a header row (repeated on each page); `widths` are shares of the width.
        With `header_column` the first column labels its row, shaded like the header."""
        from reportlab.platypus import Table, TableStyle

        from reports.pdf.flowables import TextBlock

        self._flush()
        header = [
            TextBlock([Span(label)] if isinstance(label, str) else label, self.label_style)
            for label in columns
        ]
        body = [
            [
                TextBlock(
                    value or not_recorded(),
                    self.label_style if header_column and not index else self.body_style,
                )
                for index, value in enumerate(line)
            ]
            for line in lines
        ]
        table = Table(
            [header, *body],
            colWidths=[self.width * share for share in widths],
            hAlign="LEFT",
            repeatRows=1,
        )
        shading = [("BACKGROUND", (0, 0), (-1, 0), LABEL_BACKGROUND)]
        if header_column:
            shading.append(("BACKGROUND", (0, 0), (0, -1), LABEL_BACKGROUND))
        table.setStyle(TableStyle([*table_style(), *shading]))
        self._add(table, flush=False)

    def heading(
        self,
        title: str,
        reference: str | None,
        details: str,
        amendment: Amended | None,
        draft_mark: str | None,
    ) -> None:
        """How every form begins: its title, the reference and `details` (version, when locked),
        an amended version's banner and a draft's mark (None once locked)."""
        self.paragraph(title, self.title_style)
        reference_line = [Span("Reference "), Span(reference or "not yet given", bold=True)]
        self.paragraph([*reference_line, Span(details)], self.meta_style)
        if amendment is not None:
            self.amendment(amendment)
        if draft_mark is not None:
            self.paragraph(draft_mark, self.draft_style)

    def amendment(self, amendment: Amended) -> None:
        """The banner of an amended version: when, by whom, which version it replaces, why."""
        self.paragraph("AMENDED", self.banner_style)
        who = f" by {amendment.amended_by}" if amendment.amended_by.strip() else ""
        self.paragraph(
            f"Amended on {moment_text(amendment.amended_at)}{who}. "
            f"This version replaces version {amendment.previous_version}.",
            self.banner_text_style,
        )
        self.paragraph([Span("Reason for the amendment", bold=True)], self.banner_text_style)
        self.text(amendment.reason or "Not given", self.banner_text_style)
        self.gap(6)

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
                ("BACKGROUND", (0, 0), (0, -1), LABEL_BACKGROUND),
                ("BACKGROUND", (2, 0), (2, -1), LABEL_BACKGROUND),
            ]
        else:
            widths = [_LABEL_WIDTH, self.width - _LABEL_WIDTH]
            rows = cells
            backgrounds = [("BACKGROUND", (0, 0), (0, -1), LABEL_BACKGROUND)]
        table = Table(
            rows,
            colWidths=widths,
            hAlign="LEFT",
            splitByRow=1,
            spaceBefore=0 if self._heading is not None else 6,
        )
        table.setStyle(TableStyle([*table_style(), *backgrounds]))
        self._rows = []
        self._add(table, flush=False)

    def finish(self) -> list[Any]:
        self._flush()
        if self._heading is not None:
            self.story.append(self._heading)
            self._heading = None
        return self.story
