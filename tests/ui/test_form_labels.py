"""One definition of the form: the editor, the record view and the PDF show the same labels."""

from __future__ import annotations

import copy
import datetime as dt
import io

import pypdf
import pytest

from coreform.ages import age_on_visit_text
from coreform.forms.model import Field
from coreform.forms.monitoring import CHILD, MONITORING_FORM
from coreform.records import (
    Child,
    ChildObservation,
    MonitoringRecord,
    RecordState,
    Setting,
)
from reports.pdf import build_monitoring_pdf
from tests.qtbot import QtBot
from ui.main_window import MainWindow


def _every_question_asked(record: MonitoringRecord, setting: Setting) -> MonitoringRecord:
    """Answers that make every conditional question apply: an older child seen but not alone,
    a baby seen, a child not seen, concerns, parents neither told nor sent a copy."""
    changed = copy.deepcopy(record)
    changed.setting = setting
    changed.setting_other = "Grandmother's flat" if setting is Setting.OTHER else ""
    changed.parents_informed = False
    changed.parents_not_informed_reason = "Telling them would put the child at immediate risk."
    older, baby = changed.children
    older.seen_alone = False
    older.not_seen_alone_reason = "Mother refused."
    baby.seen_alone = None
    baby.not_seen_alone_reason = ""
    absent = ChildObservation(
        child=Child(name="Chidi Okafor", date_of_birth=dt.date(2012, 1, 9)),
        seen=False,
        not_seen_reason="At his father's house.",
    )
    changed.children = [older, baby, absent]
    return changed


def _normalised(text: str) -> str:
    return " ".join(text.split())


def _expected(record: MonitoringRecord) -> list[tuple[Field, bool, int | None]]:
    """Every question the record shows, whether it applies (else it only holds an old answer),
    and which child it is about (None for the record's own questions)."""
    shown: list[tuple[Field, bool, int | None]] = []
    for section in MONITORING_FORM.sections:
        shown += [
            (spec, spec.applies_to(record, record), None)
            for spec in section.fields
            if spec.shown_in(record, record)
        ]
    for index, child in enumerate(record.children):
        shown += [
            (spec, spec.applies_to(record, child), index)
            for spec in CHILD.fields
            if spec.shown_in(record, child)
        ]
    return shown


@pytest.mark.parametrize("setting", [Setting.HOME, Setting.OTHER])
def test_editor_view_and_pdf_use_the_forms_labels(
    qtbot: QtBot, window: MainWindow, full_record: MonitoringRecord, setting: Setting
) -> None:
    record = _every_question_asked(full_record, setting)
    expected = _expected(record)
    keys = {spec.key for spec, applies, _index in expected if applies}
    # The record really asks the conditional questions this test is for.
    assert {"setting_other" if setting is Setting.OTHER else "bedroom_seen"} <= keys
    assert {"seen_awake", "not_seen_reason", "not_seen_alone_reason", "concerns_told_who"} <= keys

    editor = window.editor
    editor.load(record)
    for spec, applies, index in expected:
        if spec.fact:
            continue  # recorded by coreform when submitted and sent, never typed
        rows = editor.rows if index is None else editor.panels()[index].rows
        row = rows[spec.key]
        assert row.label.text() == spec.label
        assert row.isHidden() is not applies, f"{spec.key} is asked but hidden in the editor"

    stored = copy.deepcopy(record)
    stored.state = RecordState.SUBMITTED
    stored.reference = "CG-2026-00007"
    window.record_view.show_record(stored)
    view_text = _normalised(window.record_view.text.toPlainText())

    pdf = build_monitoring_pdf(stored, generated_at=dt.datetime(2026, 12, 24, 16, 0))
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    pdf_text = _normalised(" ".join(page.extract_text() for page in pages))

    for spec, _applies, _index in expected:
        label = _normalised(spec.label)
        assert label in view_text, f"the record view lacks “{label}”"
        # The PDF's table of children shows "Unborn (expected …)" in the birth date's place.
        if spec.key not in ("child.unborn", "child.expected_date"):
            assert label in pdf_text, f"the PDF lacks “{label}”"
    for section in MONITORING_FORM.sections:
        assert section.title in view_text and section.title in pdf_text
    # Each child's age on the visit date, worded by the one function the editor and PDF use.
    ages = [age_on_visit_text(o.child.date_of_birth, stored.visit_date) for o in stored.children]
    assert any(ages)
    for age in filter(None, ages):
        assert f"(age on the visit date: {age})" in view_text and age in pdf_text
