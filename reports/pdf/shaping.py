"""Shaping: the glyphs HarfBuzz draws for a run of text in one face and direction, and what
text each drawn glyph stands for (the PDF's ToUnicode maps are rewritten from it, container.py).
Used by reports.pdf.text, which cuts paragraphs into such runs."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Any


@lru_cache(maxsize=8192)
def char_width(char: str, font: str) -> float:
    from reportlab.pdfbase import pdfmetrics

    return float(pdfmetrics.stringWidth(char, font, 1))


@lru_cache(maxsize=4096)
def shape(text: str, font: str, rtl: bool) -> tuple[Any, float]:
    """The glyphs for `text` in visual order, as reportlab draws them, and their advance in
    thousandths of the font size: HarfBuzz's, unless each character is simply its own glyph."""
    from reportlab.pdfbase import pdfmetrics

    ttf = pdfmetrics.getFont(font)
    if not rtl and not ttf.face.name.startswith(_COMPLEX) and _SIMPLE.fullmatch(text):
        return text, ttf.stringWidth(text, 1000)
    return _harfbuzz(text, ttf, rtl)


# Faces whose scripts always need shaping; in the others only marks and joiners do.
_COMPLEX = (b"NotoSansArabic", b"NotoSansBengali", b"NotoSansGurmukhi")
_SIMPLE = re.compile(
    r"[^\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\u200c\u200d\ufe00-\ufe0f\ufe20-\ufe2f\U0001f3fb-\U0001f3ff\U000e0000-\U000e007f]*"
)


def _harfbuzz(text: str, ttf: Any, rtl: bool) -> tuple[Any, float]:
    import uharfbuzz
    from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

    hb_font = ttf.hbFont(1000)
    buffer = uharfbuzz.Buffer()
    buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    # Optional ligatures off: "ﬁ" would copy out as one character in some readers.
    uharfbuzz.shape(hb_font, buffer, {"kern": True, "liga": False})
    infos = buffer.glyph_infos
    glyphs_in = Counter(info.cluster for info in infos)
    starts = sorted(glyphs_in)
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    face = ttf.face.name.decode("ascii", "replace")
    drawn = []
    data = []
    for info, position in zip(infos, buffer.glyph_positions, strict=True):
        glyph = info.codepoint
        found = ttf.face.glyphToChar.get(glyph)
        if found:
            code = found[0]
        else:
            name = hb_font.glyph_to_string(glyph)
            code = ttf.hbAddPrivate(name, glyph, position.x_advance)
        drawn.append(chr(code))
        data.append(
            ShapeData(
                info.cluster,
                ttf.pdfScale(position.x_advance),
                ttf.pdfScale(position.y_advance),
                ttf.pdfScale(position.x_offset),
                ttf.pdfScale(position.y_offset),
                ttf.face.charWidths[code],
            )
        )
        if glyphs_in[info.cluster] == 1:
            # A glyph alone in its cluster stands for the cluster's text (a joined Arabic
            # form, a ligature, an emoji): the ToUnicode map says so (container.py).
            texts = _GLYPH_TEXT.setdefault(face, {})
            texts.setdefault(code, text[info.cluster : ends[info.cluster]])
    return ShapedStr("".join(drawn), shapeData=data), sum(d.x_advance for d in data)


# Face name -> drawn code -> the text it stands for, for the PDF's ToUnicode maps.
_GLYPH_TEXT: dict[str, dict[int, str]] = {}


def glyph_text(face: str) -> dict[int, str]:
    """What each glyph code drawn in `face` (its PostScript name) stands for."""
    return _GLYPH_TEXT.get(face, {})
