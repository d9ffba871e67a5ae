"""Names in every script a family in England may write, read back as typed (issue 11).

One record carries every script; its PDF is read with pypdf and with poppler's pdftotext,
checked with pdffonts and qpdf (poppler-utils and qpdf, installed by .ci/run).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from coreform.forms.monitoring import CHILD, MONITORING_FORM
from coreform.records import Child, ChildObservation, PlanType
from reports.pdf import build_monitoring_pdf
from reports.pdf.fonts import face_for, font_name
from reports.pdf.text import Span, lay_out
from tests.test_pdf import GENERATED, make_record

NAMES = {
    "Polish": "Zofia Łukasiewicz-Wróbel",
    "Romanian": "Ștefan Căpraru",
    "Vietnamese": "Nguyễn Thị Minh Khai",
    "Lithuanian": "Žemaitė Šliūpaitė",
    "Greek": "Αθηνά Παπαδοπούλου",
    "Cyrillic": "Анастасия Кузнецова",
    "Arabic": "محمد",
    "Arabic 2": "يوسف",
    "mixed": "Yusuf يوسف Khan",
    "Urdu": "عائشہ بی بی",
    "Bengali": "রহিম উদ্দিন",
    "Gurmukhi": "ਗੁਰਪ੍ਰੀਤ ਕੌਰ",
    "Chinese": "王小明",
    "Chinese (traditional)": "陳大文",
    "emoji": "Amira 👍🙂😀",
    # Beyond GB 2312 and Big5 level 1, which the Chinese face once held (喆, 堃 are chosen for
    # names), and Japanese and Korean names.
    "Chinese (rarer)": "王喆 張堃",
    "Japanese": "桜井 さくら",
    "Korean": "김민준",
}
# poppler marks right-to-left runs with embedding controls; they are not part of the text.
_BIDI_MARKS = re.compile("[\u202a-\u202e\u2066-\u2069]")
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


@pytest.fixture(scope="module")
def every_script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    record = make_record()
    record.children = [
        ChildObservation(child=Child(name, dt.date(2016, 4, 1), PlanType.CP), seen=True)
        for name in NAMES.values()
    ]
    record.observations = "Yusuf يوسف Khan and রহিম উদ্দিন played; 王小明 smiled 🙂."
    path = tmp_path_factory.mktemp("pdf") / "every-script.pdf"
    path.write_bytes(build_monitoring_pdf(record, generated_at=GENERATED))
    return path


def _pypdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def _poppler_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    )
    return _BIDI_MARKS.sub("", result.stdout)


@needs_poppler
def test_every_name_copies_out_as_typed(every_script: Path) -> None:
    pypdf_text, poppler_text = _pypdf_text(every_script), _poppler_text(every_script)
    # Either reader gives each name exactly: pypdf reads the repaired ToUnicode maps, poppler
    # also the ActualText that Bengali and Gurmukhi need (their vowel signs are drawn first).
    missing = [
        script
        for script, name in NAMES.items()
        if name not in pypdf_text and name not in poppler_text
    ]
    assert missing == []
    for script in ("Polish", "Greek", "Cyrillic", "Arabic", "mixed", "Urdu", "Chinese", "emoji"):
        assert NAMES[script] in pypdf_text, script  # and most scripts in both
    for script in ("Bengali", "Gurmukhi", "Chinese", "emoji", "Vietnamese"):
        assert NAMES[script] in poppler_text, script
    assert "\ufffd" not in pypdf_text + poppler_text


def test_every_character_of_every_name_has_a_glyph() -> None:
    # A character no bundled face has is drawn as an empty box (reports/pdf/fonts.py).
    from reportlab.pdfbase import pdfmetrics

    boxes = [
        char
        for name in NAMES.values()
        for char in name
        if not char.isspace()
        and ord(char)
        not in pdfmetrics.getFont(
            font_name(face_for(char, None, bold=False), bold=False)
        ).face.charToGlyph
    ]
    assert boxes == []


@needs_poppler
def test_only_embedded_fonts_and_the_document_language(every_script: Path) -> None:
    fonts = subprocess.run(
        ["pdffonts", str(every_script)], capture_output=True, text=True, check=True, timeout=60
    ).stdout.splitlines()[2:]
    assert fonts
    for line in fonts:
        embedded, subset = line.split()[-5:-3]
        assert (embedded, subset) == ("yes", "yes"), line
    reader = PdfReader(every_script)
    root = reader.root_object
    assert str(root["/Lang"]) == "en-GB"
    preferences = root["/ViewerPreferences"]
    assert isinstance(preferences, DictionaryObject) and preferences["/DisplayDocTitle"]
    titles = [item.title or "" for item in reader.outline if not isinstance(item, list)]
    # A bookmark for each section of the form and for each child, named as the pages are.
    assert [title for title in titles if ": " not in title] == [
        section.title for section in MONITORING_FORM.sections
    ]
    assert f"{CHILD.title} 9: {NAMES['mixed']}" in titles
    assert f"{CHILD.title} 11: {NAMES['Bengali']}" in titles


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="needs qpdf")
def test_qpdf_checks_the_file_plain_and_encrypted(tmp_path: Path) -> None:
    plain = tmp_path / "plain.pdf"
    plain.write_bytes(build_monitoring_pdf(make_record(), generated_at=GENERATED))
    locked = tmp_path / "locked.pdf"
    locked.write_bytes(build_monitoring_pdf(make_record(), generated_at=GENERATED, password="pw"))
    for path, extra in ((plain, []), (locked, ["--password=pw"])):
        result = subprocess.run(
            ["qpdf", "--check", *extra, str(path)], capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, result.stdout + result.stderr
    assert plain.read_bytes().startswith(b"%PDF-1.7")
    assert locked.read_bytes().startswith(b"%PDF-2.0")  # AES-256 (revision 6) is PDF 2.0


def test_ten_thousand_characters_break_only_between_words() -> None:
    words = [f"word{number}" for number in range(1, 1200)]
    text = " ".join(words)[:10_000].rsplit(" ", 1)[0]
    record = make_record()
    record.observations = text
    data = build_monitoring_pdf(record, generated_at=GENERATED)
    # Every line break fell on a space the user typed: each word comes out whole, in order.
    found = re.findall(r"\S*word\S*", "\n".join(page_texts_of(data)))
    assert found == text.split()
    lines = lay_out([Span(text)], 480, size=9, bold=False, color="#000000")
    widths = [line.width for line in lines]
    # No early line end inside the paragraph (the old 3,000-character chunks left one).
    assert min(widths[:-1]) > 480 - 40


def page_texts_of(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def test_mixed_lines_are_drawn_in_reading_order() -> None:
    (mixed,) = lay_out([Span("Yusuf يوسف Khan")], 400, size=9, bold=False, color="#000000")
    drawn = [piece.text.strip() for piece in mixed.visual()]
    assert [text for text in drawn if text] == ["Yusuf", "يوسف", "Khan"]
    assert not mixed.rtl_base
    (arabic,) = lay_out([Span("محمد يوسف")], 400, size=9, bold=False, color="#000000")
    assert arabic.rtl_base  # right-aligned; the first word typed is drawn rightmost
    assert [piece.text for piece in arabic.visual()] == ["محمد يوسف"]
    glyphs = arabic.visual()[0].glyphs.__shapeData__
    assert glyphs[0].cluster > glyphs[-1].cluster  # glyphs run right to left


def test_a_heading_keeps_with_the_first_lines_only() -> None:
    from reportlab.platypus import Table

    from reports.pdf.flowables import HeadingWithStart, TextBlock, TextStyle

    style = TextStyle(size=9, leading=12, color="#000000")
    heading = TextBlock([Span("Observations")], style)
    long_text = TextBlock([Span("The kitchen was clean. " * 400)], style)
    kept = HeadingWithStart(heading, long_text)
    _, height = kept.wrap(480, 10_000)
    assert height > 300
    parts = kept.split(480, 12 * 4)  # room for the heading and three lines
    assert parts[0] is heading
    assert len(parts) == 3 and len(parts[1].lines(480)) == 3
    assert kept.split(480, 12 * 2) == []  # heading and one line: the heading moves on
    rows = Table([[TextBlock([Span(f"row {n}")], style)] for n in range(40)])
    assert len(HeadingWithStart(heading, rows).split(480, 100)) == 3
