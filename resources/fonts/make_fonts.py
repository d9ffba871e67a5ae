"""Rebuilds the bundled fonts from their sources; run by hand, never by the app.

    uv run python resources/fonts/make_fonts.py NOTO_TRUETYPE_DIR NOTO_CJK_TTC NOTO_EMOJI_TTF

NOTO_TRUETYPE_DIR is Debian's /usr/share/fonts/truetype/noto (packages fonts-noto-core and
fonts-noto-extra), NOTO_CJK_TTC Debian's NotoSansCJK-Regular.ttc (fonts-noto-cjk) and
NOTO_EMOJI_TTF the monochrome NotoEmoji[wght].ttf (PyPI package manimgx-fonts). Hinting is
dropped (PDFs are scaled, not hinted). reportlab reads TrueType outlines only, so the CJK face is
cut to the characters of Chinese, Japanese and Korean names (`_cjk`) and its CFF outlines
converted to TrueType; the emoji font is fixed at weight 400.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTCollection, TTFont, newTable
from fontTools.varLib import instancer

HERE = Path(__file__).resolve().parent
# Debian file name -> bundled file name (the same, kept explicit so the list is the contract).
NOTO = [
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSansArabic-Regular.ttf",
    "NotoSansArabic-Bold.ttf",
    "NotoSansBengali-Regular.ttf",
    "NotoSansBengali-Bold.ttf",
    "NotoSansGurmukhi-Regular.ttf",
    "NotoSansGurmukhi-Bold.ttf",
    "NotoSansSymbols2-Regular.ttf",
]
CJK_FACE = "Noto Sans CJK SC"
CJK_FILE = "NotoSansCJKsc-Regular.ttf"
EMOJI_FILE = "NotoEmoji-Regular.ttf"


def _options() -> subset.Options:
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.notdef_outline = True
    options.glyph_names = False
    options.drop_tables += ["vhea", "vmtx", "VORG", "DSIG"]
    return options


def _subset(font: TTFont, unicodes: list[int] | None, *, layout: bool = True) -> TTFont:
    options = _options()
    if not layout:  # the CJK face's regional variants would pull in thousands of glyphs
        options.layout_features = []
    subsetter = subset.Subsetter(options)
    if unicodes is None:
        unicodes = list(font.getBestCmap())
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    return font


def _cjk() -> list[int]:
    """Every character of the CJK Unified Ideographs block (the 20,992 of Chinese, Japanese and
    Korean names in everyday use: GB 2312 alone misses characters parents choose for names),
    Japanese kana, Korean Hangul syllables and jamo, CJK punctuation and full-width forms:
    about 33,000 characters of the face's 65,535 glyphs, 9 MB. Extension A and beyond (rare,
    historic) are left out."""
    ranges = (
        (0x1100, 0x1200),  # Hangul jamo
        (0x3000, 0x3100),  # CJK punctuation, hiragana, katakana
        (0x3130, 0x3190),  # Hangul compatibility jamo
        (0x31F0, 0x3200),  # katakana phonetic extensions
        (0x4E00, 0xA000),  # CJK Unified Ideographs
        (0xAC00, 0xD7A4),  # Hangul syllables
        (0xFF00, 0xFFF0),  # full-width and half-width forms
    )
    return [code for low, high in ranges for code in range(low, high)]


def _to_truetype(font: TTFont) -> None:
    """CFF outlines to quadratic TrueType ones (fontTools' otf2ttf recipe)."""
    order = font.getGlyphOrder()
    glyph_set = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(glyph_set)
        glyph_set[name].draw(Cu2QuPen(pen, 1.0, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph()
    font["loca"] = newTable("loca")
    font["glyf"] = glyf
    del font["CFF "]
    glyf.compile(font)
    hmtx = font["hmtx"]
    for name, glyph in glyf.glyphs.items():
        if hasattr(glyph, "xMin"):
            hmtx[name] = (hmtx[name][0], glyph.xMin)
    maxp = newTable("maxp")
    maxp.tableVersion = 0x00010000
    for field in (
        "maxZones",
        "maxTwilightPoints",
        "maxStorage",
        "maxFunctionDefs",
        "maxInstructionDefs",
        "maxStackElements",
        "maxSizeOfInstructions",
        "maxComponentElements",
    ):
        setattr(maxp, field, 1 if field == "maxZones" else 0)
    font["maxp"] = maxp
    post = font["post"]
    post.formatType = 2.0
    post.extraNames = []
    post.mapping = {}
    post.glyphOrder = order
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


def main(noto_dir: str, cjk_ttc: str, emoji_ttf: str) -> None:
    for name in NOTO:
        _subset(TTFont(Path(noto_dir) / name), None).save(HERE / name)
    collection = TTCollection(cjk_ttc)
    (cjk,) = [f for f in collection.fonts if f["name"].getDebugName(4) == CJK_FACE]
    _subset(cjk, _cjk(), layout=False)
    _to_truetype(cjk)
    cjk.save(HERE / CJK_FILE)
    emoji = instancer.instantiateVariableFont(TTFont(emoji_ttf), {"wght": 400})
    _subset(emoji, None).save(HERE / EMOJI_FILE)


if __name__ == "__main__":
    main(*sys.argv[1:4])
