"""Children's plans in and out of the database, and the caseload's facts in two queries.

Rows become `coreform.plans` / `coreform.timescales` dataclasses here; nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence

from sqlalchemy import Select, String, and_, delete, func, select, type_coerce
from sqlalchemy.orm import Session, aliased

from coreform.caseload import CaseloadScope, PlannedChild
from coreform.contact_facts import Contact, ContactBy
from coreform.plans import ChildPlan, PlanMember
from coreform.policies import Interval, RuleId
from coreform.records import PlanType, RecordState, Setting
from coreform.storage.inbox_tables import ChildLinkRow
from coreform.storage.plan_tables import ChildPlanRow, PlanMeetingRow, PlanMemberRow
from coreform.storage.tables import ChildObservationRow, ChildRow, FamilyRow, RecordRow

REVIEW, CORE_GROUP = "review", "core_group"


class StalePlanError(Exception):
    """The stored plan changed since the caller read it."""


class PlanRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, child_id: str) -> ChildPlan | None:
        row = self._session.get(ChildPlanRow, child_id)
        if row is None:
            return None
        meetings = self._meetings([child_id]).get(child_id, ([], []))
        members = self._session.scalars(
            select(PlanMemberRow)
            .where(PlanMemberRow.child_id == child_id)
            .order_by(PlanMemberRow.position)
        )
        return _plan(row, meetings, [_member(member) for member in members])

    def save(self, plan: ChildPlan, *, now: dt.datetime) -> int:
        """Inserts or replaces the plan; returns the new save counter. StalePlanError on a race."""
        row = self._session.get(ChildPlanRow, plan.child_id)
        if row is None:
            if plan.version:
                raise StalePlanError(plan.child_id)
            row = ChildPlanRow(child_id=plan.child_id)
            self._session.add(row)
        elif row.row_version != plan.version:
            raise StalePlanError(plan.child_id)
        row.plan_type = plan.plan_type.value
        row.initial_conference = plan.initial_conference
        row.next_review = plan.next_review
        row.overrides = json.dumps(
            {rule.value: str(every) for rule, every in plan.overrides.items()}
        )
        row.updated_at = now
        for table in (PlanMeetingRow, PlanMemberRow):
            self._session.execute(delete(table).where(table.child_id == plan.child_id))
        self._session.add_all(
            PlanMeetingRow(child_id=plan.child_id, kind=kind, held_on=day)
            for kind, days in ((REVIEW, plan.reviews), (CORE_GROUP, plan.core_groups))
            for day in sorted(set(days))
        )
        self._session.add_all(
            PlanMemberRow(
                id=member.id,
                child_id=plan.child_id,
                position=position,
                name=member.name,
                role=member.role,
                agency=member.agency,
                email=member.email,
                joined=member.joined,
                left=member.left,
            )
            for position, member in enumerate(plan.members)
        )
        self._session.flush()
        return row.row_version

    # ---- the caseload -------------------------------------------------------------------------

    def planned_child(self, child_id: str) -> PlannedChild | None:
        found = self.planned_children(CaseloadScope(), child_id=child_id)
        return found[0] if found else None

    def planned_children(
        self, scope: CaseloadScope, *, child_id: str | None = None
    ) -> list[PlannedChild]:
        """Every child on a plan in `scope` (or just `child_id`), with family and key worker."""
        query = _scoped(
            select(ChildPlanRow, ChildRow, FamilyRow)
            .join(ChildRow, ChildRow.id == ChildPlanRow.child_id)
            .join(FamilyRow, FamilyRow.id == ChildRow.family_id),
            scope,
            None if child_id is None else [child_id],
        )
        rows = self._session.execute(query).all()
        meetings = self._meetings([plan.child_id for plan, _, _ in rows]) if rows else {}
        return [
            PlannedChild(
                child_id=child.id,
                name=child.name,
                date_of_birth=child.date_of_birth,
                family_id=family.id,
                family_name=family.name,
                key_worker=family.key_worker_name,
                key_worker_email=family.key_worker_email,
                team=family.key_worker_team,
                plan=_plan(plan, meetings.get(plan.child_id, ([], [])), []),
            )
            for plan, child, family in rows
        ]

    def contacts(
        self, scope: CaseloadScope, *, child_ids: Sequence[str] | None = None
    ) -> dict[str, list[Contact]]:
        """Per child on a plan in `scope` (or just `child_ids`): the contacts of submitted
        records (their newest locked version), where the record names a visit date, including
        records received for a child the key worker matched to this one (the inbox's links)."""
        found: dict[str, list[Contact]] = defaultdict(list)
        chunks = [None] if child_ids is None else list(_chunks(list(child_ids), 500))
        for chunk in chunks:
            # Two index-friendly queries rather than one join on "own id or a linked id".
            for linked in (False, True):
                for row in self._session.execute(_contacts_query(scope, chunk, linked=linked)):
                    found[row[0]].append(_contact(*row[1:]))
        return found

    def _meetings(self, child_ids: list[str]) -> dict[str, tuple[list[dt.date], list[dt.date]]]:
        found: dict[str, tuple[list[dt.date], list[dt.date]]] = {}
        for chunk in _chunks(child_ids, 500):
            query = (
                select(PlanMeetingRow.child_id, PlanMeetingRow.kind, PlanMeetingRow.held_on)
                .where(PlanMeetingRow.child_id.in_(chunk))
                .order_by(PlanMeetingRow.held_on)
            )
            for child_id, kind, day in self._session.execute(query):
                reviews, core_groups = found.setdefault(child_id, ([], []))
                (reviews if kind == REVIEW else core_groups).append(day)
        return found


def _contacts_query(scope: CaseloadScope, child_ids: list[str] | None, *, linked: bool) -> Select:  # type: ignore[type-arg]
    """The contacts of records naming a planned child, or (`linked`) a received child the key
    worker matched to one."""
    # The newest locked version of each record: no later version that is not a draft (NOT
    # EXISTS costs SQLite 40% less than comparing with a correlated max()).
    later = aliased(RecordRow)
    newer_locked = (
        select(later.version)
        .where(
            later.record_id == RecordRow.record_id,
            later.version > RecordRow.version,
            later.state != RecordState.DRAFT.value,
        )
        .exists()
    )
    query = select(
        ChildPlanRow.child_id,
        # Read as text and parsed below: 250,000 dates through SQLAlchemy's SQLite date
        # processor cost more than the query itself (bench/caseload.py).
        type_coerce(RecordRow.visit_date, String),
        RecordRow.setting,
        ChildObservationRow.seen,
        ChildObservationRow.seen_alone,
        ChildObservationRow.seen_awake,
        ChildObservationRow.bedroom_seen,
        RecordRow.completed_by_email,
        RecordRow.completed_by_name,
        RecordRow.key_worker_email,
        RecordRow.key_worker_name,
        RecordRow.reference,
        RecordRow.record_id,
        RecordRow.completed_by_agency,
    ).join(
        RecordRow,
        and_(
            RecordRow.record_id == ChildObservationRow.record_id,
            RecordRow.version == ChildObservationRow.record_version,
        ),
    )
    if linked:
        query = query.join(
            ChildLinkRow, ChildLinkRow.received_child_id == ChildObservationRow.child_id
        ).join(ChildPlanRow, ChildPlanRow.child_id == ChildLinkRow.child_id)
    else:
        query = query.join(ChildPlanRow, ChildPlanRow.child_id == ChildObservationRow.child_id)
    return _scoped(
        query.join(ChildRow, ChildRow.id == ChildPlanRow.child_id)
        .join(FamilyRow, FamilyRow.id == ChildRow.family_id)
        # Not ordered: the engine sorts each child's contacts, and sorting 250,000 rows in
        # the database would cost a temporary B-tree.
        .where(
            RecordRow.state != RecordState.DRAFT.value,
            ~newer_locked,
            RecordRow.visit_date.is_not(None),
        ),
        scope,
        child_ids,
    )


def _scoped(query: Select, scope: CaseloadScope, child_ids: list[str] | None) -> Select:  # type: ignore[type-arg]
    if child_ids is not None:
        query = query.where(ChildPlanRow.child_id.in_(child_ids))
    if scope.key_worker_email:
        return query.where(func.lower(FamilyRow.key_worker_email) == scope.key_worker_email.lower())
    if scope.key_worker_name:
        return query.where(FamilyRow.key_worker_name == scope.key_worker_name)
    return query


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _plan(
    row: ChildPlanRow,
    meetings: tuple[list[dt.date], list[dt.date]],
    members: list[PlanMember],
) -> ChildPlan:
    reviews, core_groups = meetings
    return ChildPlan(
        child_id=row.child_id,
        initial_conference=row.initial_conference,
        plan_type=PlanType(row.plan_type),
        reviews=tuple(reviews),
        core_groups=tuple(core_groups),
        next_review=row.next_review,
        members=members,
        overrides={
            RuleId(rule): Interval.parse(every) for rule, every in json.loads(row.overrides).items()
        },
        version=row.row_version,
    )


def _member(row: PlanMemberRow) -> PlanMember:
    return PlanMember(
        name=row.name,
        role=row.role,
        agency=row.agency,
        email=row.email,
        joined=row.joined,
        left=row.left,
        id=row.id,
    )


def _contact(
    visit_date: dt.date | str,
    setting: str | None,
    seen: bool | None,
    seen_alone: bool | None,
    seen_awake: bool | None,
    bedroom_seen: bool | None,
    completed_by_email: str,
    completed_by_name: str,
    key_worker_email: str,
    key_worker_name: str,
    reference: str,
    record_id: str,
    agency: str,
) -> Contact:
    # Issue 12: a record the key worker completed themselves is a key worker contact.
    if completed_by_email and key_worker_email:
        by_key_worker = completed_by_email.strip().lower() == key_worker_email.strip().lower()
    else:
        name = completed_by_name.strip()
        by_key_worker = bool(name) and name == key_worker_name.strip()
    return Contact(
        date=visit_date if isinstance(visit_date, dt.date) else dt.date.fromisoformat(visit_date),
        by=ContactBy.KEY_WORKER if by_key_worker else ContactBy.CORE_GROUP_MEMBER,
        at_home=setting == Setting.HOME.value,
        seen=bool(seen),
        seen_alone=bool(seen_alone),
        baby_awake=bool(seen_awake),
        bedroom_seen=bool(bedroom_seen),
        reference=reference,
        record_id=record_id,
        agency=agency,
    )
