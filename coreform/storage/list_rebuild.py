"""The lists' tables made again from the records and families: migration 0010, bulk loads.

On SQLite one INSERT ... SELECT per table does it, with the folding and sort key of
`coreform.storage.record_list` registered as SQL functions, so no row becomes a Python object
(25,000 records in seconds where the row-by-row rebuild took 40 s). PostgreSQL cannot call them,
so there the rows are made in Python, in batches.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from coreform.search_text import fold
from coreform.storage.record_list import (
    CHILD_NAME_SEPARATOR,
    FamilySearchRow,
    ListIndex,
    RecordListRow,
    family_list_columns,
    record_search_text,
    urgency_key,
)
from coreform.storage.search_index import create_indexes, drop_indexes
from coreform.storage.tables import Base, ChildRow, FamilyRow, RecordRow

_FAMILY_SEARCH = Base.metadata.tables[FamilySearchRow.__tablename__]

_SQLITE_REBUILD_RECORDS = """
INSERT INTO record_list (record_id, version, reference, state, family_id, family_name,
    child_names, key_worker_name, visit_date, updated_at, submitted_at, urgency, search_text)
SELECT r.record_id, r.version, r.reference, r.state, r.family_id, r.family_name,
    coalesce(n.child_names, ''), r.key_worker_name, r.visit_date, r.updated_at, r.submitted_at,
    coreform_urgency(r.state, r.visit_date, r.updated_at, r.submitted_at),
    coreform_record_search(r.reference, r.family_name, n.child_names, r.key_worker_name)
FROM records AS r
JOIN (SELECT record_id, max(version) AS version FROM records GROUP BY record_id) AS newest
    ON newest.record_id = r.record_id AND newest.version = r.version
LEFT JOIN (
    SELECT record_id, record_version, group_concat(child_name, char(10)) AS child_names
    FROM (SELECT record_id, record_version, child_name FROM child_observations NOT INDEXED
          WHERE child_name <> '' ORDER BY record_id, record_version, position)
    GROUP BY record_id, record_version
) AS n ON n.record_id = r.record_id AND n.record_version = r.version
ORDER BY r.record_id
"""
_SQLITE_REBUILD_FAMILIES = """
INSERT INTO family_search (family_id, search_text, name, child_names, key_worker_name)
SELECT f.id,
    coreform_fold(f.name || coalesce(' ' || replace(c.names, char(10), ' '), '')
        || coalesce(' ' || i.identifiers, '')),
    f.name, coalesce(c.names, ''), f.key_worker_name
FROM families AS f
LEFT JOIN (
    SELECT family_id, group_concat(name, char(10)) AS names
    FROM (SELECT family_id, name FROM children WHERE name <> '' ORDER BY family_id, position)
    GROUP BY family_id
) AS c ON c.family_id = f.id
LEFT JOIN (
    SELECT family_id, group_concat(local_identifier, ' ') AS identifiers
    FROM (SELECT family_id, local_identifier FROM children WHERE local_identifier <> ''
          ORDER BY family_id, position)
    GROUP BY family_id
) AS i ON i.family_id = f.id
ORDER BY f.id
"""


def _sqlite_moment(stored: str | None) -> dt.datetime | None:
    """A moment as SQLite stores it (UTC, no zone), read back as `UtcDateTime` does."""
    return None if stored is None else dt.datetime.fromisoformat(stored).replace(tzinfo=dt.UTC)


def _sqlite_urgency(
    state: str, visit_date: str | None, updated_at: str, submitted_at: str | None
) -> str:
    updated = _sqlite_moment(updated_at)
    assert updated is not None  # NOT NULL
    day = None if visit_date is None else dt.date.fromisoformat(visit_date)
    return urgency_key(state, day, updated, _sqlite_moment(submitted_at))


def _sqlite_record_search(
    reference: str, family_name: str, child_names: str | None, key_worker_name: str
) -> str:
    names = child_names.split(CHILD_NAME_SEPARATOR) if child_names else []
    return record_search_text(reference, family_name, names, key_worker_name)


def rebuild_lists(session: Session, batch: int = 5_000, *, families: bool = True) -> None:
    """Every list row again, from the records and families tables (migration, bulk loads);
    `families=False` leaves the families' rows to migration 0014, which adds their columns.

    The text index is dropped first and built once at the end: quicker than row by row."""
    connection = session.connection()
    drop_indexes(connection)
    session.execute(delete(RecordListRow))
    session.execute(delete(FamilySearchRow))
    if session.get_bind().dialect.name == "sqlite":
        _sqlite_functions(session)
        connection.exec_driver_sql(_SQLITE_REBUILD_RECORDS)
    else:
        ids = session.scalars(select(RecordRow.record_id).distinct()).all()
        for start in range(0, len(ids), batch):
            ListIndex(session).refresh_records(ids[start : start + batch])
    if families:
        _insert_family_rows(session, batch)
    create_indexes(connection)


def rebuild_family_rows(session: Session, batch: int = 5_000) -> None:
    """The families' list rows again (migration 0014); the text index follows by its triggers."""
    session.execute(delete(FamilySearchRow))
    _insert_family_rows(session, batch)


def _sqlite_functions(session: Session) -> None:
    raw = session.connection().connection.driver_connection
    assert raw is not None
    raw.create_function("coreform_urgency", 4, _sqlite_urgency, deterministic=True)
    raw.create_function("coreform_record_search", 4, _sqlite_record_search)
    raw.create_function("coreform_fold", 1, fold, deterministic=True)


def _insert_family_rows(session: Session, batch: int) -> None:
    if session.get_bind().dialect.name == "sqlite":
        _sqlite_functions(session)
        session.connection().exec_driver_sql(_SQLITE_REBUILD_FAMILIES)
        return
    children: dict[str, list[tuple[str, str]]] = {}
    for family_id, name, identifier in session.execute(
        select(ChildRow.family_id, ChildRow.name, ChildRow.local_identifier).order_by(
            ChildRow.position
        )
    ):
        children.setdefault(family_id, []).append((name, identifier))
    families = session.execute(select(FamilyRow.id, FamilyRow.name, FamilyRow.key_worker_name))
    rows = []
    for f in families:
        names = [name for name, _identifier in children.get(f.id, [])]
        identifiers = [identifier for _name, identifier in children.get(f.id, [])]
        rows.append(family_list_columns(f.id, f.name, names, f.key_worker_name, identifiers))
    for start in range(0, len(rows), batch):
        session.execute(insert(_FAMILY_SEARCH), rows[start : start + batch])
