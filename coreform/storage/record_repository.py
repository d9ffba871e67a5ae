"""Monitoring records in the database: table rows in, `coreform.records` dataclasses out.

No ORM object leaves here. Each repository works inside the session of a `UnitOfWork`; nothing
here commits. Every change to a record refreshes its row in the lists' table (`ListIndex`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from coreform.records import (
    Amendment,
    Child,
    ChildObservation,
    KeyWorker,
    MonitoringRecord,
    PlanType,
    Practitioner,
    RecordState,
    SendMethod,
    Setting,
)
from coreform.storage.family_repository import KEY_WORKER_FIELDS
from coreform.storage.record_list import ListIndex
from coreform.storage.tables import ChildObservationRow, RecordRow


class StaleRecordError(Exception):
    """The stored record changed since the caller read it."""


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
    values.update({f"key_worker_{n}": getattr(record.key_worker, n) for n in KEY_WORKER_FIELDS})
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
        key_worker=KeyWorker(**{n: getattr(row, f"key_worker_{n}") for n in KEY_WORKER_FIELDS}),
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

    def set_sent(self, record_id: str, version: int, day: dt.date, method: SendMethod) -> None:
        """Fills in the date sent and how, once, when the first message to the key worker has
        gone (content_hash.matches_content_hash knows the method may change then)."""
        row = self._row(record_id, version)
        if row is not None and row.date_sent is None:
            row.date_sent = day
            row.send_method = method.value
            self._session.flush()
