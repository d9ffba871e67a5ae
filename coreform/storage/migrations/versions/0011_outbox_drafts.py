"""Issue 10: where a message's draft for the email program is kept, and who confirmed sending it.

The states `handed_over`, `not_opened` and `confirmed` fit the existing column. Drafts that
earlier versions marked `sent` when they only opened them in the email program (or failed to)
become `handed_over`: coreform never knew they went, so the user is asked to confirm them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages") as table:
        table.add_column(sa.Column("draft_path", sa.Text(), nullable=False, server_default=""))
        table.add_column(
            sa.Column("confirmed_by", sa.String(200), nullable=False, server_default="")
        )
    op.execute(
        "UPDATE outbox_messages SET state = 'handed_over', sent_at = NULL "
        "WHERE state = 'sent' AND transport = 'eml'"
    )


def downgrade() -> None:
    op.execute(
        "UPDATE outbox_messages SET state = 'sent', sent_at = created_at "
        "WHERE state IN ('handed_over', 'not_opened', 'confirmed')"
    )
    with op.batch_alter_table("outbox_messages") as table:
        table.drop_column("confirmed_by")
        table.drop_column("draft_path")
