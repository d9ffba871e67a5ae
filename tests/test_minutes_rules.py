"""Core group minutes: carry forward, append-only goals and actions, and the checks of issue 14,
each citing the seed sentence it follows."""

from __future__ import annotations

import datetime as dt

import pytest

from coreform.errors import AppendOnlyError
from coreform.minutes import (
    INITIAL_CONFERENCE,
    Attendee,
    AttendeeKind,
    ChildMinutes,
    CoreGroupMinutes,
    NextStep,
    SafetyGoal,
    ScaleRow,
    Scaling,
    ScalingPoint,
    with_received,
)
from coreform.minutes_carry import (
    MeetingChild,
    carry_forward,
    mark_agreed,
    refuse_removals,
    remove_next_step,
    remove_safety_goal,
)
from coreform.minutes_checks import check_minutes
from coreform.plans import PlanMember
from coreform.validation import Problem, Severity
from coreform.workdays import WorkingCalendar

D = dt.date.fromisoformat
ENGLAND = WorkingCalendar("ENG")
WORKER = "Agnieszka Kowalczyk"
PRO, PARENT = AttendeeKind.PROFESSIONAL, AttendeeKind.PARENT_CARER


def _first() -> CoreGroupMinutes:
    """A complete first meeting of the Hussain family (Bengali and Urdu names)."""
    minutes = carry_forward(
        None,
        family_id="f1",
        family_name="Hussain",
        children=[MeetingChild("c1", "Tahmina Hussain"), MeetingChild("c2", "Imran Hussain")],
        members=[
            PlanMember(name=WORKER, role="Social worker", agency="Children's services"),
            PlanMember(name="Trần Văn Minh", role="School nurse", agency="Health"),
            PlanMember(name="Shabana Hussain", role="Mother"),
        ],
        worker_name=WORKER,
        worker_email="a.kowalczyk@example.org",
        initial_conference=D("2026-11-16"),
        today=D("2026-11-27"),
    )
    minutes.actual_date = minutes.planned_date = D("2026-11-27")
    minutes.venue = "Ipswich Children's Centre"
    minutes.family_says = "Shabana says mornings are calmer."
    minutes.progress_summary = "Good start."
    minutes.next_date, minutes.next_venue = D("2027-01-08"), "Ipswich Children's Centre"
    for attendee in minutes.attendees:
        attendee.attended = True
        attendee.chair = attendee.name == WORKER
    minutes.attendees[2].kind = PARENT
    for child in minutes.children:
        child.child_says = "Likes school."
        child.advocate_understood = True
        child.scaling.child = ScaleRow(initial_conference=3, this_meeting=4)
    goal = SafetyGoal(goal="Tahmina and Imran get to school on time every day", worry="Neglect")
    minutes.safety_goals = [goal]
    minutes.next_steps = [
        NextStep(
            action="Walking bus place",
            who="Trần Văn Minh",
            by_when=D("2026-12-11"),
            goal_id=goal.id,
        )
    ]
    return minutes


def _problems(minutes: CoreGroupMinutes, previous: CoreGroupMinutes | None = None) -> list[Problem]:
    return check_minutes(minutes, calendar=ENGLAND, today=D("2026-12-01"), previous=previous)


def _with(problems: list[Problem], source: str) -> list[Problem]:
    return [problem for problem in problems if problem.message.endswith(f"({source})")]


def test_a_complete_first_meeting_has_no_problems() -> None:
    minutes = _first()
    assert [a.kind for a in minutes.attendees] == [PRO, PRO, PARENT]
    assert _problems(minutes) == []


def test_a_second_meeting_starts_from_the_first() -> None:
    first = _first()
    mark_agreed(first, D("2026-11-27"))
    second = carry_forward(
        first,
        family_id="f1",
        family_name="Hussain",
        children=[MeetingChild("c1", "Tahmina Hussain"), MeetingChild("c2", "Imran Hussain")],
        members=[PlanMember(name="Zofia Nowak", role="Health visitor", agency="Health")],
        worker_name=WORKER,
        worker_email="",
        initial_conference=D("2026-11-16"),
        today=D("2027-01-08"),
    )
    assert second.sequence == 2
    assert [a.name for a in second.attendees] == [
        WORKER,
        "Trần Văn Minh",
        "Shabana Hussain",
        "Zofia Nowak",
    ]
    assert all(a.attended is None and a.chair is None for a in second.attendees)
    assert (second.planned_date, second.venue) == (D("2027-01-08"), "Ipswich Children's Centre")
    assert [g.id for g in second.safety_goals] == [g.id for g in first.safety_goals]
    assert second.safety_goals[0].agreed_on == D("2026-11-27")
    assert second.next_steps[0].who == "Trần Văn Minh"
    # "The last meeting" is the first meeting's "this meeting"; the initial conference stays.
    assert second.children[0].scaling.child == ScaleRow(3, 4, None)
    assert second.children[0].scaling.parents == ScaleRow()


