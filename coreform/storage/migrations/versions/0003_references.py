"""References that never collide: an installation code, and numbers issued by the database.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

The installation code is made here, so a new database gets one at first run and an existing one
when it is first opened by this release. References already issued (CG-2026-00042) stay as they
are, since they were printed and sent; numbering carries on from the last one in each year.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from coreform.record_versions import INSTALLATION_CODE_KEY, new_installation_code

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

_OLD_COUNTER = "reference.last."


def upgrade() -> None:
    counters = op.create_table(
        "reference_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_reference_counters")),
    )
    settings = sa.table("settings", sa.column("key", sa.String), sa.column("value", sa.Text))
    connection = op.get_bind()
    old = connection.execute(
        sa.select(settings.c.key, settings.c.value).where(settings.c.key.like(f"{_OLD_COUNTER}%"))
    ).all()
    rows = [{"year": int(key.removeprefix(_OLD_COUNTER)), "last": int(value)} for key, value in old]
    if rows:
        op.bulk_insert(counters, rows)
        connection.execute(settings.delete().where(settings.c.key.like(f"{_OLD_COUNTER}%")))
    has_code = connection.execute(
        sa.select(settings.c.key).where(settings.c.key == INSTALLATION_CODE_KEY)
    ).first()
    if has_code is None:
        op.bulk_insert(settings, [{"key": INSTALLATION_CODE_KEY, "value": new_installation_code()}])
    # Records filed from other senders keep their own references, which may repeat ours.
    with op.batch_alter_table("records") as batch:
        batch.drop_constraint("uq_records_reference", type_="unique")


def downgrade() -> None:
    with op.batch_alter_table("records") as batch:
        batch.create_unique_constraint("uq_records_reference", ["reference", "version"])
    op.drop_table("reference_counters")
