"""Search through the database's own text index (issue 15), not a scan of every row.

The lists' `search_text` columns hold text folded once by `coreform.search_text.fold` (accents,
case, ø/ł/ß, Arabic short vowels), and the typed words are folded the same way, so the index only
has to find substrings: "nguy" finds "Ødegård-Nguyễn". SQLite indexes it with FTS5's trigram
tokenizer (an external-content table kept in step by triggers); PostgreSQL with a pg_trgm GIN
index, which its LIKE uses. FTS5's own `remove_diacritics` is not needed: fold() already did more
(it also spells out ø, ł and ß), and it keeps SQLite and PostgreSQL finding the same rows.
A trigram needs 3 characters: shorter words are matched by LIKE among the rows the others found.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Integer, Select, column, func, select, table, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import ColumnElement

from coreform.search_text import LIKE_ESCAPE, like_pattern

TRIGRAM = 3
# Each list table (integer key `id`, folded `search_text`) and the name of its text index.
INDEXES = {"record_list": "record_list_search", "family_search": "family_search_text"}


def outside_metadata(name: str | None, type_: str, *_: object) -> bool:
    """For Alembic's `include_name`: False for the text indexes and their shadow tables, which
    are made by SQL here rather than described as tables."""
    return not (type_ == "table" and any(name and name.startswith(i) for i in INDEXES.values()))


def create_indexes(connection: Connection) -> None:
    """Builds the text index of every list table from its rows, and keeps it in step after."""
    for source, index in INDEXES.items():
        if connection.dialect.name == "sqlite":
            _create_fts(connection, source, index)
        elif connection.dialect.name == "postgresql" and _has_pg_trgm(connection):
            connection.execute(
                text(f"CREATE INDEX ix_{index} ON {source} USING gin (search_text gin_trgm_ops)")
            )


def drop_indexes(connection: Connection) -> None:
    for index in INDEXES.values():
        if connection.dialect.name == "sqlite":
            for event in ("insert", "delete", "update"):
                connection.execute(text(f"DROP TRIGGER IF EXISTS {index}_{event}"))
            connection.execute(text(f"DROP TABLE IF EXISTS {index}"))
        else:
            connection.execute(text(f"DROP INDEX IF EXISTS ix_{index}"))


def _create_fts(connection: Connection, source: str, index: str) -> None:
    connection.execute(
        text(
            f"CREATE VIRTUAL TABLE {index} USING fts5(search_text, content='{source}', "
            "content_rowid='id', tokenize='trigram')"
        )
    )
    # Table names here are this module's constants, never input.
    connection.execute(text(f"INSERT INTO {index}({index}) VALUES ('rebuild')"))  # noqa: S608
    add = f"INSERT INTO {index}(rowid, search_text) VALUES (new.id, new.search_text);"  # noqa: S608
    remove = (
        f"INSERT INTO {index}({index}, rowid, search_text) "  # noqa: S608
        "VALUES ('delete', old.id, old.search_text);"
    )
    for event, body in (("insert", add), ("delete", remove), ("update", remove + add)):
        connection.execute(
            text(
                f"CREATE TRIGGER {index}_{event} AFTER {event.upper()} ON {source} BEGIN {body} END"
            )
        )


def _has_pg_trgm(connection: Connection) -> bool:
    """pg_trgm, created if this role may; without it search still works, by scanning."""
    try:
        with connection.begin_nested():
            connection.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except DBAPIError:  # refused (privileges, not installed): search scans instead
        return False
    return True


def _fts(index: str) -> Any:
    return table(index, column("rowid", Integer), column("search_text"))


def _phrases(terms: list[str]) -> str:
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


def index_count(dialect: str, index: str, terms: list[str]) -> Select[Any] | None:
    """The count of the rows holding every term, read from the text index alone (not a look-up
    of each match in its table, which grows with the matches), where the index can answer it:
    SQLite, every term long enough for a trigram. None otherwise."""
    if dialect != "sqlite" or not terms or any(len(term) < TRIGRAM for term in terms):
        return None
    fts = _fts(index)
    return (
        select(func.count()).select_from(fts).where(fts.c.search_text.op("MATCH")(_phrases(terms)))
    )


def matching(
    dialect: str, key: Any, search_text: Any, index: str, terms: list[str]
) -> list[ColumnElement[bool]]:
    """Conditions that hold when a list row's `search_text` has every term (its `key` is the
    row's integer id, `index` the text index of its table)."""
    long_terms = [term for term in terms if len(term) >= TRIGRAM]
    short_terms = terms
    conditions: list[ColumnElement[bool]] = []
    if dialect == "sqlite" and long_terms:
        fts = _fts(index)
        conditions.append(
            key.in_(select(fts.c.rowid).where(fts.c.search_text.op("MATCH")(_phrases(long_terms))))
        )
        short_terms = [term for term in terms if len(term) < TRIGRAM]
    conditions += [search_text.like(like_pattern(term), escape=LIKE_ESCAPE) for term in short_terms]
    return conditions
