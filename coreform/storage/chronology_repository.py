"""A child's chronology in one paged query: contacts (own and received records), the plan's
conferences and core group meetings, and core group minutes received, newest first, filtered in
the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    Boolean,
    CompoundSelect,
    Integer,
    String,
    Time,
    and_,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from coreform.inbox import ChronologyEntry, ChronologyFilter, EntryKind, ReviewState
from coreform.records import RecordState, Setting
from coreform.storage.inbox_tables import (
    ReceivedMinutesChildRow,
    ReceivedMinutesRow,
    ReceivedRecordRow,
)
from coreform.storage.plan_repository import CORE_GROUP, REVIEW
from coreform.storage.plan_tables import ChildPlanRow, PlanMeetingRow
from coreform.storage.tables import ChildObservationRow, RecordRow

_MEETING = "meeting"
_MINUTES_RECEIVED = "minutes_received"
_INITIAL = "initial"
_CONFERENCE_TITLES = {
    _INITIAL: "Initial child protection conference",
    REVIEW: "Review child protection conference",
}


class ChronologyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def count(self, child_ids: Sequence[str], where: ChronologyFilter) -> int:
        union = _union(child_ids, where)
        if union is None:
            return 0
        return int(self._session.scalar(select(func.count()).select_from(union.subquery())) or 0)

    def page(
        self, child_ids: Sequence[str], where: ChronologyFilter, offset: int, limit: int
    ) -> list[ChronologyEntry]:
        union = _union(child_ids, where)
        if union is None:
            return []
        entries = union.subquery()
        rows = self._session.execute(
            select(entries)
            .order_by(
                entries.c.day.desc(),
                entries.c.time.desc().nulls_last(),
                entries.c.reference,
            )
            .offset(offset)
            .limit(limit)
        ).all()
        return [_entry(row._mapping) for row in rows]


def _union(
    child_ids: Sequence[str], where: ChronologyFilter
) -> CompoundSelect[*tuple[Any, ...]] | None:
    parts = []
    if EntryKind.CONTACT in where.kinds:
        parts.append(_contacts(child_ids, where))
    # Meetings have no agency: a filter by agency shows contacts only.
    if not where.agency.strip():
        if EntryKind.CONFERENCE in where.kinds:
            parts.append(_initial_conferences(child_ids, where))
        meeting_kinds = [
            kind
            for kind, wanted in (
                (REVIEW, EntryKind.CONFERENCE),
                (CORE_GROUP, EntryKind.CORE_GROUP),
            )
            if wanted in where.kinds
        ]
        if meeting_kinds:
            parts.append(_meetings(child_ids, where, meeting_kinds))
        if EntryKind.CORE_GROUP in where.kinds:
            parts.append(_minutes_received(child_ids, where))
    return union_all(*parts) if parts else None


def _dated(query: Any, column: Any, where: ChronologyFilter) -> Any:
    if where.date_from is not None:
        query = query.where(column >= where.date_from)
    if where.date_to is not None:
        query = query.where(column <= where.date_to)
    return query


def _contacts(child_ids: Sequence[str], where: ChronologyFilter) -> Any:
    newest = (
        select(RecordRow.record_id, func.max(RecordRow.version).label("version"))
        .where(RecordRow.state != RecordState.DRAFT.value)
        .group_by(RecordRow.record_id)
        .subquery()
    )
    query = (
        select(
            RecordRow.visit_date.label("day"),
            RecordRow.visit_time.label("time"),
            literal(EntryKind.CONTACT.value, String).label("kind"),
            RecordRow.setting.label("setting"),
            RecordRow.setting_other.label("detail"),
            RecordRow.completed_by_agency.label("agency"),
            RecordRow.completed_by_name.label("by_name"),
            RecordRow.completed_by_role.label("by_role"),
            RecordRow.reference.label("reference"),
            RecordRow.record_id.label("record_id"),
            RecordRow.version.label("version"),
            ReceivedRecordRow.review_state.label("review_state"),
            ChildObservationRow.seen.label("seen"),
        )
        .join(
            newest,
            and_(RecordRow.record_id == newest.c.record_id, RecordRow.version == newest.c.version),
        )
        .join(
            ChildObservationRow,
            and_(
                ChildObservationRow.record_id == RecordRow.record_id,
                ChildObservationRow.record_version == RecordRow.version,
            ),
        )
        .join(
            ReceivedRecordRow,
            and_(
                ReceivedRecordRow.record_id == RecordRow.record_id,
                ReceivedRecordRow.version == RecordRow.version,
            ),
            isouter=True,
        )
        .where(ChildObservationRow.child_id.in_(child_ids), RecordRow.visit_date.is_not(None))
    )
    if where.agency.strip():
        pattern = f"%{where.agency.strip().lower()}%"
        query = query.where(func.lower(RecordRow.completed_by_agency).like(pattern))
    return _dated(query, RecordRow.visit_date, where)


def _meeting_columns(day: Any, detail: Any) -> list[Any]:
    """A conference or meeting as a row of the contacts' shape; `detail` says which kind."""
    return [
        day.label("day"),
        null().cast(Time).label("time"),
        literal(_MEETING, String).label("kind"),
        null().cast(String).label("setting"),
        detail.label("detail"),
        literal("", String).label("agency"),
        literal("", String).label("by_name"),
        literal("", String).label("by_role"),
        literal("", String).label("reference"),
        null().cast(String).label("record_id"),
        null().cast(Integer).label("version"),
        null().cast(String).label("review_state"),
        null().cast(Boolean).label("seen"),
    ]


