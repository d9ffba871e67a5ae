"""What issue 17 adds to a record: unborn children, incidents as yes/no, worsened risks, the
parent's agreement to seeing a child alone, why a child was not spoken with, how the parents' copy
travels, and the due date and working days late recorded at submission.

Existing rows read as before: the new answers are empty (unanswered), children are born and
nothing was recorded late.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | None = None
depends_on: str | None = None

_FALSE = sa.false()


def upgrade() -> None:
    with op.batch_alter_table("records") as table:
        table.add_column(sa.Column("risks_worsened", sa.Boolean(), nullable=True))
        table.add_column(sa.Column("new_incidents", sa.Boolean(), nullable=True))
        table.add_column(
            sa.Column("parents_copy_note", sa.Text(), nullable=False, server_default="")
        )
        table.add_column(sa.Column("due_date", sa.Date(), nullable=True))
        table.add_column(
            sa.Column("working_days_late", sa.Integer(), nullable=False, server_default="0")
        )
    with op.batch_alter_table("child_observations") as table:
        table.add_column(
            sa.Column("not_spoken_with_reason", sa.Text(), nullable=False, server_default="")
        )
        table.add_column(sa.Column("parent_agreed_alone", sa.Boolean(), nullable=True))
        table.add_column(
            sa.Column("child_unborn", sa.Boolean(), nullable=False, server_default=_FALSE)
        )
        table.add_column(sa.Column("child_expected_date", sa.Date(), nullable=True))
    with op.batch_alter_table("children") as table:
        table.add_column(sa.Column("unborn", sa.Boolean(), nullable=False, server_default=_FALSE))
        table.add_column(sa.Column("expected_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("children") as table:
        table.drop_column("expected_date")
        table.drop_column("unborn")
    with op.batch_alter_table("child_observations") as table:
        for name in (
            "child_expected_date",
            "child_unborn",
            "parent_agreed_alone",
            "not_spoken_with_reason",
        ):
            table.drop_column(name)
    with op.batch_alter_table("records") as table:
        for name in (
            "working_days_late",
            "due_date",
            "parents_copy_note",
            "new_incidents",
            "risks_worsened",
        ):
            table.drop_column(name)
