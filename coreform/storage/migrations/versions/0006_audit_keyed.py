"""Audit entries keyed with the audit key and carrying the content hash of record versions.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Entries already written keep their SHA-256 chain (key_id ""); new ones are HMAC-keyed.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.add_column(sa.Column("key_id", sa.String(length=16), nullable=False, server_default=""))
        batch.add_column(sa.Column("record_id", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("record_version", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("content_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_log") as batch:
        batch.drop_column("content_hash")
        batch.drop_column("record_version")
        batch.drop_column("record_id")
        batch.drop_column("key_id")
