"""Nothing readable at rest, end to end as the app runs: the database the first run makes, its
WAL, temp files, queued outbox messages, backups and any log (issue 5, acceptance 1)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest

from coreform import session
from coreform.outbox import OutboxState
from coreform.records import Child, ChildObservation, Family, KeyWorker, MonitoringRecord
from coreform.services import Services
from reports.dispatch import MailDispatcher
from tests.conftest import FIXED_NOW

MARKERS = ("ZZMARKERCHILDNAME", "ZZMARKERBRUISEOBSERVATION", "ZZMARKERFAMILY", "ZZMARKERKW")


def test_markers_reach_no_file_the_app_wrote(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    full_record: MonitoringRecord,
) -> None:
    data = tmp_path / "data"
    temp = tmp_path / "tmp"
    temp.mkdir()
    # SQLite would spill temp tables here; temp_store=MEMORY must keep it empty.
    monkeypatch.setenv("SQLITE_TMPDIR", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    opened = session.create_encrypted(data, "otter lantern velvet")
    services = Services.open(
        opened.url,
        clock=lambda: FIXED_NOW,
        dispatcher=MailDispatcher(data / "drafts", open_draft=lambda _path: None),
    )
    try:
        family = services.save_family(
            Family(
                name=MARKERS[2],
                children=[Child(name=MARKERS[0], date_of_birth=dt.date(2019, 5, 1))],
                key_worker=KeyWorker(name=MARKERS[3], email="kay@example.org"),
            )
        )
        draft = services.new_record(family.id)
        draft.observations = MARKERS[1] * 50
        for _ in range(10):
            draft = services.save_draft(draft)
        full_record.family_id, full_record.family_name = family.id, MARKERS[2]
        full_record.children[0] = ChildObservation(
            child=family.children[0], **_seen(full_record.children[0])
        )
        full_record.observations = MARKERS[1]
        sent = services.submit_and_send(full_record)  # raw messages queue in the outbox
        backup = services.backup(opened.backup_folder)
        # Read back through the app, so the test is not passing because nothing was stored.
        assert MARKERS[1] in services.get_record(draft.id).observations
        queued = [i for i in services.outbox_items() if i.record_id == sent.record.id]
        assert queued and all(i.state is OutboxState.QUEUED and i.raw for i in queued)
        assert backup.is_file()
        wal = data / "coreform.db-wal"
        assert wal.is_file() and wal.stat().st_size > 0  # the scan covers a live WAL
        written = [p for p in tmp_path.rglob("*") if p.is_file()]
        assert {p.name for p in written} >= {"coreform.db", "coreform.db.keys", backup.name}
        for path in written:
            content = path.read_bytes()
            for marker in MARKERS:
                assert marker.encode() not in content, (marker, path)
                assert marker.encode("utf-16-le") not in content, (marker, path)
    finally:
        services.close()
    for database in (data / "coreform.db", backup):
        assert database.read_bytes()[:16] != b"SQLite format 3\x00"
    assert os.listdir(temp) == []
    assert not list(data.rglob("*.log"))  # the app writes no log files


def _seen(observation: ChildObservation) -> dict[str, Any]:
    """The observation's answers without its child, to pair them with the marker child."""
    fields = vars(observation).copy()
    del fields["child"]
    return fields
