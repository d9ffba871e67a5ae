"""Retention: records past their period are listed for review, never deleted by themselves.

Deleting one needs a manager, is refused while the record is under legal hold or still inside its
period, removes every version and any queued copy in the outbox, and is audited. Periods are set
per record type (`RetentionPolicy`), so an organisation can apply its own schedule.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from enum import StrEnum

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from coreform.accounts import Account, AccountError, require_role
from coreform.audit import AuditAction
from coreform.records import Role
from coreform.storage.audit_log import append_audit
from coreform.storage.audit_tables import LegalHoldRow
from coreform.storage.tables import ChildObservationRow, OutboxMessageRow, RecordRow


class RecordType(StrEnum):
    MONITORING_RECORD = "monitoring_record"


class RetentionAnchor(StrEnum):
    """What the period counts from."""

    YOUNGEST_CHILD_BIRTH = "youngest_child_birth"
    RECORD_DATE = "record_date"

    @property
    def label(self) -> str:
        return {
            RetentionAnchor.YOUNGEST_CHILD_BIRTH: "the youngest child's date of birth",
            RetentionAnchor.RECORD_DATE: "the visit date",
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
    # until the child's date of birth + 25 years.
    return {
        RecordType.MONITORING_RECORD: RetentionRule(25, RetentionAnchor.YOUNGEST_CHILD_BIRTH),
    }


@dataclass(frozen=True)
class RetentionPolicy:
    rules: dict[RecordType, RetentionRule] = field(default_factory=_default_rules)

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
    """A record past its period, shown to a manager for review (by reference, never by name)."""

    record_id: str
    reference: str
    record_type: RecordType
    keep_until: dt.date
    legal_hold: bool
    visit_date: dt.date | None = None
    reason: str = ""  # why it is listed: the rule and the day its period ended
    hold_reason: str = ""


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


def records_past_retention(
    session: Session, *, today: dt.date, policy: RetentionPolicy | None = None
) -> list[RetentionCandidate]:
    """Every monitoring record whose period ended before `today`, oldest first."""
    rule = (policy or RetentionPolicy()).rule(RecordType.MONITORING_RECORD)
    holds = {row.record_id: row.reason for row in session.scalars(select(LegalHoldRow))}
    candidates = []
    for record_id, (reference, visit_date, record_date, births) in _records(session).items():
        until = keep_until(rule, record_date=record_date, births=births)
        if until < today:
            counted = rule.anchor.label
            if rule.anchor is RetentionAnchor.YOUNGEST_CHILD_BIRTH and (
                not births or None in births
            ):
                counted = "the visit date (a child's date of birth is missing)"
            candidates.append(
                RetentionCandidate(
                    record_id,
                    reference,
                    RecordType.MONITORING_RECORD,
                    until,
                    record_id in holds,
                    visit_date=visit_date,
                    reason=f"{rule.years} years from {counted} ended on {until:%d %b %Y}",
                    hold_reason=holds.get(record_id, ""),
                )
            )
    return sorted(candidates, key=lambda c: (c.keep_until, c.reference))


def set_legal_hold(
    session: Session, record_id: str, reason: str, *, by: Account, at: dt.datetime
) -> None:
    require_role(by, Role.MANAGER)
    reference = _reference(session, record_id)
    if not reason.strip():
        raise RetentionError("Say why the record is held (for example the case or request).")
    if session.get(LegalHoldRow, record_id) is None:
        session.add(
            LegalHoldRow(record_id=record_id, reason=reason, set_by=by.user_name, set_at=at)
        )
    append_audit(
        session,
        at=at,
        user=by.user_name,
        action=AuditAction.LEGAL_HOLD_SET,
        record_reference=reference,
    )
    session.flush()


def release_legal_hold(session: Session, record_id: str, *, by: Account, at: dt.datetime) -> None:
    require_role(by, Role.MANAGER)
    reference = _reference(session, record_id)
    session.execute(delete(LegalHoldRow).where(LegalHoldRow.record_id == record_id))
    append_audit(
        session,
        at=at,
        user=by.user_name,
        action=AuditAction.LEGAL_HOLD_RELEASED,
        record_reference=reference,
    )
    session.flush()


def delete_past_retention(
    session: Session,
    record_id: str,
    *,
    by: Account,
    at: dt.datetime,
    policy: RetentionPolicy | None = None,
) -> str:
    """Deletes every version of a record a manager has reviewed; returns its reference."""
    require_role(by, Role.MANAGER)
    reference = _reference(session, record_id)
    if session.get(LegalHoldRow, record_id) is not None:
        raise RetentionError(
            f"Record {reference} is under legal hold and cannot be deleted until the hold ends."
        )
    due = {c.record_id for c in records_past_retention(session, today=at.date(), policy=policy)}
    if record_id not in due:
        raise RetentionError(
            f"Record {reference} is still inside its retention period and must be kept."
        )
    session.execute(delete(OutboxMessageRow).where(OutboxMessageRow.record_id == record_id))
    session.execute(delete(ChildObservationRow).where(ChildObservationRow.record_id == record_id))
    session.execute(delete(RecordRow).where(RecordRow.record_id == record_id))
    append_audit(
        session, at=at, user=by.user_name, action=AuditAction.DELETED, record_reference=reference
    )
    session.flush()
    return reference


def _reference(session: Session, record_id: str) -> str:
    reference = session.scalars(
        select(RecordRow.reference).where(RecordRow.record_id == record_id).limit(1)
    ).first()
    if reference is None:
        raise RetentionError("That record no longer exists; refresh the list.")
    return reference


_RecordDates = tuple[str, dt.date | None, dt.date, list[dt.date | None]]


def _records(session: Session) -> dict[str, _RecordDates]:
    """Per record: reference, visit date, the record's date (visit, else creation) and its
    children's births, all from its latest version."""
    found: dict[str, _RecordDates] = {}
    latest: dict[str, int] = {}
    for row in session.scalars(select(RecordRow).order_by(RecordRow.version)):
        record_date = row.visit_date or row.created_at.date()
        found[row.record_id] = (row.reference, row.visit_date, record_date, [])
        latest[row.record_id] = row.version
    births = session.execute(
        select(
            ChildObservationRow.record_id,
            ChildObservationRow.record_version,
            ChildObservationRow.child_date_of_birth,
        )
    )
    for record_id, version, born in births:
        if latest.get(record_id) == version:
            found[record_id][3].append(born)
    return found
