"""The caseload: every child on a plan with their timescales, the counts, and the escalations.

Pure: the services fetch the children and contacts, this computes (off the GUI thread).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from coreform.plans import ChildPlan
from coreform.policies import Profile, RuleId
from coreform.timescales import Contact, RuleStatus, State, compute_timescales
from coreform.workdays import WorkingCalendar

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


@dataclass(frozen=True)
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


def compute_caseload(
    children: Sequence[PlannedChild],
    contacts: Mapping[str, Sequence[Contact]],
    profile: Profile,
    calendar: WorkingCalendar,
    today: dt.date,
) -> list[CaseloadRow]:
    return [
        CaseloadRow(
            child,
            tuple(
                compute_timescales(
                    child.plan,
                    contacts.get(child.child_id, ()),
                    child.plan.core_groups,
                    profile,
                    calendar,
                    today,
                    date_of_birth=child.date_of_birth,
                )
            ),
        )
        for child in children
    ]


def urgency(state: State) -> int:
    return _URGENCY[state]
