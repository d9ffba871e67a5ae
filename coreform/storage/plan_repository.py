"""Children's plans in and out of the database, and the caseload's facts in two queries.

Rows become `coreform.plans` / `coreform.timescales` dataclasses here; nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

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
NO_OVERRIDES = "{}"


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
        return _plan(
            row.child_id,
            row.plan_type,
            row.initial_conference,
            row.next_review,
            row.overrides,
            row.row_version,
            meetings,
            [_member(member) for member in members],
        )

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
        # Columns, not mapped objects: 15,000 objects for 5,000 children cost a second.
        query = in_scope(
            select(
                ChildPlanRow.child_id,
                ChildPlanRow.plan_type,
                type_coerce(ChildPlanRow.initial_conference, String),
                type_coerce(ChildPlanRow.next_review, String),
                ChildPlanRow.overrides,
                ChildPlanRow.row_version,
                ChildRow.name,
                type_coerce(ChildRow.date_of_birth, String),
                FamilyRow.id,
                FamilyRow.name,
                FamilyRow.key_worker_name,
                FamilyRow.key_worker_email,
                FamilyRow.key_worker_team,
            )
            .join(ChildRow, ChildRow.id == ChildPlanRow.child_id)
            .join(FamilyRow, FamilyRow.id == ChildRow.family_id),
            scope,
            None if child_id is None else [child_id],
        )
        rows = self._session.execute(query).all()
        meetings = self._meetings_in(scope, child_id) if rows else {}
        no_meetings: tuple[list[dt.date], list[dt.date]] = ([], [])
        return [
            PlannedChild(
                child_id=plan_id,
                name=name,
                date_of_birth=read_day(born),
                family_id=family_id,
                family_name=family_name,
                key_worker=key_worker,
                key_worker_email=key_worker_email,
                team=team,
                plan=_plan(
                    plan_id,
                    plan_type,
                    _given(read_day(initial)),
                    read_day(next_review),
                    overrides,
                    version,
                    meetings.get(plan_id, no_meetings),
                    [],
                ),
            )
            for (
                plan_id,
                plan_type,
                initial,
                next_review,
                overrides,
                version,
                name,
                born,
                family_id,
                family_name,
                key_worker,
                key_worker_email,
                team,
            ) in rows
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

    def _meetings_in(
        self, scope: CaseloadScope, child_id: str | None
    ) -> dict[str, tuple[list[dt.date], list[dt.date]]]:
        """The meetings of the children in `scope` (or just `child_id`), in one query."""
        query = in_scope(
            select(PlanMeetingRow.child_id, PlanMeetingRow.kind, PlanMeetingRow.held_on)
            .join(ChildPlanRow, ChildPlanRow.child_id == PlanMeetingRow.child_id)
            .join(ChildRow, ChildRow.id == ChildPlanRow.child_id)
            .join(FamilyRow, FamilyRow.id == ChildRow.family_id)
            .order_by(PlanMeetingRow.held_on),
            scope,
            None if child_id is None else [child_id],
        )
        return _by_child(self._session.execute(query))

    def _meetings(self, child_ids: list[str]) -> dict[str, tuple[list[dt.date], list[dt.date]]]:
        found: dict[str, tuple[list[dt.date], list[dt.date]]] = {}
        for chunk in _chunks(child_ids, 500):
            query = (
                select(PlanMeetingRow.child_id, PlanMeetingRow.kind, PlanMeetingRow.held_on)
                .where(PlanMeetingRow.child_id.in_(chunk))
                .order_by(PlanMeetingRow.held_on)
            )
            found.update(_by_child(self._session.execute(query)))
        return found


def _by_child(
    rows: Iterable[tuple[str, str, dt.date]],
) -> dict[str, tuple[list[dt.date], list[dt.date]]]:
    """(reviews, core groups) by child, from (child id, kind, held on) rows."""
    found: dict[str, tuple[list[dt.date], list[dt.date]]] = {}
    for child_id, kind, day in rows:
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
    return in_scope(
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


def in_scope(query: Select, scope: CaseloadScope, child_ids: list[str] | None) -> Select:  # type: ignore[type-arg]
    """`query` (which joins child_plans and families) narrowed to `scope`, or to `child_ids`."""
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
    child_id: str,
    plan_type: str,
    initial_conference: dt.date,
    next_review: dt.date | None,
    overrides: str,
    version: int,
    meetings: tuple[list[dt.date], list[dt.date]],
    members: list[PlanMember],
) -> ChildPlan:
    reviews, core_groups = meetings
    return ChildPlan(
        child_id=child_id,
        initial_conference=initial_conference,
        plan_type=PlanType(plan_type),
        reviews=tuple(reviews),
        core_groups=tuple(core_groups),
        next_review=next_review,
        members=members,
        overrides={
            RuleId(rule): Interval.parse(every) for rule, every in json.loads(overrides).items()
        }
        if overrides != NO_OVERRIDES
        else {},
        version=version,
    )


def read_day(stored: str | dt.date | None) -> dt.date | None:
    """A date column read as text (SQLite's text, parsed here: SQLAlchemy's date processor costs
    more than the query) or as a date (PostgreSQL's driver hands back dates)."""
    if stored is None or isinstance(stored, dt.date):
        return stored
    return dt.date.fromisoformat(stored)


def _given(day: dt.date | None) -> dt.date:
    assert day is not None  # a NOT NULL column
    return day


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
        date=_given(read_day(visit_date)),
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
