"""Renders the core group minutes for the README, offscreen:
`uv run python docs/take_minutes_screenshots.py` (throwaway database; the Chowdhury family of the
UI tests on a Suffolk plan, three core groups held, the fourth being written)."""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from coreform.records import LONDON
from coreform.services import Services
from tests.conftest import MovingClock
from tests.ui.minutes_data import WORRIES, held_meeting, seed_family
from ui.app import application, start_window

OUT = Path(__file__).resolve().parent / "screenshots"
D = dt.date.fromisoformat


def _settle() -> None:
    for _ in range(10):
        QApplication.processEvents()


def _save(widget: QWidget, name: str) -> None:
    _settle()
    widget.grab().save(str(OUT / name))
    print(f"wrote {OUT / name}")


def main() -> int:
    application()
    clock = MovingClock(dt.datetime(2026, 12, 22, 15, 0, tzinfo=LONDON))
    with tempfile.TemporaryDirectory() as folder:
        services = Services.open(f"sqlite:///{Path(folder) / 'coreform.db'}", clock=clock)
        family, (nusrat, _arif) = seed_family(services)
        goals = tuple(WORRIES)
        held_meeting(
            services, family, D("2026-12-21"), {"Nusrat": (3, 5, 3), "Arif": (4, 5, 3)}, goals=goals
        )
        clock.now = dt.datetime(2027, 1, 26, 15, 0, tzinfo=LONDON)
        held_meeting(services, family, D("2027-01-25"), {"Nusrat": (5, 6, 4), "Arif": (5, 6, 5)})
        clock.now = dt.datetime(2027, 2, 23, 15, 0, tzinfo=LONDON)
        last = held_meeting(
            services, family, D("2027-02-22"), {"Nusrat": (6, 8, 6), "Arif": (6, 7, 6)}
        )
        settings = QSettings(str(Path(folder) / "ui.ini"), QSettings.Format.IniFormat)
        window = start_window(services, settings)
        window.resize(1400, 900)
        window.show()

        window.open_child_plan(nusrat.id)
        plan = window.plan_page
        plan.below.setCurrentWidget(plan.meetings)
        _save(window, "minutes-meetings.png")
        plan.below.setCurrentWidget(plan.scaling)
        _save(window, "scaling-chart.png")

        window.minutes.show_locked(last)
        _save(window, "minutes-view.png")

        clock.now = dt.datetime(2027, 3, 8, 11, 0, tzinfo=LONDON)
        window.minutes.start(family.id, print)
        editor = window.minutes.editor
        _save(window, "minutes-editor.png")
        for section, name in (
            ("safety_goals", "minutes-editor-goals.png"),
            ("scaling", "minutes-editor-scaling.png"),
        ):
            scroll = editor.scroll_area.verticalScrollBar()
            scroll.setValue(editor.form.sections[section].y())
            _save(window, name)
        editor.finish_saving()
        window.close()
        services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
