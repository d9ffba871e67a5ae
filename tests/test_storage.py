"""Storage on a real SQLite file: every field round-trips, migrations run from empty, and a save
that fails part-way leaves the database exactly as it was."""

from __future__ import annotations

import copy
import datetime as dt
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, inspect, text
from sqlalchemy.exc import IntegrityError, StatementError

from coreform.outbox import OutboxItem, RecipientKind, Transport
from coreform.records import (
    LONDON,
    Amendment,
    CoreGroupMember,
    Family,
    KeyWorker,
    MonitoringRecord,
    ParentCarer,
    RecordState,
    new_id,
    record_to_dict,
)
from coreform.resources import resource_path
from coreform.storage.engine import create_engine_for, default_database_url
from coreform.storage.migrations import migrate
from coreform.storage.unit_of_work import UnitOfWork

EVERY_TABLE = {
    "families",
    "children",
    "parents_carers",
    "core_group_members",
    "key_workers",
    "records",
    "child_observations",
    "settings",
    "sessions",
    "outbox_messages",
    "alembic_version",
}


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    created = create_engine_for(database_url)
    migrate(created)
    yield created
    created.dispose()


def _dump(path: Path) -> list[str]:
    """Every row of every table, to compare the whole database before and after."""
    with sqlite3.connect(path) as connection:
        return list(connection.iterdump())


