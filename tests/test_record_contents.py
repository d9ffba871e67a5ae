"""What the record asks (issue 17): one test per rule, each quoting the seed sentence it follows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pypdf
import pytest

from coreform.checks import checks_table
from coreform.errors import ValidationFailedError
from coreform.records import (
    LONDON,
    Child,
    ChildObservation,
    Family,
    KeyWorker,
    MonitoringRecord,
    ParentCarer,
    Practitioner,
    RecordState,
    SendMethod,
    Setting,
    record_from_dict,
    record_to_dict,
)
from coreform.services import Services
from coreform.validation import Problem, Severity, validate_record
from coreform.workdays import Nation, WorkingCalendar
from reports.pdf import build_monitoring_pdf
from reports.pdf.container import read_record_from_pdf

ENGLAND = WorkingCalendar(Nation.ENG)
TODAY = dt.date(2026, 3, 11)
NOW = dt.datetime(2026, 3, 11, 12, 0, tzinfo=LONDON)


def amira(**changes: Any) -> ChildObservation:
    seen = ChildObservation(
        child=Child(name="Amira Hassan", date_of_birth=dt.date(2018, 5, 4)),
        seen=True,
        spoken_with=True,
        seen_alone=True,
        bedroom_seen=True,
        presentation="Smiled and showed me her reading book.",
        wishes_and_feelings="“I want to stay at this school,” she said.",
    )
    return dataclasses.replace(seen, **changes)


def home_visit(**changes: Any) -> MonitoringRecord:
    record = MonitoringRecord(
        family_name="Hassan",
        children=[amira()],
        key_worker=KeyWorker(name="Bilal Chowdhury", email="bilal.chowdhury@council.example"),
        completed_by=Practitioner(name="Wiktoria Nowak", role="Health visitor", agency="NHS"),
        visit_date=dt.date(2026, 3, 10),
        visit_time=dt.time(9, 30),
        setting=Setting.HOME,
        purpose="Plan task 2: check the sleeping arrangements.",
        others_present="Mother only.",
        observations="Fridge stocked; mother calm and attentive.",
        home_conditions="Warm and tidy; Amira has her own bed.",
        family_circumstances="Mother has started a college course.",
        new_incidents=False,
        immediate_concerns=False,
        parents_informed=True,
        copy_to_parents=False,
        no_copy_reason="A copy would put the child at risk of harm.",
    )
    return dataclasses.replace(record, **changes)


def check(record: MonitoringRecord, **options: Any) -> list[Problem]:
    return validate_record(record, calendar=ENGLAND, today=TODAY, now=NOW, **options)


def at(problems: list[Problem], field: str) -> list[Problem]:
    return [problem for problem in problems if problem.field == field]


def test_complete_home_visit_has_no_problems() -> None:
    assert check(home_visit()) == []


# ---- 000: lateness from facts ------------------------------------------------------------------


def test_000_a_late_submission_asks_its_reason_whatever_date_completed_says(
    tmp_path: Path,
) -> None:
    # 000: "no later than 2 working days after the visit/Interaction" — a visit on Mon 2 Mar 2026
    # is due Wed 4 Mar; "date completed" typed as 3 Mar does not hide a submission on 12 Mar.
    services = Services.open(
        f"sqlite:///{tmp_path / 'late.db'}",
        clock=lambda: dt.datetime(2026, 3, 12, 15, 0, tzinfo=LONDON),
    )
    try:
        record = home_visit(visit_date=dt.date(2026, 3, 2), date_completed=dt.date(2026, 3, 3))
        with pytest.raises(ValidationFailedError) as failure:
            services.submit_record(record)
        [late] = [p for p in failure.value.problems if p.field == "lateness_reason"]
        assert "Wednesday 4 March 2026" in late.message and late.message.endswith("(000)")
        record.lateness_reason = "I was off sick from 3 to 11 March."
        stored = services.submit_record(record)
    finally:
        services.close()
    assert stored.date_completed == dt.date(2026, 3, 12)  # the submission, not what was typed
    assert stored.due_date == dt.date(2026, 3, 4)
    assert stored.working_days_late == 6
    assert stored.date_sent is None  # set when a message really goes
    text = _pdf_text(stored)
    assert "6 working days" in text and "Due by" in text


# ---- 004 §9.4.2: unborn children --------------------------------------------------------------


def test_004_an_unborn_child_is_recorded_printed_and_imported(tmp_path: Path) -> None:
    # 004 §9.4.2: "At every initial or pre-birth conference, where a child protection plan is put
    # into place, ..." — a plan can be for a child not yet born.
    unborn = ChildObservation(
        child=Child(
            name="Unborn baby of Nguyễn Thị Lan", unborn=True, expected_date=dt.date(2026, 6, 1)
        )
    )
    record = home_visit(children=[unborn], family_name="Nguyễn")
    assert check(record) == []  # no date of birth, nothing about being seen
    without_date = home_visit(
        children=[dataclasses.replace(unborn, child=Child(name="X", unborn=True))]
    )
    assert [p.field for p in check(without_date)] == ["children[0].child.expected_date"]

    services = Services.open(
        f"sqlite:///{tmp_path / 'unborn.db'}",
        clock=lambda: dt.datetime(2026, 3, 11, 12, 0, tzinfo=LONDON),
    )
    try:
        stored = services.submit_record(record)
        assert stored.children[0].child.unborn is True
        assert stored.children[0].child.expected_date == dt.date(2026, 6, 1)
        pdf = build_monitoring_pdf(stored, generated_at=NOW)
        assert "Unborn (expected 1 June 2026)" in _text(pdf)
        imported = read_record_from_pdf(pdf)
        assert imported.children[0].child.unborn is True
        family = services.get_family(stored.family_id or "")
        assert family.children[0].unborn and family.children[0].expected_date
    finally:
        services.close()


def test_a_version_1_record_reads_with_the_new_answers_empty() -> None:
    data = record_to_dict(home_visit())
    data["schema_version"] = 1
    for name in ("new_incidents", "risks_worsened", "parents_copy_note", "due_date"):
        del data["record"][name]
    for observation in data["record"]["children"]:
        del observation["child"]["unborn"], observation["child"]["expected_date"]
    record = record_from_dict(data)
    assert record.new_incidents is None and record.children[0].child.unborn is False


# ---- 002 §6 and 004 §9.4.10: what a home visit record holds ------------------------------------


@pytest.mark.parametrize("field", ["observations", "home_conditions", "family_circumstances"])
def test_002_a_home_visit_cannot_leave_its_contents_empty(field: str) -> None:
    # 002 §6: "The record needs to indicate: ... Any information gained or observations made
    # during the visit relevant to the identified risks to the child ...; Circumstances of all
    # family members ...; Specific information about key subjects such as sleeping arrangements".
    [problem] = check(home_visit(**{field: ""}))
    assert (problem.field, problem.severity) == (field, Severity.ERROR)
    assert "say briefly why" in problem.message
    reason = "Not seen: the visit was cut short when the mother's partner arrived."
    assert check(home_visit(**{field: reason})) == []
    assert check(home_visit(setting=Setting.SCHOOL, **{field: ""})) == []


def test_002_a_home_visit_confirms_the_child_was_spoken_with_or_says_why_not() -> None:
    # 002 §6: "confirming the Lead Social Worker spoke with the child".
    [problem] = check(home_visit(children=[amira(spoken_with=None)]))
    assert problem.field == "children[0].spoken_with" and problem.severity is Severity.ERROR
    [why] = check(home_visit(children=[amira(spoken_with=False)]))
    assert why.field == "children[0].not_spoken_with_reason"


def test_002_a_child_seen_with_no_presentation_or_wishes_is_warned_about() -> None:
    # 002 §6: "Factual reports of the child's presentation and behaviour, including the child's
    # wishes and feelings" — required on a home visit, a warning elsewhere.
    empty = amira(presentation="", wishes_and_feelings="")
    school = check(home_visit(setting=Setting.SCHOOL, children=[empty]))
    assert {(p.field, p.severity) for p in school} == {
        ("children[0].presentation", Severity.WARNING),
        ("children[0].wishes_and_feelings", Severity.WARNING),
    }
    assert {p.severity for p in check(home_visit(children=[empty]))} == {Severity.ERROR}


def test_010_a_child_not_seen_is_asked_nothing_about_being_seen() -> None:
    not_seen = ChildObservation(
        child=Child(name="Ahmed Hassan", date_of_birth=dt.date(2015, 1, 9)),
        seen=False,
        not_seen_reason="At his father's house.",
    )
    assert check(home_visit(children=[not_seen])) == []


# ---- 002 §2 and 004 §9.4.6: seen alone by age, and the parent's agreement ----------------------


def test_002_a_two_year_old_not_seen_alone_needs_no_reason() -> None:
    # 002 §2: "all children aged 4 above should be seen alone regularly and younger children may
    # be seen alone (with parent's agreement)".
    toddler = amira(
        child=Child(name="Bảo Trần", date_of_birth=dt.date(2024, 2, 1)), seen_alone=False
    )
    assert check(home_visit(children=[toddler])) == []


def test_004_a_parents_refusal_prompts_telling_the_manager() -> None:
    # 004 §9.4.6: "(if parents refuse, the LA children's social care manager must be informed)".
    refused = amira(
        seen_alone=False, not_seen_alone_reason="Mother refused.", parent_agreed_alone=False
    )
    [problem] = check(home_visit(children=[refused]))
    assert problem.field == "children[0].parent_agreed_alone"
    assert problem.severity is Severity.WARNING and "manager" in problem.message
    assert problem.message.endswith("(004 §9.4.6)")


# ---- 000: how it travels, and who gets a copy --------------------------------------------------


def test_000_fax_cannot_be_used_for_a_new_record_only_for_imported_old_ones() -> None:
    # 000: "The report can be sent by email or fax." Fax is kept so old records import.
    [problem] = check(home_visit(send_method=SendMethod.FAX))
    assert problem.field == "send_method" and problem.severity is Severity.ERROR
    imported = home_visit(send_method=SendMethod.FAX, state=RecordState.SUBMITTED)
    assert check(imported) == []


def test_000_a_copy_to_parents_needs_an_address_or_a_note() -> None:
    # 000: "forward a copy to the key worker and the parents/carers".
    record = home_visit(copy_to_parents=True, no_copy_reason="")
    [problem] = check(record, parent_emails=[])
    assert problem.field == "parents_copy_note" and problem.severity is Severity.ERROR
    assert check(record, parent_emails=["amina.hassan@example.org"]) == []
    record.parents_copy_note = "By hand at the next visit."
    assert check(record, parent_emails=[" "]) == []


def test_000_submitting_with_no_parent_address_is_refused(services: Services) -> None:
    family = services.save_family(
        Family(name="Hassan", parents_carers=[ParentCarer(name="Amina Hassan")])
    )
    record = home_visit(
        copy_to_parents=True,
        no_copy_reason="",
        family_id=family.id,
        visit_date=dt.date(2026, 3, 3),
    )
    problems = services.validate(record)
    assert [p.field for p in problems if p.severity is Severity.ERROR] == ["parents_copy_note"]


# ---- prompts that name their source ------------------------------------------------------------


def test_002_risks_worsened_greatly_prompt_a_manager() -> None:
    # 002 §6: "If the view about the risks has worsened greatly this should be discussed with a
    # manager as soon as possible".
    [problem] = check(home_visit(risks_worsened=True))
    assert problem.severity is Severity.WARNING and problem.message.endswith("(002 §6)")


def test_004_opinion_is_told_apart_from_fact() -> None:
    # 004 §9.4.10: "(distinguishing between fact and opinion)".
    [problem] = check(home_visit(observations="Mother seems to be drinking again."))
    assert problem.field == "observations" and problem.message.endswith("(004 §9.4.10)")
    said = "In my opinion mother seems to be drinking again: two empty bottles by the bin."
    assert check(home_visit(observations=said)) == []


def test_the_table_of_checks_in_the_docs_is_up_to_date() -> None:
    path = Path(__file__).resolve().parents[1] / "docs" / "CHECKS.md"
    assert path.read_text(encoding="utf-8") == checks_table(), (
        "Run: uv run python -m coreform.checks > docs/CHECKS.md"
    )


def _text(pdf: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text().split()) for page in pages)


def _pdf_text(record: MonitoringRecord) -> str:
    return _text(build_monitoring_pdf(record, generated_at=NOW))
