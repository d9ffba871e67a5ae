"""Issue 14, acceptance 2: when a core group is due under each profile (the first across a bank
holiday, the cadence, Suffolk's last before the review) and by when its minutes go out.

Calendar: Christmas 2026 is Fri 25 Dec with Boxing Day's substitute Mon 28 Dec; New Year's Day
Fri 1 Jan 2027; St Andrew's Day Mon 30 Nov 2026 is a Scottish bank holiday.
"""

from __future__ import annotations

import datetime as dt

import pytest

from coreform.deadlines import DeadlineState
from coreform.minutes_schedule import meeting_due, minutes_deadline
from coreform.plans import ChildPlan, MinutesHeld
from coreform.policies import Interval, RuleId, load_profile
from coreform.timescales import compute_timescales
from coreform.workdays import WorkingCalendar

D = dt.date.fromisoformat
ENGLAND = WorkingCalendar("ENG")
SUF, BD, LANCS, BEDS = "suffolk", "barking-dagenham", "pan-lancashire", "central-bedfordshire"


def _plan(
    initial: str, *, reviews: tuple[str, ...] = (), next_review: str | None = None
) -> ChildPlan:
    return ChildPlan(
        "c1",
        D(initial),
        reviews=tuple(D(day) for day in reviews),
        next_review=D(next_review) if next_review else None,
    )


@pytest.mark.parametrize("profile", [SUF, BD, LANCS])
def test_the_first_core_group_is_due_10_working_days_after_the_conference_across_christmas(
    profile: str,
) -> None:
    # 001 §2.1, 003 §3, 004 §9.2.4: "within 10 working days" of the initial conference.
    due = meeting_due(_plan("2026-12-14"), None, load_profile(profile), ENGLAND)
    assert due is not None
    assert due.due == D("2026-12-30")  # 25 and 28 December are not working days
    assert due.rule is RuleId.FIRST_CORE_GROUP
    assert due.describe().startswith("First core group: within 10 working days of the initial")
    assert not due.last_before_review


@pytest.mark.parametrize(
    ("profile", "reviews", "expected", "why"),
    [
        (SUF, (), "2026-12-14", "001 §3.1: at least every 6 weeks"),
        (LANCS, (), "2026-11-30", "003 §3: every 20 working days"),
        (BD, (), "2026-12-14", "004 §9.2.4: within six weeks of the first meeting"),
        (BD, ("2026-10-20",), "2027-01-02", "004 §9.2.4: every two months after the first review"),
    ],
)
def test_later_core_groups_follow_the_profiles_cadence(
    profile: str, reviews: tuple[str, ...], expected: str, why: str
) -> None:
    due = meeting_due(
        _plan("2026-09-07", reviews=reviews), D("2026-11-02"), load_profile(profile), ENGLAND
    )
    assert due is not None
    assert (due.due, due.rule) == (D(expected), RuleId.CORE_GROUP), why
    assert due.source in due.describe()


def test_a_profile_without_core_group_rules_sets_no_due_date() -> None:
    assert meeting_due(_plan("2026-09-07"), D("2026-11-02"), load_profile(BEDS), ENGLAND) is None


def test_suffolk_the_last_core_group_is_due_15_working_days_before_the_review() -> None:
    # 001 §3.6: "The final core group before any review child protection conference should take
    # place up to 15 working days beforehand." Six weeks after 1 December is 12 January, but the
    # review on Wed 20 January 2027 needs the meeting by 29 December (New Year and Christmas
    # skipped).
    plan = _plan("2026-10-05", next_review="2027-01-20")
    due = meeting_due(plan, D("2026-12-01"), load_profile(SUF), ENGLAND)
    assert due is not None
    assert (due.due, due.rule, due.last_before_review) == (
        D("2026-12-29"),
        RuleId.LAST_CORE_GROUP_BEFORE_REVIEW,
        True,
    )
    assert due.review == D("2027-01-20")
    assert "up to 15 working days before the review conference (001 §3.6)" in due.describe()
    # Well before the review, the cadence decides and it is not the last one.
    early = meeting_due(plan, D("2026-10-16"), load_profile(SUF), ENGLAND)
    assert early is not None
    assert (early.due, early.rule, early.last_before_review) == (
        D("2026-11-27"),
        RuleId.CORE_GROUP,
        False,
    )
    # Held within those 15 days already: the next one follows the cadence, after the review.
    after = meeting_due(plan, D("2027-01-04"), load_profile(SUF), ENGLAND)
    assert after is not None and after.rule is RuleId.CORE_GROUP


@pytest.mark.parametrize(
    ("profile", "held", "nation", "due", "source"),
    [
        (SUF, "2026-12-07", "ENG", "2026-12-30", "001 §4.3"),  # 15 working days, Christmas
        (BD, "2026-12-18", "ENG", "2026-12-29", "004 §9.3.26"),  # 5 working days, Christmas
        (BD, "2026-11-23", "SCT", "2026-12-01", "004 §9.3.26"),  # St Andrew's Day
    ],
)
def test_the_minutes_deadline_follows_the_profile(
    profile: str, held: str, nation: str, due: str, source: str
) -> None:
    calendar = WorkingCalendar(nation)
    found = minutes_deadline(D(held), load_profile(profile), calendar, today=D(held))
    assert found is not None
    assert found.deadline.due == D(due)
    assert found.source == source
    assert found.deadline.state is DeadlineState.IN_TIME
    assert found.deadline.holidays_skipped  # the bank holiday is named for the banner
    late = minutes_deadline(
        D(held),
        load_profile(profile),
        calendar,
        today=D("2027-01-15"),
        distributed_on=D(due) + dt.timedelta(days=1),
    )
    assert late is not None and late.deadline.state is DeadlineState.LATE
    assert late.deadline.done


def test_no_minutes_deadline_where_the_profile_sets_none_or_before_the_meeting() -> None:
    held = D("2026-12-07")
    assert minutes_deadline(held, load_profile(LANCS), ENGLAND, today=held) is None
    assert minutes_deadline(None, load_profile(SUF), ENGLAND, today=held) is None
    assert minutes_deadline(held, load_profile(SUF), ENGLAND, today=D("2026-12-01")) is None


def test_a_plan_cannot_move_the_minutes_deadline() -> None:
    # The deadline is the partnership's (001 §4.3), not a frequency a conference sets.
    assert not RuleId.MINUTES_DISTRIBUTED.conference_may_set
    assert RuleId.CORE_GROUP.conference_may_set
    plan = ChildPlan(
        "c1",
        D("2026-11-02"),
        overrides={RuleId.MINUTES_DISTRIBUTED: Interval.parse("40 working days")},
        minutes=(MinutesHeld(D("2026-12-07")),),
    )
    statuses = compute_timescales(plan, [], [], load_profile(SUF), ENGLAND, D("2026-12-08"))
    status = next(s for s in statuses if s.rule is RuleId.MINUTES_DISTRIBUTED)
    assert status.due == D("2026-12-30")
