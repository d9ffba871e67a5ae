"""Repositories: table rows in, `coreform.records` dataclasses out. No ORM object leaves here.

Each repository works inside the session of a `UnitOfWork`; nothing here commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from coreform.outbox import OutboxItem, OutboxState, RecipientKind, Transport
from coreform.records import (
    Amendment,
    Child,
    ChildObservation,
    CoreGroupMember,
    Family,
    KeyWorker,
    MonitoringRecord,
    ParentCarer,
    PlanType,
    Practitioner,
    RecordState,
    SendMethod,
    Setting,
)
from coreform.storage.record_list import ListIndex
from coreform.storage.tables import (
    ChildObservationRow,
    ChildRow,
    CoreGroupMemberRow,
    FamilyRow,
    KeyWorkerRow,
    OutboxMessageRow,
    ParentCarerRow,
    RecordRow,
    SessionRow,
    SettingRow,
)


class StaleRecordError(Exception):
    """The stored record changed since the caller read it."""


@dataclass(frozen=True)
class RecordHead:
    """The latest version of a record, as much as a list of records shows."""

    id: str
    reference: str
    state: RecordState
    version: int
    family_name: str
    child_names: tuple[str, ...]
    visit_date: dt.date | None
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    session_id: str | None


# Columns copied one to one between MonitoringRecord and RecordRow.
_RECORD_PLAIN = (
    "reference",
    "version",
    "family_id",
    "family_name",
    "visit_date",
    "visit_time",
    "setting_other",
    "announced",
    "purpose",
    "others_present",
    "observations",
    "home_conditions",
    "family_circumstances",
    "risks_worsened",
    "new_incidents",
    "incidents_injuries",
    "immediate_concerns",
    "concerns_told_who",
    "concerns_told_at",
    "cp_procedures_considered",
    "parents_informed",
    "parents_not_informed_reason",
    "copy_to_parents",
    "no_copy_reason",
    "parents_copy_note",
    "date_completed",
    "date_sent",
    "lateness_reason",
    "due_date",
    "working_days_late",
    "next_contact",
    "next_contact_note",
    "created_at",
    "updated_at",
    "submitted_at",
)
_KEY_WORKER = ("name", "email", "team", "phone")
_PRACTITIONER = ("name", "role", "agency", "email", "phone")
_OBSERVATION_PLAIN = (
    "seen",
    "not_seen_reason",
    "spoken_with",
    "not_spoken_with_reason",
    "seen_alone",
    "not_seen_alone_reason",
    "parent_agreed_alone",
    "seen_awake",
    "bedroom_seen",
    "presentation",
    "wishes_and_feelings",
)


def _record_columns(record: MonitoringRecord, session_id: str | None) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(record, name) for name in _RECORD_PLAIN}
    values.update({f"key_worker_{n}": getattr(record.key_worker, n) for n in _KEY_WORKER})
    values.update({f"completed_by_{n}": getattr(record.completed_by, n) for n in _PRACTITIONER})
    amendment = record.amendment
    values.update(
        record_id=record.id,
        state=record.state.value,
        setting=record.setting.value if record.setting is not None else None,
        send_method=record.send_method.value,
        session_id=session_id,
        amendment_reason=amendment.reason if amendment else None,
        amendment_at=amendment.amended_at if amendment else None,
        amendment_by=amendment.amended_by if amendment else None,
        amendment_previous_version=amendment.previous_version if amendment else None,
    )
    return values


def _observation_columns(
    record: MonitoringRecord, position: int, observation: ChildObservation
) -> dict[str, Any]:
    child = observation.child
    values: dict[str, Any] = {name: getattr(observation, name) for name in _OBSERVATION_PLAIN}
    values.update(
        record_id=record.id,
        record_version=record.version,
        position=position,
        child_id=child.id,
        child_name=child.name,
        child_date_of_birth=child.date_of_birth,
        child_plan_type=child.plan_type.value,
        child_local_identifier=child.local_identifier,
        child_unborn=child.unborn,
        child_expected_date=child.expected_date,
    )
    return values


def _record_from_row(
    row: RecordRow, observations: Sequence[ChildObservationRow]
) -> MonitoringRecord:
    record = MonitoringRecord(
        id=row.record_id,
        state=RecordState(row.state),
        setting=Setting(row.setting) if row.setting is not None else None,
        send_method=SendMethod(row.send_method),
        key_worker=KeyWorker(**{n: getattr(row, f"key_worker_{n}") for n in _KEY_WORKER}),
        completed_by=Practitioner(**{n: getattr(row, f"completed_by_{n}") for n in _PRACTITIONER}),
        children=[_observation_from_row(obs) for obs in observations],
    )
    for name in _RECORD_PLAIN:
        setattr(record, name, getattr(row, name))
    if row.amendment_reason is not None and row.amendment_at is not None:
        record.amendment = Amendment(
            reason=row.amendment_reason,
            amended_at=row.amendment_at,
            amended_by=row.amendment_by or "",
            previous_version=row.amendment_previous_version or 1,
        )
    return record


def _observation_from_row(row: ChildObservationRow) -> ChildObservation:
    child = Child(
        id=row.child_id,
        name=row.child_name,
        date_of_birth=row.child_date_of_birth,
        plan_type=PlanType(row.child_plan_type),
        local_identifier=row.child_local_identifier,
        unborn=row.child_unborn,
        expected_date=row.child_expected_date,
    )
    observation = ChildObservation(child=child)
    for name in _OBSERVATION_PLAIN:
        setattr(observation, name, getattr(row, name))
    return observation


class RecordRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _row(self, record_id: str, version: int) -> RecordRow | None:
        return self._session.get(RecordRow, (record_id, version))

    def _load(self, rows: Sequence[RecordRow]) -> list[MonitoringRecord]:
        if not rows:
            return []
        keys = {(row.record_id, row.version) for row in rows}
        found = self._session.scalars(
            select(ChildObservationRow)
            .where(ChildObservationRow.record_id.in_({key[0] for key in keys}))
            .order_by(ChildObservationRow.position)
        ).all()
        by_key: dict[tuple[str, int], list[ChildObservationRow]] = {key: [] for key in keys}
        for obs in found:
            by_key.get((obs.record_id, obs.record_version), []).append(obs)
        return [_record_from_row(row, by_key[(row.record_id, row.version)]) for row in rows]

    def get(self, record_id: str, version: int) -> MonitoringRecord | None:
        row = self._row(record_id, version)
        return self._load([row])[0] if row is not None else None

    def latest_version(self, record_id: str) -> int | None:
        return self._session.scalar(
            select(func.max(RecordRow.version)).where(RecordRow.record_id == record_id)
        )

    def latest(self, record_id: str) -> MonitoringRecord | None:
        version = self.latest_version(record_id)
        return self.get(record_id, version) if version is not None else None

    def versions(self, record_id: str) -> list[MonitoringRecord]:
        rows = self._session.scalars(
            select(RecordRow).where(RecordRow.record_id == record_id).order_by(RecordRow.version)
        ).all()
        return self._load(rows)

    def reference_of(self, record_id: str) -> str | None:
        return self._session.scalar(
            select(RecordRow.reference).where(RecordRow.record_id == record_id).limit(1)
        )

    def add(self, record: MonitoringRecord, *, session_id: str | None) -> None:
        self._session.add(RecordRow(**_record_columns(record, session_id)))
        self._session.flush()
        self._insert_observations(record)
        ListIndex(self._session).refresh_records([record.id])

    def update(
        self, record: MonitoringRecord, *, expected_updated_at: dt.datetime, session_id: str | None
    ) -> None:
        """Overwrites one version; StaleRecordError if it was saved since `expected_updated_at`."""
        row = self._row(record.id, record.version)
        if row is None or row.updated_at != expected_updated_at:
            raise StaleRecordError(record.id)
        for name, value in _record_columns(record, session_id).items():
            setattr(row, name, value)
        try:
            self._session.flush()  # the version check, before anything else is written
        except StaleDataError as error:
            raise StaleRecordError(record.id) from error
        # Child rows are changed in place: an autosave that changed one field of one child writes
        # that one column, not every child's text again (unchanged values write nothing).
        existing = self._session.scalars(
            select(ChildObservationRow)
            .where(
                ChildObservationRow.record_id == record.id,
                ChildObservationRow.record_version == record.version,
            )
            .order_by(ChildObservationRow.position)
        ).all()
        for position, observation in enumerate(record.children):
            values = _observation_columns(record, position, observation)
            if position < len(existing):
                for name, value in values.items():
                    setattr(existing[position], name, value)
            else:
                self._session.add(ChildObservationRow(**values))
        for removed in existing[len(record.children) :]:
            self._session.delete(removed)
        self._session.flush()
        ListIndex(self._session).refresh_records([record.id])

    def _insert_observations(self, record: MonitoringRecord) -> None:
        if record.children:
            self._session.execute(
                insert(ChildObservationRow),
                [_observation_columns(record, i, obs) for i, obs in enumerate(record.children)],
            )

    def delete(self, record_id: str, version: int) -> None:
        self._session.execute(
            delete(ChildObservationRow).where(
                ChildObservationRow.record_id == record_id,
                ChildObservationRow.record_version == version,
            )
        )
        self._session.execute(
            delete(RecordRow).where(RecordRow.record_id == record_id, RecordRow.version == version)
        )
        ListIndex(self._session).refresh_records([record_id])  # an earlier version, or none

    def set_date_sent(self, record_id: str, version: int, day: dt.date) -> None:
        """Fills in the date sent once, when the first message to the key worker has gone."""
        row = self._row(record_id, version)
        if row is not None and row.date_sent is None:
            row.date_sent = day
            self._session.flush()

    def heads(self, *, session_ids: Collection[str]) -> list[RecordHead]:
        """The latest version of every record some version of which one of these runs saved."""
        saved_by = select(RecordRow.record_id).where(RecordRow.session_id.in_(session_ids))
        newest = (
            select(RecordRow.record_id, func.max(RecordRow.version).label("version"))
            .where(RecordRow.record_id.in_(saved_by))
            .group_by(RecordRow.record_id)
            .subquery()
        )
        rows = self._session.execute(
            select(
                RecordRow.record_id,
                RecordRow.reference,
                RecordRow.state,
                RecordRow.version,
                RecordRow.family_name,
                RecordRow.visit_date,
                RecordRow.updated_at,
                RecordRow.submitted_at,
                RecordRow.session_id,
            ).join(
                newest,
                (RecordRow.record_id == newest.c.record_id)
                & (RecordRow.version == newest.c.version),
            )
        ).all()
        names: dict[tuple[str, int], list[str]] = {}
        for record_id, version, name in self._session.execute(
            select(
                ChildObservationRow.record_id,
                ChildObservationRow.record_version,
                ChildObservationRow.child_name,
            )
            .join(
                newest,
                (ChildObservationRow.record_id == newest.c.record_id)
                & (ChildObservationRow.record_version == newest.c.version),
            )
            .order_by(ChildObservationRow.position)
        ):
            names.setdefault((record_id, version), []).append(name)
        return [
            RecordHead(
                id=row.record_id,
                reference=row.reference,
                state=RecordState(row.state),
                version=row.version,
                family_name=row.family_name,
                child_names=tuple(names.get((row.record_id, row.version), ())),
                visit_date=row.visit_date,
                updated_at=row.updated_at,
                submitted_at=row.submitted_at,
                session_id=row.session_id,
            )
            for row in rows
        ]


class FamilyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, family_id: str) -> Family | None:
        row = self._session.get(FamilyRow, family_id)
        return self._load([row])[0] if row is not None else None

    def holders(self, child_ids: Sequence[str]) -> dict[str, str]:
        """The family that holds each of these children already on file: child id -> family id."""
        rows = self._session.execute(
            select(ChildRow.id, ChildRow.family_id).where(ChildRow.id.in_(child_ids))
        )
        return {child_id: family_id for child_id, family_id in rows}

    def page(self, text: str, offset: int, limit: int) -> list[Family]:
        """Families by name whose name or a child's name holds every word of `text`."""
        ids = ListIndex(self._session).family_ids(text, offset, limit)
        rows = self._session.scalars(select(FamilyRow).where(FamilyRow.id.in_(ids))).all()
        by_id = {row.id: row for row in rows}
        return self._load([by_id[family_id] for family_id in ids if family_id in by_id])

    def count(self, text: str) -> int:
        return ListIndex(self._session).family_count(text)

    def save(self, family: Family, *, now: dt.datetime) -> None:
        """Inserts or replaces the family with its children, parents/carers and core group."""
        columns: dict[str, Any] = {
            "name": family.name,
            "address": family.address,
            "updated_at": now,
        }
        columns.update({f"key_worker_{n}": getattr(family.key_worker, n) for n in _KEY_WORKER})
        row = self._session.get(FamilyRow, family.id)
        if row is None:
            self._session.add(FamilyRow(id=family.id, **columns))
        else:
            for name, value in columns.items():
                setattr(row, name, value)
        self._session.flush()
        for table in (ChildRow, ParentCarerRow, CoreGroupMemberRow):
            self._session.execute(delete(table).where(table.family_id == family.id))
        self._insert(
            ChildRow,
            (
                {
                    "id": child.id,
                    "name": child.name,
                    "date_of_birth": child.date_of_birth,
                    "plan_type": child.plan_type.value,
                    "local_identifier": child.local_identifier,
                    "unborn": child.unborn,
                    "expected_date": child.expected_date,
                }
                for child in family.children
            ),
            family.id,
        )
        self._insert(
            ParentCarerRow,
            (
                {
                    "name": p.name,
                    "relationship": p.relationship,
                    "email": p.email,
                    "phone": p.phone,
                }
                for p in family.parents_carers
            ),
            family.id,
        )
        self._insert(
            CoreGroupMemberRow,
            (
                {
                    "id": m.id,
                    "name": m.name,
                    "role": m.role,
                    "agency": m.agency,
                    "email": m.email,
                    "phone": m.phone,
                }
                for m in family.core_group
            ),
            family.id,
        )
        ListIndex(self._session).refresh_family(
            family.id, family.name, [child.name for child in family.children]
        )

    def _insert(self, table: Any, rows: Iterable[dict[str, Any]], family_id: str) -> None:
        values = [{**row, "family_id": family_id, "position": i} for i, row in enumerate(rows)]
        if values:
            self._session.execute(insert(table), values)

    def _load(self, rows: Sequence[FamilyRow]) -> list[Family]:
        if not rows:
            return []
        ids = [row.id for row in rows]
        families = {
            row.id: Family(
                id=row.id,
                name=row.name,
                address=row.address,
                key_worker=KeyWorker(**{n: getattr(row, f"key_worker_{n}") for n in _KEY_WORKER}),
            )
            for row in rows
        }
        for child in self._session.scalars(
            select(ChildRow).where(ChildRow.family_id.in_(ids)).order_by(ChildRow.position)
        ):
            families[child.family_id].children.append(
                Child(
                    id=child.id,
                    name=child.name,
                    date_of_birth=child.date_of_birth,
                    plan_type=PlanType(child.plan_type),
                    local_identifier=child.local_identifier,
                    unborn=child.unborn,
                    expected_date=child.expected_date,
                )
            )
        for parent in self._session.scalars(
            select(ParentCarerRow)
            .where(ParentCarerRow.family_id.in_(ids))
            .order_by(ParentCarerRow.position)
        ):
            families[parent.family_id].parents_carers.append(
                ParentCarer(
                    name=parent.name,
                    relationship=parent.relationship,
                    email=parent.email,
                    phone=parent.phone,
                )
            )
        for member in self._session.scalars(
            select(CoreGroupMemberRow)
            .where(CoreGroupMemberRow.family_id.in_(ids))
            .order_by(CoreGroupMemberRow.position)
        ):
            families[member.family_id].core_group.append(
                CoreGroupMember(
                    id=member.id,
                    name=member.name,
                    role=member.role,
                    agency=member.agency,
                    email=member.email,
                    phone=member.phone,
                )
            )
        return list(families.values())


class KeyWorkerRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def remember(self, key_worker: KeyWorker, *, now: dt.datetime) -> None:
        """Adds the key worker, or refreshes team/phone and last use of a known one."""
        row = self._session.scalar(
            select(KeyWorkerRow).where(
                KeyWorkerRow.name == key_worker.name, KeyWorkerRow.email == key_worker.email
            )
        )
        if row is None:
            self._session.add(
                KeyWorkerRow(
                    name=key_worker.name,
                    email=key_worker.email,
                    team=key_worker.team,
                    phone=key_worker.phone,
                    last_used_at=now,
                )
            )
        else:
            row.team, row.phone, row.last_used_at = key_worker.team, key_worker.phone, now
        self._session.flush()

    def all(self) -> list[KeyWorker]:
        """Most recently used first."""
        rows = self._session.scalars(
            select(KeyWorkerRow).order_by(KeyWorkerRow.last_used_at.desc(), KeyWorkerRow.name)
        )
        return [KeyWorker(name=r.name, email=r.email, team=r.team, phone=r.phone) for r in rows]


class SettingsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def values(self) -> dict[str, str]:
        return {row.key: row.value for row in self._session.scalars(select(SettingRow))}

    def get(self, key: str) -> str | None:
        row = self._session.get(SettingRow, key)
        return row.value if row is not None else None

    def put(self, values: dict[str, str]) -> None:
        for key, value in values.items():
            row = self._session.get(SettingRow, key)
            if row is None:
                self._session.add(SettingRow(key=key, value=value))
            else:
                row.value = value
        self._session.flush()


