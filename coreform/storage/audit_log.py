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
    RecordFingerprint,
    VerifyResult,
    format_utc,
    next_entry,
    parse_utc,
    verify_chain,
)
from coreform.content_hash import matches_content_hash
from coreform.records import RecordState
from coreform.storage.audit_keys import AuditKeys
from coreform.storage.audit_tables import AuditLogRow
from coreform.storage.record_repository import RecordRepository
from coreform.storage.tables import RecordRow


def append_audit(
    session: Session,
    *,
    at: dt.datetime,
    user: str,
    action: AuditAction,
    record_reference: str = "",
    keys: AuditKeys | None = None,
    record: RecordFingerprint | None = None,
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
    newest_key = session.scalars(
        select(AuditLogRow.key_id)
        .where(AuditLogRow.key_id != "")
        .order_by(AuditLogRow.seq.desc())
        .limit(1)
    ).first()
    entry = next_entry(
        None if last_row is None else _entry(last_row),
        at_utc=at,
        user=user,
        action=action,
        record_reference=record_reference,
        key=(keys or AuditKeys()).for_appending(newest_key or ""),
        record=record,
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
            key_id=entry.key_id,
            record_id=record.record_id if record else None,
            record_version=record.version if record else None,
            content_hash=record.content_hash if record else None,
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
    """Entries are numbered 1, 2, 3... with none removed (the chain would break), so the newest
    number is the count: one index read, where COUNT(*) reads the whole trail (issue 15)."""
    return session.scalar(select(func.max(AuditLogRow.seq))) or 0


def audit_page(session: Session, *, offset: int, limit: int) -> list[AuditEntry]:
    """Newest first, one page at a time, so a trail of years scrolls without loading it all.

    The page starts at an entry number, not an OFFSET, so the last page reads as fast as the first.
    """
    newest = audit_count(session) - offset
    rows = session.scalars(
        select(AuditLogRow)
        .where(AuditLogRow.seq <= newest)
        .order_by(AuditLogRow.seq.desc())
        .limit(limit)
    ).all()
    return [_entry(row) for row in rows]


def record_audit(session: Session, record_id: str, actions: list[AuditAction]) -> list[AuditEntry]:
    """One record's entries of these kinds, oldest first (those that name its version)."""
    rows = session.scalars(
        select(AuditLogRow)
        .where(
            AuditLogRow.record_id == record_id,
            AuditLogRow.action.in_([action.value for action in actions]),
        )
        .order_by(AuditLogRow.seq)
    ).all()
    return [_entry(row) for row in rows]


def audit_head(session: Session) -> AuditHead:
    """The newest entry's number and hash (entry 0 and the genesis hash for an empty trail)."""
    newest = session.scalars(select(AuditLogRow).order_by(AuditLogRow.seq.desc()).limit(1)).first()
    if newest is None:
        return AuditHead(0, GENESIS_HASH)
    return AuditHead(newest.seq, newest.hash)


def verify_audit(
    session: Session, *, head: AuditHead | None = None, keys: AuditKeys | None = None
) -> VerifyResult:
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
    return verify_chain(entries, head=head, keys=(keys or AuditKeys()).known())


def _entry(row: AuditLogRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at_utc=parse_utc(row.at_utc),
        user=row.user,
        action=AuditAction(row.action),
        record_reference=row.record_reference,
        prev_hash=row.prev_hash,
        hash=row.hash,
        key_id=row.key_id,
        record=(
            RecordFingerprint(row.record_id, row.record_version, row.content_hash)
            if row.record_id is not None
            and row.record_version is not None
            and row.content_hash is not None
            else None
        ),
    )


def verify_records(session: Session) -> VerifyResult:
    """Re-hashes every submitted or filed version and compares it with its audit entry (issue 9).

    Names every version whose content differs from what was submitted; says how many could not be
    checked (submitted before content hashes were kept).
    """
    recorded: dict[tuple[str, int], str] = {}
    rows = session.execute(
        select(AuditLogRow.record_id, AuditLogRow.record_version, AuditLogRow.content_hash)
        .where(AuditLogRow.content_hash.is_not(None))
        .order_by(AuditLogRow.seq)
    )
    for record_id, version, digest in rows:
        if record_id is not None and version is not None and digest is not None:
            recorded.setdefault((record_id, version), digest)
    records = RecordRepository(session)
    changed: list[str] = []
    unproven = checked = 0
    for record_id, version in session.execute(
        select(RecordRow.record_id, RecordRow.version)
        .where(RecordRow.state != RecordState.DRAFT.value)
        .order_by(RecordRow.reference, RecordRow.version)
    ):
        digest = recorded.get((record_id, version))
        if digest is None:
            unproven += 1
            continue
        stored = records.get(record_id, version)
        checked += 1
        if stored is None or not matches_content_hash(stored, digest):
            reference = stored.reference if stored else record_id
            changed.append(f"{reference} v{version}")
    limits = (
        (
            f"{unproven} submitted versions predate content hashes in the audit trail, so "
            "changes to them cannot be detected.",
        )
        if unproven
        else ()
    )
    if changed:
        return VerifyResult(
            False,
            None,
            f"{len(changed)} submitted record versions differ from what was submitted: "
            f"{', '.join(changed)}.",
            limits,
        )
    return VerifyResult(
        True, None, f"All {checked} submitted record versions match their audit entries.", limits
    )


def verify_all(
    session: Session, *, head: AuditHead | None = None, keys: AuditKeys | None = None
) -> VerifyResult:
    """The chain, then every submitted version against it; what neither can prove, listed."""
    chain = verify_audit(session, head=head, keys=keys)
    if not chain.ok:
        return chain
    records = verify_records(session)
    return VerifyResult(
        records.ok,
        None,
        f"{chain.message} {records.message}",
        chain.limits + records.limits,
    )
