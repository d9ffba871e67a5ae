"""Retention: records past their period are listed for review, never deleted by themselves.

Deleting one needs a manager, is refused while the record is under legal hold or still inside its
period, removes every version and any queued copy in the outbox, and is audited. Periods are set
per record type (`RetentionPolicy`), so an organisation can apply its own schedule.

Core group minutes, written here or received, are reviewed the same way: 001 §4.3 has them
"clearly recorded on the child's ... records", so they belong to the child's file as the
monitoring records do, and are kept as long as the rest of it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from enum import StrEnum
from typing import NamedTuple, Protocol

from coreform.accounts import Account, AccountError, require_role
from coreform.audit import AuditAction, AuditSink
from coreform.records import Role


class RecordType(StrEnum):
    MONITORING_RECORD = "monitoring_record"
    CORE_GROUP_MINUTES = "core_group_minutes"

    @property
    def label(self) -> str:
        return _TYPE_LABELS[self][0]

    @property
    def dated_by(self) -> str:
        """What the record's own date is, in words."""
        return _TYPE_LABELS[self][1]


_TYPE_LABELS = {
    RecordType.MONITORING_RECORD: ("Monitoring record", "the visit date"),
    RecordType.CORE_GROUP_MINUTES: ("Core group minutes", "the meeting date"),
}


class RetentionAnchor(StrEnum):
    """What the period counts from."""

    YOUNGEST_CHILD_BIRTH = "youngest_child_birth"
    RECORD_DATE = "record_date"

    @property
    def label(self) -> str:
        return {
            RetentionAnchor.YOUNGEST_CHILD_BIRTH: "the youngest child's date of birth",
            RetentionAnchor.RECORD_DATE: "the date of the visit or meeting",
        }[self]


@dataclass(frozen=True)
class RetentionRule:
    years: int
    anchor: RetentionAnchor

    def __post_init__(self) -> None:
        if self.years < 1:
            raise ValueError("A retention period is at least one year.")


def _default_rules() -> dict[RecordType, RetentionRule]:
    # IRMS Information Management Toolkit for Schools: child protection information is kept
    # until the child's date of birth + 25 years. Minutes are on the child's file (001 §4.3).
    return {
        RecordType.MONITORING_RECORD: RetentionRule(25, RetentionAnchor.YOUNGEST_CHILD_BIRTH),
        RecordType.CORE_GROUP_MINUTES: RetentionRule(25, RetentionAnchor.YOUNGEST_CHILD_BIRTH),
    }


@dataclass(frozen=True)
class RetentionPolicy:
    rules: dict[RecordType, RetentionRule] = field(default_factory=_default_rules)

    def __post_init__(self) -> None:
        # A type the policy does not name (one added since it was saved) keeps its default.
        object.__setattr__(self, "rules", {**_default_rules(), **self.rules})

    def rule(self, record_type: RecordType) -> RetentionRule:
        return self.rules[record_type]

    def to_json(self) -> str:
        return json.dumps(
            {
                kind.value: {"years": r.years, "anchor": r.anchor.value}
                for kind, r in self.rules.items()
            }
        )

    @classmethod
    def from_json(cls, text: str) -> RetentionPolicy:
        """Reads what `to_json` wrote; a missing or unreadable rule keeps its default."""
        rules = _default_rules()
        try:
            data = json.loads(text) if text else {}
        except json.JSONDecodeError:
            data = {}
        for kind in RecordType:
            stored = data.get(kind.value) if isinstance(data, dict) else None
            if not isinstance(stored, dict):
                continue
            try:
                rules[kind] = RetentionRule(int(stored["years"]), RetentionAnchor(stored["anchor"]))
            except (KeyError, TypeError, ValueError):
                continue
        return cls(rules)


@dataclass(frozen=True)
class RetentionCandidate:
    """A record (or minutes) past its period, shown to a manager for review (by reference,
    never by name)."""

    record_id: str
    reference: str
    record_type: RecordType
    keep_until: dt.date
    legal_hold: bool
    visit_date: dt.date | None = None  # the visit, or the meeting
    reason: str = ""  # why it is listed: the rule and the day its period ended
    hold_reason: str = ""
    received: bool = False  # a copy received from another coreform

    @property
    def what(self) -> str:
        """ "Monitoring record", "Core group minutes (received)"."""
        return f"{self.record_type.label}{' (received)' if self.received else ''}"


class RetentionError(AccountError):
    pass


