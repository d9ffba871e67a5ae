"""Children's plans: conferences, core groups, members and overrides (issue 12).

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "child_plans",
        sa.Column("child_id", sa.String(length=32), nullable=False),
        sa.Column("plan_type", sa.String(length=8), nullable=False),
        sa.Column("initial_conference", sa.Date(), nullable=False),
        sa.Column("next_review", sa.Date(), nullable=True),
        sa.Column("overrides", sa.Text(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("child_id", name=op.f("pk_child_plans")),
    )
    op.create_table(
        "plan_meetings",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("child_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_meetings")),
    )
    op.create_index("ix_plan_meetings_child", "plan_meetings", ["child_id", "kind", "held_on"])
    op.create_table(
        "plan_members",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("child_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("joined", sa.Date(), nullable=True),
        sa.Column("left", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_members")),
    )
    op.create_index(op.f("ix_plan_members_child_id"), "plan_members", ["child_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_plan_members_child_id"), table_name="plan_members")
    op.drop_table("plan_members")
    op.drop_index("ix_plan_meetings_child", table_name="plan_meetings")
    op.drop_table("plan_meetings")
    op.drop_table("child_plans")
