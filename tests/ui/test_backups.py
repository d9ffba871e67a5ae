"""Automatic backups: daily on start, in a worker thread, rotated and audited."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from coreform.audit import AuditAction
from coreform.records import LONDON
from coreform.services import Services
from tests.qtbot import QtBot
from ui.backups import BackupScheduler


def test_a_backup_runs_off_the_gui_thread_once_a_day(
    qtbot: QtBot, ui_services: Services, tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    scheduler = BackupScheduler(ui_services, folder, keep=2)
    with qtbot.waitSignal(scheduler.finished, timeout=10_000) as done:
        assert scheduler.back_up_if_due()
        assert scheduler.running
    path, error = done.args
    assert error == ""
    assert Path(path).parent == folder and Path(path).is_file()
    assert not scheduler.back_up_if_due()  # the fixed clock has not moved a day on
    newest = ui_services.audit_page(0, 1)[0]
    assert (newest.action, newest.record_reference) == (AuditAction.BACKED_UP, Path(path).name)
    assert ui_services.verify_audit().ok


def test_backups_are_rotated(tmp_path: Path) -> None:
    hours = itertools.count()  # each reading of the clock is an hour on, so names differ
    services = Services.open(
        f"sqlite:///{tmp_path / 'coreform.db'}",
        clock=lambda: dt.datetime(2026, 3, 2, tzinfo=LONDON) + dt.timedelta(hours=next(hours)),
    )
    folder = tmp_path / "backups"
    try:
        made = [services.backup(folder, keep=2) for _ in range(4)]
    finally:
        services.close()
    assert sorted(p.name for p in folder.iterdir()) == sorted(p.name for p in made[-2:])
