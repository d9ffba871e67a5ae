"""The fillable form for agencies without coreform: made by the key worker's coreform, filled in
with pypdf as a PDF reader would, imported back as a record with what was left empty listed."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter

from coreform.fillable import field_name, questions
from coreform.forms.monitoring import MONITORING_FORM
from coreform.inbox import ChronologyFilter, Filing
from coreform.intake import Origin
from coreform.records import Child, Family, PlanType, Practitioner, Setting
from coreform.services import Services
from tests.conftest import open_mailing

KEY_WORKER = Practitioner("Sam Lee", "Social worker", "CP Team 2", "sam.lee@council.example")
# What a GP's receptionist types: every answer the form needs except the purpose of the visit.
ANSWERS = {
    "visit_date": "03/03/2026",
    "visit_time": "14:15",
    "setting": "GP surgery",
    "announced": "No",
    "others_present": "Mother.",
    "children[0].seen": "Yes",
    "children[0].spoken_with": "Yes",
    "children[0].seen_alone": "No",
    "children[0].not_seen_alone_reason": "Mother stayed for the examination.",
    "children[0].presentation": "Chatty, weight on her centile.",
    "observations": "No new injuries.",
    "immediate_concerns": "No",
    "parents_informed": "Yes",
    "copy_to_parents": "Yes",
    "completed_by.name": "Dr Tomasz Nowak",
    "completed_by.role": "GP",
    "completed_by.agency": "Elm Surgery",
    "completed_by.email": "t.nowak@elm.example",
    "date_completed": "04/03/2026",
}


@pytest.fixture
def key_worker(tmp_path: Path, clock: Callable[[], dt.datetime]) -> Iterator[Services]:
    services = open_mailing(f"sqlite:///{tmp_path / 'coreform.db'}", tmp_path, clock)
    settings = services.get_settings()
    settings.me = KEY_WORKER
    services.save_settings(settings)
    yield services
    services.close()


def filled(blank: bytes, answers: dict[str, str]) -> bytes:
    """The form as a PDF reader saves it after typing the answers."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(blank)))
    values = {field_name(path): text for path, text in answers.items()}
    for page in writer.pages:
        writer.update_page_form_field_values(page, values, auto_regenerate=False)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_form_filled_in_a_pdf_reader_comes_back_as_a_record(
    key_worker: Services, tmp_path: Path
) -> None:
    family = key_worker.save_family(
        Family(
            name="Kowalski", children=[Child("Zofia Kowalska", dt.date(2018, 6, 1), PlanType.CIN)]
        )
    )
    path = key_worker.save_fillable_form(family.id, tmp_path)
    assert path.name.startswith("CG-form-") and "Kowal" not in path.name
    blank = path.read_bytes()
    reader = PdfReader(io.BytesIO(blank))
    first_page = reader.pages[0].extract_text()
    assert "CONFIDENTIAL" in first_page and "Zofia Kowalska" in first_page
    assert "sam.lee@council.example" in first_page
    fields = reader.get_fields() or {}
    # Every question of the form is a field, its tooltip the record's own label.
    for question in questions(1):
        assert fields[field_name(question.path)].get("/TU", "").startswith(question.spec.label)

    data = filled(blank, ANSWERS)
    [outcome] = key_worker.receive_file("returned.pdf", data)
    assert (outcome.origin, outcome.filing) == (Origin.FILLABLE_FORM, Filing.FILED)
    record = key_worker.get_record(outcome.record_id)
    assert (record.visit_date, record.visit_time) == (dt.date(2026, 3, 3), dt.time(14, 15))
    assert (record.setting, record.announced) == (Setting.GP_SURGERY, True)  # "Unannounced: No"
    assert record.children[0].child.id == family.children[0].id
    assert record.children[0].seen_alone is False and record.completed_by.agency == "Elm Surgery"
    purpose = MONITORING_FORM.field("purpose").missing
    # The empty answer is reported, by the form's own words and the seed they follow.
    assert f"{purpose} (000)" in outcome.missing
    assert key_worker.inbox_page(0, 5)[0].missing == outcome.missing
    assert key_worker.chronology_count(family.children[0].id, ChronologyFilter()) == 1
    [again] = key_worker.receive_file("returned.pdf", data)
    assert again.filing is Filing.DUPLICATE


def test_an_answer_that_cannot_be_read_is_reported_not_guessed(
    key_worker: Services, tmp_path: Path
) -> None:
    family = key_worker.save_family(
        Family(name="Trần", children=[Child("Trần Thị Mai", dt.date(2020, 1, 9))])
    )
    blank = key_worker.save_fillable_form(family.id, tmp_path).read_bytes()
    [outcome] = key_worker.receive_file(
        "form.pdf", filled(blank, {**ANSWERS, "visit_date": "31/02/2026", "purpose": "Review"})
    )
    record = key_worker.get_record(outcome.record_id)
    assert record.visit_date is None
    assert any("“31/02/2026” is not a date" in text for text in outcome.missing)


def test_names_typed_in_any_script_arrive_as_typed(key_worker: Services, tmp_path: Path) -> None:
    # The fields' font is Helvetica (reportlab allows only the standard 14): what is typed is
    # kept as text whatever the font, and that text is what the import reads.
    family = key_worker.save_family(
        Family(name="Rahman", children=[Child("Ayesha Rahman", dt.date(2019, 2, 11))])
    )
    blank = key_worker.save_fillable_form(family.id, tmp_path).read_bytes()
    typed = {
        "completed_by.name": "王喆",
        "completed_by.agency": "Łódź Surgery",
        "others_present": "ماں (عائشہ بی بی) اور খালা রহিমা",
        "observations": "桜井さくら 김민준 Nguyễn Thị Mai",
    }
    [outcome] = key_worker.receive_file("form.pdf", filled(blank, {**ANSWERS, **typed}))
    record = key_worker.get_record(outcome.record_id)
    assert (record.completed_by.name, record.completed_by.agency) == ("王喆", "Łódź Surgery")
    assert (record.others_present, record.observations) == (
        typed["others_present"],
        typed["observations"],
    )
