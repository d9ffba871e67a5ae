"""The minutes of a core group meeting: the Suffolk "Record of Core Group Meeting" (001, the
template at its end), as plain typed classes (no SQLAlchemy, no Qt).

One meeting may cover the family's children (one `ChildMinutes` each). The questions, labels and
seed references are in coreform.forms.minutes; the checks in coreform.minutes_checks; when a
meeting is due and its minutes must be distributed in coreform.minutes_schedule; carrying a
meeting forward in coreform.minutes_carry.

Safety goals and agreed actions (next steps) are append-only (001 §2.3, §3.4): each carries the
date it was agreed (`agreed_on`), and once agreed it can be marked achieved, or changed by the
conference with the reason recorded, never removed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from coreform.records import (
    RecordFormatError,
    from_json_data,
    new_id,
    now_london,
    to_json_data,
)

MINUTES_SCHEMA_NAME = "coreform.core-group-minutes"
MINUTES_SCHEMA_VERSION = 1
SCALE_MIN, SCALE_MAX = 0, 10  # 001 template: "Scaling ... (0-10)"


class MinutesState(StrEnum):
    """draft -> final -> amended. Final and amended minutes are locked."""

    DRAFT = "draft"
    FINAL = "final"
    AMENDED = "amended"

    @property
    def locked(self) -> bool:
        return self is not MinutesState.DRAFT


class AttendeeKind(StrEnum):
    """Who an attendee is to the core group: only professionals count for quorum (001 §4.7)."""

    PROFESSIONAL = "professional"
    PARENT_CARER = "parent_carer"
    CHILD = "child"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    AttendeeKind.PROFESSIONAL: "Professional",
    AttendeeKind.PARENT_CARER: "Parent or carer",
    AttendeeKind.CHILD: "Child or young person",
    AttendeeKind.OTHER: "Other (interpreter, advocate, supporter)",
}


@dataclass
class Attendee:
    """One row of the attendees table (001 template), prefilled from the core group members."""

    name: str = ""
    role: str = ""
    agency: str = ""
    email: str = ""  # where the minutes are sent (4.3: distributed to all core group members)
    kind: AttendeeKind | None = None
    consulted: bool | None = None
    invited: bool | None = None
    attended: bool | None = None
    chair: bool | None = None
    # 001 §4.6: a professional who cannot attend provides a written report in advance.
    written_report: bool | None = None
    member_id: str = ""  # the plan member (coreform.plans.PlanMember) it came from, if any
    id: str = field(default_factory=new_id)

    @property
    def professional(self) -> bool:
        return self.kind is AttendeeKind.PROFESSIONAL


@dataclass
class ScaleRow:
    """One scorer's 0-10 scaling of overall progress, in the template's three columns."""

    initial_conference: int | None = None
    last_meeting: int | None = None
    this_meeting: int | None = None


@dataclass
class Scaling:
    """Scaling of the overall progress of this case by child, parents and professionals."""

    child: ScaleRow = field(default_factory=ScaleRow)
    parents: ScaleRow = field(default_factory=ScaleRow)
    professionals: ScaleRow = field(default_factory=ScaleRow)


@dataclass
class ChildMinutes:
    """What the meeting recorded about one child of the family."""

    child_id: str = ""
    name: str = ""
    date_of_birth: dt.date | None = None
    child_says: str = ""
    # Answered from the timescales engine when the minutes are opened, never typed (issue 14).
    seen_in_timescales: bool | None = None
    seen_in_timescales_note: str = ""  # what the engine found, in words
    advocate_understood: bool | None = None
    scaling: Scaling = field(default_factory=Scaling)


@dataclass
class SafetyGoal:
    """A row of "Progress of Plan": a safety goal linked to a worry in the danger statement."""

    goal: str = ""
    worry: str = ""  # the worry in the danger statement it answers
    how_changed: str = ""  # how have things changed? how can we show things are safer?
    achieved: bool | None = None
    agreed_on: dt.date | None = None  # the meeting that agreed it; set: it can never be removed
    # 001 §7.3: goals "can only be changed by the conference": the reason, when it was changed.
    change_reason: str = ""
    id: str = field(default_factory=new_id)


@dataclass
class NextStep:
    """An agreed action: what, who is responsible, by a specific date (003 §3)."""

    action: str = ""
    who: str = ""
    by_when: dt.date | None = None
    goal_id: str = ""  # the SafetyGoal it serves
    achieved: bool | None = None
    agreed_on: dt.date | None = None
    change_reason: str = ""
    id: str = field(default_factory=new_id)


@dataclass
class MinutesAmendment:
    """Why finalised minutes were changed; the earlier version stays in storage."""

    reason: str
    amended_at: dt.datetime
    amended_by: str = ""
    previous_version: int = 1


@dataclass
class CoreGroupMinutes:
    """One core group meeting of a family, in the order of the Suffolk template."""

    id: str = field(default_factory=new_id)
    reference: str = ""
    version: int = 1
    state: MinutesState = MinutesState.DRAFT
    family_id: str = ""
    family_name: str = ""
    sequence: int = 1  # 1 = the first core group after the initial conference

    # Header
    form_start_date: dt.date | None = None
    worker_name: str = ""  # the lead social worker (key worker)
    worker_email: str = ""
    initial_conference: dt.date | None = None
    due_date: dt.date | None = None  # a fact: coreform.minutes_schedule
    due_rule: str = ""  # the rule that set the due date, with its source
    planned_date: dt.date | None = None
    actual_date: dt.date | None = None
    venue: str = ""
    completed_on: dt.date | None = None  # "minutes completed": the day they were finalised

    attendees: list[Attendee] = field(default_factory=list)
    # 001 §4.2: a chair other than the lead social worker updates them within 3 working days.
    key_worker_updated_on: dt.date | None = None

    family_says: str = ""
    children: list[ChildMinutes] = field(default_factory=list)

    safety_goals: list[SafetyGoal] = field(default_factory=list)
    next_steps: list[NextStep] = field(default_factory=list)
    # 001 §2.5, §7.3: disagreement or dissent about the plan is recorded.
    dissent_noted: bool | None = None
    dissent: str = ""

    progress_summary: str = ""
    last_before_review: bool = False  # a fact: coreform.minutes_schedule
    recommendations: str = ""
    working_well: str = ""
    worried_about: str = ""
    needs_to_happen: str = ""

    next_date: dt.date | None = None
    next_venue: str = ""

    distributed_on: dt.date | None = None  # a fact: every recipient's message was accepted
    created_at: dt.datetime = field(default_factory=now_london)
    updated_at: dt.datetime = field(default_factory=now_london)
    finalised_at: dt.datetime | None = None
    amendment: MinutesAmendment | None = None

    @property
    def locked(self) -> bool:
        return self.state.locked

    @property
    def meeting_date(self) -> dt.date | None:
        """The day it was held, else the day it is planned for."""
        return self.actual_date or self.planned_date

    def child_ids(self) -> list[str]:
        return [child.child_id for child in self.children]

    def chair(self) -> Attendee | None:
        chairs = [attendee for attendee in self.attendees if attendee.chair]
        return chairs[0] if len(chairs) == 1 else None


def minutes_audit_name(minutes: CoreGroupMinutes) -> str:
    """How the audit trail and the log name minutes: reference and version, never a name."""
    return f"{minutes.reference} v{minutes.version}"


INITIAL_CONFERENCE = "Initial conference"


@dataclass(frozen=True)
class ScalingPoint:
    """One column of the scaling chart: a meeting (or the initial conference) and its scores."""

    day: dt.date | None
    label: str  # "Initial conference", "Core group 2"
    child: int | None
    parents: int | None
    professionals: int | None
    minutes_id: str = ""
    reference: str = ""


def scaling_history(
    meetings: Sequence[CoreGroupMinutes], child_ids: Collection[str]
) -> list[ScalingPoint]:
    """A child's scaling at the initial conference, then at each meeting (oldest first) that
    covered them; `child_ids` are the child's ids (here, and as senders of minutes know them)."""
    points: list[ScalingPoint] = []
    for meeting in meetings:
        child = next((c for c in meeting.children if c.child_id in child_ids), None)
        if child is None:
            continue
        by_child, parents, professionals = (
            child.scaling.child,
            child.scaling.parents,
            child.scaling.professionals,
        )
        if not points:
            points.append(
                ScalingPoint(
                    meeting.initial_conference,
                    INITIAL_CONFERENCE,
                    by_child.initial_conference,
                    parents.initial_conference,
                    professionals.initial_conference,
                )
            )
        points.append(
            ScalingPoint(
                meeting.actual_date,
                f"Core group {meeting.sequence}",
                by_child.this_meeting,
                parents.this_meeting,
                professionals.this_meeting,
                minutes_id=meeting.id,
                reference=meeting.reference,
            )
        )
    return points


