"""The page of every form drawn here: A4, the form's CONFIDENTIAL title at the top of every page,
a footer with the reference and "Page n of m", bookmarks open, and what makes it readable by
assistive technology (document language, title shown, fonts embedded).

reportlab is imported inside the functions: it takes about half a second to import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reports.pdf.fonts import LATIN, font_name
from reports.pdf.layout import INK, MARGIN, MM, MUTED, RULE, FormStory
from reports.pdf.text import Span

LANGUAGE = "en-GB"  # the forms' language; names in other scripts are tagged by their glyphs


@dataclass(frozen=True)
class PageSetup:
    """What a form's PDF says about itself on every page and in its metadata."""

    running_title: str  # drawn at the top of every page: the form's name with CONFIDENTIAL
    metadata_title: str  # names the reference only (metadata is often indexed)
    subject: str
    footer: str


def pdf_name(reference: str, version: int, *, fallback: str, id_: str) -> str:
    """`CG-2026-00042-v1.pdf`: the reference and version, never a child's name."""
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", reference).strip("-")
    stem = stem or f"{fallback}-{re.sub(r'[^A-Za-z0-9]', '', id_)[:12]}"
    return f"{stem}-v{version}.pdf"


def render_form(setup: PageSetup, write: Callable[[FormStory], None]) -> bytes:
    """The PDF of the story `write` puts into a FormStory, on the form's pages."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    buffer = io.BytesIO()
    doc = BaseDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=20 * MM,
        bottomMargin=18 * MM,
        title=setup.metadata_title,
        author="coreform",
        subject=setup.subject,
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
    form = FormStory(doc.width)
    write(form)
    doc.build(form.finish(), canvasmaker=_page_canvas(setup))
    return buffer.getvalue()


def _page_canvas(setup: PageSetup) -> Any:
    """A canvas class that draws header and footer once the page count is known."""
    from reportlab.pdfgen.canvas import Canvas

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
            self.setStrokeColor(RULE)
            self.setLineWidth(0.6)
            # 000: every page carries the form's heading, so a loose page is still marked.
            _running_line(self, setup.running_title, MARGIN, height - 13 * MM, bold=True, size=9)
            self.line(MARGIN, height - 15 * MM, width - MARGIN, height - 15 * MM)
            self.line(MARGIN, 14 * MM, width - MARGIN, 14 * MM)
            _running_line(self, setup.footer, MARGIN, 10 * MM, color=MUTED)
            page = f"Page {number} of {total}"
            _running_line(self, page, width - MARGIN, 10 * MM, color=MUTED, right=True)
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
    color: str = INK,
    right: bool = False,
) -> None:
    from reports.pdf.flowables import draw_line
    from reports.pdf.text import lay_out

    (line,) = lay_out([Span(text)], 10_000, size=size, bold=bold, color=color)
    draw_line(canvas, line, x - line.width if right else x, baseline)
