"""Accounts and legal holds in the database, and what retention review reads and deletes.

The rules (lockout, the last administrator, legal hold before deletion) live in
`coreform.accounts` and `coreform.retention`; these repositories only read and write rows.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from coreform.accounts import Account
from coreform.minutes import minutes_from_dict
from coreform.records import Role
from coreform.retention import RecordDates, RecordType
from coreform.storage.audit_tables import AccountRow, LegalHoldRow
from coreform.storage.inbox_tables import (
    ReceivedMinutesChildRow,
    ReceivedMinutesRow,
    ReceivedRecordRow,
    RecordShareRow,
)
from coreform.storage.minutes_tables import MinutesChildRow, MinutesRow
from coreform.storage.record_list import ListIndex
from coreform.storage.tables import ChildObservationRow, OutboxMessageRow, RecordRow


class AccountRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def any(self) -> bool:
        return self._session.scalars(select(AccountRow.user_name).limit(1)).first() is not None

    def all(self) -> list[Account]:
        rows = self._session.scalars(select(AccountRow).order_by(AccountRow.user_name))
        return [_account(row) for row in rows]

    def get(self, user_name: str) -> Account | None:
        row = self._session.get(AccountRow, user_name)
        return _account(row) if row is not None else None

    def password_hash(self, user_name: str) -> str | None:
        row = self._session.get(AccountRow, user_name)
        return row.password_hash if row is not None else None

    def add(self, account: Account, *, password_hash: str, created_at: dt.datetime) -> None:
        self._session.add(
            AccountRow(
                user_name=account.user_name,
                display_name=account.display_name,
                role=account.role.value,
                password_hash=password_hash,
                failed_attempts=account.failed_attempts,
                locked_at=account.locked_at,
                created_at=created_at,
            )
        )
        self._session.flush()

    def update(self, account: Account, *, password_hash: str | None = None) -> None:
        row = self._session.get(AccountRow, account.user_name)
        if row is None:
            raise LookupError(account.user_name)
        row.display_name = account.display_name
        row.role = account.role.value
        row.failed_attempts = account.failed_attempts
        row.locked_at = account.locked_at
        if password_hash is not None:
            row.password_hash = password_hash
        self._session.flush()

    def administrator_other_than(self, user_name: str) -> bool:
        found = self._session.scalars(
            select(AccountRow.user_name)
            .where(AccountRow.role == Role.ADMINISTRATOR.value, AccountRow.user_name != user_name)
            .limit(1)
        ).first()
        return found is not None


class RetentionRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def holds(self) -> dict[str, str]:
        """Every record under legal hold, with why."""
        return {row.record_id: row.reason for row in self._session.scalars(select(LegalHoldRow))}

    def held(self, record_id: str) -> bool:
        return self._session.get(LegalHoldRow, record_id) is not None

    def hold(self, record_id: str, reason: str, *, by: str, at: dt.datetime) -> None:
        if not self.held(record_id):
            row = LegalHoldRow(record_id=record_id, reason=reason, set_by=by, set_at=at)
            self._session.add(row)
            self._session.flush()

    def release(self, record_id: str) -> None:
        self._session.execute(delete(LegalHoldRow).where(LegalHoldRow.record_id == record_id))

    def reference_of(self, record_id: str) -> str | None:
        """A record's reference, or minutes' (written here or received)."""
        for reference, key in (
            (RecordRow.reference, RecordRow.record_id),
            (MinutesRow.reference, MinutesRow.minutes_id),
            (ReceivedMinutesRow.reference, ReceivedMinutesRow.minutes_id),
        ):
            found = self._session.scalars(select(reference).where(key == record_id).limit(1))
            if (first := found.first()) is not None:
                return first
        return None

    def record_dates(self) -> dict[str, RecordDates]:
        """Per record, from its latest version: reference, visit date, the record's date (visit,
        else creation) and its children's dates of birth."""
        found: dict[str, RecordDates] = {}
        latest: dict[str, int] = {}
        for row in self._session.scalars(select(RecordRow).order_by(RecordRow.version)):
            record_date = row.visit_date or row.created_at.date()
            found[row.record_id] = RecordDates(row.reference, row.visit_date, record_date, [])
            latest[row.record_id] = row.version
        births = self._session.execute(
            select(
                ChildObservationRow.record_id,
                ChildObservationRow.record_version,
                ChildObservationRow.child_date_of_birth,
            )
        )
        for record_id, version, born in births:
            if latest.get(record_id) == version:
                found[record_id].births.append(born)
        return found | self._own_minutes_dates() | self._received_minutes_dates()

    def _own_minutes_dates(self) -> dict[str, RecordDates]:
        """Minutes written here, from their latest version (its children's births are in it)."""
        found: dict[str, RecordDates] = {}
        newest = (
            select(MinutesRow.minutes_id, func.max(MinutesRow.version).label("version"))
            .group_by(MinutesRow.minutes_id)
            .subquery()
        )
        latest = select(MinutesRow).join(
            newest,
            (MinutesRow.minutes_id == newest.c.minutes_id)
            & (MinutesRow.version == newest.c.version),
        )
        for row in self._session.scalars(latest):
            minutes = minutes_from_dict(json.loads(row.body))
            found[row.minutes_id] = RecordDates(
                row.reference,
                row.meeting_date,
                row.meeting_date or row.created_at.date(),
                [child.date_of_birth for child in minutes.children],
                RecordType.CORE_GROUP_MINUTES,
            )
        return found

    def _received_minutes_dates(self) -> dict[str, RecordDates]:
        found: dict[str, RecordDates] = {}
        latest: dict[str, int] = {}
        rows = self._session.scalars(
            select(ReceivedMinutesRow).order_by(ReceivedMinutesRow.version)
        )
        for row in rows:
            found[row.minutes_id] = RecordDates(
                row.reference,
                row.meeting_date,
                row.meeting_date or row.received_at.date(),
                [],
                RecordType.CORE_GROUP_MINUTES,
                received=True,
            )
            latest[row.minutes_id] = row.version
        births = select(
            ReceivedMinutesChildRow.minutes_id,
            ReceivedMinutesChildRow.version,
            ReceivedMinutesChildRow.date_of_birth,
        )
        for minutes_id, version, born in self._session.execute(births):
            if latest.get(minutes_id) == version:
                found[minutes_id].births.append(born)
        return found

    def delete_record(self, record_id: str) -> None:
        """Every version of the record (or minutes, written here or received), its children's
        rows, its review and shares, and any message in the outbox."""
        for table, column in (
            (OutboxMessageRow, OutboxMessageRow.record_id),
            (ChildObservationRow, ChildObservationRow.record_id),
            (ReceivedRecordRow, ReceivedRecordRow.record_id),
            (RecordShareRow, RecordShareRow.record_id),
            (RecordRow, RecordRow.record_id),
            (MinutesChildRow, MinutesChildRow.minutes_id),
            (MinutesRow, MinutesRow.minutes_id),
            (ReceivedMinutesChildRow, ReceivedMinutesChildRow.minutes_id),
            (ReceivedMinutesRow, ReceivedMinutesRow.minutes_id),
        ):
            self._session.execute(delete(table).where(column == record_id))
        ListIndex(self._session).forget_records([record_id])
        self._session.flush()


def _account(row: AccountRow) -> Account:
    return Account(
        user_name=row.user_name,
        display_name=row.display_name,
        role=Role(row.role),
        failed_attempts=row.failed_attempts,
        locked_at=row.locked_at,
    )
