"""The one background-job helper: outcomes come back on the GUI thread, in order; a bug is
logged with its traceback but never with its message."""

from __future__ import annotations

from pathlib import Path

from coreform.errors import CoreformError
from coreform.logs import configure_logging, stop_logging
from tests.qtbot import QtBot
from ui.workers import BackgroundJobs

MARKER = "Marker Đặng Thị Hương"


def _refused() -> str:
    raise CoreformError("The disk is full. Free some space and try again.")


def _broken() -> str:
    raise KeyError(MARKER)


def test_outcomes_come_back_in_order_and_a_bug_is_logged_without_its_message(
    qtbot: QtBot, tmp_path: Path
) -> None:
    log_file = configure_logging(tmp_path, to_stderr=False)
    jobs = BackgroundJobs()
    outcomes: list[str] = []
    try:
        for work in (lambda: "saved", _refused, _broken):
            jobs.run(
                work,
                done=outcomes.append,
                failed=lambda error: outcomes.append(str(error)),
                what="The test job",
            )
        assert jobs.busy
        qtbot.waitUntil(lambda: len(outcomes) == 3)
    finally:
        stop_logging()
    assert not jobs.busy
    assert outcomes[:2] == ["saved", "The disk is full. Free some space and try again."]
    assert outcomes[2].startswith("The test job stopped (KeyError).")
    text = log_file.read_text(encoding="utf-8")
    assert "The test job stopped" in text and "builtins.KeyError (message not logged)" in text
    assert "_broken" in text  # the frames are there
    assert "Marker" not in text and "disk is full" not in text
