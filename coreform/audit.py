"""Tamper-evident audit trail: every entry is hash-chained to the one before it.

Each entry's SHA-256 covers a canonical serialization of its own fields and the previous entry's
hash, and entries carry consecutive sequence numbers from 1. Editing, deleting, reordering or
inserting an entry therefore breaks the chain at a named entry. Cutting entries off the end leaves
a valid (shorter) chain; that is caught by checking against an exported head (`export_head`) that
was kept elsewhere. Entries hold a record reference, never a child's name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

# The prev_hash of entry 1: no entry comes before it.
GENESIS_HASH = "0" * 64

_HEAD_PATTERN = re.compile(r"^coreform-audit-head seq=(\d+) sha256=([0-9a-f]{64})$")


class AuditAction(StrEnum):
    """What was done; issue 5 lists the actions every installation must record."""

    SIGN_IN = "sign_in"
    SIGN_IN_FAILED = "sign_in_failed"
    ACCOUNT_CREATED = "account_created"
    ACCOUNT_LOCKED = "account_locked"
    ACCOUNT_UNLOCKED = "account_unlocked"
    ROLE_CHANGED = "role_changed"
    PASSWORD_RESET = "password_reset"  # noqa: S105  # an action name, not a password
    SETTING_CHANGED = "setting_changed"
    VIEWED = "viewed"
    CREATED = "created"
    EDITED = "edited"
    SUBMITTED = "submitted"
    AMENDED = "amended"
    PRINTED = "printed"
    SENT = "sent"
    EXPORTED = "exported"
    IMPORTED = "imported"
    BACKED_UP = "backed_up"
    RESTORED = "restored"
    DELETED = "deleted"
    LEGAL_HOLD_SET = "legal_hold_set"
    LEGAL_HOLD_RELEASED = "legal_hold_released"
    # issue 13: the key worker's inbox
    ACCEPTED = "accepted"
    ISSUES_RAISED = "issues_raised"
    SHARED = "shared"
    CHILD_MATCHED = "child_matched"
    PLAN_CHANGED = "plan_changed"  # issue 12: a child's plan entered or edited


class AuditSink(Protocol):
    """Where the rules append audit entries: the unit of work, in the same transaction."""

    def audit(
        self, action: AuditAction, *, at: dt.datetime, user: str, record_reference: str = ""
    ) -> None: ...


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at_utc: dt.datetime
    user: str
    action: AuditAction
    record_reference: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class AuditHead:
    """The newest entry's number and hash, exported to be kept outside the database."""

    seq: int
    hash: str


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    first_broken_seq: int | None
    message: str


def format_utc(moment: dt.datetime) -> str:
    """The one text form of a moment that is hashed and stored (UTC, microseconds, no zone name)."""
    if moment.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_utc(text: str) -> dt.datetime:
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=dt.UTC)


def canonical_bytes(
    *,
    seq: int,
    at_utc: dt.datetime,
    user: str,
    action: str,
    record_reference: str,
    prev_hash: str,
) -> bytes:
    """Sorted-key compact JSON in UTF-8, so the same entry always hashes the same way."""
    fields = {
        "action": str(action),
        "at_utc": format_utc(at_utc),
        "prev_hash": prev_hash,
        "record_reference": record_reference,
        "seq": seq,
        "user": user,
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(
    *,
    seq: int,
    at_utc: dt.datetime,
    user: str,
    action: str,
    record_reference: str,
    prev_hash: str,
) -> str:
    return hashlib.sha256(
        canonical_bytes(
            seq=seq,
            at_utc=at_utc,
            user=user,
            action=action,
            record_reference=record_reference,
            prev_hash=prev_hash,
        )
    ).hexdigest()


def next_entry(
    previous: AuditEntry | None,
    *,
    at_utc: dt.datetime,
    user: str,
    action: AuditAction,
    record_reference: str = "",
) -> AuditEntry:
    """The entry that follows `previous` (None for the first entry of a trail)."""
    if at_utc.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    seq = 1 if previous is None else previous.seq + 1
    prev_hash = GENESIS_HASH if previous is None else previous.hash
    at = at_utc.astimezone(dt.UTC)
    return AuditEntry(
        seq=seq,
        at_utc=at,
        user=user,
        action=action,
        record_reference=record_reference,
        prev_hash=prev_hash,
        hash=compute_hash(
            seq=seq,
            at_utc=at,
            user=user,
            action=action,
            record_reference=record_reference,
            prev_hash=prev_hash,
        ),
    )


def verify_chain(entries: Sequence[AuditEntry], *, head: AuditHead | None = None) -> VerifyResult:
    """Checks numbering, links and hashes in order; `head` is an exported head to compare with.

    `first_broken_seq` is the sequence number the trail should have at the first place it fails,
    so a deleted entry is named by its own number.
    """
    prev_hash = GENESIS_HASH
    for position, entry in enumerate(entries, start=1):
        if entry.seq != position:
            return VerifyResult(
                False,
                position,
                f"Audit entry {position} is missing or out of order "
                f"(found entry {entry.seq} in its place).",
            )
        if entry.prev_hash != prev_hash:
            return VerifyResult(
                False,
                position,
                f"Audit entry {position} does not follow entry {position - 1}: "
                "an entry before it was changed, removed or inserted.",
            )
        expected = compute_hash(
            seq=entry.seq,
            at_utc=entry.at_utc,
            user=entry.user,
            action=entry.action,
            record_reference=entry.record_reference,
            prev_hash=entry.prev_hash,
        )
        if entry.hash != expected:
            return VerifyResult(
                False, position, f"Audit entry {position} was changed after it was written."
            )
        prev_hash = entry.hash
    if head is not None:
        if head.seq > len(entries):
            return VerifyResult(
                False,
                len(entries) + 1,
                f"Audit entries {len(entries) + 1} to {head.seq} are missing: the exported head "
                f"names entry {head.seq} but the trail ends at entry {len(entries)}.",
            )
        if head.seq >= 1 and entries[head.seq - 1].hash != head.hash:
            return VerifyResult(
                False,
                head.seq,
                f"Audit entry {head.seq} differs from the exported head: the trail was rewritten.",
            )
    return VerifyResult(True, None, f"The audit trail of {len(entries)} entries is intact.")


def head_of(entries: Sequence[AuditEntry]) -> AuditHead:
    if not entries:
        return AuditHead(0, GENESIS_HASH)
    return AuditHead(entries[-1].seq, entries[-1].hash)


def export_head(head: AuditHead) -> str:
    """One line to keep outside the database (printed, emailed to a manager, another disk)."""
    return f"coreform-audit-head seq={head.seq} sha256={head.hash}"


def parse_head(text: str) -> AuditHead:
    match = _HEAD_PATTERN.match(text.strip())
    if match is None:
        raise ValueError(
            "This is not an exported audit head; expected a line like "
            "'coreform-audit-head seq=12 sha256=<64 hex digits>'."
        )
    return AuditHead(int(match.group(1)), match.group(2))
