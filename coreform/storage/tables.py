"""The database tables, as SQLAlchemy 2 typed declarative classes.

Only `coreform.storage` sees these classes; repositories turn rows into `coreform.records`
dataclasses. Every moment is stored in UTC and read back in Europe/London (`UtcDateTime`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    Dialect,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    false,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from coreform.records import LONDON

ID = String(32)
SHORT = String(200)

# Stable constraint names, so later migrations (batch mode on SQLite) can refer to them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[dt.datetime]):
    """Aware datetimes stored as UTC; SQLite keeps no zone, so naive values read back are UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("coreform stores only timezone-aware moments")
        utc = value.astimezone(dt.UTC)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            raise TypeError(f"expected a datetime from the database, got {value!r}")
        moment = value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
        return moment.astimezone(LONDON)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class FamilyRow(Base):
    __tablename__ = "families"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(SHORT, index=True)
    address: Mapped[str] = mapped_column(Text, default="")
    key_worker_name: Mapped[str] = mapped_column(SHORT, default="")
    key_worker_email: Mapped[str] = mapped_column(SHORT, default="")
    key_worker_team: Mapped[str] = mapped_column(SHORT, default="")
    key_worker_phone: Mapped[str] = mapped_column(SHORT, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class ChildRow(Base):
    __tablename__ = "children"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    family_id: Mapped[str] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(SHORT)
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    plan_type: Mapped[str] = mapped_column(String(8))
    local_identifier: Mapped[str] = mapped_column(SHORT, default="")
    # Server defaults only (migration 0008): rows written without them read as before.
    unborn: Mapped[bool] = mapped_column(server_default=false())
    expected_date: Mapped[dt.date | None] = mapped_column(Date)


class ParentCarerRow(Base):
    __tablename__ = "parents_carers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    family_id: Mapped[str] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(SHORT)
    relationship: Mapped[str] = mapped_column(SHORT, default="")
    email: Mapped[str] = mapped_column(SHORT, default="")
    phone: Mapped[str] = mapped_column(SHORT, default="")


class CoreGroupMemberRow(Base):
    __tablename__ = "core_group_members"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    family_id: Mapped[str] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(SHORT)
    role: Mapped[str] = mapped_column(SHORT, default="")
    agency: Mapped[str] = mapped_column(SHORT, default="")
    email: Mapped[str] = mapped_column(SHORT, default="")
    phone: Mapped[str] = mapped_column(SHORT, default="")


class KeyWorkerRow(Base):
    """Key workers met on submitted records, offered again on the next record."""

    __tablename__ = "key_workers"
    __table_args__ = (UniqueConstraint("name", "email"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(SHORT)
    email: Mapped[str] = mapped_column(SHORT, default="")
    team: Mapped[str] = mapped_column(SHORT, default="")
    phone: Mapped[str] = mapped_column(SHORT, default="")
    last_used_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class RecordRow(Base):
    """One version of a monitoring record; an amendment adds a row, the original stays."""

    __tablename__ = "records"
    __table_args__ = (
        # References need not be unique: records filed from other senders keep theirs (issue 9).
        Index("ix_records_state", "state"),
    )

    record_id: Mapped[str] = mapped_column(ID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Counts saves of this version; an UPDATE that finds another value lost a race.
    row_version: Mapped[int] = mapped_column(Integer)
    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012
    reference: Mapped[str] = mapped_column(String(32), index=True)
    state: Mapped[str] = mapped_column(String(16))
    # No foreign key: a received record may name a family this installation does not hold.
    family_id: Mapped[str | None] = mapped_column(ID, index=True)
    family_name: Mapped[str] = mapped_column(SHORT, default="")
    # The session that last saved this draft, for crash recovery.
    session_id: Mapped[str | None] = mapped_column(ID, index=True)

    key_worker_name: Mapped[str] = mapped_column(SHORT, default="")
    key_worker_email: Mapped[str] = mapped_column(SHORT, default="")
    key_worker_team: Mapped[str] = mapped_column(SHORT, default="")
    key_worker_phone: Mapped[str] = mapped_column(SHORT, default="")

    completed_by_name: Mapped[str] = mapped_column(SHORT, default="")
    completed_by_role: Mapped[str] = mapped_column(SHORT, default="")
    completed_by_agency: Mapped[str] = mapped_column(SHORT, default="")
    completed_by_email: Mapped[str] = mapped_column(SHORT, default="")
    completed_by_phone: Mapped[str] = mapped_column(SHORT, default="")

    visit_date: Mapped[dt.date | None] = mapped_column(Date)
    visit_time: Mapped[dt.time | None] = mapped_column(Time)
    setting: Mapped[str | None] = mapped_column(String(32))
    setting_other: Mapped[str] = mapped_column(SHORT, default="")
    announced: Mapped[bool | None]
    purpose: Mapped[str] = mapped_column(Text, default="")
    others_present: Mapped[str] = mapped_column(Text, default="")

    observations: Mapped[str] = mapped_column(Text, default="")
    home_conditions: Mapped[str] = mapped_column(Text, default="")
    family_circumstances: Mapped[str] = mapped_column(Text, default="")
    risks_worsened: Mapped[bool | None]
    new_incidents: Mapped[bool | None]
    incidents_injuries: Mapped[str] = mapped_column(Text, default="")

    immediate_concerns: Mapped[bool | None]
    concerns_told_who: Mapped[str] = mapped_column(Text, default="")
    concerns_told_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    cp_procedures_considered: Mapped[bool | None]

    parents_informed: Mapped[bool | None]
    parents_not_informed_reason: Mapped[str] = mapped_column(Text, default="")
    copy_to_parents: Mapped[bool | None]
    no_copy_reason: Mapped[str] = mapped_column(Text, default="")
    parents_copy_note: Mapped[str] = mapped_column(Text, server_default="")

    date_completed: Mapped[dt.date | None] = mapped_column(Date)
    date_sent: Mapped[dt.date | None] = mapped_column(Date)
    send_method: Mapped[str] = mapped_column(String(16))
    lateness_reason: Mapped[str] = mapped_column(Text, default="")
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    working_days_late: Mapped[int] = mapped_column(Integer, server_default="0")

    next_contact: Mapped[dt.date | None] = mapped_column(Date)
    next_contact_note: Mapped[str] = mapped_column(Text, default="")

    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)

    amendment_reason: Mapped[str | None] = mapped_column(Text)
    amendment_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    amendment_by: Mapped[str | None] = mapped_column(SHORT)
    amendment_previous_version: Mapped[int | None]


class ChildObservationRow(Base):
    """What was seen of one child on one record version; the child's details are copied in."""

    __tablename__ = "child_observations"
    __table_args__ = (
        ForeignKeyConstraint(
            ["record_id", "record_version"],
            ["records.record_id", "records.version"],
            ondelete="CASCADE",
        ),
        Index("ix_child_observations_record", "record_id", "record_version"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ID)
    record_version: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer)

    child_id: Mapped[str] = mapped_column(ID, index=True)
    child_name: Mapped[str] = mapped_column(SHORT)
    child_date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    child_plan_type: Mapped[str] = mapped_column(String(8))
    child_local_identifier: Mapped[str] = mapped_column(SHORT, default="")
    child_unborn: Mapped[bool] = mapped_column(server_default=false())
    child_expected_date: Mapped[dt.date | None] = mapped_column(Date)

    seen: Mapped[bool | None]
    not_seen_reason: Mapped[str] = mapped_column(Text, default="")
    spoken_with: Mapped[bool | None]
    not_spoken_with_reason: Mapped[str] = mapped_column(Text, server_default="")
    seen_alone: Mapped[bool | None]
    not_seen_alone_reason: Mapped[str] = mapped_column(Text, default="")
    parent_agreed_alone: Mapped[bool | None]
    seen_awake: Mapped[bool | None]
    bedroom_seen: Mapped[bool | None]
    presentation: Mapped[str] = mapped_column(Text, default="")
    wishes_and_feelings: Mapped[str] = mapped_column(Text, default="")


class SettingRow(Base):
    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ReferenceCounterRow(Base):
    """The last reference number issued in a year, raised in one statement per new record."""

    __tablename__ = "reference_counters"

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer)


class SessionRow(Base):
    """One run of the app; a row left without `ended_at` means that run crashed or was killed."""

    __tablename__ = "sessions"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    started_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    ended_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)


# Messages whose draft file is still kept: a few among all the outbox, found through a partial
# index (migration 0012, partial on PostgreSQL too: `postgresql_where` here would load SQLAlchemy's
# PostgreSQL dialect at every start). A literal '' so SQLite's planner can match the index's WHERE.
DRAFT_KEPT = text("draft_path <> ''")


class OutboxMessageRow(Base):
    """A message waiting to go, or gone (docs/CONTRACTS.md: Outbox)."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_due", "state", "next_attempt_at"),
        Index("ix_outbox_messages_record", "record_id", "record_version"),
        Index(
            "ix_outbox_messages_drafts_sent",
            "state",
            "sent_at",
            sqlite_where=DRAFT_KEPT,
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ID)
    record_version: Mapped[int] = mapped_column(Integer)
    message_id: Mapped[str] = mapped_column(String(250), unique=True)
    recipient_kind: Mapped[str] = mapped_column(String(16))
    recipient: Mapped[str] = mapped_column(SHORT)
    transport: Mapped[str] = mapped_column(String(8))
    raw: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(16))
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    draft_path: Mapped[str] = mapped_column(Text, server_default="")
    confirmed_by: Mapped[str] = mapped_column(SHORT, server_default="")