def keep_until(
    rule: RetentionRule, *, record_date: dt.date, births: list[dt.date | None]
) -> dt.date:
    """The last day the record must be kept; an unknown birth date counts from the record."""
    anchor = record_date
    if rule.anchor is RetentionAnchor.YOUNGEST_CHILD_BIRTH and births and None not in births:
        anchor = max(b for b in births if b is not None)
    return _add_years(anchor, rule.years)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


class RecordDates(NamedTuple):
    """What retention reads of a record's (or minutes') latest version."""

    reference: str
    visit_date: dt.date | None  # the visit, or the meeting
    record_date: dt.date  # the visit (or meeting), else the day the record was created
    births: list[dt.date | None]  # its children's dates of birth, None where unknown
    record_type: RecordType = RecordType.MONITORING_RECORD
    received: bool = False


class RetentionStore(Protocol):
    """Legal holds and records as retention sees them (`RetentionRepository`)."""

    def holds(self) -> dict[str, str]: ...
    def held(self, record_id: str) -> bool: ...
    def hold(self, record_id: str, reason: str, *, by: str, at: dt.datetime) -> None: ...
    def release(self, record_id: str) -> None: ...
    def reference_of(self, record_id: str) -> str | None: ...
    def record_dates(self) -> dict[str, RecordDates]: ...
    def delete_record(self, record_id: str) -> None: ...


class RetentionBook(AuditSink, Protocol):
    """Retention data and the audit trail in one transaction (the unit of work)."""

    @property
    def retention(self) -> RetentionStore: ...


def records_past_retention(
    store: RetentionStore, *, today: dt.date, policy: RetentionPolicy | None = None
) -> list[RetentionCandidate]:
    """Every monitoring record and core group minutes (written here or received) whose period
    ended before `today`, oldest first."""
    rules = policy or RetentionPolicy()
    holds = store.holds()
    candidates = []
    for record_id, dates in store.record_dates().items():
        kind, births = dates.record_type, dates.births
        rule = rules.rule(kind)
        until = keep_until(rule, record_date=dates.record_date, births=births)
        if until < today:
            by_birth = rule.anchor is RetentionAnchor.YOUNGEST_CHILD_BIRTH
            counted = rule.anchor.label if by_birth else kind.dated_by
            if by_birth and (not births or None in births):
                counted = f"{kind.dated_by} (a child's date of birth is missing)"
            candidates.append(
                RetentionCandidate(
                    record_id,
                    dates.reference,
                    kind,
                    until,
                    record_id in holds,
                    visit_date=dates.visit_date,
                    reason=f"{rule.years} years from {counted} ended on {until:%d %b %Y}",
                    hold_reason=holds.get(record_id, ""),
                    received=dates.received,
                )
            )
    return sorted(candidates, key=lambda c: (c.keep_until, c.reference))


def set_legal_hold(
    book: RetentionBook, record_id: str, reason: str, *, by: Account, at: dt.datetime
) -> None:
    require_role(by, Role.MANAGER)
    reference = _reference(book.retention, record_id)
    if not reason.strip():
        raise RetentionError("Say why the record is held (for example the case or request).")
    book.retention.hold(record_id, reason, by=by.user_name, at=at)
    book.audit(AuditAction.LEGAL_HOLD_SET, at=at, user=by.user_name, record_reference=reference)


def release_legal_hold(
    book: RetentionBook, record_id: str, *, by: Account, at: dt.datetime
) -> None:
    require_role(by, Role.MANAGER)
    reference = _reference(book.retention, record_id)
    book.retention.release(record_id)
    book.audit(
        AuditAction.LEGAL_HOLD_RELEASED, at=at, user=by.user_name, record_reference=reference
    )


def delete_past_retention(
    book: RetentionBook,
    record_id: str,
    *,
    by: Account,
    at: dt.datetime,
    policy: RetentionPolicy | None = None,
) -> str:
    """Deletes every version of a record a manager has reviewed; returns its reference."""
    require_role(by, Role.MANAGER)
    store = book.retention
    reference = _reference(store, record_id)
    if store.held(record_id):
        raise RetentionError(
            f"{reference} is under legal hold and cannot be deleted until the hold ends."
        )
    due = {c.record_id for c in records_past_retention(store, today=at.date(), policy=policy)}
    if record_id not in due:
        raise RetentionError(f"{reference} is still inside its retention period and must be kept.")
    store.delete_record(record_id)
    book.audit(AuditAction.DELETED, at=at, user=by.user_name, record_reference=reference)
    return reference


def _reference(store: RetentionStore, record_id: str) -> str:
    reference = store.reference_of(record_id)
    if reference is None:
        raise RetentionError("That record no longer exists; refresh the list.")
    return reference
