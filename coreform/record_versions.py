"""How a record is numbered and versioned: its reference, the new draft an amendment starts, and
how the audit trail names one version (by reference, never by a child's name)."""

from __future__ import annotations

import copy
import datetime as dt
import secrets

from coreform.errors import RecordLockedError, ValidationFailedError
from coreform.records import Amendment, MonitoringRecord, RecordState
from coreform.validation import Problem, Severity

REFERENCE_PREFIX = "CG"
INSTALLATION_CODE_KEY = "installation.code"
# No 0/O, 1/I/L or U: an installation code is read aloud and typed back without confusion.
_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTVWXYZ23456789"
_CODE_LENGTH = 5  # 30^5: about 24 million codes


def new_installation_code() -> str:
    """Made once, when the database is created; keeps references from different senders apart."""
    return "".join(secrets.choice(_CODE_ALPHABET) for _ in range(_CODE_LENGTH))


def format_reference(code: str, year: int, number: int) -> str:
    """CG-K7QF2-2026-00042: per installation and year, kept by every version (issue 9).

    The reference is for people; storage and imports key on the record's random id.
    """
    return f"{REFERENCE_PREFIX}-{code}-{year}-{number:05d}"


def audit_name(record: MonitoringRecord) -> str:
    """How the audit trail names a record: its reference and version, never a child's name."""
    return f"{record.reference} v{record.version}"


def start_amendment(
    latest: MonitoringRecord, reason: str, *, at: dt.datetime, by: str
) -> MonitoringRecord:
    """A new draft version of a sent record, carrying why; the sent version stays as it is."""
    if not reason.strip():
        raise ValidationFailedError(
            [Problem("amendment.reason", "Say why the record is being amended.", Severity.ERROR)]
        )
    if not latest.locked:
        raise RecordLockedError(
            f"Record {latest.reference} is still a draft: change it and submit it; there "
            "is nothing to amend yet."
        )
    amended = copy.deepcopy(latest)
    amended.version = latest.version + 1
    amended.state = RecordState.DRAFT
    amended.submitted_at = None
    amended.created_at = at
    amended.amendment = Amendment(
        reason=reason.strip(), amended_at=at, amended_by=by, previous_version=latest.version
    )
    return amended
