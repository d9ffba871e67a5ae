"""Tables for the key worker's inbox (issue 13): records received and their review, who each
record was shared with, and which received child is which child here (migration 0004_inbox);
core group minutes received from another coreform (migration 0015_received_minutes).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coreform.storage.tables import ID, SHORT, Base, UtcDateTime


class ReceivedRecordRow(Base):
    """One received version of a record (its content is in `records`) and where its review is."""

    __tablename__ = "received_records"
    __table_args__ = (Index("ix_received_records_review", "review_state", "received_at"),)

    record_id: Mapped[str] = mapped_column(ID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    origin: Mapped[str] = mapped_column(String(16))
    # SHA-256 of the content as received: the same version arriving altered is refused.
    content_sha256: Mapped[str] = mapped_column(String(64))
    review_state: Mapped[str] = mapped_column(String(16))
    issues: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    reviewed_by: Mapped[str] = mapped_column(SHORT, default="")
    # What the filled-in form left empty, as field paths (one a line), for the review.
    missing: Mapped[str] = mapped_column(Text, default="")


class RecordShareRow(Base):
    """One record version sent to one core group member through the outbox (000: the key
    worker disseminates every record)."""

    __tablename__ = "record_shares"
    __table_args__ = (Index("ix_record_shares_record", "record_id", "record_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ID)
    record_version: Mapped[int] = mapped_column(Integer)
    member_name: Mapped[str] = mapped_column(SHORT)
    member_role: Mapped[str] = mapped_column(SHORT, default="")
    member_agency: Mapped[str] = mapped_column(SHORT, default="")
    member_email: Mapped[str] = mapped_column(SHORT)
    outbox_id: Mapped[int] = mapped_column(Integer)
    shared_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    shared_by: Mapped[str] = mapped_column(SHORT)


class ChildLinkRow(Base):
    """A child as another installation identifies it, matched to a child known here."""

    __tablename__ = "child_links"

    received_child_id: Mapped[str] = mapped_column(ID, primary_key=True)
    child_id: Mapped[str] = mapped_column(ID, index=True)
    linked_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    linked_by: Mapped[str] = mapped_column(SHORT)


class ReceivedMinutesRow(Base):
    """One received version of core group minutes, read only: the key worker who wrote them
    keeps the original. Apart from the key worker's own minutes (`core_group_minutes`), so they
    never count as a meeting held here, nor carry forward into minutes written here."""

    __tablename__ = "received_minutes"
    __table_args__ = (Index("ix_received_minutes_received", "received_at"),)

    minutes_id: Mapped[str] = mapped_column(ID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(32))
    family_name: Mapped[str] = mapped_column(SHORT, default="")
    sequence: Mapped[int] = mapped_column(Integer)
    meeting_date: Mapped[dt.date | None] = mapped_column(Date)
    sender_name: Mapped[str] = mapped_column(SHORT, default="")
    sender_email: Mapped[str] = mapped_column(SHORT, default="")
    received_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    # SHA-256 of the content as received: the same version arriving altered is refused.
    content_sha256: Mapped[str] = mapped_column(String(64))
    body: Mapped[str] = mapped_column(Text)


class ReceivedMinutesChildRow(Base):
    """A child a received version covers, as the sender identifies them (matched through
    `child_links`, as a received record's children are)."""

    __tablename__ = "received_minutes_children"
    __table_args__ = (Index("ix_received_minutes_children_child", "child_id"),)

    minutes_id: Mapped[str] = mapped_column(ID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[str] = mapped_column(ID, primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    child_name: Mapped[str] = mapped_column(SHORT, default="")
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
