"""When each of a child's timescales was last met and is next due, under a policy profile.

`TimescaleRules` is a profile's rules on one day; `statuses(plan, facts)` gives one `RuleStatus`
per rule of the profile for a child, then the open failed-visit alerts, from the child's
`ContactFacts` (`coreform.contact_facts`). `compute_timescales` does both steps for one child from
its contacts. The readings of the sources are listed in the README ("Timescales") and cited beside
the code that makes them. Nothing here reads a clock, a file or a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from enum import StrEnum
from typing import NamedTuple

from coreform.contact_facts import Contact, ContactFacts, ContactRef, contact_facts
from coreform.deadlines import deadline
from coreform.plans import ChildPlan, MinutesHeld
from coreform.policies import Basis, Interval, Profile, Rule, RuleId
from coreform.workdays import WorkingCalendar

# "due soon" = due within the next 2 working days (issue 12).
DUE_SOON_WORKING_DAYS = 2


class State(StrEnum):
    MET = "met"
    DUE_SOON = "due soon"
    OVERDUE = "overdue"
    NO_DATE = "no date"  # needs a date the plan does not hold (a review conference not booked)
    SENT_LATE = "sent late"  # done, but after its due date: stays in sight (001 §4.3)


class RuleStatus(NamedTuple):
    # A named tuple rather than a frozen dataclass: a caseload makes ten of these per child,
    # and a frozen dataclass costs four times as much to build (bench/caseload.py).
    rule: RuleId
    last_met: dt.date | None
    due: dt.date | None
    state: State
    notify: str = ""  # who must be told when it is overdue (escalations) or open (alerts)
    reference: str = ""  # the record that last met it, or the failed visit of an alert
    working_days_late: int = 0  # SENT_LATE: how many working days after `due` it was done

    @property
    def escalation(self) -> bool:
        """Someone must be told now: an overdue escalation, or an open failed-visit alert."""
        return bool(self.notify) and (self.rule.is_alert or self.state is State.OVERDUE)


def compute_timescales(
    plan: ChildPlan,
    contacts: Sequence[Contact],
    core_groups: Sequence[dt.date],
    profile: Profile,
    calendar: WorkingCalendar,
    today: dt.date,
    *,
    date_of_birth: dt.date | None = None,
) -> list[RuleStatus]:
    """Each rule of `profile` for this child on `today`, in the profile's order, then alerts.

    Contacts and core groups after `today` are not facts yet and are ignored.
    """
    facts = contact_facts(
        contacts, today, date_of_birth=date_of_birth, initial_conference=plan.initial_conference
    )
    return TimescaleRules(profile, calendar, today).statuses(plan, facts, core_groups)


_Step = Callable[["_Child", Rule], "RuleStatus | None"]


class TimescaleRules:
    """A profile's rules on one day, for as many children as asked: each rule is looked up
    once, and each due date counted once per start day (a caseload shares most of them)."""

    def __init__(self, profile: Profile, calendar: WorkingCalendar, today: dt.date) -> None:
        self.profile, self.calendar, self.today = profile, calendar, today
        self.soon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
        self.review = profile.rule(RuleId.REVIEW_CONFERENCE)
        self.home_visit = profile.rule(RuleId.HOME_VISIT)
        self.core_group = profile.rule(RuleId.CORE_GROUP)
        self._steps = [(rule, _STEPS[rule.id]) for rule in profile.rules.values()]
        # By the interval's identity: hashing a frozen dataclass costs more than the lookup.
        self._after: dict[int, _Memo] = {}
        self._before: dict[int, _Memo] = {}
        self._due: dict[int, _Memo] = {}

    def statuses(
        self, plan: ChildPlan, facts: ContactFacts, core_groups: Sequence[dt.date] | None = None
    ) -> list[RuleStatus]:
        """The child's statuses; `core_groups` default to the plan's."""
        child = _Child(self, plan, facts, plan.core_groups if core_groups is None else core_groups)
        found = []
        for rule, step in self._steps:
            status = step(child, rule)
            if status is not None:
                found.append(status)
        return found

    def after(self, interval: Interval, start: dt.date) -> dt.date:
        memo = self._after.get(id(interval))
        if memo is None:
            memo = self._after[id(interval)] = _Memo(interval)
        day = memo.days.get(start)
        if day is None:
            day = memo.days[start] = interval.after(start, self.calendar)
        return day

    def before(self, interval: Interval, end: dt.date) -> dt.date:
        memo = self._before.get(id(interval))
        if memo is None:
            memo = self._before[id(interval)] = _Memo(interval)
        day = memo.days.get(end)
        if day is None:
            day = memo.days[end] = interval.before(end, self.calendar)
        return day

    def due(self, interval: Interval, start: dt.date) -> tuple[dt.date, State]:
        """The due date counted from `start` and its state today (the cadences' hot path)."""
        memo = self._due.get(id(interval))
        if memo is None:
            memo = self._due[id(interval)] = _Memo(interval)
        found = memo.states.get(start)
        if found is None:
            day = self.after(interval, start)
            found = memo.states[start] = (day, self.state(day))
        return found

    def state(self, due: dt.date | None) -> State:
        if due is None:
            return State.NO_DATE
        if due < self.today:
            return State.OVERDUE
        return State.DUE_SOON if due <= self.soon else State.MET


class _Memo:
    """The days counted with one interval; holding the interval keeps its id from reuse."""

    __slots__ = ("days", "interval", "states")

    def __init__(self, interval: Interval) -> None:
        self.interval = interval
        self.days: dict[dt.date, dt.date] = {}
        self.states: dict[dt.date, tuple[dt.date, State]] = {}


class _Child:
    """One child's plan and contact facts under the rules: the meetings held by today, sorted."""

    __slots__ = ("conferences", "core_groups", "facts", "plan", "reviews", "rules", "today")

    def __init__(
        self,
        rules: TimescaleRules,
        plan: ChildPlan,
        facts: ContactFacts,
        core_groups: Sequence[dt.date],
    ) -> None:
        today = rules.today
        self.rules, self.plan, self.facts, self.today = rules, plan, facts, today
        self.core_groups = _held_by(core_groups, today)
        self.reviews = _held_by(plan.reviews, today)
        self.conferences = plan.conferences_held(today) if self.reviews else _held(plan, today)

    def interval(self, rule: Rule) -> Interval | None:
        """The rule's timescale, or the one the conference set instead (000, 004 §9.3.30)."""
        overrides = self.plan.overrides
        return overrides.get(rule.id, rule.every) if overrides else rule.every

    def cadence(self, rule: Rule, last: ContactRef | None, interval: Interval | None) -> RuleStatus:
        # With no contact that meets the rule, the due date counts from the initial conference.
        if last is None:
            due, state = self.rules.due(_given(interval), self.plan.initial_conference)
            return RuleStatus(rule.id, None, due, state, rule.notify)
        due, state = self.rules.due(_given(interval), last.date)
        return RuleStatus(rule.id, last.date, due, state, rule.notify, last.reference)

    def seen(self, rule: Rule) -> RuleStatus:
        return self.cadence(rule, self.facts.last_seen, self.interval(rule))

    def key_worker_seen(self, rule: Rule) -> RuleStatus:
        return self.cadence(rule, self.facts.last_key_worker, self.interval(rule))

    def home_visit(self, rule: Rule) -> RuleStatus:
        return self.cadence(rule, self.facts.last_home_visit, self.interval(rule))

    def seen_alone(self, rule: Rule) -> RuleStatus:
        # 002 §2 "at every visit": the home visit's timescale.
        every = (
            self.home_visit_interval() if rule.basis is Basis.HOME_VISIT else self.interval(rule)
        )
        return self.cadence(rule, self.facts.last_alone, every)

    def bedroom_seen(self, rule: Rule) -> RuleStatus:
        if rule.basis is Basis.CONFERENCE:
            return self.bedroom_between_conferences(rule)
        return self.bedroom_alternate_visits(rule)

    def review_conference(self, rule: Rule) -> RuleStatus:
        due = self.review_due()
        last = self.reviews[-1] if self.reviews else None
        return RuleStatus(rule.id, last, due, self.rules.state(due))

    def home_visit_interval(self) -> Interval:
        home = self.rules.home_visit
        assert home is not None  # policies checks a rule counting home visits has one
        return _given(self.interval(home))

    def review_due(self) -> dt.date | None:
        """004 §9.4.11: 3 months after the initial conference, then 6 months after each review."""
        rule = self.rules.review
        if rule is None:
            return None
        if self.reviews and rule.after_review is not None:
            return self.rules.after(rule.after_review, self.reviews[-1])
        return self.rules.after(_given(self.interval(rule)), self.plan.initial_conference)

    def next_conference(self) -> dt.date | None:
        """The review booked in the plan, else the day the profile says it is due by."""
        booked = self.plan.next_review
        return booked if booked is not None and booked > self.today else self.review_due()

    def bedroom_between_conferences(self, rule: Rule) -> RuleStatus:
        """000, 004 §9.4.6: once between conferences, so due by the next conference."""
        last = self.facts.last_bedroom
        next_conference = self.next_conference()
        if last and self.conferences and last.date >= self.conferences[-1]:
            # Met for this period: next due by the conference after the next one.
            review = self.rules.review
            after = review.after_review if review else None
            due = self.rules.after(after, next_conference) if after and next_conference else None
            return RuleStatus(rule.id, last.date, due, State.MET, reference=last.reference)
        return RuleStatus(
            rule.id,
            last.date if last else None,
            next_conference,
            self.rules.state(next_conference),
            reference=last.reference if last else "",
        )

    def bedroom_alternate_visits(self, rule: Rule) -> RuleStatus:
        """002 §2: at least on alternate home visits, so by the second home visit after it."""
        last = self.facts.last_bedroom
        every = self.home_visit_interval()
        since = self.facts.home_visits_since_bedroom
        if len(since) >= 2:
            due = since[1]
        elif since:
            due = self.rules.after(every, since[0])
        else:
            start = last.date if last else self.plan.initial_conference
            due = self.rules.after(every, self.rules.after(every, start))
        return RuleStatus(
            rule.id,
            last.date if last else None,
            due,
            self.rules.state(due),
            reference=last.reference if last else "",
        )

    def first_core_group(self, rule: Rule) -> RuleStatus:
        initial = self.plan.initial_conference
        due = self.rules.after(_given(self.interval(rule)), initial)
        for held in self.core_groups:
            if held >= initial:
                return RuleStatus(rule.id, held, due, State.MET)
        return RuleStatus(rule.id, None, due, self.rules.state(due))

    def core_group(self, rule: Rule) -> RuleStatus:
        """004 §9.2.4: every 6 weeks, then every 2 months once the first review is held."""
        every = _given(self.interval(rule))
        if self.reviews and rule.after_first_review and rule.id not in self.plan.overrides:
            every = rule.after_first_review
        last = self.core_groups[-1] if self.core_groups else None
        due = self.rules.after(every, last or self.plan.initial_conference)
        return RuleStatus(rule.id, last, due, self.rules.state(due))

    def last_core_group_before_review(self, rule: Rule) -> RuleStatus:
        """001 §3.6: no later than 15 working days before the next review conference.

        A core group counts when held on or before that day and within one core group interval
        of it (else it is not the final one before the review), and after the last conference.
        """
        review = self.next_conference()
        if review is None:
            return RuleStatus(rule.id, None, None, State.NO_DATE)
        due = self.rules.before(_given(self.interval(rule)), review)
        earliest = self.conferences[-1] if self.conferences else self.plan.initial_conference
        core_rule = self.rules.core_group
        if core_rule is not None:
            within = self.rules.before(_given(self.interval(core_rule)), due)
            earliest = max(earliest, within)
        held = [day for day in self.core_groups if earliest < day <= due]
        if held:
            return RuleStatus(rule.id, held[-1], due, State.MET)
        return RuleStatus(rule.id, None, due, self.rules.state(due))

    def minutes_distributed(self, rule: Rule) -> RuleStatus:
        """001 §4.3 / 004 §9.3.26: the oldest minutes not yet distributed set the due date;
        with every one distributed the rule is met (nothing is due until the next meeting),
        unless the latest meeting's minutes went out late: that stays in sight until the next."""
        within = _given(rule.every)
        if not self.plan.minutes:
            return RuleStatus(rule.id, None, None, State.MET)
        held = sorted(
            (meeting for meeting in self.plan.minutes if meeting.held_on <= self.today),
            key=lambda meeting: meeting.held_on,
        )
        sent = [meeting.distributed_on for meeting in held if meeting.distributed_on]
        last = max(sent) if sent else None
        waiting = [meeting for meeting in held if meeting.distributed_on is None]
        if not waiting:
            return self.minutes_sent(rule, within, held[-1] if held else None, last)
        due = self.rules.after(within, waiting[0].held_on)
        return RuleStatus(rule.id, last, due, self.rules.state(due), reference=waiting[0].reference)

    def minutes_sent(
        self, rule: Rule, within: Interval, latest: MinutesHeld | None, last: dt.date | None
    ) -> RuleStatus:
        """Met, or sent late when the latest meeting's minutes went out after their due date
        (counted as the minutes' own deadline counts, so the minutes view agrees)."""
        if latest is None or latest.distributed_on is None:
            return RuleStatus(rule.id, last, None, State.MET)
        sent = deadline(
            latest.held_on,
            self.rules.calendar,
            today=self.today,
            completed_on=latest.distributed_on,
            sent_on=latest.distributed_on,
            working_days=within.count,
        )
        if sent is None or not sent.late:
            return RuleStatus(rule.id, last, None, State.MET)
        return RuleStatus(
            rule.id,
            last,
            sent.due,
            State.SENT_LATE,
            reference=latest.reference,
            working_days_late=sent.working_days_late,
        )

    def failed_visits(self, rule: Rule) -> RuleStatus | None:
        """Open while no later home visit has seen the child (002 §3, 004 §9.5.3)."""
        run = self.facts.failed_run
        if rule.id is RuleId.FAILED_VISIT_FOLLOW_UP and run:
            # 002 §3: a further visit within 5 working days of the visit that failed.
            failed = run[-1]
            due = self.rules.after(_given(self.interval(rule)), failed.date)
        elif rule.id is RuleId.CONSECUTIVE_FAILED_VISITS and len(run) >= rule.visits:
            # 004 §9.5.3: action is agreed at once, on the day of the second failed visit.
            failed = run[rule.visits - 1]
            due = failed.date
        else:
            return None
        state = State.OVERDUE if due < self.today else State.DUE_SOON  # open: never "met"
        return RuleStatus(rule.id, None, due, state, rule.notify, failed.reference)


_STEPS: dict[RuleId, _Step] = {
    RuleId.SEEN: _Child.seen,
    RuleId.NOT_SEEN_BY_ANY_AGENCY: _Child.seen,
    RuleId.KEY_WORKER_SEEN: _Child.key_worker_seen,
    RuleId.NOT_SEEN_BY_KEY_WORKER: _Child.key_worker_seen,
    RuleId.HOME_VISIT: _Child.home_visit,
    RuleId.SEEN_ALONE: _Child.seen_alone,
    RuleId.BEDROOM_SEEN: _Child.bedroom_seen,
    RuleId.FIRST_CORE_GROUP: _Child.first_core_group,
    RuleId.CORE_GROUP: _Child.core_group,
    RuleId.LAST_CORE_GROUP_BEFORE_REVIEW: _Child.last_core_group_before_review,
    RuleId.REVIEW_CONFERENCE: _Child.review_conference,
    RuleId.MINUTES_DISTRIBUTED: _Child.minutes_distributed,
    RuleId.FAILED_VISIT_FOLLOW_UP: _Child.failed_visits,
    RuleId.CONSECUTIVE_FAILED_VISITS: _Child.failed_visits,
}


def _held_by(days: Sequence[dt.date], today: dt.date) -> list[dt.date]:
    held = [day for day in days if day <= today] if days else []
    held.sort()
    return held


def _held(plan: ChildPlan, today: dt.date) -> list[dt.date]:
    """The conferences held with no review yet: the initial one, once it is held."""
    return [plan.initial_conference] if plan.initial_conference <= today else []


def _given(interval: Interval | None) -> Interval:
    assert interval is not None  # policies checks every timescale rule has one
    return interval
