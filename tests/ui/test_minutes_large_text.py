"""At 200% text the minutes' attendees reflow to the width there is: no horizontal scrollbar,
nothing cut, Tab still reading left to right and top to bottom, every input named (issue 14,
left over)."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from coreform.records import LONDON
from coreform.services import Services
from tests.conftest import MovingClock, open_mailing
from tests.qtbot import QtBot
from tests.ui.helpers import focus, tab
from tests.ui.minutes_data import held_meeting, seed_family
from tests.ui.screen_reader import misreadings
from tests.ui.test_minutes_editor import _start_meeting
from ui.app import start_window
from ui.pages.tab_order import focus_chain


def _reading_order(first: QWidget, second: QWidget, root: QWidget) -> bool:
    """`second` is to the right of `first` on its line, or on a line below."""
    a, b = (w.mapTo(root, QPoint(0, 0)) for w in (first, second))
    same_line = abs((a.y() + first.height()) - (b.y() + second.height())) < first.height() // 2
    return b.x() > a.x() if same_line else b.y() > a.y()


def test_the_attendees_reflow_at_200_percent_text(
    qtbot: QtBot, tmp_path: Path, doubled_text: float
) -> None:
    clock = MovingClock(dt.datetime(2026, 12, 22, 15, 0, tzinfo=LONDON))
    services: Services = open_mailing(f"sqlite:///{tmp_path / 'coreform.db'}", tmp_path, clock)
    family, (nusrat, _arif) = seed_family(services)
    held_meeting(services, family, dt.date(2026, 12, 21), {"Nusrat": (3, 5, 3), "Arif": (4, 5, 3)})
    clock.now = dt.datetime(2027, 1, 26, 15, 0, tzinfo=LONDON)
    window = start_window(services, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    editor = _start_meeting(qtbot, window, nusrat)
    section = editor.form.sections["attendees"]
    panels = editor.form.areas["attendees"].panels
    assert len(panels) == 4  # carried from the first core group
    scroll = editor.scroll_area
    scroll.verticalScrollBar().setValue(section.y())
    qtbot.waitUntil(lambda: not scroll.horizontalScrollBar().isVisible(), timeout=20_000)

    viewport = scroll.viewport()
    chain = [w for w in focus_chain(panels[0]) if w.isVisible()]
    assert len(chain) >= 10  # four typed answers, the choices, Remove
    for widget in chain:
        left = widget.mapTo(viewport, QPoint(0, 0)).x()
        assert left >= 0 and left + widget.width() <= viewport.width(), widget.accessibleName()
        assert widget.width() >= widget.minimumSizeHint().width(), widget.accessibleName()
    for label in section.findChildren(QLabel):
        if label.isVisible() and label.text() and label.wordWrap():
            assert label.height() >= label.heightForWidth(label.width()), label.text()
    # Tab walks the attendee as the eye reads it, line by line.
    focus(qtbot, chain[0])
    for before, expected in itertools.pairwise(chain):
        assert tab(qtbot) is expected
        assert _reading_order(before, expected, viewport), expected.accessibleName()
    assert "Attendee 1: Attended" in [w.accessibleName() for w in chain]
    assert misreadings(section) == []
    QApplication.processEvents()
    folder = Path(os.environ.get("COREFORM_SCREENSHOTS", tmp_path))
    assert window.grab().save(str(folder / "minutes-attendees-200.png"))
    editor.finish_saving()
    window.close()
    services.close()
