"""The outbox in the database: one row per message to one recipient."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from enum import Enum
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from coreform.outbox import GONE, OutboxEntry, OutboxItem, OutboxState, RecipientKind, Transport
from coreform.storage.tables import DRAFT_KEPT, OutboxMessageRow

# What a list of the outbox shows: every column but the message.
_ENTRY_COLUMNS = tuple(
    column for column in OutboxMessageRow.__table__.columns if column.key != "raw"
)


def _entry_columns(row: Any) -> dict[str, Any]:
    return {
        "id": row.id,
        "record_id": row.record_id,
        "record_version": row.record_version,
        "message_id": row.message_id,
        "recipient_kind": RecipientKind(row.recipient_kind),
        "recipient": row.recipient,
        "transport": Transport(row.transport),
        "state": OutboxState(row.state),
        "attempts": row.attempts,
        "last_error": row.last_error,
        "next_attempt_at": row.next_attempt_at,
        "created_at": row.created_at,
        "sent_at": row.sent_at,
        "draft_path": row.draft_path,
        "confirmed_by": row.confirmed_by,
    }


def _outbox_from_row(row: OutboxMessageRow) -> OutboxItem:
    return OutboxItem(**_entry_columns(row), raw=row.raw)


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
            draft_path=item.draft_path,
            confirmed_by=item.confirmed_by,
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
            setattr(row, name, value.value if isinstance(value, Enum) else value)
        self._session.flush()
        return _outbox_from_row(row)

    def all(self) -> list[OutboxItem]:
        """Oldest first."""
        rows = self._session.scalars(select(OutboxMessageRow).order_by(OutboxMessageRow.id))
        return [_outbox_from_row(row) for row in rows]

    def page(self, offset: int, limit: int) -> list[OutboxEntry]:
        """Newest first, one page at a time, without the messages."""
        rows = self._session.execute(
            select(*_ENTRY_COLUMNS).order_by(OutboxMessageRow.id.desc()).offset(offset).limit(limit)
        )
        return [OutboxEntry(**_entry_columns(row)) for row in rows]

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

    def ids_in(self, states: Collection[OutboxState]) -> list[int]:
        """The messages in these states, by id: an index read, no message loaded."""
        return list(
            self._session.scalars(
                select(OutboxMessageRow.id).where(
                    OutboxMessageRow.state.in_([state.value for state in states])
                )
            )
        )

    def in_states(
        self, states: Collection[OutboxState], offset: int, limit: int
    ) -> list[OutboxEntry]:
        """Oldest first, one page at a time, without the messages."""
        rows = self._session.execute(
            select(*_ENTRY_COLUMNS)
            .where(OutboxMessageRow.state.in_([state.value for state in states]))
            .order_by(OutboxMessageRow.id)
            .offset(offset)
            .limit(limit)
        )
        return [OutboxEntry(**_entry_columns(row)) for row in rows]

    def drafts_sent_before(self, moment: dt.datetime) -> list[tuple[int, str]]:
        """(id, draft path) of gone messages (GONE) whose drafts are still kept, sent before
        `moment`."""
        rows = self._session.execute(
            select(OutboxMessageRow.id, OutboxMessageRow.draft_path).where(
                OutboxMessageRow.state.in_([state.value for state in GONE]),
                DRAFT_KEPT,
                OutboxMessageRow.sent_at < moment,
            )
        )
        return [(item_id, path) for item_id, path in rows]

    def key_worker_copies(
        self, record_ids: Collection[str]
    ) -> list[tuple[str, int, OutboxState, dt.datetime | None]]:
        """(record id, version, state, sent at) of these records' messages to the key worker."""
        rows = self._session.execute(
            select(
                OutboxMessageRow.record_id,
                OutboxMessageRow.record_version,
                OutboxMessageRow.state,
                OutboxMessageRow.sent_at,
            ).where(
                OutboxMessageRow.record_id.in_(set(record_ids)),
                OutboxMessageRow.recipient_kind == RecipientKind.KEY_WORKER.value,
            )
        )
        return [(rid, version, OutboxState(state), sent) for rid, version, state, sent in rows]

    def for_record(self, record_id: str) -> list[OutboxItem]:
        rows = self._session.scalars(
            select(OutboxMessageRow)
            .where(OutboxMessageRow.record_id == record_id)
            .order_by(OutboxMessageRow.id)
        )
        return [_outbox_from_row(row) for row in rows]
