"""Text in any script, set as lines: font fallback, shaping, bidi order and line breaking.

reportlab's Paragraph shapes one font per word and orders right-to-left text only in paragraphs
of one font, and its ToUnicode maps drawn glyphs, not what was typed: a line mixing "Yusuf" and
"يوسف" came out reversed and copied out wrong. So a paragraph here is laid out in three steps:

1. each character gets a face (fonts.face_for) and a bidi embedding level (UAX #9, python-bidi);
2. the text is cut at break opportunities (after spaces, between Han characters) into tokens,
   each shaped by HarfBuzz piece by piece (one face and one level per piece) and measured;
3. tokens fill lines greedily; each line's pieces are put in visual order (UAX #9 rule L2).

Shaping (shaping.py) records what text each glyph stands for (glyph_text), from which the PDF's
ToUnicode maps are rewritten (container.py), so copying out gives what was typed; pieces whose
glyph order is not typed order carry /ActualText (flowables.draw_line). Lines break only
between words: a word wider than the line is the only thing ever cut, between characters.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from reports.pdf.fonts import Face, face_for, font_name
from reports.pdf.shaping import char_width, shape


@dataclass(frozen=True)
class Span:
    """A stretch of text with one weight and colour (None: the style's)."""

    text: str
    bold: bool | None = None
    color: str | None = None


@dataclass(frozen=True)
class Piece:
    """Shaped glyphs of one face at one bidi level, in visual order, and their width."""

    text: str  # logical
    font: str
    size: float
    color: str
    rtl: bool
    level: int
    glyphs: Any  # reportlab ShapedStr (or plain str when shaping changed nothing)
    width: float
    space: bool  # whitespace only: not drawn at the end of a line
    reorders: bool  # glyph order is not typed order: the PDF carries the typed text


@dataclass
class Line:
    pieces: list[Piece] = field(default_factory=list)
    rtl_base: bool = False  # a right-to-left paragraph: the line is set against the right

    @property
    def width(self) -> float:
        return sum(piece.width for piece in self._drawn())

    @property
    def text(self) -> str:
        return "".join(piece.text for piece in self.pieces).rstrip()

    def _drawn(self) -> list[Piece]:
        pieces = list(self.pieces)
        while pieces and pieces[-1].space:
            pieces.pop()
        return pieces

    def visual(self) -> list[Piece]:
        """The pieces left to right (UAX #9 L1 for trailing spaces, then L2)."""
        pieces = self._drawn()
        if not pieces:
            return []
        levels = [piece.level for piece in pieces]
        top = max(levels)
        lowest_odd = min(level for level in levels) | 1
        order = list(range(len(pieces)))
        for level in range(top, lowest_odd - 1, -1):
            start = None
            for index in range(len(order) + 1):
                inside = index < len(order) and levels[order[index]] >= level
                if inside and start is None:
                    start = index
                elif not inside and start is not None:
                    order[start:index] = reversed(order[start:index])
                    start = None
        return _merged([pieces[index] for index in order])


def _merged(pieces: list[Piece]) -> list[Piece]:
    """Neighbours in one font, colour and direction drawn as one string (a smaller PDF)."""
    merged = pieces[:1]
    for piece in pieces[1:]:
        last = merged[-1]
        key = (piece.font, piece.size, piece.color, piece.rtl, piece.reorders)
        if (last.font, last.size, last.color, last.rtl, last.reorders) == key:
            merged[-1] = Piece(
                # Glyphs join in visual order, the text in typed order.
                text=piece.text + last.text if piece.rtl else last.text + piece.text,
                font=last.font,
                size=last.size,
                color=last.color,
                rtl=last.rtl,
                level=last.level,
                glyphs=last.glyphs + piece.glyphs,
                width=last.width + piece.width,
                space=last.space and piece.space,
                reorders=last.reorders,
            )
        else:
            merged.append(piece)
    return merged


def lay_out(
    spans: Sequence[Span], width: float, *, size: float, bold: bool, color: str
) -> list[Line]:
    """The spans as lines no wider than `width` (newlines typed by the user are kept)."""
    lines: list[Line] = []
    for text, owners in _paragraphs(spans):
        lines.extend(_Paragraph(text, owners, spans, size, bold, color).lines(width))
    return lines


# ---- step 1: faces and levels ---------------------------------------------------------------

# Control characters draw nothing and would break copying out; tabs are set as spaces.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# A token: text up to and including the spaces after it (a line breaks only between tokens).
_TOKEN = re.compile(r"[^\s\u200b]+[\s\u200b]*|[\s\u200b]+")
_HAN = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")


def _paragraphs(spans: Sequence[Span]) -> Iterator[tuple[str, list[int]]]:
    """Each typed paragraph's text, with the index of the span each character came from
    (bidi resolves each paragraph on its own, UAX #9 P1)."""
    parts: list[str] = []
    owners: list[int] = []
    for index, span in enumerate(spans):
        text = span.text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2029", "\n")
        text = _CONTROLS.sub("", text.replace("\t", " "))
        for number, part in enumerate(text.split("\n")):
            if number:
                yield "".join(parts), owners
                parts, owners = [], []
            parts.append(part)
            owners.extend([index] * len(part))
    yield "".join(parts), owners


def _levels(text: str) -> tuple[list[int], bool]:
    """Each character's embedding level and whether the paragraph runs right to left.

    The levels come from python-bidi's Rust core (the unicode-bidi crate, UAX #9 complete),
    which hands them out only in its debug description: one level per UTF-8 byte."""
    if not any(unicodedata.bidirectional(char) in _RTL_TYPES for char in set(text)):
        return [0] * len(text), False  # the common case, without the algorithm's cost
    from bidi.bidi import get_display_inner

    info = get_display_inner(text, None, True)
    listed = info[info.index("levels: [") : info.index("]", info.index("levels: ["))]
    byte_levels = [int(level) for level in _LEVEL.findall(listed)]
    base = _LEVEL.search(info, info.index("paragraphs: ["))
    if base is None or len(byte_levels) != len(text.encode("utf-8")):
        raise ValueError("python-bidi described the text in a form this version does not read")
    levels = []
    offset = 0
    for char in text:
        levels.append(byte_levels[offset])
        offset += len(char.encode("utf-8"))
    return levels, int(base.group(1)) % 2 == 1


_LEVEL = re.compile(r"Level\(\s*(\d+),?\s*\)")
_RTL_TYPES = frozenset(("R", "AL", "AN", "RLE", "RLO", "RLI"))


def _faces(text: str, owners: list[int], spans: Sequence[Span], bold: bool) -> list[Face]:
    """Each character's face; one pass per character only when the text needs several."""
    weights = [bold if span.bold is None else span.bold for span in spans]
    if len(set(weights)) == 1:
        found = {face_for(char, None, bold=weights[0]) for char in set(text)}
        if len(found) == 1:
            return [found.pop()] * len(text)
    faces: list[Face] = []
    previous: Face | None = None
    for char, owner in zip(text, owners, strict=True):
        previous = face_for(char, previous, bold=weights[owner])
        faces.append(previous)
    return faces


def _changes(values: Sequence[Any]) -> set[int]:
    return {index for index in range(1, len(values)) if values[index] != values[index - 1]}


# ---- step 2 and 3: tokens, shaping and lines ------------------------------------------------


class _Paragraph:
    def __init__(
        self,
        text: str,
        owners: list[int],
        spans: Sequence[Span],
        size: float,
        bold: bool,
        color: str,
    ) -> None:
        self.text = text
        self.owners = owners
        self.spans = spans
        self.size = size
        self.bold = bold
        self.color = color
        self.levels, self.rtl = _levels(text)
        self.faces = _faces(text, owners, spans, bold)
        # Where face, level or span change: a piece never crosses one.
        changes = _changes(owners) | _changes(self.levels)
        if len(set(self.faces)) > 1:
            changes |= _changes(self.faces)
        self.boundaries = sorted(changes)

    def lines(self, width: float) -> list[Line]:
        lines: list[Line] = []
        current: list[Piece] = []
        used = 0.0
        for start, word_end, end in self._tokens():
            word = self.pieces(start, word_end)
            spaces = self.pieces(word_end, end)
            word_width = sum(piece.width for piece in word)
            if current and used + word_width > width:
                lines.append(Line(current, self.rtl))
                current, used = [], 0.0
            if not current and word_width > width:
                lines.extend(self._cut(start, word_end, width))
                continue
            current += word + spaces
            used += word_width + sum(piece.width for piece in spaces)
        if current or not lines:
            lines.append(Line(current, self.rtl))
        return lines

    def _tokens(self) -> Iterator[tuple[int, int, int]]:
        """(start, end of the word, end with the spaces after it) for each breakable token."""
        has_han = _HAN.search(self.text) is not None
        for match in _TOKEN.finditer(self.text):
            start, end = match.span()
            word_end = start + len(match.group().rstrip().rstrip("\u200b"))
            if has_han and word_end - start > 1:
                yield from _han_breaks(self.text, start, word_end, end)
            else:
                yield start, word_end, end

    def pieces(self, start: int, end: int) -> list[Piece]:
        """Shaped pieces of text[start:end], one per face, level and span."""
        found = []
        cuts = self.boundaries[
            bisect_right(self.boundaries, start) : bisect_left(self.boundaries, end)
        ]
        for run_start, run_end in zip([start, *cuts], [*cuts, end], strict=True):
            if run_start == run_end:
                continue
            span = self.spans[self.owners[run_start]]
            face = self.faces[run_start]
            level = self.levels[run_start]
            text = self.text[run_start:run_end]
            font = font_name(face, bold=self.bold if span.bold is None else span.bold)
            glyphs, advance = shape(text, font, level % 2 == 1)
            found.append(
                Piece(
                    text=text,
                    font=font,
                    size=self.size,
                    color=span.color or self.color,
                    rtl=level % 2 == 1,
                    level=level,
                    glyphs=glyphs,
                    width=advance * self.size / 1000,
                    space=text.isspace(),
                    reorders=face.reorders,
                )
            )
        return found

    def _cut(self, start: int, end: int, width: float) -> Iterator[Line]:
        """A word wider than the line, cut between characters (never before a combining mark)."""
        advances = [0.0] * (end - start)  # each character's share of the word's width
        offset = start
        for piece in self.pieces(start, end):
            shaped = getattr(piece.glyphs, "__shapeData__", None)
            if shaped is None:  # one glyph per character
                for index, char in enumerate(piece.text):
                    advances[offset - start + index] = char_width(char, piece.font) * piece.size
            else:
                for glyph in shaped:
                    advances[offset - start + glyph.cluster] += glyph.x_advance * piece.size / 1000
            offset += len(piece.text)
        line_start, used = start, 0.0
        for index in range(start, end):
            breakable = index > line_start and unicodedata.category(self.text[index])[0] != "M"
            if breakable and used + advances[index - start] > width:
                yield Line(self.pieces(line_start, index), self.rtl)
                line_start, used = index, 0.0
            used += advances[index - start]
        yield Line(self.pieces(line_start, end), self.rtl)


def _han_breaks(text: str, start: int, word_end: int, end: int) -> Iterator[tuple[int, int, int]]:
    """Chinese is written without spaces: a line may break between two Han characters."""
    piece_start = start
    for index in range(start + 1, word_end):
        if _HAN.match(text[index - 1]) and _HAN.match(text[index]):
            yield piece_start, index, index
            piece_start = index
    yield piece_start, word_end, end
