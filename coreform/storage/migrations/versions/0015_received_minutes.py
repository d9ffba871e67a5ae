"""Core group minutes received from another coreform (the gap issue 14 left): each received
version read only, with who sent it and when it came, and the children it covers (matched to
children here through `child_links`, as received records are).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "received_minutes",
        sa.Column("minutes_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("meeting_date", sa.Date(), nullable=True),
        sa.Column("sender_name", sa.String(length=200), nullable=False),
        sa.Column("sender_email", sa.String(length=200), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("minutes_id", "version", name=op.f("pk_received_minutes")),
    )
    op.create_index("ix_received_minutes_received", "received_minutes", ["received_at"])
    op.create_table(
        "received_minutes_children",
        sa.Column("minutes_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("child_name", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint(
            "minutes_id", "version", "child_id", name=op.f("pk_received_minutes_children")
        ),
    )
    op.create_index(
        "ix_received_minutes_children_child", "received_minutes_children", ["child_id"]
    )


def downgrade() -> None:
    op.drop_index("ix_received_minutes_children_child", table_name="received_minutes_children")
    op.drop_table("received_minutes_children")
    op.drop_index("ix_received_minutes_received", table_name="received_minutes")
    op.drop_table("received_minutes")