def test_migrations_create_every_table_from_empty(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert tables >= EVERY_TABLE
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
    migrate(engine)  # a second start changes nothing


def test_sqlite_connection_is_durable_and_checks_foreign_keys(engine: Engine) -> None:
    with engine.connect() as connection:
        pragma = connection.exec_driver_sql
        assert pragma("PRAGMA journal_mode").scalar() == "wal"
        assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
        assert pragma("PRAGMA foreign_keys").scalar() == 1
        assert (pragma("PRAGMA busy_timeout").scalar() or 0) > 0


def test_every_field_of_a_full_record_round_trips(
    engine: Engine, full_record: MonitoringRecord
) -> None:
    record = copy.deepcopy(full_record)
    record.reference = "CG-2026-00001"
    record.created_at = dt.datetime(2026, 3, 3, 17, 0, 0, 123456, tzinfo=LONDON)
    record.updated_at = dt.datetime(2026, 7, 1, 9, 0, tzinfo=LONDON)  # summer time
    record.submitted_at = dt.datetime(2026, 3, 4, 8, 0, tzinfo=dt.UTC)
    with UnitOfWork(engine) as uow:
        uow.records.add(record, session_id=None)
    with UnitOfWork(engine) as uow:
        stored = uow.records.get(record.id, record.version)
    assert stored is not None
    assert record_to_dict(stored) == record_to_dict(record)
    assert stored == record
    assert stored.updated_at.tzinfo == LONDON and stored.updated_at.utcoffset() == dt.timedelta(
        hours=1
    )
    assert stored.submitted_at is not None and stored.submitted_at.tzinfo == LONDON
    assert len(stored.children) == 2


def test_moments_are_stored_in_utc(engine: Engine, full_record: MonitoringRecord) -> None:
    record = copy.deepcopy(full_record)
    record.reference = "CG-2026-00001"
    record.concerns_told_at = dt.datetime(2026, 7, 1, 16, 5, tzinfo=LONDON)
    with UnitOfWork(engine) as uow:
        uow.records.add(record, session_id=None)
    with engine.connect() as connection:
        raw = connection.execute(text("SELECT concerns_told_at FROM records")).scalar()
    assert str(raw).startswith("2026-07-01 15:05:00")


def test_amended_version_keeps_the_original(engine: Engine, full_record: MonitoringRecord) -> None:
    original = copy.deepcopy(full_record)
    original.reference = "CG-2026-00002"
    original.state = RecordState.SUBMITTED
    amended = copy.deepcopy(original)
    amended.version = 2
    amended.state = RecordState.AMENDED
    amended.observations = "Home warm; food in the fridge; new sofa."
    amended.amendment = Amendment(
        reason="Left out the new sofa.",
        amended_at=dt.datetime(2026, 3, 5, 9, 0, tzinfo=LONDON),
        amended_by="Jo Patel",
        previous_version=1,
    )
    with UnitOfWork(engine) as uow:
        uow.records.add(original, session_id=None)
        uow.records.add(amended, session_id=None)
    with UnitOfWork(engine) as uow:
        versions = uow.records.versions(original.id)
        latest = uow.records.latest(original.id)
    assert versions == [original, amended]
    assert latest == amended


def test_family_with_everything_round_trips(engine: Engine) -> None:
    now = dt.datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
    family = Family(
        name="Okafor",
        address="1 High Street",
        key_worker=KeyWorker(name="Sam Lee", email="sam@council.example", team="T2", phone="1"),
        parents_carers=[
            ParentCarer(name="Grace Okafor", relationship="Mother", email="g@x.example")
        ],
        core_group=[
            CoreGroupMember(name="Dr Rao", role="GP", agency="Surgery", email="r@x.example")
        ],
    )
    with UnitOfWork(engine) as uow:
        uow.families.save(family, now=now)
    with UnitOfWork(engine) as uow:
        assert uow.families.get(family.id) == family
        assert [f.id for f in uow.families.page("OKA", 0, 10)] == [family.id]
        assert uow.families.page("nobody", 0, 10) == []


def test_error_raised_inside_the_unit_of_work_leaves_database_as_before(
    engine: Engine, database_url: str, full_record: MonitoringRecord
) -> None:
    first = copy.deepcopy(full_record)
    first.reference = "CG-2026-00001"
    with UnitOfWork(engine) as uow:
        uow.records.add(first, session_id=None)
    path = Path(database_url.removeprefix("sqlite:///"))
    before = _dump(path)

    second = copy.deepcopy(full_record)
    second.id = new_id()
    second.reference = "CG-2026-00002"
    with pytest.raises(RuntimeError), UnitOfWork(engine) as uow:
        uow.records.add(second, session_id=None)
        uow.settings.put({"reference.last.2026": "2"})
        raise RuntimeError("power cut")
    assert _dump(path) == before


def test_constraint_violation_mid_save_leaves_database_as_before(
    engine: Engine, database_url: str, full_record: MonitoringRecord
) -> None:
    first = copy.deepcopy(full_record)
    first.reference = "CG-2026-00001"
    with UnitOfWork(engine) as uow:
        uow.records.add(first, session_id=None)
    path = Path(database_url.removeprefix("sqlite:///"))
    before = _dump(path)

    clash = copy.deepcopy(full_record)  # same id and version: the primary key fails
    with pytest.raises(IntegrityError), UnitOfWork(engine) as uow:
        uow.settings.put({"reference.last.2026": "7"})
        uow.records.add(clash, session_id=None)
    assert _dump(path) == before


def test_outbox_message_round_trips(engine: Engine) -> None:
    now = dt.datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
    item = OutboxItem(
        record_id="a" * 32,
        record_version=1,
        message_id="<x@coreform>",
        recipient_kind=RecipientKind.KEY_WORKER,
        recipient="sam@council.example",
        transport=Transport.SMTP,
        raw=b"Subject: Core Group Monitoring Form CONFIDENTIAL\r\n\r\n\x00\xff",
    )
    with UnitOfWork(engine) as uow:
        stored = uow.outbox.add(item, now=now)
    with UnitOfWork(engine) as uow:
        assert uow.outbox.all() == [stored]
    assert stored.raw == item.raw and stored.created_at == now and stored.id is not None


def test_sent_drafts_are_found_through_their_partial_index(engine: Engine) -> None:
    # Every start looks for them: reading past each message's PDF took 0.3 s at 250k records.
    plans: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def explain(_c: Any, cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "draft_path" in statement and statement.startswith("SELECT"):
            rows = cursor.connection.execute(f"EXPLAIN QUERY PLAN {statement}", parameters)
            plans.extend(row[3] for row in rows)

    with UnitOfWork(engine) as uow:
        assert uow.outbox.drafts_sent_before(dt.datetime(2026, 3, 4, tzinfo=dt.UTC)) == []
    assert plans == [
        "SEARCH outbox_messages USING INDEX ix_outbox_messages_drafts_sent (state=? AND sent_at<?)"
    ]


def test_encrypted_database_needs_its_key(tmp_path: Path) -> None:
    path = tmp_path / "secret.db"
    engine = create_engine_for(f"sqlite+pysqlcipher://:s3cret%20key@/{path}")
    migrate(engine)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA temp_store").scalar() == 2  # MEMORY
    engine.dispose()
    assert b"SQLite format 3" not in path.read_bytes()[:16]
    wrong = create_engine_for(f"sqlite+pysqlcipher://:wrong@/{path}")
    with pytest.raises(Exception, match="not a database"):
        migrate(wrong)
    wrong.dispose()


def test_default_database_url_follows_coreform_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COREFORM_DATA_DIR", str(tmp_path / "data"))
    assert default_database_url() == f"sqlite:///{tmp_path / 'data' / 'coreform.db'}"
    assert (tmp_path / "data").is_dir()


def test_resource_path_finds_the_top_level_resources_folder() -> None:
    assert resource_path().is_dir()
    assert resource_path("fonts", "NotoSans-Regular.ttf").is_file()


def test_postgresql_url_gets_the_psycopg_dialect_without_changing_callers() -> None:
    engine = create_engine_for("postgresql+psycopg://coreform:secret@db.example/coreform")
    assert (engine.dialect.name, engine.dialect.driver) == ("postgresql", "psycopg")
    engine.dispose()


def test_naive_moments_are_refused(engine: Engine, full_record: MonitoringRecord) -> None:
    record = copy.deepcopy(full_record)
    record.reference = "CG-2026-00001"
    record.concerns_told_at = dt.datetime(2026, 3, 3, 16, 5)  # no zone: ambiguous
    with pytest.raises(StatementError, match="timezone-aware"), UnitOfWork(engine) as uow:
        uow.records.add(record, session_id=None)


def test_a_read_then_write_waits_for_another_writer_instead_of_failing(tmp_path: Path) -> None:
    """The outbox thread commits while a unit of work that has already read goes on to write
    (amending while sending): it waits its turn rather than failing with 'database is locked'."""
    import threading

    url = f"sqlite:///{tmp_path / 'shared.db'}"
    first, second = create_engine_for(url), create_engine_for(url)
    with first.begin() as setup:
        setup.exec_driver_sql("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    has_read = threading.Event()
    problems: list[BaseException] = []

    def other_writer() -> None:
        has_read.wait()
        try:
            with second.begin() as other:
                other.exec_driver_sql("INSERT INTO notes (body) VALUES ('from the outbox')")
        except BaseException as error:  # reported to the test below
            problems.append(error)

    writer = threading.Thread(target=other_writer)
    writer.start()
    with first.begin() as mine:
        mine.exec_driver_sql("SELECT count(*) FROM notes").scalar_one()
        has_read.set()
        writer.join(timeout=0.5)  # room for the other writer to commit first, if it could
        mine.exec_driver_sql("INSERT INTO notes (body) VALUES ('the amendment')")
    writer.join()
    assert problems == []
    with first.connect() as check:
        assert check.exec_driver_sql("SELECT count(*) FROM notes").scalar_one() == 2
