"""The lists' own tables (record_list, family_search) and the index crash recovery reads.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

_INDEXED = ("reference", "state", "family_id", "family_name", "child_names", "visit_date", "urgency")


def upgrade() -> None:
    op.create_table(
        "record_list",
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
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_record_list")),
    )
    for column in _INDEXED:
        op.create_index(op.f(f"ix_record_list_{column}"), "record_list", [column])
    op.create_table(
        "family_search",
        sa.Column("family_id", sa.String(length=32), nullable=False),
        sa.Column("search_text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["families.id"],
            name=op.f("fk_family_search_family_id_families"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("family_id", name=op.f("pk_family_search")),
    )
    op.create_index(op.f("ix_records_session_id"), "records", ["session_id"])
    # Migration 0010 fills both tables from the records and families, in SQL on SQLite.


def downgrade() -> None:
    op.drop_index(op.f("ix_records_session_id"), table_name="records")
    op.drop_table("family_search")
    for column in _INDEXED:
        op.drop_index(op.f(f"ix_record_list_{column}"), table_name="record_list")
    op.drop_table("record_list")
