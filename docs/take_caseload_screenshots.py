"""Renders the caseload dashboard and a child's timeline for the README, offscreen:
`uv run python docs/take_caseload_screenshots.py` (throwaway database, clock fixed on Christmas
Eve 2026, the caseload the UI tests use)."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from coreform.records import LONDON
from coreform.services import Services
from tests.ui.caseload_data import seed_caseload
from ui.app import application, start_window
from ui.navigation import NAV_CASELOAD

OUT = Path(__file__).resolve().parent / "screenshots"
NOW = dt.datetime(2026, 12, 24, 16, 0, tzinfo=LONDON)


def main() -> int:
    application()
    with tempfile.TemporaryDirectory() as folder:
        services = Services.open(f"sqlite:///{Path(folder) / 'coreform.db'}", clock=lambda: NOW)
        children = seed_caseload(services)
        settings = QSettings(str(Path(folder) / "ui.ini"), QSettings.Format.IniFormat)
        window = start_window(services, settings)
        window.resize(1400, 820)
        window.show()
        window.go_to(NAV_CASELOAD)
        window.caseload.wait()
        for name, show in (
            ("caseload.png", lambda: None),
            ("timeline.png", lambda: window.open_child_plan(children["Yusuf"].id)),
        ):
            show()
            for _ in range(10):
                QApplication.processEvents()
            window.grab().save(str(OUT / name))
            print(f"wrote {OUT / name}")
        window.close()
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
