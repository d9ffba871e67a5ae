"""Tamper-evident audit trail: every entry is hash-chained to the one before it.

Issue 9: entries are keyed (HMAC-SHA-256) with an audit key kept outside the database (see
`coreform.storage.audit_keys`), so someone holding only the database, even with its key, cannot
recompute the chain after editing it; and the entry that submits or files a record version
carries the SHA-256 of that version's content, so `coreform verify` can re-hash every stored
version and name any that changed. Entries written before the audit key existed stay as they
were (SHA-256 chain only) and verify says what it can and cannot prove about them.

Each entry's SHA-256 covers a canonical serialization of its own fields and the previous entry's
hash, and entries carry consecutive sequence numbers from 1. Editing, deleting, reordering or
inserting an entry therefore breaks the chain at a named entry. Cutting entries off the end leaves
a valid (shorter) chain; that is caught by checking against an exported head (`export_head`) that
was kept elsewhere. Entries hold a record reference, never a child's name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from coreform.content_hash import content_hash
from coreform.records import MonitoringRecord

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
    SENT = "sent"  # entries before issue 10: a server accepted it, or a draft was opened
    # issue 10: what really happened to a message
    DRAFT_WRITTEN = "draft_written"
    HANDED_OVER = "handed_over"  # the draft opened in the user's email program
    CONFIRMED_SENT = "confirmed_sent"  # the user confirmed sending it from their email program
    ACCEPTED_BY_SERVER = "accepted_by_server"
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
    DISTRIBUTED = "distributed"  # issue 14: finalised minutes queued to their recipients
    # every message of a minutes version has gone (accepted by the server or confirmed sent)
    DISTRIBUTION_COMPLETE = "distribution_complete"


class AuditSink(Protocol):
    """Where the rules append audit entries: the unit of work, in the same transaction."""

    def audit(
        self, action: AuditAction, *, at: dt.datetime, user: str, record_reference: str = ""
    ) -> None: ...


@dataclass(frozen=True)
class AuditKey:
    """The secret that keys the chain; never stored in the database. `key_id` names it there."""

    key_id: str
    secret: bytes = field(repr=False)


@dataclass(frozen=True)
class RecordFingerprint:
    """Which record version an entry is about, and the SHA-256 of its content then."""

    record_id: str
    version: int
    content_hash: str


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at_utc: dt.datetime
    user: str
    action: AuditAction
    record_reference: str
    prev_hash: str
    hash: str
    key_id: str = ""  # "" for entries from before the audit key: SHA-256 only
    record: RecordFingerprint | None = None


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
    # What this check could not prove, in words (issue 9: verify says what it can and cannot).
    limits: tuple[str, ...] = ()


def fingerprint(record: MonitoringRecord) -> RecordFingerprint:
    return RecordFingerprint(record.id, record.version, content_hash(record))


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
    key_id: str = "",
    record: RecordFingerprint | None = None,
) -> bytes:
    """Sorted-key compact JSON in UTF-8, so the same entry always hashes the same way."""
    fields: dict[str, object] = {
        "action": str(action),
        "at_utc": format_utc(at_utc),
        "prev_hash": prev_hash,
        "record_reference": record_reference,
        "seq": seq,
        "user": user,
    }
    if key_id:  # keyed entries also cover the key's name and the record version's content
        fields["key_id"] = key_id
        fields["record"] = (
            [record.record_id, record.version, record.content_hash] if record is not None else None
        )
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def compute_hash(
    *,
    seq: int,
    at_utc: dt.datetime,
    user: str,
    action: str,
    record_reference: str,
    prev_hash: str,
    key: AuditKey | None = None,
    record: RecordFingerprint | None = None,
) -> str:
    """HMAC-SHA-256 with the audit key; plain SHA-256 only for entries written before it."""
    data = canonical_bytes(
        seq=seq,
        at_utc=at_utc,
        user=user,
        action=action,
        record_reference=record_reference,
        prev_hash=prev_hash,
        key_id=key.key_id if key is not None else "",
        record=record,
    )
    if key is None:
        return hashlib.sha256(data).hexdigest()
    return hmac.new(key.secret, data, hashlib.sha256).hexdigest()


def next_entry(
    previous: AuditEntry | None,
    *,
    at_utc: dt.datetime,
    user: str,
    action: AuditAction,
    record_reference: str = "",
    key: AuditKey | None = None,
    record: RecordFingerprint | None = None,
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
            key=key,
            record=record,
        ),
        key_id=key.key_id if key is not None else "",
        record=record,
    )


def verify_chain(
    entries: Sequence[AuditEntry],
    *,
    head: AuditHead | None = None,
    keys: Mapping[str, AuditKey] | None = None,
) -> VerifyResult:
    """Checks numbering, links and hashes in order; `head` is an exported head to compare with,
    `keys` the audit keys this computer holds, by `key_id`.

    `first_broken_seq` is the sequence number the trail should have at the first place it fails,
    so a deleted entry is named by its own number.
    """
    held = keys or {}
    prev_hash = GENESIS_HASH
    keyed_from: int | None = None
    unkeyed = 0
    missing_keys: dict[str, int] = {}
    for position, entry in enumerate(entries, start=1):
        broken = _link_problem(entry, position, prev_hash)
        if broken is None and entry.key_id:
            keyed_from = keyed_from or position
            key = held.get(entry.key_id)
            if key is None:
                missing_keys[entry.key_id] = missing_keys.get(entry.key_id, 0) + 1
            elif entry.hash != _expected(entry, key):
                broken = (
                    f"Audit entry {position} was changed after it was written, or the trail was "
                    "recomputed without the audit key."
                )
        elif broken is None:
            unkeyed += 1
            if keyed_from is not None:
                broken = (
                    f"Audit entry {position} carries no audit key although entry {keyed_from} "
                    "and later ones do: the trail was rewritten from there."
                )
            elif entry.hash != _expected(entry, None):
                broken = f"Audit entry {position} was changed after it was written."
        if broken is not None:
            return VerifyResult(False, position, broken)
        prev_hash = entry.hash
    if head is not None:
        cut = _head_problem(entries, head)
        if cut is not None:
            return cut
    return VerifyResult(
        True,
        None,
        f"The audit trail of {len(entries)} entries is intact.",
        _limits(len(entries), unkeyed, missing_keys, head),
    )


def _link_problem(entry: AuditEntry, position: int, prev_hash: str) -> str | None:
    if entry.seq != position:
        return (
            f"Audit entry {position} is missing or out of order "
            f"(found entry {entry.seq} in its place)."
        )
    if entry.prev_hash != prev_hash:
        return (
            f"Audit entry {position} does not follow entry {position - 1}: "
            "an entry before it was changed, removed or inserted."
        )
    return None


def _expected(entry: AuditEntry, key: AuditKey | None) -> str:
    return compute_hash(
        seq=entry.seq,
        at_utc=entry.at_utc,
        user=entry.user,
        action=entry.action,
        record_reference=entry.record_reference,
        prev_hash=entry.prev_hash,
        key=key,
        record=entry.record,
    )


def _head_problem(entries: Sequence[AuditEntry], head: AuditHead) -> VerifyResult | None:
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
    return None


def _limits(
    total: int, unkeyed: int, missing_keys: Mapping[str, int], head: AuditHead | None
) -> tuple[str, ...]:
    """What the check above could not prove."""
    limits = []
    if unkeyed:
        limits.append(
            f"{unkeyed} of {total} entries predate the audit key: they are hash-chained only, so "
            "someone holding the database key could have rewritten them and recomputed the "
            "chain; a head exported and kept elsewhere (--head) catches that."
        )
    for key_id, count in sorted(missing_keys.items()):
        limits.append(
            f"{count} entries are keyed with audit key {key_id}, which this computer does not "
            "hold: their links are checked, not their content. Copy that key file into the "
            "audit-keys folder to check them fully."
        )
    if head is None:
        limits.append(
            "Entries cut off the end of the trail are found only against a kept head (--head)."
        )
    return tuple(limits)


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
