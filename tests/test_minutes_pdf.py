"""The "Record of Core Group Meeting" PDF read back with pypdf (issue 14, acceptance 3): every
field of the form with its label, CONFIDENTIAL on every page, names as typed, the data inside."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from bench.sample_minutes import sample_minutes
from coreform.forms.minutes import MINUTES_FORM, NEXT_STEP
from coreform.minutes import minutes_to_dict
from coreform.records import LONDON
from reports.pdf import NotACoreformPdf, PdfPasswordRequired, PdfWrongPassword
from reports.pdf.minutes import (
    MINUTES_PDF_TITLE,
    build_minutes_pdf,
    minutes_pdf_file_name,
    read_minutes_from_pdf,
)
from tests.test_pdf import make_record

GENERATED = dt.datetime(2026, 3, 18, 16, 10, tzinfo=LONDON)
NAMES = {
    "Arabic": "يوسف",
    "Urdu": "عائشہ",
    "Bengali": "রহিম উদ্দিন",
    "Chinese": "王小明",
    "Polish": "Zofia Wiśniewska-Łęcka",
    "Vietnamese": "Nguyễn Thị Hương",
}


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _page_texts(pdf: bytes) -> list[str]:
    """Each page's text, then each table column's text on it: a label wrapped inside a table
    cell is one run of lines that start at the same left edge."""
    texts = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        columns: dict[int, list[tuple[float, str]]] = defaultdict(list)

        def visit(text: str, cm: Any, tm: Any, *_: Any, columns: Any = columns) -> None:
            if text.strip():
                x = tm[4] * cm[0] + cm[4]
                y = tm[5] * cm[3] + cm[5]
                columns[round(x)].append((-y, text))

        texts.append(_normalised(page.extract_text(visitor_text=visit)))
        texts += [_normalised(" ".join(t for _, t in sorted(run))) for run in columns.values()]
    return texts


def _labels() -> list[str]:
    """Every label the form defines, as the PDF must show it."""
    labels = []
    for section in MINUTES_FORM.sections:
        labels.append(section.title)
        labels += [spec.label for spec in section.fields]
        items = section.items
        if items is None:
            continue
        # Which safety goal a step serves is shown by placing it in that goal's row.
        labels += [
            spec.label
            for spec in items.fields
            if not (items is NEXT_STEP and spec.key == "goal_id") and not spec.listed
        ]
        labels += [spec.label for spec in items.fields if spec.listed and not spec.fact]
        if items.grid is not None:
            labels.append(items.grid.label)
            labels += [label for _, label in (*items.grid.rows, *items.grid.columns)]
    return [_normalised(label) for label in labels]


MINUTES = sample_minutes()


@pytest.fixture(scope="module")
def minutes_pdf() -> bytes:
    return build_minutes_pdf(MINUTES, generated_at=GENERATED)


def test_every_field_is_in_the_pdf_with_its_label(minutes_pdf: bytes) -> None:
    texts = _page_texts(minutes_pdf)
    missing = [label for label in _labels() if not any(label in text for text in texts)]
    assert not missing, f"the PDF lacks {missing}"
    whole = " ".join(texts)
    minutes = MINUTES
    # The answers are there too: each attendee, goal, step, every child's scaling.
    for expected in (
        minutes.venue,
        "23 March 2026",  # the meeting's due date
        *(attendee.role for attendee in minutes.attendees),
        "Referral to the young carers' group for Yusuf.",  # a step for no safety goal
        "School records show collection on time",
        "6 of 10",
        "Dad's alcohol worker to send a report before the review conference.",
    ):
        assert _normalised(expected) in whole


def test_confidential_on_every_page_and_in_the_metadata(minutes_pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(minutes_pdf))
    assert len(reader.pages) > 1
    for number, page in enumerate(reader.pages, start=1):
        # The running title is drawn last, once the page count is known.
        assert _normalised(page.extract_text()).endswith(
            f"{MINUTES_PDF_TITLE} Reference CGM-2026-00003 · version 1 · generated 18 March 2026 "
            f"at 16:10 Page {number} of {len(reader.pages)}"
        )
    assert reader.metadata is not None
    assert reader.metadata.title == f"{MINUTES_PDF_TITLE} – CGM-2026-00003"
    assert minutes_pdf_file_name(MINUTES) == "CGM-2026-00003-v1.pdf"


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_names_in_six_scripts_copy_out_as_typed(minutes_pdf: bytes, tmp_path: Path) -> None:
    pypdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(minutes_pdf)).pages)
    path = tmp_path / "minutes.pdf"
    path.write_bytes(minutes_pdf)
    poppler = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True, timeout=60
    ).stdout
    missing = [s for s, name in NAMES.items() if name not in pypdf_text and name not in poppler]
    assert not missing


def test_the_minutes_inside_read_back_as_they_were(minutes_pdf: bytes) -> None:
    assert minutes_to_dict(read_minutes_from_pdf(minutes_pdf)) == minutes_to_dict(MINUTES)
    # A record's PDF is not minutes.
    with pytest.raises(NotACoreformPdf):
        read_minutes_from_pdf(build_minutes_pdf_of_a_record())


def build_minutes_pdf_of_a_record() -> bytes:
    from reports.pdf import build_monitoring_pdf

    return build_monitoring_pdf(make_record(), generated_at=GENERATED)


def test_an_amended_version_says_so_and_a_password_protects_it() -> None:
    amended = sample_minutes(amended=True, long_text=40)
    # Too long for a table row: the goal, the attendee and the steps are set as blocks.
    amended.safety_goals[0].how_changed = "Collections were on time. " * 80
    amended.attendees[0].role = "Health visitor for the family's area. " * 12
    amended.next_steps[2].change_reason = "Moved: the group starts in April."
    pdf = build_minutes_pdf(amended, generated_at=GENERATED, password="kettle-Ω-7")
    with pytest.raises(PdfPasswordRequired):
        read_minutes_from_pdf(pdf)
    with pytest.raises(PdfWrongPassword):
        read_minutes_from_pdf(pdf, "kettle")
    assert read_minutes_from_pdf(pdf, "kettle-Ω-7").version == 2
    reader = PdfReader(io.BytesIO(pdf), password="kettle-Ω-7")
    first = _normalised(reader.pages[0].extract_text())
    assert "AMENDED" in first and "replaces version 1" in first
    assert "The school nurse's written report was received and added." in first
    whole = _normalised(" ".join(page.extract_text() for page in reader.pages))
    for heading in ("Safety goal 1", "Attendee 1: Wang Xiaoming", "Next step 1", "Role"):
        assert heading in whole


def test_coreform_render_and_extract_take_minutes_too(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from coreform.cli import main
    from reports.pdf.minutes import minutes_json

    source = tmp_path / "minutes.json"
    source.write_bytes(minutes_json(MINUTES))
    pdf = tmp_path / "minutes.pdf"
    assert main(["render", str(source), str(pdf)]) == 0
    assert MINUTES_PDF_TITLE in PdfReader(pdf).pages[0].extract_text()
    capsys.readouterr()
    assert main(["extract", str(pdf)]) == 0
    assert json.loads(capsys.readouterr().out) == minutes_to_dict(MINUTES)
