"""The records coreform keeps, as plain typed classes (no SQLAlchemy, no Qt).

The monitoring record follows the "Multi-Agency Core Group Monitoring Form" table in DOMAIN.md
(000, with the contents 002 §6 and 004 §9.4.10 require). One record is one visit or interaction and
may cover several children of one family. Dates are `datetime.date`; moments are timezone-aware
(Europe/London).

`record_to_dict` / `record_from_dict` give the versioned JSON form that travels inside the PDF and
that storage and tests compare against. (Over 400 lines: the JSON form reads these classes and
their date limits, and they write through it; apart, the two modules would import each other.)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

# Bump when the JSON form changes shape; readers accept every version up to this one.
# 2: unborn children, incidents as yes/no, worsened risks, parent's agreement to seeing the child
#    alone, the reason a child was not spoken with, how the parents' copy travels, the due date and
#    working days late recorded at submission. A version 1 record reads with those unanswered.
RECORD_SCHEMA_VERSION = 2
RECORD_SCHEMA_NAME = "coreform.monitoring-record"


# Issue 9: dates outside these are typing mistakes (30/12/9999), and the working-day arithmetic
# cannot run past year 9999; they are refused wherever a date comes in.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)


def date_in_range(day: dt.date) -> bool:
    return EARLIEST_DATE <= day <= LATEST_DATE


def out_of_range_message(day: dt.date) -> str:
    return (
        f"{day:%d/%m/%Y} is not a date coreform can use: enter one between "
        f"{EARLIEST_DATE.year} and {LATEST_DATE.year}."
    )


def now_london() -> dt.datetime:
    return dt.datetime.now(LONDON)


def new_id() -> str:
    return uuid.uuid4().hex


class PlanType(StrEnum):
    CP = "CP"
    CIN = "CIN"

    @property
    def label(self) -> str:
        return "Child protection plan" if self is PlanType.CP else "Child in need plan"


class Setting(StrEnum):
    """Where the contact took place (000)."""

    HOME = "home"
    SCHOOL = "school"
    NURSERY = "nursery"
    HEALTH_CLINIC = "health_clinic"
    GP_SURGERY = "gp_surgery"
    HOSPITAL = "hospital"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _SETTING_LABELS[self]


_SETTING_LABELS = {
    Setting.HOME: "Home visit",
    Setting.SCHOOL: "School",
    Setting.NURSERY: "Nursery",
    Setting.HEALTH_CLINIC: "Health clinic",
    Setting.GP_SURGERY: "GP surgery",
    Setting.HOSPITAL: "Hospital",
    Setting.OTHER: "Other",
}


class SendMethod(StrEnum):
    EMAIL = "email"
    SECURE_EMAIL_DRAFT = "email_draft"
    FAX = "fax"  # historical: kept so old records import
    OTHER = "other"


class RecordState(StrEnum):
    """draft -> submitted -> amended. Submitted and amended records are locked."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    AMENDED = "amended"

    @property
    def locked(self) -> bool:
        return self is not RecordState.DRAFT


class Role(StrEnum):
    PRACTITIONER = "practitioner"
    KEY_WORKER = "key_worker"
    MANAGER = "manager"
    ADMINISTRATOR = "administrator"


@dataclass
class KeyWorker:
    """The lead social worker for the family (000: receives every record)."""

    name: str = ""
    email: str = ""
    team: str = ""
    phone: str = ""


@dataclass
class Practitioner:
    """Who completed the record."""

    name: str = ""
    role: str = ""
    agency: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class ParentCarer:
    name: str = ""
    relationship: str = ""
    email: str = ""
    phone: str = ""


@dataclass
class CoreGroupMember:
    """A professional named at conference, or a parent/carer (DOMAIN.md: core group)."""

    name: str = ""
    role: str = ""
    agency: str = ""
    email: str = ""
    phone: str = ""
    id: str = field(default_factory=new_id)


@dataclass
class Child:
    name: str = ""
    date_of_birth: dt.date | None = None
    plan_type: PlanType = PlanType.CP
    local_identifier: str = ""
    id: str = field(default_factory=new_id)
    # 004 §9.4.2: plans are made for unborn children at pre-birth conferences.
    unborn: bool = False
    expected_date: dt.date | None = None


@dataclass
class Family:
    """A family the user works with: remembered so a repeat visit is quick to record."""

    name: str = ""
    children: list[Child] = field(default_factory=list)
    key_worker: KeyWorker = field(default_factory=KeyWorker)
    parents_carers: list[ParentCarer] = field(default_factory=list)
    core_group: list[CoreGroupMember] = field(default_factory=list)
    address: str = ""
    id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class ListedFamily:
    """One row of the families list: what it shows, read without the family's people (issue 15)."""

    id: str
    name: str
    child_names: tuple[str, ...]
    key_worker_name: str


