"""Core group minutes (issue 14): the Record of Core Group Meeting, one row per version, and the
children each version covers.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "core_group_minutes",
        sa.Column("minutes_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("family_id", sa.String(length=32), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=True),
        sa.Column("actual_date", sa.Date(), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("distributed_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finalised_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("minutes_id", "version", name=op.f("pk_core_group_minutes")),
    )
    op.create_index(
        "ix_core_group_minutes_family", "core_group_minutes", ["family_id", "meeting_date"]
    )
    op.create_index(
        op.f("ix_core_group_minutes_reference"), "core_group_minutes", ["reference"]
    )
    op.create_table(
        "core_group_minutes_children",
        sa.Column("minutes_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint(
            "minutes_id", "version", "child_id", name=op.f("pk_core_group_minutes_children")
        ),
    )
    op.create_index(
        "ix_core_group_minutes_children_child", "core_group_minutes_children", ["child_id"]
    )


def downgrade() -> None:
    op.drop_index(
        "ix_core_group_minutes_children_child", table_name="core_group_minutes_children"
    )
    op.drop_table("core_group_minutes_children")
    op.drop_index(op.f("ix_core_group_minutes_reference"), table_name="core_group_minutes")
    op.drop_index("ix_core_group_minutes_family", table_name="core_group_minutes")
    op.drop_table("core_group_minutes")
