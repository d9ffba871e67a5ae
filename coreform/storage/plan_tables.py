"""Tables for children's plans (migration 0005_child_plans).

`child_id` is the children table's id without a foreign key: saving a family rewrites its children
rows, and a plan must outlive that.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coreform.storage.tables import ID, SHORT, Base, UtcDateTime


class ChildPlanRow(Base):
    __tablename__ = "child_plans"

    child_id: Mapped[str] = mapped_column(ID, primary_key=True)
    plan_type: Mapped[str] = mapped_column(String(8))
    initial_conference: Mapped[dt.date] = mapped_column(Date)
    next_review: Mapped[dt.date | None] = mapped_column(Date)
    # {"rule id": "timescale"}: frequencies a conference set instead of the profile's.
    overrides: Mapped[str] = mapped_column(Text, default="{}")
    # Counts saves; an UPDATE that finds another value lost a race (ConflictError).
    row_version: Mapped[int] = mapped_column(Integer)
    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)


class PlanMeetingRow(Base):
    """A review conference or core group held for the child."""

    __tablename__ = "plan_meetings"
    __table_args__ = (Index("ix_plan_meetings_child", "child_id", "kind", "held_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    child_id: Mapped[str] = mapped_column(ID)
    kind: Mapped[str] = mapped_column(String(16))
    held_on: Mapped[dt.date] = mapped_column(Date)


class PlanMemberRow(Base):
    __tablename__ = "plan_members"

    id: Mapped[str] = mapped_column(ID, primary_key=True)
    child_id: Mapped[str] = mapped_column(ID, index=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(SHORT)
    role: Mapped[str] = mapped_column(SHORT, default="")
    agency: Mapped[str] = mapped_column(SHORT, default="")
    email: Mapped[str] = mapped_column(SHORT, default="")
    joined: Mapped[dt.date | None] = mapped_column(Date)
    left: Mapped[dt.date | None] = mapped_column(Date)


class ContactFactsRow(Base):
    """A planned child's contact facts (`coreform.contact_facts`), kept so that the caseload reads
    these instead of every contact (issue 15; migration 0016_contact_facts).

    Database triggers delete a child's row whenever a contact it derives from changes (a record's
    observations, state or version, the inbox's child links, a record deleted). The other inputs
    are stored with the facts and compared when they are read: saving a family rewrites its
    children's rows, so a trigger on those would throw facts away at every save.
    """

    __tablename__ = "contact_facts"

    child_id: Mapped[str] = mapped_column(ID, primary_key=True)
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date)
    initial_conference: Mapped[dt.date] = mapped_column(Date)
    # They hold from the day they were gathered until the day of the next contact after it.
    gathered_on: Mapped[dt.date] = mapped_column(Date)
    next_contact: Mapped[dt.date | None] = mapped_column(Date)
    facts: Mapped[str] = mapped_column(Text)  # the rest, as JSON (storage/facts_repository.py)