def _initial_conferences(child_ids: Sequence[str], where: ChronologyFilter) -> Any:
    query = select(
        *_meeting_columns(ChildPlanRow.initial_conference, literal(_INITIAL, String))
    ).where(ChildPlanRow.child_id.in_(child_ids))
    return _dated(query, ChildPlanRow.initial_conference, where)


def _meetings(child_ids: Sequence[str], where: ChronologyFilter, kinds: list[str]) -> Any:
    query = select(*_meeting_columns(PlanMeetingRow.held_on, PlanMeetingRow.kind)).where(
        PlanMeetingRow.child_id.in_(child_ids), PlanMeetingRow.kind.in_(kinds)
    )
    return _dated(query, PlanMeetingRow.held_on, where)


def _minutes_received(child_ids: Sequence[str], where: ChronologyFilter) -> Any:
    """The latest version received of each meeting's minutes that covered the child."""
    newest = (
        select(ReceivedMinutesRow.minutes_id, func.max(ReceivedMinutesRow.version).label("version"))
        .group_by(ReceivedMinutesRow.minutes_id)
        .subquery()
    )
    query = (
        select(
            ReceivedMinutesRow.meeting_date.label("day"),
            null().cast(Time).label("time"),
            literal(_MINUTES_RECEIVED, String).label("kind"),
            null().cast(String).label("setting"),
            literal("", String).label("detail"),
            literal("", String).label("agency"),
            ReceivedMinutesRow.sender_name.label("by_name"),
            literal("", String).label("by_role"),
            ReceivedMinutesRow.reference.label("reference"),
            ReceivedMinutesRow.minutes_id.label("record_id"),  # the union's id: the minutes' here
            ReceivedMinutesRow.version.label("version"),
            null().cast(String).label("review_state"),
            null().cast(Boolean).label("seen"),
        )
        .join(
            newest,
            and_(
                ReceivedMinutesRow.minutes_id == newest.c.minutes_id,
                ReceivedMinutesRow.version == newest.c.version,
            ),
        )
        .where(
            ReceivedMinutesRow.meeting_date.is_not(None),
            select(ReceivedMinutesChildRow.child_id)
            .where(
                ReceivedMinutesChildRow.minutes_id == ReceivedMinutesRow.minutes_id,
                ReceivedMinutesChildRow.version == ReceivedMinutesRow.version,
                ReceivedMinutesChildRow.child_id.in_(child_ids),
            )
            .exists(),
        )
    )
    return _dated(query, ReceivedMinutesRow.meeting_date, where)


def _entry(row: Any) -> ChronologyEntry:
    if row["kind"] == _MINUTES_RECEIVED:
        return ChronologyEntry(
            day=_date(row["day"]),
            time=None,
            kind=EntryKind.CORE_GROUP,
            title="Core group meeting: minutes received",
            agency="",
            by=row["by_name"],
            reference=row["reference"],
            record_id=None,
            version=row["version"],
            received=True,
            review_state=None,
            child_seen=None,
            minutes_id=row["record_id"],
        )
    if row["kind"] == _MEETING:
        conference = row["detail"] in _CONFERENCE_TITLES
        return ChronologyEntry(
            day=_date(row["day"]),
            time=None,
            kind=EntryKind.CONFERENCE if conference else EntryKind.CORE_GROUP,
            title=_CONFERENCE_TITLES.get(row["detail"], EntryKind.CORE_GROUP.label),
            agency="",
            by="",
            reference="",
            record_id=None,
            version=None,
            received=False,
            review_state=None,
            child_seen=None,
        )
    setting = Setting(row["setting"]) if row["setting"] else None
    title = row["detail"] if setting is Setting.OTHER and row["detail"] else ""
    by = ", ".join(part for part in (row["by_name"], row["by_role"]) if part)
    state = row["review_state"]
    return ChronologyEntry(
        day=_date(row["day"]),
        time=row["time"],
        kind=EntryKind.CONTACT,
        title=title or (setting.label if setting else "Contact"),
        agency=row["agency"],
        by=by,
        reference=row["reference"],
        record_id=row["record_id"],
        version=row["version"],
        received=state is not None,
        review_state=ReviewState(state) if state else None,
        child_seen=row["seen"],
    )


def _date(value: Any) -> dt.date:
    """SQLite hands back a union's dates as text; other databases as dates."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
