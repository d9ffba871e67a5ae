"""The README's pictures of finding records: `uv run python docs/take_finding_screenshots.py`.

A throwaway database of 2,000 synthetic records (bench/synthetic.py) and a fixed clock.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from bench.synthetic import build_database
from coreform.records import LONDON
from coreform.services import Services
from ui.app import application, start_window
from ui.main_window import MainWindow

OUT = Path(__file__).resolve().parent / "screenshots"
NOW = dt.datetime(2026, 12, 24, 16, 0, tzinfo=LONDON)


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def _go(window: MainWindow, page: str) -> None:
    [item] = window.nav.findItems(page, Qt.MatchFlag.MatchExactly)
    window.nav.setCurrentRow(window.nav.row(item))


def main() -> int:
    application([])
    folder = Path(tempfile.mkdtemp(prefix="coreform-shots-"))
    url = f"sqlite:///{folder / 'coreform.db'}"
    build_database(url, 2_000)
    services = Services.open(url, clock=lambda: NOW)
    window = start_window(services, QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat))
    window.resize(1280, 760)
    window.show()
    page = window.my_records
    _go(window, "My records")
    _settle()
    page.search_box.setText("zoe nguyen")
    page.refresh()
    _settle()
    window.grab().save(str(OUT / "my-records-search.png"))
    families = window.families
    _go(window, "Families & contacts")
    families.search_box.setText("Ødegård")
    families.refresh()
    families.family_table.selectRow(0)
    _settle()
    window.grab().save(str(OUT / "family-records.png"))
    print(f"wrote {OUT / 'my-records-search.png'} and {OUT / 'family-records.png'}")
    window.close()
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
