"""reportlab flowables for laid-out text (text.py): a text block and a heading kept with the
first lines under it. Imported only from inside render functions (reportlab loads slowly)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from reportlab.platypus import Flowable

from reports.pdf.text import Line, Span, lay_out

# A block split across pages keeps at least this many lines on each side (no orphan, no widow).
_MIN_LINES = 2


@dataclass(frozen=True)
class TextStyle:
    size: float
    leading: float
    color: str
    bold: bool = False
    indent: float = 0  # left and right, inside any background
    space_before: float = 0
    space_after: float = 0
    background: str | None = None
    padding: float = 0  # above and below the text, inside the background
    outline_level: int | None = None  # a bookmark for this block, at this level


class TextBlock(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """Text in any script as full lines; splits between lines, never inside one."""

    def __init__(
        self, spans: Sequence[Span], style: TextStyle, lines: list[Line] | None = None
    ) -> None:
        super().__init__()
        self.spans = list(spans)
        self.style = style
        self._lines = lines
        self._laid_for: float | None = None if lines is None else -1.0

    @property
    def text(self) -> str:
        return "".join(span.text for span in self.spans)

    def lines(self, width: float) -> list[Line]:
        inner = width - 2 * self.style.indent
        if self._lines is None or (self._laid_for not in (-1.0, inner)):
            style = self.style
            self._lines = lay_out(
                self.spans, inner, size=style.size, bold=style.bold, color=style.color
            )
            self._laid_for = inner
        return self._lines

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = len(self.lines(available_width)) * self.style.leading + 2 * self.style.padding
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802  # reportlab's name
        return self.style.space_before

    def getSpaceAfter(self) -> float:  # noqa: N802  # reportlab's name
        return self.style.space_after

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        lines = self.lines(available_width)
        fit = int((available_height - 2 * self.style.padding) // self.style.leading)
        if fit < _MIN_LINES or len(lines) - fit < _MIN_LINES:
            fit = min(fit, len(lines) - _MIN_LINES)
        if fit < _MIN_LINES:
            return []
        first = replace(self.style, space_after=0)
        rest = replace(self.style, space_before=0, outline_level=None)
        return [
            TextBlock(self.spans, first, lines[:fit]),
            TextBlock(self.spans, rest, lines[fit:]),
        ]

    def draw(self) -> None:
        canvas = self.canv
        style = self.style
        if style.background is not None:
            canvas.saveState()
            canvas.setFillColor(style.background)
            canvas.rect(0, 0, self.width, self.height, stroke=0, fill=1)
            canvas.restoreState()
        if style.outline_level is not None:
            key = f"block{id(self)}"
            canvas.bookmarkHorizontal(key, 0, self.height)
            title = " ".join(line.text for line in self.lines(self.width))
            canvas.addOutlineEntry(title, key, style.outline_level)
        top = self.height - style.padding
        inner = self.width - 2 * style.indent
        for line in self.lines(self.width):
            baseline = top - style.leading / 2 - style.size * 0.33
            left = style.indent + (inner - line.width if line.rtl_base else 0)
            draw_line(canvas, line, left, baseline)
            top -= style.leading


def draw_line(canvas: Any, line: Line, x: float, baseline: float) -> None:
    """One line of glyphs. Where glyph order is not typed order (Bengali, Gurmukhi) the piece is
    marked with the text as typed (/ActualText), so copying it out gives exactly that. Other
    scripts copy out through the fonts' ToUnicode maps (container._repair_text_maps), which
    readers put back in typed order themselves: marking right-to-left text as well would make
    poppler reverse it a second time."""
    for piece in line.visual():
        if piece.reorders:
            canvas.addLiteral(f"/Span <</ActualText {_text_string(piece.text)}>> BDC")
        text = canvas.beginText(x, baseline)
        text.setFont(piece.font, piece.size)
        text.setFillColor(_color(piece.color))
        text.textOut(piece.glyphs)
        canvas.drawText(text)
        if piece.reorders:
            canvas.addLiteral("EMC")
        x += piece.width


@lru_cache(maxsize=64)
def _color(hex_color: str) -> Any:
    from reportlab.lib.colors import HexColor

    return HexColor(hex_color)


def _text_string(text: str) -> str:
    """A PDF text string in UTF-16 with its byte order mark (any script, any plane)."""
    return "<FEFF" + text.encode("utf-16-be").hex().upper() + ">"


class HeadingWithStart(Flowable):  # type: ignore[misc]  # reportlab has no type hints
    """A heading kept with the start of what follows it, not with all of it: when the heading
    and the first lines of the next block fit, the block is split there."""

    def __init__(self, heading: Flowable, following: Flowable) -> None:
        super().__init__()
        self.heading = heading
        self.following = following

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        _, heading = self.heading.wrap(available_width, available_height)
        _, following = self.following.wrap(available_width, available_height - heading)
        self._following_height = following
        self.width = available_width
        self.height = heading + self.heading.getSpaceAfter() + following
        self.height += self.following.getSpaceBefore()
        return self.width, self.height

    def getSpaceBefore(self) -> float:  # noqa: N802  # reportlab's name
        return float(self.heading.getSpaceBefore())

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        _, heading = self.heading.wrap(available_width, available_height)
        room = available_height - heading - self.heading.getSpaceAfter()
        room -= self.following.getSpaceBefore()
        parts = self.following.split(available_width, room) if room > 0 else []
        return [self.heading, *parts] if parts else []

    def getSpaceAfter(self) -> float:  # noqa: N802  # reportlab's name
        return float(self.following.getSpaceAfter())

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        gap = self.following.getSpaceBefore() + self.heading.getSpaceAfter()
        self.heading.drawOn(canvas, x, y + self._following_height + gap, _sW)
        self.following.drawOn(canvas, x, y, _sW)
