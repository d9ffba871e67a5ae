"""Appending to and reading the audit trail inside the caller's transaction."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from coreform.audit import (
    GENESIS_HASH,
    AuditAction,
    AuditEntry,
    AuditHead,
    VerifyResult,
    format_utc,
    next_entry,
    parse_utc,
    verify_chain,
)
from coreform.storage.audit_tables import AuditLogRow


def append_audit(
    session: Session,
    *,
    at: dt.datetime,
    user: str,
    action: AuditAction,
    record_reference: str = "",
) -> AuditEntry:
    """Adds the next entry in the same transaction as the change it records.

    On PostgreSQL the table is locked first, so two users appending at once queue instead of
    both claiming the same sequence number; SQLite already allows one writer at a time.
    """
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(text("LOCK TABLE audit_log IN EXCLUSIVE MODE"))
    last_row = session.scalars(
        select(AuditLogRow).order_by(AuditLogRow.seq.desc()).limit(1)
    ).first()
    entry = next_entry(
        None if last_row is None else _entry(last_row),
        at_utc=at,
        user=user,
        action=action,
        record_reference=record_reference,
    )
    session.add(
        AuditLogRow(
            seq=entry.seq,
            at_utc=format_utc(entry.at_utc),
            user=entry.user,
            action=entry.action.value,
            record_reference=entry.record_reference,
            prev_hash=entry.prev_hash,
            hash=entry.hash,
        )
    )
    session.flush()
    return entry


def audit_entries(session: Session) -> list[AuditEntry]:
    """The whole trail in the order it was written, for the manager's view.

    Raises ValueError on a row coreform could not have written; `verify_audit` reports it instead.
    """
    rows = session.scalars(select(AuditLogRow).order_by(AuditLogRow.seq)).all()
    return [_entry(row) for row in rows]


def audit_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(AuditLogRow)) or 0


def audit_page(session: Session, *, offset: int, limit: int) -> list[AuditEntry]:
    """Newest first, one page at a time, so a trail of years scrolls without loading it all."""
    rows = session.scalars(
        select(AuditLogRow).order_by(AuditLogRow.seq.desc()).offset(offset).limit(limit)
    ).all()
    return [_entry(row) for row in rows]


def audit_head(session: Session) -> AuditHead:
    """The newest entry's number and hash (entry 0 and the genesis hash for an empty trail)."""
    newest = session.scalars(select(AuditLogRow).order_by(AuditLogRow.seq.desc()).limit(1)).first()
    if newest is None:
        return AuditHead(0, GENESIS_HASH)
    return AuditHead(newest.seq, newest.hash)


def verify_audit(session: Session, *, head: AuditHead | None = None) -> VerifyResult:
    """`coreform verify`: checks the stored chain; a row that cannot even be read is broken."""
    entries: list[AuditEntry] = []
    for position, row in enumerate(
        session.scalars(select(AuditLogRow).order_by(AuditLogRow.seq)), start=1
    ):
        try:
            entries.append(_entry(row))
        except ValueError:
            earlier = verify_chain(entries)
            if not earlier.ok:
                return earlier
            return VerifyResult(
                False, position, f"Audit entry {position} was changed after it was written."
            )
    return verify_chain(entries, head=head)


def _entry(row: AuditLogRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at_utc=parse_utc(row.at_utc),
        user=row.user,
        action=AuditAction(row.action),
        record_reference=row.record_reference,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )
