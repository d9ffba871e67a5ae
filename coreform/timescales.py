"""When each of a child's timescales was last met and is next due, under a policy profile.

One pure function, `compute_timescales`: plan + contacts + core groups + profile + calendar +
today -> one `RuleStatus` per rule of the profile, then the open failed-visit alerts. The readings
of the sources are listed in the README ("Timescales") and cited beside the code that makes them.
Nothing here reads a clock, a file or a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from coreform.ages import is_baby
from coreform.deadlines import deadline
from coreform.plans import ChildPlan, MinutesHeld
from coreform.policies import Basis, Interval, Profile, Rule, RuleId
from coreform.workdays import WorkingCalendar

# "due soon" = due within the next 2 working days (issue 12).
DUE_SOON_WORKING_DAYS = 2


class ContactBy(StrEnum):
    KEY_WORKER = "key worker"
    CORE_GROUP_MEMBER = "core group member"


@dataclass(frozen=True)
class Contact:
    """One visit or interaction with the child, as the timescales see it."""

    date: dt.date
    by: ContactBy
    at_home: bool
    seen: bool
    seen_alone: bool = False
    baby_awake: bool = False
    bedroom_seen: bool = False
    reference: str = ""  # the record it comes from, for the dashboard and the timeline
    record_id: str = ""
    agency: str = ""  # who completed the record, for the timeline's rows


class State(StrEnum):
    MET = "met"
    DUE_SOON = "due soon"
    OVERDUE = "overdue"
    NO_DATE = "no date"  # needs a date the plan does not hold (a review conference not booked)
    SENT_LATE = "sent late"  # done, but after its due date: stays in sight (001 §4.3)


@dataclass(frozen=True)
class RuleStatus:
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
    facts = _Facts(plan, contacts, core_groups, profile, calendar, today, date_of_birth)
    statuses: list[RuleStatus] = []
    for rule in profile.rules.values():
        status = facts.status(rule)
        if status is not None:
            statuses.append(status)
    return statuses


class _Facts:
    """The child's history sorted once, with the last date each kind of contact happened."""

    def __init__(
        self,
        plan: ChildPlan,
        contacts: Sequence[Contact],
        core_groups: Sequence[dt.date],
        profile: Profile,
        calendar: WorkingCalendar,
        today: dt.date,
        born: dt.date | None,
    ) -> None:
        self.plan, self.profile, self.calendar, self.today = plan, profile, calendar, today
        self.soon = calendar.add_working_days(today, DUE_SOON_WORKING_DAYS)
        # Stable sort: contacts on one day keep the order given (a later one closes an alert).
        self.contacts = sorted((c for c in contacts if c.date <= today), key=lambda c: c.date)
        self.core_groups = sorted(day for day in core_groups if day <= today)
        self.conferences = plan.conferences_held(today)
        self.reviews = sorted(day for day in plan.reviews if day <= today)
        # 003 §2: a contact where the child was not seen cannot count for any rule.
        seen = [c for c in self.contacts if c.seen]
        self.last_seen = _last(seen)
        self.last_key_worker = _last([c for c in seen if c.by is ContactBy.KEY_WORKER])
        self.home_visits = [c for c in seen if c.by is ContactBy.KEY_WORKER and c.at_home]
        self.last_alone = _last([c for c in seen if _alone(c, born)])
        self.last_bedroom = _last([c for c in seen if c.at_home and c.bedroom_seen])

    def interval(self, rule: Rule) -> Interval | None:
        """The rule's timescale, or the one the conference set instead (000, 004 §9.3.30)."""
        return self.plan.overrides.get(rule.id, rule.every)

    def state(self, due: dt.date | None) -> State:
        if due is None:
            return State.NO_DATE
        if due < self.today:
            return State.OVERDUE
        return State.DUE_SOON if due <= self.soon else State.MET

    def cadence(self, rule: Rule, last: Contact | None, interval: Interval) -> RuleStatus:
        # With no contact that meets the rule, the due date counts from the initial conference.
        start = last.date if last else self.plan.initial_conference
        due = interval.after(start, self.calendar)
        return RuleStatus(
            rule.id,
            last.date if last else None,
            due,
            self.state(due),
            rule.notify,
            last.reference if last else "",
        )

    def status(self, rule: Rule) -> RuleStatus | None:
        interval = self.interval(rule)
        match rule.id:
            case RuleId.SEEN | RuleId.NOT_SEEN_BY_ANY_AGENCY:
                return self.cadence(rule, self.last_seen, _given(interval))
            case RuleId.KEY_WORKER_SEEN | RuleId.NOT_SEEN_BY_KEY_WORKER:
                return self.cadence(rule, self.last_key_worker, _given(interval))
            case RuleId.HOME_VISIT:
                return self.cadence(rule, _last(self.home_visits), _given(interval))
            case RuleId.SEEN_ALONE:
                # 002 §2 "at every visit": the home visit's timescale.
                every = self.home_visit_interval() if rule.basis is Basis.HOME_VISIT else interval
                return self.cadence(rule, self.last_alone, _given(every))
            case RuleId.BEDROOM_SEEN:
                if rule.basis is Basis.CONFERENCE:
                    return self.bedroom_between_conferences(rule)
                return self.bedroom_alternate_visits(rule)
            case RuleId.FIRST_CORE_GROUP:
                return self.first_core_group(rule, _given(interval))
            case RuleId.CORE_GROUP:
                return self.core_group(rule, _given(interval))
            case RuleId.LAST_CORE_GROUP_BEFORE_REVIEW:
                return self.last_core_group_before_review(rule, _given(interval))
            case RuleId.REVIEW_CONFERENCE:
                due = self.review_due()
                last = self.reviews[-1] if self.reviews else None
                return RuleStatus(rule.id, last, due, self.state(due))
            case RuleId.FAILED_VISIT_FOLLOW_UP | RuleId.CONSECUTIVE_FAILED_VISITS:
                return self.failed_visits(rule, interval)
            case RuleId.MINUTES_DISTRIBUTED:
                return self.minutes_distributed(rule, _given(rule.every))

    def home_visit_interval(self) -> Interval:
        home = self.profile.rule(RuleId.HOME_VISIT)
        assert home is not None  # policies checks a rule counting home visits has one
        return _given(self.interval(home))

    def review_due(self) -> dt.date | None:
        """004 §9.4.11: 3 months after the initial conference, then 6 months after each review."""
        rule = self.profile.rule(RuleId.REVIEW_CONFERENCE)
        if rule is None:
            return None
        if self.reviews and rule.after_review is not None:
            return rule.after_review.after(self.reviews[-1], self.calendar)
        return _given(self.interval(rule)).after(self.plan.initial_conference, self.calendar)

    def next_conference(self) -> dt.date | None:
        """The review booked in the plan, else the day the profile says it is due by."""
        booked = self.plan.next_review
        return booked if booked is not None and booked > self.today else self.review_due()

    def bedroom_between_conferences(self, rule: Rule) -> RuleStatus:
        """000, 004 §9.4.6: once between conferences, so due by the next conference."""
        last = self.last_bedroom
        next_conference = self.next_conference()
        if last and self.conferences and last.date >= self.conferences[-1]:
            # Met for this period: next due by the conference after the next one.
            review = self.profile.rule(RuleId.REVIEW_CONFERENCE)
            after = review.after_review if review else None
            due = after.after(next_conference, self.calendar) if after and next_conference else None
            return RuleStatus(rule.id, last.date, due, State.MET, reference=last.reference)
        return RuleStatus(
            rule.id,
            last.date if last else None,
            next_conference,
            self.state(next_conference),
            reference=last.reference if last else "",
        )

    def bedroom_alternate_visits(self, rule: Rule) -> RuleStatus:
        """002 §2: at least on alternate home visits, so by the second home visit after it."""
        last = self.last_bedroom
        every = self.home_visit_interval()
        start = last.date if last else self.plan.initial_conference
        since = [visit.date for visit in self.home_visits if visit.date > start]
        if len(since) >= 2:
            due = since[1]
        elif since:
            due = every.after(since[0], self.calendar)
        else:
            due = every.after(every.after(start, self.calendar), self.calendar)
        return RuleStatus(
            rule.id,
            last.date if last else None,
            due,
            self.state(due),
            reference=last.reference if last else "",
        )

    def first_core_group(self, rule: Rule, within: Interval) -> RuleStatus:
        due = within.after(self.plan.initial_conference, self.calendar)
        held = [day for day in self.core_groups if day >= self.plan.initial_conference]
        if held:
            return RuleStatus(rule.id, held[0], due, State.MET)
        return RuleStatus(rule.id, None, due, self.state(due))

    def core_group(self, rule: Rule, every: Interval) -> RuleStatus:
        """004 §9.2.4: every 6 weeks, then every 2 months once the first review is held."""
        if self.reviews and rule.after_first_review and rule.id not in self.plan.overrides:
            every = rule.after_first_review
        last = self.core_groups[-1] if self.core_groups else None
        due = every.after(last or self.plan.initial_conference, self.calendar)
        return RuleStatus(rule.id, last, due, self.state(due))

    def last_core_group_before_review(self, rule: Rule, before: Interval) -> RuleStatus:
        """001 §3.6: no later than 15 working days before the next review conference.

        A core group counts when held on or before that day and within one core group interval
        of it (else it is not the final one before the review), and after the last conference.
        """
        review = self.next_conference()
        if review is None:
            return RuleStatus(rule.id, None, None, State.NO_DATE)
        due = before.before(review, self.calendar)
        earliest = self.conferences[-1] if self.conferences else self.plan.initial_conference
        core_rule = self.profile.rule(RuleId.CORE_GROUP)
        if core_rule is not None:
            earliest = max(earliest, _given(self.interval(core_rule)).before(due, self.calendar))
        held = [day for day in self.core_groups if earliest < day <= due]
        if held:
            return RuleStatus(rule.id, held[-1], due, State.MET)
        return RuleStatus(rule.id, None, due, self.state(due))

    def minutes_distributed(self, rule: Rule, within: Interval) -> RuleStatus:
        """001 §4.3 / 004 §9.3.26: the oldest minutes not yet distributed set the due date;
        with every one distributed the rule is met (nothing is due until the next meeting),
        unless the latest meeting's minutes went out late: that stays in sight until the next."""
        held = sorted(
            (meeting for meeting in self.plan.minutes if meeting.held_on <= self.today),
            key=lambda meeting: meeting.held_on,
        )
        sent = [meeting.distributed_on for meeting in held if meeting.distributed_on]
        last = max(sent) if sent else None
        waiting = [meeting for meeting in held if meeting.distributed_on is None]
        if not waiting:
            return self.minutes_sent(rule, within, held[-1] if held else None, last)
        due = within.after(waiting[0].held_on, self.calendar)
        return RuleStatus(rule.id, last, due, self.state(due), reference=waiting[0].reference)

    def minutes_sent(
        self, rule: Rule, within: Interval, latest: MinutesHeld | None, last: dt.date | None
    ) -> RuleStatus:
        """Met, or sent late when the latest meeting's minutes went out after their due date
        (counted as the minutes' own deadline counts, so the minutes view agrees)."""
        if latest is None or latest.distributed_on is None:
            return RuleStatus(rule.id, last, None, State.MET)
        sent = deadline(
            latest.held_on,
            self.calendar,
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

    def failed_visits(self, rule: Rule, within: Interval | None) -> RuleStatus | None:
        """Open while no later home visit has seen the child (002 §3, 004 §9.5.3)."""
        run: list[Contact] = []
        for contact in self.contacts:
            if contact.at_home:
                run = [] if contact.seen else [*run, contact]
        if rule.id is RuleId.FAILED_VISIT_FOLLOW_UP and run:
            # 002 §3: a further visit within 5 working days of the visit that failed.
            failed = run[-1]
            due = _given(within).after(failed.date, self.calendar)
        elif rule.id is RuleId.CONSECUTIVE_FAILED_VISITS and len(run) >= rule.visits:
            # 004 §9.5.3: action is agreed at once, on the day of the second failed visit.
            failed = run[rule.visits - 1]
            due = failed.date
        else:
            return None
        state = State.OVERDUE if due < self.today else State.DUE_SOON  # open: never "met"
        return RuleStatus(rule.id, None, due, state, rule.notify, failed.reference)


def _alone(contact: Contact, born: dt.date | None) -> bool:
    """Seen alone, or a baby (under 18 months on that day, 002 §2) seen awake."""
    if contact.seen_alone:
        return True
    return contact.baby_awake and is_baby(born, contact.date)


def _last(contacts: Sequence[Contact]) -> Contact | None:
    return contacts[-1] if contacts else None


def _given(interval: Interval | None) -> Interval:
    assert interval is not None  # policies checks every timescale rule has one
    return interval