def test_an_agreed_goal_or_action_cannot_be_deleted_but_a_new_one_can() -> None:
    # 001 §3.4: "it may not remove any agreed action or safety goal".
    minutes = _first()
    mark_agreed(minutes, D("2026-11-27"))
    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        remove_safety_goal(minutes, minutes.safety_goals[0].id)
    with pytest.raises(AppendOnlyError, match="mark it achieved"):
        remove_next_step(minutes, minutes.next_steps[0].id)
    fresh = NextStep(action="Book GP check", who="Shabana Hussain", by_when=D("2027-01-15"))
    minutes.next_steps.append(fresh)
    remove_next_step(minutes, fresh.id)
    assert len(minutes.next_steps) == 1 and len(minutes.safety_goals) == 1
    dropped = CoreGroupMinutes(safety_goals=[], next_steps=list(minutes.next_steps))
    with pytest.raises(AppendOnlyError):
        refuse_removals(minutes, dropped)
    problems = _with(_problems(dropped, previous=minutes), "001 §2.3, §3.4")
    assert problems and problems[0].severity is Severity.ERROR


def test_a_changed_goal_needs_the_conferences_reason() -> None:
    # 001 §7.3: safety goals "can only be changed by the conference".
    first = _first()
    mark_agreed(first, D("2026-11-27"))
    second = _first()
    second.safety_goals = [SafetyGoal(**{**vars(first.safety_goals[0]), "goal": "On time"})]
    second.next_steps = list(first.next_steps)
    problems = _with(_problems(second, previous=first), "001 §3.4, §7.3")
    assert [p.field for p in problems] == ["safety_goals[0].change_reason"]
    second.safety_goals[0].change_reason = "Review conference of 5 January 2027 changed it"
    assert not _with(_problems(second, previous=first), "001 §3.4, §7.3")


@pytest.mark.parametrize(
    "text", ["ASAP", "asap", "As soon as possible", "ongoing", "On-going support", "when possible"]
)
def test_a_vague_timescale_is_an_error(text: str) -> None:
    # 003 §3: "It would never be acceptable to use the term 'as soon as possible' or 'ongoing'".
    minutes = _first()
    minutes.next_steps[0].action = f"Mother to register with the GP {text}"
    problems = _with(_problems(minutes), "003 §3")
    assert [(p.field, p.severity) for p in problems] == [("next_steps[0].action", Severity.ERROR)]
    assert "is not a timescale" in problems[0].message


def test_each_next_step_names_who_and_a_date() -> None:
    minutes = _first()
    minutes.next_steps[0].who = " "
    minutes.next_steps[0].by_when = None
    errors = {p.field for p in _problems(minutes) if p.severity is Severity.ERROR}
    assert {"next_steps[0].who", "next_steps[0].by_when"} <= errors


def test_an_inquorate_meeting_is_flagged() -> None:
    # 001 §4.7: quorate "if at least two professional members attend".
    minutes = _first()
    minutes.attendees[1].attended = False
    minutes.attendees[1].written_report = True
    problems = _with(_problems(minutes), "001 §4.7")
    assert [(p.field, p.severity) for p in problems] == [("attendees", Severity.WARNING)]
    assert problems[0].message.startswith("Not quorate: 1 professional member attended")


def test_an_absent_professional_without_a_written_report_is_flagged() -> None:
    # 001 §4.6: "must provide a written report in advance".
    minutes = _first()
    minutes.attendees.append(Attendee(name="Nguyễn Thị Hoa", kind=PRO, attended=False))
    problems = _with(_problems(minutes), "001 §4.6")
    assert [p.field for p in problems] == ["attendees[3].written_report"]
    minutes.attendees[3].written_report = True
    assert not _with(_problems(minutes), "001 §4.6")