@dataclass(frozen=True)
class ListedChild:
    """One row of a child picker: a child of a family the families search found."""

    id: str
    name: str
    date_of_birth: dt.date | None
    family_id: str
    family_name: str


@dataclass
class ChildObservation:
    """What was seen of one child at the contact (000, 002 §6, 004 §9.4.10)."""

    child: Child = field(default_factory=Child)
    seen: bool | None = None
    not_seen_reason: str = ""
    spoken_with: bool | None = None
    not_spoken_with_reason: str = ""
    # Seen alone, with the parent's agreement; for a baby "seen awake" instead (coreform.ages).
    seen_alone: bool | None = None
    not_seen_alone_reason: str = ""
    parent_agreed_alone: bool | None = None
    seen_awake: bool | None = None
    bedroom_seen: bool | None = None  # home visits only
    presentation: str = ""
    wishes_and_feelings: str = ""


@dataclass
class Amendment:
    """Why a submitted record was changed; the original version stays in storage."""

    reason: str
    amended_at: dt.datetime
    amended_by: str = ""
    previous_version: int = 1


@dataclass
class MonitoringRecord:
    """One visit or interaction, for one or more children of one family."""

    id: str = field(default_factory=new_id)
    reference: str = ""
    version: int = 1
    state: RecordState = RecordState.DRAFT
    family_id: str | None = None
    family_name: str = ""

    children: list[ChildObservation] = field(default_factory=list)
    key_worker: KeyWorker = field(default_factory=KeyWorker)
    completed_by: Practitioner = field(default_factory=Practitioner)

    # The contact
    visit_date: dt.date | None = None
    visit_time: dt.time | None = None
    setting: Setting | None = None
    setting_other: str = ""
    announced: bool | None = None
    purpose: str = ""
    others_present: str = ""

    # Observations (002 §6)
    observations: str = ""
    home_conditions: str = ""
    family_circumstances: str = ""
    risks_worsened: bool | None = None
    new_incidents: bool | None = None
    incidents_injuries: str = ""

    # Concerns (000)
    immediate_concerns: bool | None = None
    concerns_told_who: str = ""
    concerns_told_at: dt.datetime | None = None
    cp_procedures_considered: bool | None = None

    # Parents/carers (000)
    parents_informed: bool | None = None
    parents_not_informed_reason: str = ""
    copy_to_parents: bool | None = None
    no_copy_reason: str = ""
    parents_copy_note: str = ""  # how the copy reaches them when no address is known

    # Sending (000)
    date_completed: dt.date | None = None
    date_sent: dt.date | None = None
    send_method: SendMethod = SendMethod.EMAIL
    lateness_reason: str = ""
    # Set when submitted (000): the last day to complete and send, and how late it was completed.
    due_date: dt.date | None = None
    working_days_late: int = 0

    # Next
    next_contact: dt.date | None = None
    next_contact_note: str = ""

    created_at: dt.datetime = field(default_factory=now_london)
    updated_at: dt.datetime = field(default_factory=now_london)
    submitted_at: dt.datetime | None = None
    amendment: Amendment | None = None

    @property
    def locked(self) -> bool:
        return self.state.locked

    @property
    def is_home_visit(self) -> bool:
        return self.setting is Setting.HOME

    @property
    def visit_start(self) -> dt.datetime | None:
        """The visit's start as an aware Europe/London moment (midnight when no time is given)."""
        if self.visit_date is None:
            return None
        return dt.datetime.combine(self.visit_date, self.visit_time or dt.time(0), LONDON)

    def child_names(self) -> list[str]:
        return [obs.child.name for obs in self.children]


# ---- JSON form -----------------------------------------------------------------------------


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, list):
        return [_encode(item) for item in value]
    return value


class RecordFormatError(ValueError):
    """The data does not describe a record coreform can read."""


def _decode_datetime(value: Any) -> dt.datetime:
    moment = dt.datetime.fromisoformat(value)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=LONDON)
    # Back to Europe/London: a fixed "+01:00" never equals a London time in the autumn's repeated
    # hour (PEP 495), so a record read from JSON would differ from the one stored.
    return moment.astimezone(LONDON)


