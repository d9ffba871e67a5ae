"""How a record is numbered and versioned: its reference, the new draft an amendment starts, and
how the audit trail names one version (by reference, never by a child's name)."""

from __future__ import annotations

import copy
import datetime as dt

from coreform.errors import RecordLockedError, ValidationFailedError
from coreform.records import Amendment, MonitoringRecord, RecordState
from coreform.validation import Problem, Severity

REFERENCE_PREFIX = "CG"


def reference_counter_key(year: int) -> str:
    """The setting that holds the last reference number given out in `year`."""
    return f"reference.last.{year}"


def format_reference(year: int, number: int) -> str:
    """CG-2026-00042: numbered per installation and year, kept by every version."""
    return f"{REFERENCE_PREFIX}-{year}-{number:05d}"


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
