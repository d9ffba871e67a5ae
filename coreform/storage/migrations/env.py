"""Alembic environment: runs on the connection `migrate()` hands over, never on a URL of its own."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from coreform.storage import (  # noqa: F401  (register their tables on Base)
    audit_tables,
    inbox_tables,
    minutes_tables,
    plan_tables,
    record_list,
)
from coreform.storage.search_index import outside_metadata
from coreform.storage.tables import Base


def run_migrations(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        # SQLite cannot ALTER most things; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_name=outside_metadata,
    )
    with context.begin_transaction():
        context.run_migrations()


_connection = context.config.attributes.get("connection")
if not isinstance(_connection, Connection):
    raise RuntimeError("Run coreform migrations through coreform.storage.migrations.migrate()")
run_migrations(_connection)