def test_exactly_one_chair_and_another_chair_updates_the_key_worker_in_3_working_days() -> None:
    # 001 §4.2.
    minutes = _first()
    minutes.attendees[0].chair = None
    assert "No one is marked as chair" in _with(_problems(minutes), "001 §4.2")[0].message
    minutes.attendees[1].chair = True  # the school nurse chairs
    problems = _with(_problems(minutes), "001 §4.2")
    assert [p.field for p in problems] == ["key_worker_updated_on"]
    assert "by Wednesday 2 December 2026" in problems[0].message  # Fri 27 Nov + 3 working days
    minutes.key_worker_updated_on = D("2026-12-03")
    assert "after Wednesday 2 December 2026" in _with(_problems(minutes), "001 §4.2")[0].message
    minutes.key_worker_updated_on = D("2026-12-01")
    assert not _with(_problems(minutes), "001 §4.2")


def test_dissent_noted_is_recorded() -> None:
    # 001 §2.5, §7.3: dissent "must be recorded on the plan".
    minutes = _first()
    minutes.dissent_noted = True
    assert [p.field for p in _with(_problems(minutes), "001 §7.3")] == ["dissent"]
    minutes.dissent = "Father disagrees with the school attendance goal."
    assert not _with(_problems(minutes), "001 §7.3")


def test_a_meeting_planned_after_its_due_date_is_flagged_with_the_rule() -> None:
    minutes = _first()
    minutes.due_date = D("2026-11-30")
    minutes.due_rule = "First core group: within 10 working days of the initial conference"
    minutes.planned_date = D("2026-12-01")
    problems = _with(_problems(minutes), "001 §2.1, §3.1, §3.6")
    assert [p.field for p in problems] == ["planned_date"]
    assert "within 10 working days" in problems[0].message


def test_recommendations_are_asked_only_before_the_review_and_scaling_is_0_to_10() -> None:
    minutes = _first()
    assert not _with(_problems(minutes), "001 §4.4")
    minutes.last_before_review = True
    assert [p.field for p in _with(_problems(minutes), "001 §4.4")] == ["recommendations"]
    minutes.children[1].scaling = Scaling(parents=ScaleRow(this_meeting=11))
    problems = _with(_problems(minutes), "001 template")
    assert [p.field for p in problems] == ["children[1].scaling.parents.this_meeting"]


def test_a_meeting_in_the_future_cannot_have_been_held() -> None:
    minutes = _first()
    minutes.actual_date = D("2026-12-02")
    assert [p.field for p in _with(_problems(minutes), "001 §3.5")] == ["actual_date"]
    assert isinstance(minutes.children[0], ChildMinutes)


def test_a_huge_paste_and_odd_unicode_are_reported_not_raised() -> None:
    minutes = _first()
    minutes.family_says = "Ｗｈａｔ\u200b" * 200_000  # a 1 MB paste with zero-width spaces
    minutes.children[0].child_says = "\u200b\u00a0 "  # nothing visible typed
    problems = _problems(minutes)
    long = [p for p in problems if p.field == "family_says"]
    assert long and long[0].severity is Severity.ERROR and "shorten it" in long[0].message
    assert any(p.field == "children[0].child_says" for p in problems)


def test_a_step_past_its_date_is_followed_up() -> None:
    # 001 §3.2: "monitor the timescales set, to avoid drift or delay".
    minutes = _first()
    minutes.next_steps[0].by_when = D("2026-11-20")
    problems = _with(_problems(minutes), "001 §3.2")
    assert [p.field for p in problems] == ["next_steps[0].achieved"]
    assert "was due by Friday 20 November 2026" in problems[0].message
    minutes.next_steps[0].achieved = True
    assert not _with(_problems(minutes), "001 §3.2")


def test_received_scaling_joins_the_childs_own_once_per_meeting() -> None:
    first, second, third = dt.date(2026, 3, 2), dt.date(2026, 4, 1), dt.date(2026, 5, 4)
    own = [
        ScalingPoint(dt.date(2026, 2, 16), INITIAL_CONFERENCE, 3, 4, 2),
        ScalingPoint(second, "Core group 2", 5, 5, 5),
    ]
    received = [
        ScalingPoint(dt.date(2026, 2, 16), INITIAL_CONFERENCE, 9, 9, 9),
        ScalingPoint(first, "Core group 1", 6, 7, 5),
        ScalingPoint(second, "Core group 2", 9, 9, 9),  # the same meeting: the own stands
        ScalingPoint(third, "Core group 3", 7, 7, 6),
    ]
    merged = with_received(own, received)
    assert [(p.label, p.child) for p in merged] == [
        (INITIAL_CONFERENCE, 3),
        ("Core group 1 (received)", 6),
        ("Core group 2", 5),
        ("Core group 3 (received)", 7),
    ]
    assert with_received([], received[:2])[0].label == "Initial conference (received)"
