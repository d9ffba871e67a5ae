"""Core group minutes received from another coreform, in and out of the database; nothing here
commits. Each received version is kept as it came (read only); the list pages in the database."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coreform.inbox import ReceivedMinutesEntry
from coreform.minutes import CoreGroupMinutes, minutes_from_dict, minutes_to_dict
from coreform.storage.inbox_repository import child_names
from coreform.storage.inbox_tables import ReceivedMinutesChildRow, ReceivedMinutesRow


class ReceivedMinutesRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def content_sha256(self, minutes_id: str, version: int) -> str | None:
        """The hash of that version as it was filed, None when it never came."""
        return self._session.scalar(
            select(ReceivedMinutesRow.content_sha256).where(
                ReceivedMinutesRow.minutes_id == minutes_id, ReceivedMinutesRow.version == version
            )
        )

    def get(self, minutes_id: str, version: int | None = None) -> CoreGroupMinutes | None:
        """That version, or the highest received."""
        query = select(ReceivedMinutesRow.body).where(ReceivedMinutesRow.minutes_id == minutes_id)
        if version is not None:
            query = query.where(ReceivedMinutesRow.version == version)
        body = self._session.scalar(query.order_by(ReceivedMinutesRow.version.desc()).limit(1))
        return minutes_from_dict(json.loads(body)) if body is not None else None

    def latest_before(self, minutes_id: str, version: int) -> CoreGroupMinutes | None:
        """The highest version received below `version` (what an amendment changed)."""
        body = self._session.scalar(
            select(ReceivedMinutesRow.body)
            .where(
                ReceivedMinutesRow.minutes_id == minutes_id, ReceivedMinutesRow.version < version
            )
            .order_by(ReceivedMinutesRow.version.desc())
            .limit(1)
        )
        return minutes_from_dict(json.loads(body)) if body is not None else None

    def add(
        self,
        minutes: CoreGroupMinutes,
        *,
        sender_name: str,
        sender_email: str,
        at: dt.datetime,
        content_sha256: str,
    ) -> None:
        self._session.add(
            ReceivedMinutesRow(
                minutes_id=minutes.id,
                version=minutes.version,
                reference=minutes.reference,
                family_name=minutes.family_name,
                sequence=minutes.sequence,
                meeting_date=minutes.meeting_date,
                sender_name=sender_name,
                sender_email=sender_email,
                received_at=at,
                content_sha256=content_sha256,
                body=json.dumps(minutes_to_dict(minutes), ensure_ascii=False),
            )
        )
        self._session.add_all(
            ReceivedMinutesChildRow(
                minutes_id=minutes.id,
                version=minutes.version,
                child_id=child.child_id,
                position=position,
                child_name=child.name,
                date_of_birth=child.date_of_birth,
            )
            for position, child in enumerate(minutes.children)
        )
        self._session.flush()

    # ---- the inbox list ----------------------------------------------------------------------

    def count(self) -> int:
        return int(self._session.scalar(select(func.count()).select_from(ReceivedMinutesRow)) or 0)

    def page(self, offset: int, limit: int) -> list[ReceivedMinutesEntry]:
        """Every received version, newest received first."""
        rows = self._session.scalars(
            select(ReceivedMinutesRow)
            .order_by(ReceivedMinutesRow.received_at.desc(), ReceivedMinutesRow.version.desc())
            .offset(offset)
            .limit(limit)
        ).all()
        names = self._child_names([(row.minutes_id, row.version) for row in rows])
        latest = self._latest_versions({row.minutes_id for row in rows})
        return [
            _entry(row, names.get((row.minutes_id, row.version), ()), latest[row.minutes_id])
            for row in rows
        ]

    def entry(self, minutes_id: str, version: int) -> ReceivedMinutesEntry | None:
        row = self._session.get(ReceivedMinutesRow, (minutes_id, version))
        if row is None:
            return None
        names = self._child_names([(minutes_id, version)]).get((minutes_id, version))
        return _entry(row, names, self._latest_versions({minutes_id})[minutes_id])

    def _latest_versions(self, minutes_ids: set[str]) -> dict[str, int]:
        if not minutes_ids:
            return {}
        query = (
            select(ReceivedMinutesRow.minutes_id, func.max(ReceivedMinutesRow.version))
            .where(ReceivedMinutesRow.minutes_id.in_(minutes_ids))
            .group_by(ReceivedMinutesRow.minutes_id)
        )
        return {minutes_id: version for minutes_id, version in self._session.execute(query)}

    def _child_names(
        self, keys: Sequence[tuple[str, int]]
    ) -> dict[tuple[str, int], tuple[str, ...]]:
        return child_names(
            self._session,
            keys,
            ReceivedMinutesChildRow.minutes_id,
            ReceivedMinutesChildRow.version,
            ReceivedMinutesChildRow.child_name,
            ReceivedMinutesChildRow.position,
        )

    # ---- children ----------------------------------------------------------------------------

    def latest_for_children(self, child_ids: Sequence[str]) -> list[CoreGroupMinutes]:
        """The highest received version of every meeting that covered any of `child_ids` (the
        sender's ids of one child here), oldest meeting first: the child's scaling history."""
        covering = select(ReceivedMinutesChildRow.minutes_id).where(
            ReceivedMinutesChildRow.child_id.in_(list(child_ids))
        )
        highest = (
            select(ReceivedMinutesRow.minutes_id, func.max(ReceivedMinutesRow.version))
            .where(ReceivedMinutesRow.minutes_id.in_(covering))
            .group_by(ReceivedMinutesRow.minutes_id)
        )
        found = []
        for minutes_id, version in self._session.execute(highest).all():
            minutes = self.get(minutes_id, version)
            if minutes is not None:
                found.append(minutes)
        return sorted(found, key=lambda m: (m.meeting_date or dt.date.min, m.sequence))


def _entry(
    row: ReceivedMinutesRow, names: tuple[str, ...] | None, latest_version: int
) -> ReceivedMinutesEntry:
    return ReceivedMinutesEntry(
        minutes_id=row.minutes_id,
        version=row.version,
        reference=row.reference,
        received_at=row.received_at,
        sender_name=row.sender_name,
        sender_email=row.sender_email,
        family_name=row.family_name,
        child_names=names or (),
        meeting_date=row.meeting_date,
        sequence=row.sequence,
        latest_version=latest_version,
    )
