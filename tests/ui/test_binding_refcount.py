"""PySide6 6.12.0 drops a reference to None per list item; enough refreshes abort Python (issue 9).

Python 3.12+ makes None immortal, which hides the leak: these tests guard the pin in pyproject.toml
(`PySide6-Essentials<6.12`) and are the evidence for lifting it on a fixed release.
"""

from __future__ import annotations

import gc
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from coreform.records import Child, Family, KeyWorker, PlanType
from coreform.services import Services
from tests.qtbot import QtBot
from ui.main_window import MainWindow

# None's count moves by a few as caches fill; a leaking binding loses thousands here.
NOISE = 50


def none_references() -> int:
    gc.collect()
    return sys.getrefcount(None)


def test_list_items_holding_none_keep_its_reference_count(qtbot: QtBot) -> None:
    widget = QListWidget()
    qtbot.addWidget(widget)
    before = none_references()
    for row in range(1000):
        item = QListWidgetItem(f"row {row}")
        item.setData(Qt.ItemDataRole.UserRole, None)
        widget.addItem(item)
    widget.clear()
    assert none_references() >= before - NOISE


def test_refreshing_the_lists_many_times_keeps_none_alive(
    qtbot: QtBot, window: MainWindow, ui_services: Services
) -> None:
    for name in ("Nguyễn", "Kowalski", "Rahman", "Chowdhury", "Al-Masri", "Wang"):
        ui_services.save_family(
            Family(
                name=name,
                children=[Child(name=f"Amira {name}", plan_type=PlanType.CIN)],
                key_worker=KeyWorker(name="Bilal Hussain", email="bilal@council.example"),
            )
        )
    window.new_record.refresh()
    window.my_records.refresh()
    before = none_references()
    # Not the Families page: rebuilding its form adds references to None on every release,
    # which would hide a drop.
    for _refresh in range(100):
        window.new_record.refresh()
        window.my_records.refresh()
    assert none_references() >= before - NOISE
