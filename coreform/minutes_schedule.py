"""When a core group meeting is due, and by when its minutes must be distributed, under the
organisation's policy profile (DOMAIN.md "Timescales, by source"). Pure: no clock, no database.

The due date is the earliest the profile's rules give: the first core group within N working days
of the initial conference (001 §2.1, 003 §3, 004 §9.2.4); later ones at the profile's cadence
after the previous meeting (001 §3.1 six weeks, 003 §3 twenty working days, 004 §9.2.4 two months
after the first review); and, in Suffolk, the last one before the review conference up to 15
working days before it (001 §3.6). `MeetingDue` names the rule that set the date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from coreform.deadlines import Deadline, deadline
from coreform.plans import ChildPlan
from coreform.policies import Interval, Profile, Rule, RuleId
from coreform.timescales import RuleStatus, State
from coreform.workdays import WorkingCalendar


@dataclass(frozen=True)
class MeetingDue:
    """The day a core group is due by and the rule of the profile that set it."""

    due: dt.date
    rule: RuleId
    source: str
    wording: str  # "within 10 working days of the initial conference"
    last_before_review: bool = False
    review: dt.date | None = None  # the review conference it is counted back from

    def describe(self) -> str:
        """For the minutes' header: "Core group: 6 weeks after the last one (001 §3.1)"."""
        return f"{self.rule.label}: {self.wording} ({self.source})"


_WHAT = {
    RuleId.FIRST_CORE_GROUP: "within {} of the initial conference",
    RuleId.CORE_GROUP: "{} after the previous core group",
    RuleId.LAST_CORE_GROUP_BEFORE_REVIEW: "up to {} before the review conference",
}


@dataclass(frozen=True)
class MinutesDeadline:
    """The minutes' distribution deadline (001 §4.3, 004 §9.3.26) and where they stand."""

    deadline: Deadline
    working_days: int
    source: str
    wording: str


def meeting_due(
    plan: ChildPlan,
    previous: dt.date | None,
    profile: Profile,
    calendar: WorkingCalendar,
) -> MeetingDue | None:
    """When the next core group is due after the one held on `previous` (None: the first).

    None when the profile states no core group rule.
    """
    found = _cadence_due(plan, previous, profile, calendar)
    last = profile.rule(RuleId.LAST_CORE_GROUP_BEFORE_REVIEW)
    review = _next_review(plan, previous, profile, calendar)
    if last is None or review is None or last.every is None:
        return found
    before = plan.overrides.get(last.id, last.every)
    latest = before.before(review, calendar)
    if latest <= (previous or plan.initial_conference):
        return found  # the last one before this review was held: the next follows the review
    if found is None or latest <= found.due:
        return MeetingDue(
            latest,
            last.id,
            last.source,
            _worded(last, before),
            last_before_review=True,
            review=review,
        )
    return found


def minutes_deadline(
    held_on: dt.date | None,
    profile: Profile,
    calendar: WorkingCalendar,
    *,
    today: dt.date,
    distributed_on: dt.date | None = None,
) -> MinutesDeadline | None:
    """The day the minutes of a meeting held on `held_on` must reach every recipient by; None
    when the profile sets no such deadline or the meeting is not held yet."""
    rule = profile.rule(RuleId.MINUTES_DISTRIBUTED)
    if rule is None or rule.every is None or held_on is None:
        return None
    days = rule.every.count  # policies checks this rule counts working days
    found = deadline(
        held_on,
        calendar,
        today=today,
        completed_on=distributed_on,
        sent_on=distributed_on,
        working_days=days,
    )
    if found is None:
        return None
    return MinutesDeadline(found, days, rule.source, rule.wording)


def _cadence_due(
    plan: ChildPlan, previous: dt.date | None, profile: Profile, calendar: WorkingCalendar
) -> MeetingDue | None:
    first = profile.rule(RuleId.FIRST_CORE_GROUP)
    if previous is None and first is not None and first.every is not None:
        within = plan.overrides.get(first.id, first.every)
        due = within.after(plan.initial_conference, calendar)
        return MeetingDue(due, first.id, first.source, _worded(first, within))
    cadence = profile.rule(RuleId.CORE_GROUP)
    if cadence is None or cadence.every is None:
        return None
    every = plan.overrides.get(cadence.id, cadence.every)
    start = previous or plan.initial_conference
    # 004 §9.2.4: "every two months following the first review conference".
    reviewed = any(day <= start for day in plan.reviews)
    if reviewed and cadence.after_first_review and cadence.id not in plan.overrides:
        every = cadence.after_first_review
    return MeetingDue(
        every.after(start, calendar), cadence.id, cadence.source, _worded(cadence, every)
    )


def _next_review(
    plan: ChildPlan, previous: dt.date | None, profile: Profile, calendar: WorkingCalendar
) -> dt.date | None:
    """The review booked in the plan after the previous meeting, else the day the profile says
    it is due by (004 §9.4.11)."""
    start = previous or plan.initial_conference
    if plan.next_review is not None and plan.next_review > start:
        return plan.next_review
    rule = profile.rule(RuleId.REVIEW_CONFERENCE)
    if rule is None or rule.every is None:
        return None
    reviews = sorted(day for day in plan.reviews if day <= start)
    if reviews and rule.after_review is not None:
        return rule.after_review.after(reviews[-1], calendar)
    return rule.every.after(plan.initial_conference, calendar)


def _worded(rule: Rule, interval: Interval) -> str:
    return _WHAT[rule.id].format(interval)


# The rules that say whether the child is seen in time (001 §8.1, §8.3; 002 §2; 004 §9.4.6).
SEEN_RULES = (RuleId.SEEN, RuleId.KEY_WORKER_SEEN, RuleId.HOME_VISIT)


def seen_in_timescales(statuses: Sequence[RuleStatus]) -> tuple[bool | None, str]:
    """The template's "Has the child been seen in timescales?", answered by the timescales
    engine: yes when no seeing rule of the profile is overdue, with what it found in words."""
    seeing = [status for status in statuses if status.rule in SEEN_RULES]
    if not seeing:
        return None, "The organisation's timescales set no rule for seeing the child."
    parts = []
    for status in seeing:
        last = f"last {status.last_met:%d/%m/%Y}" if status.last_met else "not yet"
        due = f", due {status.due:%d/%m/%Y}" if status.due else ""
        parts.append(f"{status.rule.label}: {status.state.value} ({last}{due})")
    return all(status.state is not State.OVERDUE for status in seeing), "; ".join(parts)
