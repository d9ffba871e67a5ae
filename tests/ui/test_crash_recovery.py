"""Kill the real app while it is typing (SIGKILL), start again: the draft is there, and said so."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from coreform.records import RecordState
from coreform.services import Services
from tests.qtbot import QtBot
from tests.ui.typing_driver import TYPED
from ui.app import start_window

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_draft_survives_sigkill_while_typing(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = {**os.environ, "COREFORM_DATA_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    child = subprocess.Popen(
        [sys.executable, str(REPO / "tests" / "ui" / "typing_driver.py")],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "typed"
        # Autosave is due within about a second, even while typing goes on: kill it after that.
        assert child.stdout.readline().strip() == "saved"
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL

    monkeypatch.setenv("COREFORM_DATA_DIR", str(tmp_path))
    services = Services.open()
    try:
        window = start_window(
            services, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
        )
        qtbot.addWidget(window)
        window.show()
        assert window.recovered_banner.isVisible()
        assert (
            window.recovered_banner.text()
            == "Recovered 1 draft that was not closed properly — nothing was lost"
        )
        summaries = services.list_records()
        assert [s.state for s in summaries] == [RecordState.DRAFT]
        draft = services.get_record(summaries[0].id)
        assert draft.purpose.startswith(TYPED)
        # Typing went on during the wait; at most about the last second of it is missing.
        assert draft.purpose.count(".") >= 2

        # Opening it from My records shows what was typed.
        window.my_records.refresh()
        window.my_records.table.setFocus()
        window.my_records.table.selectRow(0)
        qtbot.keyClick(window.my_records.table, "\r")
        assert window.stack.currentWidget() is window.editor
        assert window.editor.rows["purpose"].value() == draft.purpose
        window.close()
    finally:
        services.close()
