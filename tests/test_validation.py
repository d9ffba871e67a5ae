"""Validation: one test per rule, each naming the seed document it checks (000…004)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from coreform.deadlines import COMPLETION_WORKING_DAYS, DeadlineState, deadline, due_date
from coreform.records import (
    LONDON,
    Child,
    ChildObservation,
    KeyWorker,
    MonitoringRecord,
    Practitioner,
    Setting,
)
from coreform.validation import MAX_TEXT_CHARS, Problem, Severity, validate_record
from coreform.workdays import Nation, WorkingCalendar

ENGLAND = WorkingCalendar(Nation.ENG)
TODAY = dt.date(2026, 3, 11)  # a Wednesday
NOW = dt.datetime(2026, 3, 11, 12, 0, tzinfo=LONDON)
VISIT = dt.date(2026, 3, 10)


def complete_record(**changes: Any) -> MonitoringRecord:
    """A record with nothing missing: a school visit yesterday, completed and sent the same day."""
    record = MonitoringRecord(
        family_name="Hassan",
        children=[
            ChildObservation(
                child=Child(name="Amira", date_of_birth=dt.date(2018, 5, 4)),
                seen=True,
                spoken_with=True,
                seen_alone=True,
                presentation="Smiled, chatted about her drawing, clean uniform.",
                wishes_and_feelings="“I like painting best,” she said.",
            )
        ],
        key_worker=KeyWorker(name="Sam Okafor", email="sam.okafor@example.gov.uk"),
        completed_by=Practitioner(name="Jo Reed", role="Class teacher", agency="Oak Primary"),
        visit_date=VISIT,
        visit_time=dt.time(9, 30),
        setting=Setting.SCHOOL,
        purpose="Weekly check-in agreed in the plan",
        immediate_concerns=False,
        parents_informed=True,
        copy_to_parents=True,
        date_completed=VISIT,
        date_sent=VISIT,
    )
    return dataclasses.replace(record, **changes)


def home_record(**changes: Any) -> MonitoringRecord:
    """A complete home visit: everything 002 §6 and 004 §9.4.10 ask a home visit record for."""
    return complete_record(
        **{
            "setting": Setting.HOME,
            "others_present": "Mother only.",
            "observations": "Fridge stocked; mother calm and attentive.",
            "home_conditions": "Warm and tidy; Amira has her own bed with clean sheets.",
            "family_circumstances": "Mother has started a college course.",
            "new_incidents": False,
            "children": [child(bedroom_seen=True)],
            **changes,
        }
    )


def child(**changes: Any) -> ChildObservation:
    return dataclasses.replace(complete_record().children[0], **changes)


def baby(**changes: Any) -> ChildObservation:
    base = ChildObservation(
        child=Child(name="Noor", date_of_birth=dt.date(2025, 6, 1)),
        seen=True,
        seen_awake=True,
        presentation="Awake, babbling, held her head up.",
        wishes_and_feelings="Too young to say; settled on her mother's lap.",
    )
    return dataclasses.replace(base, **changes)


def check(record: MonitoringRecord, today: dt.date = TODAY) -> list[Problem]:
    return validate_record(record, calendar=ENGLAND, today=today, now=NOW)


def at(problems: list[Problem], field: str) -> list[Problem]:
    return [problem for problem in problems if problem.field == field]


def only(problems: list[Problem], field: str, severity: Severity = Severity.ERROR) -> Problem:
    found = at(problems, field)
    assert len(found) == 1, problems
    assert found[0].severity is severity
    return found[0]


def test_complete_record_has_no_problems() -> None:
    assert check(complete_record()) == []


# ---- required fields (000) ----------------------------------------------------------------


def test_000_at_least_one_child_is_required() -> None:
    assert only(check(complete_record(children=[])), "children").message == (
        "Add at least one child."
    )


def test_000_each_child_needs_a_name_and_date_of_birth() -> None:
    nameless = child(child=Child(name="  ", date_of_birth=None))
    problems = check(complete_record(children=[child(), nameless]))
    assert only(problems, "children[1].child.name").message == "Enter child 2's name. (000)"
    assert only(problems, "children[1].child.date_of_birth").message == (
        "Enter child 2's date of birth. (000)"
    )
    assert at(problems, "children[0].child.name") == []


def test_000_key_worker_name_and_email_are_required() -> None:
    problems = check(complete_record(key_worker=KeyWorker()))
    only(problems, "key_worker.name")
    assert "email address" in only(problems, "key_worker.email").message


@pytest.mark.parametrize(
    "email", ["sam", "sam@", "@example.org", "sam@example", "sam okafor@example.org", "a@b@c.uk"]
)
def test_000_key_worker_email_must_look_like_an_address(email: str) -> None:
    record = complete_record(key_worker=KeyWorker(name="Sam", email=email))
    assert "does not look right" in only(check(record), "key_worker.email").message


@pytest.mark.parametrize("email", ["sam@example.gov.uk", " s.o+cp@council.example.org "])
def test_000_key_worker_email_accepts_ordinary_addresses(email: str) -> None:
    assert check(complete_record(key_worker=KeyWorker(name="Sam", email=email))) == []


def test_000_completed_by_needs_name_role_and_agency() -> None:
    problems = check(complete_record(completed_by=Practitioner(email="jo@example.org")))
    for part in ("name", "role", "agency"):
        only(problems, f"completed_by.{part}")


def test_000_visit_date_is_required() -> None:
    record = complete_record(visit_date=None, visit_time=None)
    message = only(check(record), "visit_date").message
    assert message == "Enter the date of the visit or interaction. (000)"


def test_000_setting_is_required() -> None:
    only(check(complete_record(setting=None)), "setting")


def test_000_other_setting_needs_its_text() -> None:
    only(check(complete_record(setting=Setting.OTHER)), "setting_other")
    assert check(complete_record(setting=Setting.OTHER, setting_other="Library")) == []


def test_000_purpose_is_required() -> None:
    only(check(complete_record(purpose="\u200b ")), "purpose")


def test_000_each_child_seen_yes_or_no_is_required() -> None:
    problems = check(complete_record(children=[child(seen=None)]))
    assert only(problems, "children[0].seen").message == "Say whether Amira was seen. (002 §2)"


@pytest.mark.parametrize("field", ["immediate_concerns", "parents_informed", "copy_to_parents"])
def test_000_yes_no_answers_are_required(field: str) -> None:
    only(check(complete_record(**{field: None})), field)


# ---- conditional requirements -------------------------------------------------------------


def test_000_reason_required_when_child_not_seen() -> None:
    problems = check(complete_record(children=[child(seen=False, seen_alone=None)]))
    assert (
        only(problems, "children[0].not_seen_reason").message
        == "Say why Amira was not seen. (002 §2)"
    )
    reason = child(seen=False, seen_alone=None, not_seen_reason="Off sick")
    assert check(complete_record(children=[reason])) == []


def test_002_reason_when_a_child_of_four_or_more_is_not_seen_alone() -> None:
    # 002 §6: "whether the child was seen alone or providing a clear reason why not" — required
    # on a home visit, advised elsewhere.
    problems = check(complete_record(children=[child(seen_alone=False)]))
    assert only(problems, "children[0].not_seen_alone_reason", Severity.WARNING).message == (
        "Say why Amira was not seen alone. (002 §6)"
    )
    home = check(home_record(children=[child(seen_alone=False, bedroom_seen=True)]))
    only(home, "children[0].not_seen_alone_reason", Severity.ERROR)
    reason = child(seen_alone=False, not_seen_alone_reason="Parent did not agree")
    assert check(complete_record(children=[reason])) == []


def test_000_seen_alone_unanswered_is_a_warning() -> None:
    problems = check(complete_record(children=[child(seen_alone=None)]))
    only(problems, "children[0].seen_alone", Severity.WARNING)


def test_002_baby_is_asked_seen_awake_instead_of_seen_alone() -> None:
    problems = check(complete_record(children=[baby(seen_awake=None)]))
    assert only(problems, "children[0].seen_awake", Severity.WARNING).message == (
        "Say whether Noor was seen awake. (002 §2)"
    )
    assert at(problems, "children[0].seen_alone") == []
    assert check(complete_record(children=[baby()])) == []


def test_002_a_child_of_18_months_is_no_longer_a_baby() -> None:
    eighteen_months = Child(name="Noor", date_of_birth=dt.date(2024, 9, 10))
    problems = check(complete_record(children=[baby(child=eighteen_months, seen_alone=None)]))
    # 002 §2: "younger children may be seen alone": asked, but no answer is needed under 4.
    assert problems == []


def test_002_bedroom_seen_is_asked_only_on_home_visits() -> None:
    home = check(home_record(children=[child(bedroom_seen=None)]))
    assert "bedroom" in only(home, "children[0].bedroom_seen", Severity.WARNING).message
    assert check(home_record(children=[child(bedroom_seen=False)])) == []
    assert at(check(complete_record(setting=Setting.SCHOOL)), "children[0].bedroom_seen") == []


def test_000_immediate_concerns_need_who_when_and_child_protection_procedures() -> None:
    problems = check(complete_record(immediate_concerns=True))
    for field in ("concerns_told_who", "concerns_told_at", "cp_procedures_considered"):
        only(problems, field)
    answered = complete_record(
        immediate_concerns=True,
        concerns_told_who="Sam Okafor, key worker",
        concerns_told_at=dt.datetime(2026, 3, 10, 11, 0, tzinfo=LONDON),
        cp_procedures_considered=True,
    )
    assert check(answered) == []


def test_000_parents_not_informed_needs_a_reason() -> None:
    only(check(complete_record(parents_informed=False)), "parents_not_informed_reason")
    reason = complete_record(parents_informed=False, parents_not_informed_reason="Risk to child")
    assert check(reason) == []


def test_000_no_copy_to_parents_needs_a_reason() -> None:
    only(check(complete_record(copy_to_parents=False)), "no_copy_reason")
    assert check(complete_record(copy_to_parents=False, no_copy_reason="Risk of harm")) == []


# ---- sane dates ---------------------------------------------------------------------------


def test_visit_date_in_the_future_is_an_error() -> None:
    record = complete_record(visit_date=TODAY + dt.timedelta(days=1), date_completed=None)
    record.date_sent = None
    assert "future" in only(check(record), "visit_date").message


def test_visit_today_starting_after_now_is_an_error() -> None:
    later = complete_record(visit_date=TODAY, visit_time=dt.time(15, 0), date_completed=None)
    later.date_sent = None
    only(check(later), "visit_time")
    earlier = dataclasses.replace(later, visit_time=dt.time(8, 0))
    assert check(earlier) == []


def test_visit_before_the_childs_birth_is_an_error() -> None:
    unborn = child(child=Child(name="Amira", date_of_birth=dt.date(2026, 3, 11)))
    problems = check(complete_record(children=[unborn]))
    assert "after the visit" in only(problems, "children[0].child.date_of_birth").message


def test_date_of_birth_in_the_future_is_an_error() -> None:
    future = child(child=Child(name="Amira", date_of_birth=dt.date(2027, 1, 1)))
    problems = check(complete_record(children=[future]))
    assert "future" in only(problems, "children[0].child.date_of_birth").message


@pytest.mark.parametrize("typed", [dt.date(225, 3, 10), dt.date(9999, 12, 31)])
def test_a_year_typed_wrong_is_an_error(typed: dt.date) -> None:
    problems = check(complete_record(visit_date=typed))
    assert "between 1900 and 2100" in only(problems, "visit_date").message


@pytest.mark.parametrize("field", ["date_completed", "date_sent"])
def test_completed_and_sent_not_before_the_visit(field: str) -> None:
    record = complete_record(date_completed=None, date_sent=None)
    setattr(record, field, VISIT - dt.timedelta(days=1))
    assert "before the visit" in only(check(record), field).message


@pytest.mark.parametrize("field", ["date_completed", "date_sent"])
def test_completed_and_sent_not_in_the_future(field: str) -> None:
    record = complete_record(date_completed=None, date_sent=None)
    setattr(record, field, TODAY + dt.timedelta(days=1))
    assert "future" in only(check(record), field).message


def test_sent_before_completed_is_an_error() -> None:
    record = complete_record(date_completed=TODAY, date_sent=VISIT)
    only(check(record), "date_sent")


def test_000_concerns_told_before_the_visit_is_an_error() -> None:
    record = complete_record(
        immediate_concerns=True,
        concerns_told_who="Sam",
        concerns_told_at=dt.datetime(2026, 3, 10, 9, 0, tzinfo=LONDON),
        cp_procedures_considered=False,
    )
    assert "before the visit" in only(check(record), "concerns_told_at").message


def test_000_concerns_told_in_the_future_is_an_error() -> None:
    record = complete_record(
        immediate_concerns=True,
        concerns_told_who="Sam",
        concerns_told_at=dt.datetime(2026, 3, 11, 15, 0),  # no zone: read as London time
        cp_procedures_considered=True,
    )
    assert "future" in only(check(record), "concerns_told_at").message


def test_next_contact_before_the_visit_is_an_error() -> None:
    only(check(complete_record(next_contact=dt.date(2026, 3, 1))), "next_contact")
    assert check(complete_record(next_contact=dt.date(2026, 3, 17))) == []


# ---- the 2-working-day rule (000) ---------------------------------------------------------


def test_000_deadline_is_two_working_days_after_the_visit() -> None:
    assert COMPLETION_WORKING_DAYS == 2
    assert due_date(dt.date(2026, 12, 24), ENGLAND) == dt.date(2026, 12, 30)
    assert due_date(dt.date(2026, 3, 13), ENGLAND) == dt.date(2026, 3, 17)  # Friday
    assert due_date(dt.date(2026, 3, 14), ENGLAND) == dt.date(2026, 3, 17)  # Saturday


def test_000_deadline_state() -> None:
    visit = dt.date(2026, 3, 10)  # due Thursday 12 March

    def state(today: dt.date) -> DeadlineState:
        found = deadline(visit, ENGLAND, today=today)
        assert found is not None and found.due == dt.date(2026, 3, 12)
        return found.state

    assert state(dt.date(2026, 3, 11)) is DeadlineState.IN_TIME
    assert state(dt.date(2026, 3, 12)) is DeadlineState.DUE_TODAY
    assert state(dt.date(2026, 3, 13)) is DeadlineState.LATE
    assert deadline(visit, ENGLAND, today=dt.date(2026, 3, 9)) is None  # a visit still to come


def test_000_completed_late_needs_a_reason() -> None:
    visit = dt.date(2026, 12, 24)
    record = complete_record(
        visit_date=visit, date_completed=dt.date(2026, 12, 31), date_sent=dt.date(2026, 12, 31)
    )
    problem = only(check(record, today=dt.date(2027, 1, 4)), "lateness_reason")
    assert "Wednesday 30 December 2026" in problem.message
    record.lateness_reason = "School closed for Christmas"
    assert check(record, today=dt.date(2027, 1, 4)) == []


def test_000_completed_on_the_deadline_is_in_time() -> None:
    visit = dt.date(2026, 12, 24)
    deadline = dt.date(2026, 12, 30)
    record = complete_record(visit_date=visit, date_completed=deadline, date_sent=deadline)
    assert check(record, today=dt.date(2027, 1, 4)) == []


def test_000_sent_late_needs_a_reason() -> None:
    record = complete_record(date_completed=VISIT, date_sent=dt.date(2026, 3, 13))
    only(check(record, today=dt.date(2026, 3, 16)), "lateness_reason")


def test_000_unfinished_record_is_late_once_today_passes_the_deadline() -> None:
    record = complete_record(date_completed=None, date_sent=None)
    assert check(record, today=dt.date(2026, 3, 12)) == []  # due today
    only(check(record, today=dt.date(2026, 3, 13)), "lateness_reason")


# ---- what the record says ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("She seemed disturbed.", "disturbed"),
        ("UNKEMPT hair", "unkempt"),
        ("was Acting  Out in class", "acting out"),
        ("Unhappy!", "unhappy"),
    ],
)
def test_004_vague_labels_in_presentation_are_a_warning(text: str, label: str) -> None:
    problems = check(complete_record(children=[child(presentation=text)]))
    message = only(problems, "children[0].presentation", Severity.WARNING).message
    assert f"“{label}”" in message
    assert "what Amira did, said and looked like" in message


@pytest.mark.parametrize("text", ["undisturbed sleep", "unhappyish", "acting outside", ""])
def test_004_only_whole_word_labels_are_flagged(text: str) -> None:
    problems = check(complete_record(children=[child(presentation=text or "Calm.")]))
    assert problems == []


def test_002_new_incidents_or_injuries_need_child_protection_enquiries() -> None:
    # 002 §6: "Any new incidents or injuries which must be subject to full Child Protection
    # Enquiries." A yes asks about immediate concerns; details typed as "None" do not.
    assert check(complete_record(new_incidents=False, incidents_injuries="None")) == []
    record = complete_record(new_incidents=True, incidents_injuries="")
    only(check(record), "incidents_injuries", Severity.ERROR)
    record.incidents_injuries = "Bruise on left cheek"
    assert "(002 §6)" in only(check(record), "new_incidents", Severity.WARNING).message
    record.immediate_concerns = True
    record.concerns_told_who = "Sam"
    record.concerns_told_at = dt.datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)
    record.cp_procedures_considered = True
    assert check(record) == []


# ---- free text and odd values -------------------------------------------------------------


def test_text_longer_than_the_limit_is_an_error() -> None:
    record = complete_record(observations="x" * (MAX_TEXT_CHARS + 1))
    assert "too long" in only(check(record), "observations").message
    assert check(complete_record(observations="x" * MAX_TEXT_CHARS)) == []


@pytest.mark.timeout(60)  # a guard against hanging, not a benchmark (timings go to bench/)
def test_a_one_megabyte_paste_is_reported_quickly() -> None:
    paste = "disturbed \u0301\u202e😀 " * 80_000
    record = complete_record(
        purpose=paste, children=[child(presentation=paste, child=Child(name=paste))]
    )
    problems = check(record)
    only(problems, "purpose")
    assert any(p.field == "children[0].presentation" and "too long" in p.message for p in problems)
    assert all(len(p.message) < 500 for p in problems)


def test_nul_character_is_an_error() -> None:
    problems = check(complete_record(purpose="Check-in\x00"))
    assert "hidden character" in only(problems, "purpose").message


def test_odd_unicode_names_appear_in_messages_on_one_line() -> None:
    name = "Zoë\u0301 \u05e9\u05e8\u05d4\n👩‍👧"
    problems = check(complete_record(children=[child(child=Child(name=name), seen=None)]))
    message = only(problems, "children[0].seen").message
    assert "\n" not in message
    assert "Zoë\u0301 \u05e9\u05e8\u05d4 👩‍👧" in message


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"visit_date": "2026-03-10"}, "visit_date"),
        ({"visit_time": "09:30"}, "visit_time"),
        ({"setting": "garden"}, "setting"),
        ({"purpose": 42}, "purpose"),
        ({"immediate_concerns": "no"}, "immediate_concerns"),
        ({"children": "Amira"}, "children"),
        ({"key_worker": None}, "key_worker.name"),
        ({"concerns_told_at": dt.date(2026, 3, 10)}, "concerns_told_at"),
    ],
)
def test_wrong_types_are_problems_not_exceptions(changes: dict[str, Any], field: str) -> None:
    problems = check(complete_record(**changes))
    assert at(problems, field)
    assert all(p.severity is Severity.ERROR for p in at(problems, field))


# ---- any values at all: problems, never an exception --------------------------------------

_ODD_TEXT = st.sampled_from(
    [
        "",
        " \u200b\u200d ",
        "a\u0301\u0302\u0303" * 50,
        "\u202e\u05e9\u05dc\u05d5\u05dd\u202c",
        "😀👩‍👧‍👦🏳️‍🌈",
        "\x00\x01\x1b[31m",
        "x" * 1_000_000,
        "disturbed " * 3_000,
    ]
)
TEXT = st.one_of(st.text(), _ODD_TEXT)
WILD = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    TEXT,
    st.binary(max_size=20),
    st.dates(),
    st.datetimes(),
    st.times(),
    st.lists(st.integers(), max_size=3),
    st.sampled_from([*Setting, object(), Ellipsis]),
)
MOMENTS = st.datetimes(
    min_value=dt.datetime(1890, 1, 1), max_value=dt.datetime(2100, 1, 1), timezones=st.timezones()
)


def _typed(kind: str) -> st.SearchStrategy[Any]:
    """Values of the field's declared type, near enough to reach the deeper rules."""
    base = kind.removesuffix(" | None")
    strategies: dict[str, st.SearchStrategy[Any]] = {
        "str": TEXT,
        "bool": st.booleans(),
        "dt.date": st.dates(),
        "dt.time": st.times(timezones=st.none() | st.timezones()),
        "dt.datetime": MOMENTS,
        "Setting": st.sampled_from(Setting),
        "Child": _arbitrary(Child),
        "KeyWorker": _arbitrary(KeyWorker),
        "Practitioner": _arbitrary(Practitioner),
        "list[ChildObservation]": st.lists(_arbitrary(ChildObservation), max_size=3),
    }
    typed = strategies.get(base, WILD)
    return st.none() | typed if kind.endswith(" | None") else typed