def with_received(
    own: Sequence[ScalingPoint], received: Sequence[ScalingPoint]
) -> list[ScalingPoint]:
    """The child's own scaling and the received minutes' (labelled so), oldest first; a meeting
    both cover (same day, or the initial conference) is shown once, from the child's own."""
    days = {point.day for point in own if point.day is not None}
    labels = {point.label for point in own}
    added = [
        replace(point, label=f"{point.label} (received)")
        for point in received
        if point.day not in days
        and not (point.label == INITIAL_CONFERENCE and INITIAL_CONFERENCE in labels)
    ]
    return sorted(
        [*own, *added],
        key=lambda p: (
            not p.label.startswith(INITIAL_CONFERENCE),
            p.day is None,
            p.day or dt.date.min,
        ),
    )


_TYPES = (
    CoreGroupMinutes,
    Attendee,
    AttendeeKind,
    ScaleRow,
    Scaling,
    ChildMinutes,
    SafetyGoal,
    NextStep,
    MinutesAmendment,
    MinutesState,
)


def minutes_to_dict(minutes: CoreGroupMinutes) -> dict[str, Any]:
    """The minutes as JSON-ready data, with their schema name and version."""
    return {
        "schema": MINUTES_SCHEMA_NAME,
        "schema_version": MINUTES_SCHEMA_VERSION,
        "minutes": to_json_data(minutes),
    }


def minutes_from_dict(data: Any) -> CoreGroupMinutes:
    """Reads what `minutes_to_dict` wrote; RecordFormatError for anything else."""
    if not isinstance(data, dict) or data.get("schema") != MINUTES_SCHEMA_NAME:
        raise RecordFormatError("These are not coreform core group minutes.")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise RecordFormatError("The minutes' format version is missing.")
    if version > MINUTES_SCHEMA_VERSION:
        raise RecordFormatError(
            "These minutes were made by a newer coreform. Update coreform to open them."
        )
    minutes = from_json_data(CoreGroupMinutes, data.get("minutes"), _TYPES)
    assert isinstance(minutes, CoreGroupMinutes)
    return minutes