class SessionRepository:
    """Runs of the app, so drafts left by a crashed run can be offered back."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def start(self, session_id: str, *, now: dt.datetime) -> None:
        self._session.add(SessionRow(id=session_id, started_at=now, ended_at=None))
        self._session.flush()

    def end(self, session_id: str, *, now: dt.datetime) -> None:
        self._session.execute(
            update(SessionRow).where(SessionRow.id == session_id).values(ended_at=now)
        )

    def unfinished(self) -> list[str]:
        return list(
            self._session.scalars(select(SessionRow.id).where(SessionRow.ended_at.is_(None)))
        )

    def forget(self, session_ids: Sequence[str]) -> None:
        self._session.execute(delete(SessionRow).where(SessionRow.id.in_(session_ids)))


def _outbox_from_row(row: OutboxMessageRow) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        record_id=row.record_id,
        record_version=row.record_version,
        message_id=row.message_id,
        recipient_kind=RecipientKind(row.recipient_kind),
        recipient=row.recipient,
        transport=Transport(row.transport),
        raw=row.raw,
        state=OutboxState(row.state),
        attempts=row.attempts,
        last_error=row.last_error,
        next_attempt_at=row.next_attempt_at,
        created_at=row.created_at,
        sent_at=row.sent_at,
    )


class OutboxRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def add(self, item: OutboxItem, *, now: dt.datetime) -> OutboxItem:
        row = OutboxMessageRow(
            record_id=item.record_id,
            record_version=item.record_version,
            message_id=item.message_id,
            recipient_kind=item.recipient_kind.value,
            recipient=item.recipient,
            transport=item.transport.value,
            raw=item.raw,
            state=item.state.value,
            attempts=item.attempts,
            last_error=item.last_error,
            next_attempt_at=item.next_attempt_at or now,
            created_at=item.created_at or now,
            sent_at=item.sent_at,
        )
        self._session.add(row)
        self._session.flush()
        return _outbox_from_row(row)

    def get(self, item_id: int) -> OutboxItem | None:
        row = self._session.get(OutboxMessageRow, item_id)
        return _outbox_from_row(row) if row is not None else None

    def change(self, item_id: int, **values: Any) -> OutboxItem | None:
        """Sets the given columns; enums are stored by value. None when there is no such item."""
        row = self._session.get(OutboxMessageRow, item_id)
        if row is None:
            return None
        for name, value in values.items():
            setattr(row, name, value.value if isinstance(value, OutboxState) else value)
        self._session.flush()
        return _outbox_from_row(row)

    def all(self) -> list[OutboxItem]:
        """Oldest first."""
        rows = self._session.scalars(select(OutboxMessageRow).order_by(OutboxMessageRow.id))
        return [_outbox_from_row(row) for row in rows]

    def page(self, offset: int, limit: int) -> list[OutboxItem]:
        """Newest first, one page at a time."""
        rows = self._session.scalars(
            select(OutboxMessageRow)
            .order_by(OutboxMessageRow.id.desc())
            .offset(offset)
            .limit(limit)
        )
        return [_outbox_from_row(row) for row in rows]

    def count(self, states: Collection[OutboxState] | None = None) -> int:
        statement = select(func.count()).select_from(OutboxMessageRow)
        if states is not None:
            statement = statement.where(OutboxMessageRow.state.in_([s.value for s in states]))
        return self._session.scalar(statement) or 0

    def due(self, now: dt.datetime) -> list[OutboxItem]:
        """Queued or failed items whose next attempt is due, oldest first."""
        rows = self._session.scalars(
            select(OutboxMessageRow)
            .where(
                OutboxMessageRow.state.in_([OutboxState.QUEUED.value, OutboxState.FAILED.value]),
                OutboxMessageRow.next_attempt_at.is_not(None),
                OutboxMessageRow.next_attempt_at <= now,
            )
            .order_by(OutboxMessageRow.next_attempt_at, OutboxMessageRow.id)
        )
        return [_outbox_from_row(row) for row in rows]

    def for_record(self, record_id: str) -> list[OutboxItem]:
        rows = self._session.scalars(
            select(OutboxMessageRow)
            .where(OutboxMessageRow.record_id == record_id)
            .order_by(OutboxMessageRow.id)
        )
        return [_outbox_from_row(row) for row in rows]
