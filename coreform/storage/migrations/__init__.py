"""Alembic migrations, applied on start with `migrate(engine)`; no alembic.ini is needed.

Loading Alembic costs about as much as the rest of start-up (issue 15), so `migrate` first reads
the database's revision with one query and compares it with the heads written in the migration
files; Alembic is imported only when an upgrade is due.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = Path(__file__).resolve().parent
VERSION_TABLE = "alembic_version"  # Alembic's default, which migrate() keeps
_REVISION = re.compile(r"^(down_)?revision\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)
_QUOTED = re.compile(r"[\"']([^\"']+)[\"']")


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION))
    return config


def script_heads() -> frozenset[str]:
    """The newest revisions, read from the migration files' `revision`/`down_revision` lines."""
    revisions: set[str] = set()
    replaced: set[str] = set()
    for script in (SCRIPT_LOCATION / "versions").glob("*.py"):
        for down, value in _REVISION.findall(script.read_text(encoding="utf-8")):
            (replaced if down else revisions).update(_QUOTED.findall(value))
    return frozenset(revisions - replaced)


def database_revisions(engine: Engine) -> frozenset[str]:
    """The revisions the database says it is at (none for a new database)."""
    with engine.connect() as connection:
        if not inspect(connection).has_table(VERSION_TABLE):
            return frozenset()
        rows = connection.execute(text(f"SELECT version_num FROM {VERSION_TABLE}"))  # noqa: S608
        return frozenset(row[0] for row in rows)


def upgrade_due(engine: Engine) -> bool:
    return database_revisions(engine) != script_heads()


def migrate(engine: Engine) -> None:
    """Brings the database to the newest schema (creates every table on an empty one)."""
    if not upgrade_due(engine):
        return
    from alembic import command

    config = alembic_config()
    with engine.connect() as connection:
        # SQLite rebuilds a table to alter it; with foreign keys on, dropping the old copy would
        # cascade-delete the rows that point at it. The pragma only works outside a transaction.
        raw = (
            connection.connection.driver_connection if connection.dialect.name == "sqlite" else None
        )
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, "head")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")
