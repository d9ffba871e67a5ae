"""Settings (key -> value) and the app's runs, inside a `UnitOfWork`'s session."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from coreform.storage.tables import SessionRow, SettingRow


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
