"""A child's plan: what the conferences decided, which the timescales count from (000, 004 §9).

Plain dataclasses, no storage and no Qt. The engine that applies a policy profile to a plan is
`coreform.timescales`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from coreform.policies import Interval, RuleId
from coreform.records import PlanType, new_id


@dataclass
class PlanMember:
    """A core group member named at conference, for the time they belong to it (004 §9.2)."""

    name: str = ""
    role: str = ""
    agency: str = ""
    email: str = ""
    joined: dt.date | None = None
    left: dt.date | None = None
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class MinutesHeld:
    """A core group held for the child whose minutes are final: when it was held and when its
    minutes reached every recipient (001 §4.3, 004 §9.3.26)."""

    held_on: dt.date
    distributed_on: dt.date | None = None
    reference: str = ""


@dataclass
class ChildPlan:
    """One child's CP or CIN plan.

    `overrides` holds the frequencies a conference set instead of the profile's (000: agreed in
    the plan; 004 §9.3.30 "unless a different frequency is stipulated by the conference").
    """

    child_id: str
    initial_conference: dt.date
    plan_type: PlanType = PlanType.CP
    reviews: tuple[dt.date, ...] = ()  # review conferences held
    core_groups: tuple[dt.date, ...] = ()  # core group meetings held
    next_review: dt.date | None = None  # the review conference booked
    members: list[PlanMember] = field(default_factory=list)
    overrides: Mapping[RuleId, Interval] = field(default_factory=dict)
    # Read from the minutes, never saved with the plan: the minutes' deadline counts from them.
    minutes: tuple[MinutesHeld, ...] = ()
    version: int = 0  # 0 = not saved yet; the stored copy's save counter

    def conferences_held(self, today: dt.date) -> list[dt.date]:
        """The initial conference and the reviews held by `today`, oldest first."""
        return sorted(day for day in (self.initial_conference, *self.reviews) if day <= today)
