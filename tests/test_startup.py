"""Start-up order (issue 15): what is loaded when the first window paints."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def test_a_window_paints_before_the_storage_layer_loads(tmp_path: Path) -> None:
    """Issue 15: the first paint of a start needs only Qt; the database code loads after it."""
    code = """
import os, sys
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication

class FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and watched.isWidgetType() and watched.isWindow():
            loaded = {m.split('.')[0] for m in sys.modules}
            print(type(watched).__name__, sorted(loaded & {'sqlalchemy', 'alembic', 'keyring'}))
            sys.stdout.flush()
            os._exit(0)
        return False

app = QApplication(['coreform'])
watch = FirstPaint()
app.installEventFilter(watch)
from ui.app import run
run([])
"""
    environment = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "COREFORM_DATA_DIR": str(tmp_path / "data"),
        "COREFORM_CONFIG_DIR": str(tmp_path / "config"),
        "XDG_CONFIG_HOME": str(tmp_path / "xdg"),
    }
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
        env=environment,
    )
    assert result.stdout.strip() == "StartingWindow []"
