"""The stored audit trail in a real SQLite file: appended, read back, tampering found."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from coreform.audit import AuditAction, head_of
from coreform.storage import audit_tables
from coreform.storage.audit_log import append_audit, audit_entries, verify_audit
from coreform.storage.engine import create_engine_for
from coreform.storage.migrations import migrate
from coreform.storage.search_index import outside_metadata
from coreform.storage.tables import Base

AT = dt.datetime(2025, 3, 3, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'audit.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


def test_migration_0002_matches_the_tables(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"include_name": outside_metadata})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []
    assert {"audit_log", "accounts", "legal_holds"} <= set(Base.metadata.tables)
    assert audit_tables.AuditLogRow.__tablename__ == "audit_log"


def _fill(engine: Engine) -> None:
    for i, action in enumerate(AuditAction):
        with Session(engine) as session, session.begin():
            append_audit(
                session,
                at=AT + dt.timedelta(minutes=i),
                user="amy",
                action=action,
                record_reference=f"CG-2025-{i:04d}",
            )


def test_each_action_is_stored_and_read_back_in_order(engine: Engine) -> None:
    _fill(engine)
    with Session(engine) as session:
        entries = audit_entries(session)
        assert [e.action for e in entries] == list(AuditAction)
        assert [e.seq for e in entries] == list(range(1, len(AuditAction) + 1))
        assert entries[0].at_utc == AT
        assert verify_audit(session, head=head_of(entries)).ok


def test_an_entry_rolled_back_with_its_change_leaves_no_trace(engine: Engine) -> None:
    _fill(engine)
    with Session(engine) as session:
        session.begin()
        append_audit(session, at=AT, user="amy", action=AuditAction.DELETED, record_reference="x")
        session.rollback()
    with Session(engine) as session:
        assert len(audit_entries(session)) == len(AuditAction)
        assert verify_audit(session).ok


@pytest.mark.parametrize(
    ("statement", "broken"),
    [
        ("UPDATE audit_log SET user = 'mallory' WHERE seq = 4", 4),
        ("UPDATE audit_log SET record_reference = 'CG-2025-9999' WHERE seq = 7", 7),
        ("UPDATE audit_log SET action = 'viewed' WHERE seq = 3", 3),
        ("UPDATE audit_log SET action = 'made_up' WHERE seq = 5", 5),
        ("UPDATE audit_log SET at_utc = 'yesterday' WHERE seq = 6", 6),
        ("UPDATE audit_log SET at_utc = '2025-03-03T09:31:00.000001Z' WHERE seq = 2", 2),
        ("DELETE FROM audit_log WHERE seq = 9", 9),
    ],
)
def test_tampering_in_the_database_is_named(engine: Engine, statement: str, broken: int) -> None:
    _fill(engine)
    with engine.begin() as connection:
        connection.execute(text(statement))
    with Session(engine) as session:
        result = verify_audit(session)
    assert not result.ok
    assert result.first_broken_seq == broken
    assert f"entry {broken}" in result.message


def test_deleting_the_newest_entries_is_found_with_the_exported_head(engine: Engine) -> None:
    _fill(engine)
    with Session(engine) as session:
        head = head_of(audit_entries(session))
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_log WHERE seq >= :seq"), {"seq": head.seq - 1})
    with Session(engine) as session:
        assert verify_audit(session).ok
        result = verify_audit(session, head=head)
    assert not result.ok and result.first_broken_seq == head.seq - 1
