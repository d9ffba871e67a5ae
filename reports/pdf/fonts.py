"""The bundled Noto fonts and which one draws each character (resources/fonts/README.md).

A character is drawn by the first face in `_FACES` that has it and whose script ranges include
it, so Latin, Greek and Cyrillic come from Noto Sans and the others from their own Noto face.
Faces load on first use (the Chinese one is 3 MB): a record in Latin script never reads it.
reportlab embeds only the glyphs a PDF uses, so a face nobody used is not in the file.
"""

from __future__ import annotations

import threading
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from coreform.resources import resource_path


@dataclass(frozen=True, eq=False)  # compared by identity: one object per bundled face
class Face:
    """One bundled font file; `ranges` limit it to its script (empty: any character)."""

    name: str
    regular: str
    bold: str
    ranges: tuple[tuple[int, int], ...] = ()
    # Draws some signs before the letter they follow in the text (Bengali and Gurmukhi vowel
    # signs): copying glyph by glyph would reorder the text, so the PDF says what was typed.
    reorders: bool = False

    def may_draw(self, code: int) -> bool:
        return not self.ranges or any(low <= code <= high for low, high in self.ranges)


LATIN = Face("NotoSans", "NotoSans-Regular.ttf", "NotoSans-Bold.ttf")
_FACES = (
    LATIN,
    Face(
        "NotoSansArabic",
        "NotoSansArabic-Regular.ttf",
        "NotoSansArabic-Bold.ttf",
        ((0x0600, 0x06FF), (0x0750, 0x077F), (0x08A0, 0x08FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFF)),
    ),
    Face(
        "NotoSansBengali",
        "NotoSansBengali-Regular.ttf",
        "NotoSansBengali-Bold.ttf",
        ((0x0980, 0x09FF),),
        reorders=True,
    ),
    Face(
        "NotoSansGurmukhi",
        "NotoSansGurmukhi-Regular.ttf",
        "NotoSansGurmukhi-Bold.ttf",
        ((0x0A00, 0x0A7F),),
        reorders=True,
    ),
    # Chinese, Japanese and Korean names: every CJK Unified Ideograph (20,992), kana and Hangul,
    # 9 MB, read only when a record has such a name (about 0.4 s once per process). Bundled
    # rather than borrowed from Windows (Microsoft YaHei, Malgun Gothic, Yu Gothic): a PDF must
    # look the same from every computer, offline, and the tests here must see what users get;
    # Windows fonts differ by edition and language pack and their embedding rights vary. Left
    # out: Extension A and later (rare and historic characters; they still draw as boxes) and a
    # bold weight (6 MB more, for headings). Han glyphs have their simplified-Chinese shapes.
    Face(
        "NotoSansCJKsc",
        "NotoSansCJKsc-Regular.ttf",
        "NotoSansCJKsc-Regular.ttf",
        (
            (0x1100, 0x11FF),
            (0x2E80, 0x9FFF),
            (0xAC00, 0xD7AF),
            (0xF900, 0xFAFF),
            (0xFF00, 0xFFEF),
        ),
    ),
    Face("NotoSansSymbols2", "NotoSansSymbols2-Regular.ttf", "NotoSansSymbols2-Regular.ttf"),
    # Monochrome emoji: colour emoji fonts are bitmaps or SVG, which reportlab cannot embed.
    Face("NotoEmoji", "NotoEmoji-Regular.ttf", "NotoEmoji-Regular.ttf"),
)

_LOCK = threading.Lock()
# Our own Latin-script words set directly on a canvas (the fillable form's fixed wording).
REGULAR = LATIN.regular.removesuffix(".ttf")
BOLD = LATIN.bold.removesuffix(".ttf")


def register_fonts() -> None:
    """Registers the Latin face's two weights, for canvas code that names REGULAR and BOLD."""
    font_name(LATIN, bold=False)
    font_name(LATIN, bold=True)


def font_name(face: Face, *, bold: bool) -> str:
    """The reportlab name of a face's weight, registered on first use."""
    file_name = face.bold if bold else face.regular
    name = file_name.removesuffix(".ttf")  # a face with one weight is registered once
    _register(name, file_name)
    return name


@cache
def _register(name: str, file_name: str) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    with _LOCK:  # reportlab's registry is a global dict; PDFs may render in worker threads
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file_name))))


def _covers(name: str, code: int) -> bool:
    return code in _font(name).face.charToGlyph


def _font(name: str) -> Any:
    from reportlab.pdfbase import pdfmetrics

    return pdfmetrics.getFont(name)


@lru_cache(maxsize=16384)
def face_for(char: str, previous: Face | None, *, bold: bool) -> Face:
    """The face that draws `char`; spaces, punctuation and marks stay in the previous face when
    it has them, so a word in one script is shaped as one piece."""
    code = ord(char)
    if previous is not None and _inherits(char) and _covers(font_name(previous, bold=bold), code):
        return previous
    for face in _FACES:
        if face.may_draw(code) and _covers(font_name(face, bold=bold), code):
            return face
    return previous or LATIN  # drawn as an empty box: no bundled face has it


def _inherits(char: str) -> bool:
    category = unicodedata.category(char)
    return category[0] in "ZPM" or category in ("Cf", "Sk", "Nd")
