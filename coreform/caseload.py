"""The caseload: every child on a plan with their timescales, the counts, and the escalations.

Pure: the services fetch the children and their contact facts (or contacts), this computes (off
the GUI thread).
"""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from coreform.contact_facts import NO_CONTACTS, Contact, ContactFacts, contact_facts
from coreform.plans import ChildPlan
from coreform.policies import RuleId
from coreform.timescales import RuleStatus, State, TimescaleRules

# Most urgent first, for the child's overall state and for sorting.
_URGENCY = {
    State.OVERDUE: 0,
    State.DUE_SOON: 1,
    State.NO_DATE: 2,
    State.SENT_LATE: 3,
    State.MET: 4,
}


@dataclass(frozen=True)
class PlannedChild:
    """A child on a plan, with what the caseload shows beside the timescales."""

    child_id: str
    name: str
    date_of_birth: dt.date | None
    family_id: str
    family_name: str
    key_worker: str
    key_worker_email: str
    team: str
    plan: ChildPlan


@dataclass(frozen=True)
class CaseloadScope:
    """Whose children: one key worker's (by email, else name), or everyone's."""

    key_worker_email: str = ""
    key_worker_name: str = ""


@dataclass(frozen=True, slots=True)
class CaseloadRow:
    child: PlannedChild
    statuses: tuple[RuleStatus, ...]

    @property
    def state(self) -> State:
        """The child's most urgent rule state."""
        states = (status.state for status in self.statuses)
        return min(states, key=_URGENCY.__getitem__, default=State.MET)

    @property
    def escalations(self) -> tuple[RuleStatus, ...]:
        return tuple(status for status in self.statuses if status.escalation)

    def status(self, rule_id: RuleId) -> RuleStatus | None:
        return next((status for status in self.statuses if status.rule == rule_id), None)


def caseload_from_facts(
    children: Sequence[PlannedChild],
    facts: Mapping[str, ContactFacts],
    rules: TimescaleRules,
) -> list[CaseloadRow]:
    """Each child's row from their contact facts (a child missing from `facts` has none)."""
    statuses = rules.statuses
    return [
        CaseloadRow(child, tuple(statuses(child.plan, facts.get(child.child_id, NO_CONTACTS))))
        for child in children
    ]


def child_facts(child: PlannedChild, contacts: Iterable[Contact], through: dt.date) -> ContactFacts:
    """The facts of the child's contacts up to `through`."""
    return contact_facts(
        contacts,
        through,
        date_of_birth=child.date_of_birth,
        initial_conference=child.plan.initial_conference,
    )


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while a caseload is built: a dashboard of 5,000 children
    makes about a quarter of a million objects, and the collector would walk the whole heap
    several times meanwhile (40% of the dashboard's time in bench/caseload.py). Whatever it would
    have found it finds when it runs again, afterwards."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def urgency(state: State) -> int:
    return _URGENCY[state]