def _arbitrary(cls: type) -> st.SearchStrategy[Any]:
    """An instance of the dataclass with each field either of its type or of any type at all."""
    return st.builds(
        cls,
        **{field.name: st.one_of(_deferred(field), WILD) for field in dataclasses.fields(cls)},
    )


def _deferred(field: dataclasses.Field[Any]) -> st.SearchStrategy[Any]:
    """Built when first drawn: the dataclasses refer to each other."""
    return st.deferred(lambda: _typed(str(field.type)))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    record=_arbitrary(MonitoringRecord),
    nation=st.sampled_from(Nation),
    today=st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2100, 1, 1)),
    now=st.none() | MOMENTS,
)
def test_any_values_give_problems_never_an_exception(
    record: MonitoringRecord, nation: Nation, today: dt.date, now: dt.datetime | None
) -> None:
    problems = validate_record(record, calendar=WorkingCalendar(nation), today=today, now=now)
    assert isinstance(problems, list)
    for problem in problems:
        assert isinstance(problem, Problem)
        assert isinstance(problem.severity, Severity)
        assert problem.message and len(problem.message) < 500


@settings(max_examples=200, deadline=None)
@given(
    changes=st.fixed_dictionaries(
        {},
        optional={field.name: WILD for field in dataclasses.fields(MonitoringRecord)},
    )
)
def test_one_wild_field_in_a_complete_record_never_raises(changes: dict[str, Any]) -> None:
    problems = check(complete_record(**changes))
    assert all(isinstance(problem, Problem) for problem in problems)
