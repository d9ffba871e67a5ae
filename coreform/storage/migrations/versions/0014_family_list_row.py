"""Issue 15: a family's search row becomes the row the families list shows (name, children's
names, key worker), sorted by its own index, so a page or a search reads this one narrow table:
no join to the families, no query for their children.

Revision ID: 0014
Revises: 0012
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

from coreform.storage.list_rebuild import rebuild_family_rows

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None

_COLUMNS = (("name", 200), ("child_names", 1000), ("key_worker_name", 200))


def upgrade() -> None:
    for name, length in _COLUMNS:  # added in place: a copied table would lose the text index
        op.add_column(
            "family_search", sa.Column(name, sa.String(length), nullable=False, server_default="")
        )
    rebuild_family_rows(Session(bind=op.get_bind()))  # the text index follows by triggers
    op.create_index("ix_family_search_name", "family_search", ["name", "family_id"])


def downgrade() -> None:
    op.drop_index("ix_family_search_name", "family_search")
    for name, _length in _COLUMNS:
        op.execute(f"ALTER TABLE family_search DROP COLUMN {name}")
