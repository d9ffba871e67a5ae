"""A new core group meeting starts from the previous one (issue 14), and what was agreed stays.

Carried forward: the attendees (their answers cleared), the safety goals and next steps (agreed,
with their ids, so each is one goal across meetings), the next core group's date and venue as
this one's plan; the previous "this meeting" scaling becomes "the last meeting", and the initial
conference column stays. Safety goals and agreed actions are append-only (001 §2.3, §3.4).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from coreform.errors import AppendOnlyError
from coreform.minutes import (
    Attendee,
    AttendeeKind,
    ChildMinutes,
    CoreGroupMinutes,
    NextStep,
    SafetyGoal,
    ScaleRow,
    Scaling,
)
from coreform.plans import PlanMember

_Item = TypeVar("_Item", SafetyGoal, NextStep)
_KEEP_IT = (
    "Once agreed at a core group it stays in the plan (001 §2.3, §3.4): mark it achieved, or "
    "record why it changed."
)


@dataclass(frozen=True)
class MeetingChild:
    """A child the meeting covers, as the family's record names them."""

    child_id: str
    name: str
    date_of_birth: dt.date | None = None


def carry_forward(
    previous: CoreGroupMinutes | None,
    *,
    family_id: str,
    family_name: str,
    children: Sequence[MeetingChild],
    members: Sequence[PlanMember],
    worker_name: str,
    worker_email: str,
    initial_conference: dt.date | None,
    today: dt.date,
) -> CoreGroupMinutes:
    """A new draft for the family's next meeting, from `previous` (None: the first meeting)."""
    minutes = CoreGroupMinutes(
        family_id=family_id,
        family_name=family_name,
        sequence=previous.sequence + 1 if previous else 1,
        form_start_date=today,
        worker_name=worker_name,
        worker_email=worker_email,
        initial_conference=initial_conference,
    )
    minutes.attendees = _attendees(previous, members, today)
    minutes.children = [_child(previous, child) for child in children]
    if previous is not None:
        minutes.planned_date = previous.next_date
        minutes.venue = previous.next_venue
        minutes.safety_goals = [_carried(goal) for goal in previous.safety_goals]
        minutes.next_steps = [_carried(step) for step in previous.next_steps]
    return minutes


def _attendees(
    previous: CoreGroupMinutes | None, members: Sequence[PlanMember], today: dt.date
) -> list[Attendee]:
    found: list[Attendee] = []
    if previous is not None:
        for before in previous.attendees:
            found.append(
                Attendee(
                    name=before.name,
                    role=before.role,
                    agency=before.agency,
                    email=before.email,
                    kind=before.kind,
                    member_id=before.member_id,
                    id=before.id,
                )
            )
    known_ids = {attendee.member_id for attendee in found if attendee.member_id}
    known_names = {attendee.name.strip().casefold() for attendee in found}
    for member in members:
        if member.left is not None and member.left <= today:
            continue
        name = member.name.strip().casefold()
        if member.id in known_ids or name in known_names:
            continue  # each child's plan names the same people: one row each
        known_ids.add(member.id)
        known_names.add(name)
        found.append(
            Attendee(
                name=member.name,
                role=member.role,
                agency=member.agency,
                email=member.email,
                # Members named at conference with an agency are its professionals (001 §1.3).
                kind=AttendeeKind.PROFESSIONAL if member.agency.strip() else None,
                member_id=member.id,
            )
        )
    return found


def _child(previous: CoreGroupMinutes | None, child: MeetingChild) -> ChildMinutes:
    scaling = Scaling()
    before = (
        next((c for c in previous.children if c.child_id == child.child_id), None)
        if (previous)
        else None
    )
    if before is not None:
        scaling = Scaling(
            *(
                ScaleRow(initial_conference=row.initial_conference, last_meeting=row.this_meeting)
                for row in (
                    before.scaling.child,
                    before.scaling.parents,
                    before.scaling.professionals,
                )
            )
        )
    return ChildMinutes(
        child_id=child.child_id,
        name=child.name,
        date_of_birth=child.date_of_birth,
        scaling=scaling,
    )


def _carried(item: _Item) -> _Item:
    kept = copy.deepcopy(item)
    kept.change_reason = ""  # a reason belongs to the meeting that made the change
    if isinstance(kept, SafetyGoal):
        kept.how_changed = ""  # asked again at each meeting
    return kept


def remove_safety_goal(minutes: CoreGroupMinutes, goal_id: str) -> None:
    """Removes a goal added at this meeting (and its next steps); an agreed one is refused."""
    goal = next((goal for goal in minutes.safety_goals if goal.id == goal_id), None)
    if goal is None:
        return
    if goal.agreed_on is not None:
        raise AppendOnlyError(f"This safety goal cannot be deleted. {_KEEP_IT}")
    if any(step.agreed_on is not None for step in minutes.next_steps if step.goal_id == goal_id):
        raise AppendOnlyError(f"This safety goal has agreed next steps. {_KEEP_IT}")
    minutes.safety_goals.remove(goal)
    minutes.next_steps = [step for step in minutes.next_steps if step.goal_id != goal_id]


def remove_next_step(minutes: CoreGroupMinutes, step_id: str) -> None:
    """Removes a next step added at this meeting; an agreed action is refused."""
    step = next((step for step in minutes.next_steps if step.id == step_id), None)
    if step is None:
        return
    if step.agreed_on is not None:
        raise AppendOnlyError(f"This agreed action cannot be deleted. {_KEEP_IT}")
    minutes.next_steps.remove(step)


def missing_agreed(before: CoreGroupMinutes, after: CoreGroupMinutes) -> list[str]:
    """The ids of goals and actions agreed in `before` that `after` no longer holds."""
    kept = {item.id for item in _agreeable(after)}
    return [
        item.id for item in _agreeable(before) if item.agreed_on is not None and item.id not in kept
    ]


def refuse_removals(before: CoreGroupMinutes | None, after: CoreGroupMinutes) -> None:
    """AppendOnlyError when `after` dropped an agreed goal or action of `before`."""
    if before is not None and missing_agreed(before, after):
        raise AppendOnlyError(f"An agreed safety goal or action was removed. {_KEEP_IT}")


def mark_agreed(minutes: CoreGroupMinutes, day: dt.date) -> None:
    """On finalising: every goal and action of the meeting is now agreed (on the meeting's day)."""
    for item in _agreeable(minutes):
        if item.agreed_on is None:
            item.agreed_on = day


def _agreeable(minutes: CoreGroupMinutes) -> list[SafetyGoal | NextStep]:
    return [*minutes.safety_goals, *minutes.next_steps]
