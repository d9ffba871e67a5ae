"""Tables for the audit trail, user accounts and legal holds (migration 0002_audit_accounts).

They sit on the same declarative `Base` as the record tables, so one metadata and one set of
migrations describe the whole database.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coreform.storage.tables import ID, SHORT, Base, UtcDateTime


class AuditLogRow(Base):
    """One audit entry; rows are only ever appended (coreform.audit checks the chain)."""

    __tablename__ = "audit_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    # Kept as the exact text that was hashed, so no driver's datetime handling can alter it.
    at_utc: Mapped[str] = mapped_column(String(32))
    user: Mapped[str] = mapped_column(SHORT)
    action: Mapped[str] = mapped_column(String(40))
    record_reference: Mapped[str] = mapped_column(SHORT, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Issue 9 (migration 0006): which audit key made `hash` ("" before there was one), and the
    # record version an entry submits or files, with the SHA-256 of its content.
    key_id: Mapped[str] = mapped_column(String(16), default="")
    record_id: Mapped[str | None] = mapped_column(ID)
    record_version: Mapped[int | None] = mapped_column(Integer)
    content_hash: Mapped[str | None] = mapped_column(String(64))


class AccountRow(Base):
    """A person who signs in to a shared installation; the password is kept only as argon2id."""

    __tablename__ = "accounts"

    user_name: Mapped[str] = mapped_column(String(100), primary_key=True)
    display_name: Mapped[str] = mapped_column(SHORT, default="")
    role: Mapped[str] = mapped_column(String(32))
    password_hash: Mapped[str] = mapped_column(String(200))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class LegalHoldRow(Base):
    """A record that must not be deleted, whatever its retention period, until the hold ends."""

    __tablename__ = "legal_holds"

    record_id: Mapped[str] = mapped_column(ID, primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    set_by: Mapped[str] = mapped_column(SHORT)
    set_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