def _decode(cls: Any, data: Any, known: Mapping[str, Any] | None = None) -> Any:
    """`cls` from JSON data; `known` names the dataclasses and enums its fields may hold."""
    known = _KNOWN if known is None else known
    hints = _hints(cls)
    if not isinstance(data, dict):
        raise RecordFormatError(f"{cls.__name__} should be an object")
    kwargs: dict[str, Any] = {}
    for name, kind in hints.items():
        if name not in data:
            continue
        kwargs[name] = _decode_value(kind, data[name], name, known)
    return cls(**kwargs)


def _decode_value(kind: str, value: Any, name: str, known: Mapping[str, Any]) -> Any:
    optional = kind.endswith(" | None")
    base = kind.removesuffix(" | None")
    if value is None:
        if optional:
            return None
        raise RecordFormatError(f"{name} is missing")
    try:
        if base.startswith("list["):
            item = base[5:-1]
            if not isinstance(value, list):
                raise RecordFormatError(f"{name} should be a list")
            return [_decode_value(item, v, name, known) for v in value]
        if base in known and dataclasses.is_dataclass(known[base]):
            return _decode(known[base], value, known)
        if base in known:
            return known[base](value)
        if base == "dt.date":
            day = dt.date.fromisoformat(value)
            if not date_in_range(day):
                raise RecordFormatError(f"{name}: {out_of_range_message(day)}")
            return day
        if base == "dt.time":
            return dt.time.fromisoformat(value)
        if base == "dt.datetime":
            return _decode_datetime(value)
        if base == "bool":
            if not isinstance(value, bool):
                raise RecordFormatError(f"{name} should be yes or no")
            return value
        if base == "int":
            if isinstance(value, bool) or not isinstance(value, int):
                raise RecordFormatError(f"{name} should be a whole number")
            return value
        if base == "str":
            if not isinstance(value, str):
                raise RecordFormatError(f"{name} should be text")
            value.encode("utf-8")  # a lone surrogate ("\ud800") is not text: refused here
            return value
    except UnicodeEncodeError as error:
        raise RecordFormatError(
            f"{name} holds a broken character (half of a two-part character); ask the sender "
            "to check that text and send the record again"
        ) from error
    except (TypeError, ValueError) as error:
        if isinstance(error, RecordFormatError):
            raise
        raise RecordFormatError(f"{name} has an unreadable value") from error
    raise RecordFormatError(f"{name} has an unknown type")


def _hints(cls: Any) -> dict[str, str]:
    return {f.name: str(f.type) for f in dataclasses.fields(cls)}


_DATACLASSES: dict[str, Any] = {
    cls.__name__: cls
    for cls in (
        KeyWorker,
        Practitioner,
        ParentCarer,
        CoreGroupMember,
        Child,
        Family,
        ChildObservation,
        Amendment,
        MonitoringRecord,
    )
}
_ENUMS: dict[str, Any] = {
    cls.__name__: cls for cls in (PlanType, Setting, SendMethod, RecordState, Role)
}
_KNOWN: dict[str, Any] = {**_DATACLASSES, **_ENUMS}


def to_json_data(value: Any) -> Any:
    """A dataclass (and what it holds) as JSON-ready data: dates as ISO text, enums as values."""
    return _encode(value)


def from_json_data(cls: Any, data: Any, types: tuple[Any, ...]) -> Any:
    """What `to_json_data` wrote, as `cls`; `types` are the dataclasses and enums its fields
    name. RecordFormatError for anything else."""
    return _decode(cls, data, {kind.__name__: kind for kind in types})


def record_to_dict(record: MonitoringRecord) -> dict[str, Any]:
    """The record as JSON-ready data, with its schema name and version."""
    return {
        "schema": RECORD_SCHEMA_NAME,
        "schema_version": RECORD_SCHEMA_VERSION,
        "record": _encode(record),
    }


def record_from_dict(data: Any) -> MonitoringRecord:
    """Reads what `record_to_dict` wrote; raises RecordFormatError for anything else."""
    if not isinstance(data, dict) or data.get("schema") != RECORD_SCHEMA_NAME:
        raise RecordFormatError("This is not a coreform monitoring record.")
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise RecordFormatError("The record's format version is missing.")
    if version > RECORD_SCHEMA_VERSION:
        raise RecordFormatError(
            "This record was made by a newer coreform. Update coreform to open it."
        )
    record = _decode(MonitoringRecord, data.get("record"))
    if not isinstance(record, MonitoringRecord):
        raise RecordFormatError("This is not a coreform monitoring record.")
    return record


def family_to_dict(family: Family) -> dict[str, Any]:
    result: dict[str, Any] = _encode(family)
    return result


def family_from_dict(data: Any) -> Family:
    family = _decode(Family, data)
    assert isinstance(family, Family)
    return family
