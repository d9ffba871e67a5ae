"""Record identity that travels (issue 9): unique ids, references carrying the installation code,
numbers issued by the database, and databases made by the previous release upgraded in place."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

from alembic import command
from sqlalchemy import text

from coreform.records import MonitoringRecord, new_id, record_from_dict, record_to_dict
from coreform.services import Services
from coreform.storage.engine import create_engine_for
from coreform.storage.migrations import alembic_config, migrate
from coreform.storage.unit_of_work import UnitOfWork

Clock = Callable[[], dt.datetime]


def _travelled(record: MonitoringRecord) -> MonitoringRecord:
    """The record as the key worker reads it back from the JSON inside the PDF."""
    return record_from_dict(json.loads(json.dumps(record_to_dict(record))))


def _submitted(
    url: str, clock: Clock, record: MonitoringRecord, count: int
) -> list[MonitoringRecord]:
    sender = Services.open(url, clock=clock)
    try:
        sent = []
        for family in ("Nguyễn", "Kowalski", "Rahman")[:count]:
            draft = copy.deepcopy(record)
            draft.id = new_id()
            draft.family_name = family
            for observation in draft.children:
                observation.child.id = new_id()
            sent.append(sender.submit_record(sender.save_draft(draft)))
        return sent
    finally:
        sender.close()


def test_a_key_worker_files_two_senders_records_and_keeps_saving_drafts(
    tmp_path: Path, clock: Clock, full_record: MonitoringRecord
) -> None:
    school = _submitted(f"sqlite:///{tmp_path / 'school.db'}", clock, full_record, 3)
    clinic = _submitted(f"sqlite:///{tmp_path / 'clinic.db'}", clock, full_record, 3)
    # Both senders numbered from 1; their installation codes keep the references apart.
    assert [r.reference[-5:] for r in school] == ["00001", "00002", "00003"]
    assert {r.reference for r in school}.isdisjoint(r.reference for r in clinic)

    key_worker = Services.open(f"sqlite:///{tmp_path / 'key-worker.db'}", clock=clock)
    try:
        own = [key_worker.save_draft(key_worker.new_record()) for _ in range(3)]
        for received in school + clinic:
            filed = key_worker.import_record(_travelled(received))
            assert (filed.id, filed.reference) == (received.id, received.reference)
        key_worker.import_record(_travelled(school[0]))  # a resent message is filed once
        for draft in own:
            draft.observations = "Phoned the school: Amina attended all week."
            assert key_worker.save_draft(draft).observations.startswith("Phoned")
        another = key_worker.save_draft(key_worker.new_record())
        references = {summary.reference for summary in key_worker.list_records()}
    finally:
        key_worker.close()
    assert len(references) == 3 + 6 + 1
    assert another.reference.endswith("-2026-00004")


def test_a_database_made_by_the_previous_release_is_upgraded(
    tmp_path: Path, clock: Clock, full_record: MonitoringRecord
) -> None:
    old = copy.deepcopy(full_record)
    old.reference = "CG-2026-00007"
    current = tmp_path / "current.db"
    made = create_engine_for(f"sqlite:///{current}")
    migrate(made)
    with UnitOfWork(made) as uow:  # today's code writes the rows ...
        uow.records.add(old, session_id=None)
    made.dispose()
    url = f"sqlite:///{tmp_path / 'previous.db'}"
    engine = create_engine_for(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0002")  # ... into the schema the previous release left
        connection.exec_driver_sql(f"ATTACH DATABASE '{current}' AS current")
        for table in ("records", "child_observations"):
            columns = ", ".join(
                row[1] for row in connection.exec_driver_sql(f"PRAGMA main.table_info({table})")
            )
            connection.exec_driver_sql(
                f"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM current.{table}"
            )
        connection.exec_driver_sql(
            "INSERT INTO settings (key, value) VALUES ('reference.last.2026', '7')"
        )
    # DETACH outside any transaction (units of work begin IMMEDIATE, which locks attached files).
    raw = engine.raw_connection()
    try:
        raw.cursor().execute("DETACH DATABASE current")
    finally:
        raw.close()
    migrate(engine)
    with engine.connect() as connection:
        observations = connection.execute(
            text("SELECT count(*) FROM child_observations WHERE record_id = :id"), {"id": old.id}
        ).scalar()
        leftover = connection.execute(
            text("SELECT count(*) FROM settings WHERE key LIKE 'reference.last.%'")
        ).scalar()
    engine.dispose()
    assert observations == len(full_record.children)  # the table rebuild cascaded nothing away
    assert leftover == 0

    services = Services.open(url, clock=clock)
    try:
        kept = services.get_record(old.id)
        code = services.installation_code()
        new = services.save_draft(services.new_record())
    finally:
        services.close()
    assert kept.reference == "CG-2026-00007"  # already printed and sent: never renamed
    # Answers added to the form since that release read as unanswered.
    as_then = [dataclasses.replace(c, not_spoken_with_reason="") for c in full_record.children]
    assert kept.children == as_then
    assert new.reference == f"CG-{code}-2026-00008"
