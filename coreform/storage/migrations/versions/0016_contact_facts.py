"""Issue 15: each planned child's contact facts, kept fresh by triggers, for the caseload.

The caseload used to read every contact of every child (250,000 rows for 5,000 children, about
5 s); now it reads one row per child and gathers facts again only for the children whose contacts
changed. The triggers delete a child's row whenever what it derives from changes, whichever code
path changes it: a record's observations, a record leaving or entering the draft state or
changing once locked (a new version, an amendment submitted, retention deleting it), the inbox's
links from a received child to a child known here.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | None = None
depends_on: str | None = None

# The children a record's contacts count for: those it names, and those a received child it
# names was matched to. `{record}` is NEW.record_id or OLD.record_id.
_RECORD_CHILDREN = """
    SELECT child_id FROM child_observations WHERE record_id = {record}
    UNION
    SELECT links.child_id FROM child_links AS links
    JOIN child_observations AS seen ON links.received_child_id = seen.child_id
    WHERE seen.record_id = {record}
"""
# One observed child, and the child it was matched to when it is a received one.
_OBSERVED_CHILD = """
    DELETE FROM contact_facts WHERE child_id = {child}
    OR child_id IN (SELECT child_id FROM child_links WHERE received_child_id = {child});
"""
_FORGET_RECORD = "DELETE FROM contact_facts WHERE child_id IN (" + _RECORD_CHILDREN + ");"
# A draft's contacts count for nothing: saving a draft (every few seconds) forgets nothing.
_LOCKED_NEW, _LOCKED_OLD = "NEW.state <> 'draft'", "OLD.state <> 'draft'"

_SQLITE_TRIGGERS = {
    "contact_facts_observation_added": (
        "AFTER INSERT ON child_observations",
        _OBSERVED_CHILD.format(child="NEW.child_id"),
    ),
    "contact_facts_observation_changed": (
        "AFTER UPDATE ON child_observations",
        _OBSERVED_CHILD.format(child="OLD.child_id") + _OBSERVED_CHILD.format(child="NEW.child_id"),
    ),
    "contact_facts_observation_removed": (
        "AFTER DELETE ON child_observations",
        _OBSERVED_CHILD.format(child="OLD.child_id"),
    ),
    "contact_facts_record_added": (
        f"AFTER INSERT ON records WHEN {_LOCKED_NEW}",
        _FORGET_RECORD.format(record="NEW.record_id"),
    ),
    "contact_facts_record_changed": (
        f"AFTER UPDATE ON records WHEN {_LOCKED_OLD} OR {_LOCKED_NEW}",
        _FORGET_RECORD.format(record="NEW.record_id"),
    ),
    # BEFORE: its observations are still there to say whose contacts it held.
    "contact_facts_record_removed": (
        f"BEFORE DELETE ON records WHEN {_LOCKED_OLD}",
        _FORGET_RECORD.format(record="OLD.record_id"),
    ),
    "contact_facts_link_added": (
        "AFTER INSERT ON child_links",
        "DELETE FROM contact_facts WHERE child_id = NEW.child_id;",
    ),
    "contact_facts_link_changed": (
        "AFTER UPDATE ON child_links",
        "DELETE FROM contact_facts WHERE child_id IN (OLD.child_id, NEW.child_id);",
    ),
    "contact_facts_link_removed": (
        "AFTER DELETE ON child_links",
        "DELETE FROM contact_facts WHERE child_id = OLD.child_id;",
    ),
}

_POSTGRESQL_FUNCTIONS = {
    "contact_facts_observation": f"""
        IF TG_OP <> 'INSERT' THEN {_OBSERVED_CHILD.format(child="OLD.child_id")} END IF;
        IF TG_OP <> 'DELETE' THEN {_OBSERVED_CHILD.format(child="NEW.child_id")} END IF;
        RETURN NULL;
    """,
    "contact_facts_record": f"""
        IF TG_OP = 'DELETE' THEN
            {_FORGET_RECORD.format(record="OLD.record_id")}
            RETURN OLD;
        END IF;
        {_FORGET_RECORD.format(record="NEW.record_id")}
        RETURN NULL;
    """,
    "contact_facts_link": """
        IF TG_OP <> 'INSERT' THEN DELETE FROM contact_facts WHERE child_id = OLD.child_id; END IF;
        IF TG_OP <> 'DELETE' THEN DELETE FROM contact_facts WHERE child_id = NEW.child_id; END IF;
        RETURN NULL;
    """,
}
# name: (event, table, condition, function), each a row trigger.
_POSTGRESQL_TRIGGERS = {
    "contact_facts_observation": (
        "AFTER INSERT OR UPDATE OR DELETE",
        "child_observations",
        "",
        "contact_facts_observation",
    ),
    "contact_facts_record_added": (
        "AFTER INSERT",
        "records",
        f"WHEN ({_LOCKED_NEW})",
        "contact_facts_record",
    ),
    "contact_facts_record_changed": (
        "AFTER UPDATE",
        "records",
        f"WHEN ({_LOCKED_OLD} OR {_LOCKED_NEW})",
        "contact_facts_record",
    ),
    "contact_facts_record_removed": (
        "BEFORE DELETE",
        "records",
        f"WHEN ({_LOCKED_OLD})",
        "contact_facts_record",
    ),
    "contact_facts_link": (
        "AFTER INSERT OR UPDATE OR DELETE",
        "child_links",
        "",
        "contact_facts_link",
    ),
}


def upgrade() -> None:
    op.create_table(
        "contact_facts",
        sa.Column("child_id", sa.String(32), primary_key=True),
        sa.Column("date_of_birth", sa.Date(), nullable=True),
        sa.Column("initial_conference", sa.Date(), nullable=False),
        sa.Column("gathered_on", sa.Date(), nullable=False),
        sa.Column("next_contact", sa.Date(), nullable=True),
        sa.Column("facts", sa.Text(), nullable=False),
    )
    if op.get_bind().dialect.name == "postgresql":
        for name, body in _POSTGRESQL_FUNCTIONS.items():
            op.execute(
                f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} END $$"
            )
        for name, (event, table, condition, function) in _POSTGRESQL_TRIGGERS.items():
            op.execute(
                f"CREATE TRIGGER {name} {event} ON {table} FOR EACH ROW {condition} "
                f"EXECUTE FUNCTION {function}()"
            )
    else:
        for name, (when, body) in _SQLITE_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for name, (_event, table, _condition, _function) in _POSTGRESQL_TRIGGERS.items():
            op.execute(f"DROP TRIGGER {name} ON {table}")
        for name in _POSTGRESQL_FUNCTIONS:
            op.execute(f"DROP FUNCTION {name}()")
    else:
        for name in _SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER {name}")
    op.drop_table("contact_facts")
