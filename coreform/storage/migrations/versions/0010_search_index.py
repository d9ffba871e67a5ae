"""Search through a text index (issue 15): the list tables get an integer key the index refers to,
then SQLite indexes their folded search text with FTS5 trigrams and PostgreSQL with pg_trgm.

The rows are made again from the records and families (in SQL on SQLite: `rebuild_lists`),
and each index is built once, after the rows are in: much quicker than row by row.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sqlalchemy.orm import Session

from coreform.storage.list_rebuild import rebuild_lists
from coreform.storage.search_index import drop_indexes

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | None = None
depends_on: str | None = None

_INDEXED = ("reference", "state", "family_id", "family_name", "child_names", "visit_date", "urgency")
_RECORD_COLUMNS = (
    "record_id",
    "version",
    "reference",
    "state",
    "family_id",
    "family_name",
    "child_names",
    "key_worker_name",
    "visit_date",
    "updated_at",
    "submitted_at",
    "urgency",
    "search_text",
)


def _record_list(*, keyed: bool) -> None:
    key = [sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)] if keyed else []
    op.create_table(
        "record_list",
        *key,
        sa.Column("record_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("family_id", sa.String(length=32), nullable=True),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("child_names", sa.String(length=1000), nullable=False),
        sa.Column("key_worker_name", sa.String(length=200), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("urgency", sa.String(length=40), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id" if keyed else "record_id", name=op.f("pk_record_list")),
        *([sa.UniqueConstraint("record_id", name=op.f("uq_record_list_record_id"))] if keyed else []),
    )


def _family_search(*, keyed: bool) -> None:
    key = [sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)] if keyed else []
    op.create_table(
        "family_search",
        *key,
        sa.Column("family_id", sa.String(length=32), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["families.id"],
            name=op.f("fk_family_search_family_id_families"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id" if keyed else "family_id", name=op.f("pk_family_search")),
        *([sa.UniqueConstraint("family_id", name=op.f("uq_family_search_family_id"))] if keyed else []),
    )


def _index_record_list() -> None:
    for column in _INDEXED:
        op.create_index(op.f(f"ix_record_list_{column}"), "record_list", [column])


def _unkeyed() -> None:
    """Both list tables as 0007 made them, with their rows copied across."""
    for table, columns, make in (
        ("record_list", _RECORD_COLUMNS, _record_list),
        ("family_search", ("family_id", "search_text"), _family_search),
    ):
        listed = ", ".join(columns)
        op.execute(f"CREATE TABLE {table}_copy AS SELECT {listed} FROM {table}")  # noqa: S608
        op.drop_table(table)  # and its indexes
        make(keyed=False)
        op.execute(
            f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {table}_copy "  # noqa: S608
            f"ORDER BY {columns[0]}"
        )
        op.drop_table(f"{table}_copy")
    _index_record_list()


def upgrade() -> None:
    op.drop_table("record_list")  # and its indexes
    op.drop_table("family_search")
    _record_list(keyed=True)
    _family_search(keyed=True)
    rebuild_lists(Session(bind=op.get_bind()), families=False)  # families' rows: 0014
    _index_record_list()


def downgrade() -> None:
    drop_indexes(op.get_bind())
    _unkeyed()
