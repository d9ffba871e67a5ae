"""Issue 15: sent messages whose drafts are still kept, found through a partial index.

Each start clears the drafts of messages sent more than a day ago; without this index that filter
read past every outbox message (and its PDF) in the table, 0.3 s at 250,000 records.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | None = None
depends_on: str | None = None

_DRAFT_KEPT = sa.text("draft_path <> ''")


def upgrade() -> None:
    op.create_index(
        "ix_outbox_messages_drafts_sent",
        "outbox_messages",
        ["state", "sent_at"],
        sqlite_where=_DRAFT_KEPT,
        postgresql_where=_DRAFT_KEPT,
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_messages_drafts_sent", table_name="outbox_messages")
