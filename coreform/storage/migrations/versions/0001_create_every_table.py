"""Create every table: families, records, observations, settings, sessions, outbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-26
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_table(
        "families",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("key_worker_name", sa.String(length=200), nullable=False),
        sa.Column("key_worker_email", sa.String(length=200), nullable=False),
        sa.Column("key_worker_team", sa.String(length=200), nullable=False),
        sa.Column("key_worker_phone", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_families")),
    )
    op.create_index(op.f("ix_families_name"), "families", ["name"])

    op.create_table(
        "key_workers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("team", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=200), nullable=False),
        sa.Column("last_used_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_key_workers")),
        sa.UniqueConstraint("name", "email", name=op.f("uq_key_workers_name")),
    )
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.String(length=32), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.String(length=250), nullable=False),
        sa.Column("recipient_kind", sa.String(length=16), nullable=False),
        sa.Column("recipient", sa.String(length=200), nullable=False),
        sa.Column("transport", sa.String(length=8), nullable=False),
        sa.Column("raw", sa.LargeBinary(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_messages")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outbox_messages_message_id")),
    )
    op.create_index("ix_outbox_messages_due", "outbox_messages", ["state", "next_attempt_at"])
    op.create_index("ix_outbox_messages_record", "outbox_messages", ["record_id", "record_version"])

    op.create_table(
        "records",
        sa.Column("record_id", sa.String(length=32), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=32), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("family_id", sa.String(length=32), nullable=True),
        sa.Column("family_name", sa.String(length=200), nullable=False),
        sa.Column("session_id", sa.String(length=32), nullable=True),
        sa.Column("key_worker_name", sa.String(length=200), nullable=False),
        sa.Column("key_worker_email", sa.String(length=200), nullable=False),
        sa.Column("key_worker_team", sa.String(length=200), nullable=False),
        sa.Column("key_worker_phone", sa.String(length=200), nullable=False),
        sa.Column("completed_by_name", sa.String(length=200), nullable=False),
        sa.Column("completed_by_role", sa.String(length=200), nullable=False),
        sa.Column("completed_by_agency", sa.String(length=200), nullable=False),
        sa.Column("completed_by_email", sa.String(length=200), nullable=False),
        sa.Column("completed_by_phone", sa.String(length=200), nullable=False),
        sa.Column("visit_date", sa.Date(), nullable=True),
        sa.Column("visit_time", sa.Time(), nullable=True),
        sa.Column("setting", sa.String(length=32), nullable=True),
        sa.Column("setting_other", sa.String(length=200), nullable=False),
        sa.Column("announced", sa.Boolean(), nullable=True),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("others_present", sa.Text(), nullable=False),
        sa.Column("observations", sa.Text(), nullable=False),
        sa.Column("home_conditions", sa.Text(), nullable=False),
        sa.Column("family_circumstances", sa.Text(), nullable=False),
        sa.Column("incidents_injuries", sa.Text(), nullable=False),
        sa.Column("immediate_concerns", sa.Boolean(), nullable=True),
        sa.Column("concerns_told_who", sa.Text(), nullable=False),
        sa.Column("concerns_told_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("cp_procedures_considered", sa.Boolean(), nullable=True),
        sa.Column("parents_informed", sa.Boolean(), nullable=True),
        sa.Column("parents_not_informed_reason", sa.Text(), nullable=False),
        sa.Column("copy_to_parents", sa.Boolean(), nullable=True),
        sa.Column("no_copy_reason", sa.Text(), nullable=False),
        sa.Column("date_completed", sa.Date(), nullable=True),
        sa.Column("date_sent", sa.Date(), nullable=True),
        sa.Column("send_method", sa.String(length=16), nullable=False),
        sa.Column("lateness_reason", sa.Text(), nullable=False),
        sa.Column("next_contact", sa.Date(), nullable=True),
        sa.Column("next_contact_note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("amendment_reason", sa.Text(), nullable=True),
        sa.Column("amendment_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("amendment_by", sa.String(length=200), nullable=True),
        sa.Column("amendment_previous_version", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("record_id", "version", name=op.f("pk_records")),
        sa.UniqueConstraint("reference", "version", name=op.f("uq_records_reference")),
    )
    op.create_index(op.f("ix_records_family_id"), "records", ["family_id"])
    op.create_index(op.f("ix_records_reference"), "records", ["reference"])
    op.create_index("ix_records_state", "records", ["state"])

    op.create_table(
        "sessions",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_settings")),
    )
    op.create_table(
        "child_observations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("record_id", sa.String(length=32), nullable=False),
        sa.Column("record_version", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("child_id", sa.String(length=32), nullable=False),
        sa.Column("child_name", sa.String(length=200), nullable=False),
        sa.Column("child_date_of_birth", sa.Date(), nullable=True),
        sa.Column("child_plan_type", sa.String(length=8), nullable=False),
        sa.Column("child_local_identifier", sa.String(length=200), nullable=False),
        sa.Column("seen", sa.Boolean(), nullable=True),
        sa.Column("not_seen_reason", sa.Text(), nullable=False),
        sa.Column("spoken_with", sa.Boolean(), nullable=True),
        sa.Column("seen_alone", sa.Boolean(), nullable=True),
        sa.Column("not_seen_alone_reason", sa.Text(), nullable=False),
        sa.Column("seen_awake", sa.Boolean(), nullable=True),
        sa.Column("bedroom_seen", sa.Boolean(), nullable=True),
        sa.Column("presentation", sa.Text(), nullable=False),
        sa.Column("wishes_and_feelings", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["record_id", "record_version"],
            ["records.record_id", "records.version"],
            name=op.f("fk_child_observations_record_id_records"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_child_observations")),
    )
    op.create_index(op.f("ix_child_observations_child_id"), "child_observations", ["child_id"])
    op.create_index(
        "ix_child_observations_record", "child_observations", ["record_id", "record_version"]
    )

    op.create_table(
        "children",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("family_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("plan_type", sa.String(length=8), nullable=False),
        sa.Column("local_identifier", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["families.id"],
            name=op.f("fk_children_family_id_families"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_children")),
    )
    op.create_index(op.f("ix_children_family_id"), "children", ["family_id"])

    op.create_table(
        "core_group_members",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("family_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=200), nullable=False),
        sa.Column("agency", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["families.id"],
            name=op.f("fk_core_group_members_family_id_families"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_core_group_members")),
    )
    op.create_index(op.f("ix_core_group_members_family_id"), "core_group_members", ["family_id"])

    op.create_table(
        "parents_carers",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("family_id", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("relationship", sa.String(length=200), nullable=False),
        sa.Column("email", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["family_id"],
            ["families.id"],
            name=op.f("fk_parents_carers_family_id_families"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parents_carers")),
    )
    op.create_index(op.f("ix_parents_carers_family_id"), "parents_carers", ["family_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_parents_carers_family_id"), table_name="parents_carers")

    op.drop_table("parents_carers")
    op.drop_index(op.f("ix_core_group_members_family_id"), table_name="core_group_members")

    op.drop_table("core_group_members")
    op.drop_index(op.f("ix_children_family_id"), table_name="children")

    op.drop_table("children")
    op.drop_index("ix_child_observations_record", table_name="child_observations")
    op.drop_index(op.f("ix_child_observations_child_id"), table_name="child_observations")

    op.drop_table("child_observations")
    op.drop_table("settings")
    op.drop_table("sessions")
    op.drop_index("ix_records_state", table_name="records")
    op.drop_index(op.f("ix_records_reference"), table_name="records")
    op.drop_index(op.f("ix_records_family_id"), table_name="records")

    op.drop_table("records")
    op.drop_index("ix_outbox_messages_record", table_name="outbox_messages")
    op.drop_index("ix_outbox_messages_due", table_name="outbox_messages")

    op.drop_table("outbox_messages")
    op.drop_table("key_workers")
    op.drop_index(op.f("ix_families_name"), table_name="families")

    op.drop_table("families")
