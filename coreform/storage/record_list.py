"""The lists' own tables: one narrow row per record and per family, kept as records change.

My records at 250,000 records must show its first screen as fast as at 25 (issue 15), so the
latest version of each record is copied here with the columns the list shows, sorts and searches
(folded by `coreform.search_text`), each sort with its index; queries filter, sort and page in the
database. The repositories refresh a record's row in the same transaction as every change to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Date,
    ForeignKey,
    Index,
    Integer,
    Select,
    String,
    Text,
    and_,
    delete,
    exists,
    func,
    insert,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column

from coreform.record_query import RecordQuery, RecordSort
from coreform.records import RecordState
from coreform.search_text import fold, search_terms
from coreform.storage.search_index import INDEXES, index_count, matching
from coreform.storage.tables import (
    ID,
    SHORT,
    Base,
    ChildObservationRow,
    RecordRow,
    UtcDateTime,
)

# Past any real moment, in milliseconds: newest-first as an ascending text key.
_FAR_FUTURE_MS = 10**13


class RecordListRow(Base):
    """The latest version of one record, as My records and a family's records show it."""

    __tablename__ = "record_list"

    # An integer key the text index refers to (SQLite keeps a rowid only if it is declared).
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    record_id: Mapped[str] = mapped_column(ID, unique=True)
    version: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(32), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    family_id: Mapped[str | None] = mapped_column(ID, index=True)
    family_name: Mapped[str] = mapped_column(SHORT, index=True)
    child_names: Mapped[str] = mapped_column(String(1000), index=True)
    key_worker_name: Mapped[str] = mapped_column(SHORT)
    visit_date: Mapped[dt.date | None] = mapped_column(Date, index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(UtcDateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UtcDateTime)
    urgency: Mapped[str] = mapped_column(String(40), index=True)
    search_text: Mapped[str] = mapped_column(Text)


class FamilySearchRow(Base):
    """A family as the families list shows, sorts and searches it (0014): its name, children's
    names (one a line) and key worker, and those names folded for search."""

    __tablename__ = "family_search"
    __table_args__ = (Index("ix_family_search_name", "name", "family_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    family_id: Mapped[str] = mapped_column(
        ForeignKey("families.id", ondelete="CASCADE"), unique=True
    )
    search_text: Mapped[str] = mapped_column(Text)
    name: Mapped[str] = mapped_column(SHORT)
    child_names: Mapped[str] = mapped_column(String(1000))
    key_worker_name: Mapped[str] = mapped_column(SHORT)


# Core tables for bulk inserts: the ORM's per-row bookkeeping would double a rebuild's time.
_RECORD_LIST = Base.metadata.tables[RecordListRow.__tablename__]


@dataclass(frozen=True)
class ListedRecord:
    """One row of a list of records (the latest version)."""

    id: str
    reference: str
    state: RecordState
    version: int
    family_name: str
    child_names: tuple[str, ...]
    visit_date: dt.date | None
    updated_at: dt.datetime
    submitted_at: dt.datetime | None


CHILD_NAME_SEPARATOR = "\n"  # never typed inside one name (form fields are one line)


def urgency_key(
    state: str, visit_date: dt.date | None, updated_at: dt.datetime, submitted_at: Any
) -> str:
    """Ascending: drafts by visit date (nearest deadline first), then undated drafts, then sent
    records; the newest first within each."""
    moment = submitted_at or updated_at
    newest_first = f"{_FAR_FUTURE_MS - int(moment.timestamp() * 1000):014d}"
    if state != RecordState.DRAFT.value:
        return f"2{newest_first}"
    if visit_date is None:
        return f"1{newest_first}"
    return f"0{visit_date.isoformat()}{newest_first}"


def family_list_columns(
    family_id: str,
    name: str,
    child_names: Sequence[str],
    key_worker_name: str,
    identifiers: Sequence[str] = (),
) -> dict[str, str]:
    """A family's row of the families list; its search also finds the children's local
    identifiers (a reference typed into a child picker), which the list does not show."""
    names = [child for child in child_names if child]
    return {
        "family_id": family_id,
        "search_text": fold(" ".join([name, *names, *(i for i in identifiers if i)])),
        "name": name,
        "child_names": CHILD_NAME_SEPARATOR.join(names),
        "key_worker_name": key_worker_name,
    }


def record_search_text(
    reference: str, family_name: str, child_names: Sequence[str], key_worker_name: str
) -> str:
    """What a record's search matches: its reference and the names on it, folded."""
    parts = [reference, family_name, *child_names, key_worker_name]
    return " ".join(fold(part) for part in parts if part)


def list_columns(record: dict[str, Any], child_names: Sequence[str]) -> dict[str, Any]:
    """The list row of one record version, from its `records` columns and its children."""
    names = [name for name in child_names if name]
    return {
        "record_id": record["record_id"],
        "version": record["version"],
        "reference": record["reference"],
        "state": record["state"],
        "family_id": record["family_id"],
        "family_name": record["family_name"],
        "child_names": CHILD_NAME_SEPARATOR.join(names),
        "key_worker_name": record["key_worker_name"],
        "visit_date": record["visit_date"],
        "updated_at": record["updated_at"],
        "submitted_at": record["submitted_at"],
        "urgency": urgency_key(
            record["state"], record["visit_date"], record["updated_at"], record["submitted_at"]
        ),
        "search_text": record_search_text(
            record["reference"], record["family_name"], names, record["key_worker_name"]
        ),
    }


_SOURCE_COLUMNS = tuple(
    getattr(RecordRow, name)
    for name in (
        "record_id",
        "version",
        "reference",
        "state",
        "family_id",
        "family_name",
        "key_worker_name",
        "visit_date",
        "updated_at",
        "submitted_at",
    )
)
_SORT_COLUMNS = {
    RecordSort.URGENCY: RecordListRow.urgency,
    RecordSort.REFERENCE: RecordListRow.reference,
    RecordSort.FAMILY: RecordListRow.family_name,
    RecordSort.CHILDREN: RecordListRow.child_names,
    RecordSort.VISIT: RecordListRow.visit_date,
    RecordSort.STATE: RecordListRow.state,
}


# Plain columns, not ORM objects: making 200 objects per page was most of a list's time.
_LISTED_COLUMNS = tuple(
    getattr(RecordListRow, name)
    for name in (
        "record_id",
        "reference",
        "state",
        "version",
        "family_name",
        "child_names",
        "visit_date",
        "updated_at",
        "submitted_at",
    )
)


def _listed(row: Any) -> ListedRecord:
    return ListedRecord(
        id=row.record_id,
        reference=row.reference,
        state=RecordState(row.state),
        version=row.version,
        family_name=row.family_name,
        child_names=tuple(row.child_names.split(CHILD_NAME_SEPARATOR)) if row.child_names else (),
        visit_date=row.visit_date,
        updated_at=row.updated_at,
        submitted_at=row.submitted_at,
    )


class ListIndex:
    """Keeps the list tables in step with the records and families, and queries them."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name

    # ---- keeping in step ---------------------------------------------------------------------

    def refresh_records(self, record_ids: Iterable[str]) -> None:
        """Rewrites the list rows of these records from their latest stored versions."""
        wanted = set(record_ids)
        if not wanted:
            return
        self.forget_records(wanted)
        newest = (
            select(RecordRow.record_id, func.max(RecordRow.version).label("version"))
            .where(RecordRow.record_id.in_(wanted))
            .group_by(RecordRow.record_id)
            .subquery()
        )
        rows = self._session.execute(
            select(*_SOURCE_COLUMNS).join(
                newest,
                and_(
                    RecordRow.record_id == newest.c.record_id, RecordRow.version == newest.c.version
                ),
            )
        ).all()
        names: dict[tuple[str, int], list[str]] = {}
        for record_id, version, name in self._session.execute(
            select(
                ChildObservationRow.record_id,
                ChildObservationRow.record_version,
                ChildObservationRow.child_name,
            )
            .where(ChildObservationRow.record_id.in_(wanted))
            .order_by(ChildObservationRow.position)
        ):
            names.setdefault((record_id, version), []).append(name)
        columns = [
            list_columns(row._asdict(), names.get((row.record_id, row.version), [])) for row in rows
        ]
        if columns:
            self._session.execute(insert(_RECORD_LIST), columns)

    def forget_records(self, record_ids: Iterable[str]) -> None:
        self._session.execute(
            delete(RecordListRow).where(RecordListRow.record_id.in_(set(record_ids)))
        )

    def refresh_family(self, row: dict[str, str]) -> None:
        """Replaces a family's list row with `row` (from `family_list_columns`)."""
        family_id = row["family_id"]
        self._session.execute(delete(FamilySearchRow).where(FamilySearchRow.family_id == family_id))
        self._session.execute(insert(FamilySearchRow), [row])

    # ---- asking ------------------------------------------------------------------------------

    def _matching(self, query: RecordQuery, statement: Select[Any]) -> Select[Any]:
        statement = statement.where(
            *matching(
                self._dialect,
                RecordListRow.id,
                RecordListRow.search_text,
                INDEXES[RecordListRow.__tablename__],
                search_terms(query.text),
            )
        )
        if query.state is not None:
            statement = statement.where(RecordListRow.state == query.state.value)
        if query.visit_from is not None:
            statement = statement.where(RecordListRow.visit_date >= query.visit_from)
        if query.visit_to is not None:
            statement = statement.where(RecordListRow.visit_date <= query.visit_to)
        if query.family_id is not None:
            statement = statement.where(RecordListRow.family_id == query.family_id)
        if query.child_id is not None:
            statement = statement.where(
                exists().where(
                    ChildObservationRow.record_id == RecordListRow.record_id,
                    ChildObservationRow.record_version == RecordListRow.version,
                    ChildObservationRow.child_id == query.child_id,
                )
            )
        return statement

    def count(self, query: RecordQuery) -> int:
        statement = None
        if query == RecordQuery(text=query.text, sort=query.sort, descending=query.descending):
            index = INDEXES[RecordListRow.__tablename__]  # words only: the index counts them
            statement = index_count(self._dialect, index, search_terms(query.text))
        if statement is None:
            statement = self._matching(query, select(func.count()).select_from(RecordListRow))
        return self._session.scalar(statement) or 0

    def page(self, query: RecordQuery, offset: int, limit: int) -> list[ListedRecord]:
        column = _SORT_COLUMNS[query.sort]
        order: list[Any] = [column.desc() if query.descending else column.asc()]
        if query.sort is not RecordSort.URGENCY:
            order.append(RecordListRow.urgency)
        order.append(RecordListRow.record_id)  # a stable order, so pages never overlap
        statement = self._matching(query, select(*_LISTED_COLUMNS))
        rows = self._session.execute(statement.order_by(*order).offset(offset).limit(limit))
        return [_listed(row) for row in rows]

    def drafts_saved_by(self, session_ids: Collection[str]) -> list[ListedRecord]:
        """Drafts whose latest version one of these runs saved, most urgent first."""
        statement = (
            select(*_LISTED_COLUMNS)
            .join(
                RecordRow,
                and_(
                    RecordRow.record_id == RecordListRow.record_id,
                    RecordRow.version == RecordListRow.version,
                ),
            )
            .where(
                RecordListRow.state == RecordState.DRAFT.value,
                RecordRow.session_id.in_(session_ids),
            )
            .order_by(RecordListRow.urgency, RecordListRow.record_id)
        )
        return [_listed(row) for row in self._session.execute(statement)]

    def references(self, record_ids: Iterable[str]) -> dict[str, str]:
        """Record id -> reference (CG-2026-00042), for the records among `record_ids`."""
        rows = self._session.execute(
            select(RecordListRow.record_id, RecordListRow.reference).where(
                RecordListRow.record_id.in_(set(record_ids))
            )
        )
        return {record_id: reference for record_id, reference in rows}
