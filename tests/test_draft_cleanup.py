"""Mail drafts hold readable PDFs: coreform deletes its own older than a day, at start and exit."""

from __future__ import annotations

import os
import time
from pathlib import Path

from coreform.services import Services
from reports.dispatch import MailDispatcher
from reports.drafts import remove_old_drafts

DAY = 24 * 60 * 60


def _draft(folder: Path, name: str, age_seconds: float) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(b"X-Unsent: 1\r\n\r\n")
    moment = time.time() - age_seconds
    os.utime(path, (moment, moment))
    return path


def test_only_old_drafts_of_coreform_are_removed(tmp_path: Path) -> None:
    old = _draft(tmp_path, "CG-2026-00001-v1.eml", DAY + 60)
    half_written = _draft(tmp_path, "CG-2026-00002-v1.emlq8x2w1.tmp", 2 * DAY)
    recent = _draft(tmp_path, "CG-2026-00003-v1.eml", DAY - 60)
    not_ours = _draft(tmp_path, "notes.txt", 30 * DAY)
    assert sorted(remove_old_drafts(tmp_path)) == sorted([old, half_written])
    assert recent.exists() and not_ours.exists()
    assert remove_old_drafts(tmp_path / "missing") == []


def test_start_and_exit_remove_old_drafts(database_url: str, tmp_path: Path) -> None:
    drafts = tmp_path / "drafts"
    at_start = _draft(drafts, "CG-2026-00001-v1.eml", 2 * DAY)
    services = Services.open(database_url, dispatcher=MailDispatcher(drafts))
    try:
        services.begin_session()
        assert not at_start.exists()
        during = _draft(drafts, "CG-2026-00002-v1.eml", 0)
        os.utime(during, (time.time() - 2 * DAY,) * 2)  # the run lasted past a day
        fresh = _draft(drafts, "CG-2026-00003-v1.eml", 0)
        services.end_session()
        assert not during.exists()
        assert fresh.exists()
    finally:
        services.close()
