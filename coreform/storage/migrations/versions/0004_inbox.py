"""The key worker's inbox: received records and their review, shares, child links.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "received_records",
        sa.Column("record_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("review_state", sa.String(length=16), nullable=False),
        sa.Column("issues", sa.Text(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewed_by", sa.String(length=200), nullable=False),
        sa.Column("missing", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "version", name=op.f("pk_received_records")),
    )
    op.create_index(
        "ix_received_records_review", "received_records", ["review_state", "received_at"]
    )
    op.create_table(
        "record_shares",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.String(length=32), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("member_name", sa.String(length=200), nullable=False),
        sa.Column("member_role", sa.String(length=200), nullable=False),
        sa.Column("member_agency", sa.String(length=200), nullable=False),
        sa.Column("member_email", sa.String(length=200), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("shared_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("shared_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_shares")),
    )
    op.create_index(
        "ix_record_shares_record", "record_shares", ["record_id", "record_version"]
    )
    op.create_table(
        "child_links",
        sa.Column("received_child_id", sa.String(length=32), nullable=False),
        sa.Column("child_id", sa.String(length=32), nullable=False),
        sa.Column("linked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("linked_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("received_child_id", name=op.f("pk_child_links")),
    )
    op.create_index(op.f("ix_child_links_child_id"), "child_links", ["child_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_child_links_child_id"), table_name="child_links")
    op.drop_table("child_links")
    op.drop_index("ix_record_shares_record", table_name="record_shares")
    op.drop_table("record_shares")
    op.drop_index("ix_received_records_review", table_name="received_records")
    op.drop_table("received_records")
