"""Tables for core group minutes (migration 0009_core_group_minutes).

One row per version of a meeting's minutes: finalising locks a version, an amendment adds the next
one and the earlier stays (as for records). The minutes themselves are kept as their versioned
JSON (`coreform.minutes.minutes_to_dict`); the columns beside it are what lists, the previous
meeting, the scaling chart and the caseload's minutes deadline are looked up by.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from coreform.storage.tables import ID, SHORT, Base, UtcDateTime


class MinutesRow(Base):
    __tablename__ = "core_group_minutes"
    __table_args__ = (Index("ix_core_group_minutes_family", "family_id", "meeting_date"),)

    minutes_id: Mapped[str] = mapped_column(ID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    # Counts saves of this version; an UPDATE that finds another value lost a race.
    row_version: Mapped[int] = mapped_column(Integer)
    __mapper_args__ = {"version_id_col": row_version}  # noqa: RUF012
    reference: Mapped[str] = mapped_column(String(32), index=True)
    state: Mapped[str] = mapped_column(String(16))
    family_id: Mapped[str] = mapped_column(ID)
    family_name: Mapped[str] = mapped_column(SHORT, default="")
    sequence: Mapped[int] = mapped_column(Integer)
    # The actual date, else the planned one: lists sort by it, the previous meeting is found by it.
    meeting_date: Mapped[dt.date | None] = mapped_column(Date)
    actual_date: Mapped[dt.date | None] = mapped_column(Date)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    distributed_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    finalised_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    body: Mapped[str] = mapped_column(Text)


class MinutesChildRow(Base):
    """A child a version of the minutes covers: meetings are found per child through it."""

    __tablename__ = "core_group_minutes_children"
    __table_args__ = (Index("ix_core_group_minutes_children_child", "child_id"),)

    minutes_id: Mapped[str] = mapped_column(ID, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    child_id: Mapped[str] = mapped_column(ID, primary_key=True)
