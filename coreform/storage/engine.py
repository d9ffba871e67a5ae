"""The one engine factory every caller uses: SQLite by default, SQLCipher and PostgreSQL by URL.

Callers pass a URL and never set connection options themselves, so encryption at rest
(`sqlite+pysqlcipher://`) and a shared server (`postgresql+psycopg://`) plug in without changes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

from coreform.settings import DATABASE_FILE, data_dir

# Wait this long for another coreform window holding the write lock before giving up.
BUSY_TIMEOUT_MS = 10_000


def default_database_url() -> str:
    """SQLite in the user data folder ($COREFORM_DATA_DIR or platformdirs), created if absent."""
    folder = data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / DATABASE_FILE}"


def create_engine_for(url: str | None = None) -> Engine:
    """An engine for `url` (default: `default_database_url()`), with the pragmas it needs."""
    parsed = make_url(url or default_database_url())
    if parsed.get_backend_name() == "postgresql":
        return create_engine(parsed, pool_pre_ping=True, hide_parameters=True)
    if parsed.get_backend_name() != "sqlite":
        raise ValueError(f"coreform cannot use a {parsed.get_backend_name()} database")
    encrypted = parsed.get_driver_name() == "pysqlcipher"
    # hide_parameters: an error's text never quotes what was typed into a record.
    engine = create_engine(parsed, hide_parameters=True)
    event.listen(engine, "connect", _sqlite_pragmas(encrypted=encrypted))
    event.listen(engine, "begin", _sqlite_begin)
    return engine


def _sqlite_pragmas(*, encrypted: bool) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # The driver's own transaction handling skips BEGIN before reads; we emit BEGIN ourselves.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            # WAL plus FULL sync: a committed save survives a power cut.
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            if encrypted:
                # Keep decrypted pages out of temp files and overwrite deleted content.
                cursor.execute("PRAGMA cipher_memory_security=ON")
                cursor.execute("PRAGMA temp_store=MEMORY")
                cursor.execute("PRAGMA secure_delete=ON")
        finally:
            cursor.close()

    return on_connect


def _sqlite_begin(connection: Any) -> None:
    # IMMEDIATE: a unit of work that reads and then writes would otherwise fail at once with
    # "database is locked" (SQLITE_BUSY_SNAPSHOT, no busy wait) when another thread (the outbox,
    # autosave) committed in between; now it waits its turn up to the busy timeout instead.
    connection.exec_driver_sql("BEGIN IMMEDIATE")
