"""At 200% text every page of the main window fits a 1366-pixel laptop screen: rows of buttons
and filters wrap onto a second line instead of widening the window past the screen's edge.
At 100% they stay on one line, as before."""

from __future__ import annotations

import os
from collections.abc import Sequence
from functools import partial
from pathlib import Path

from PySide6.QtCore import QPoint, QSettings
from PySide6.QtWidgets import QWidget

from coreform.services import Services
from tests.qtbot import QtBot
from ui.app import start_window
from ui.main_window import MainWindow
from ui.navigation import NAV_INBOX, NAV_MY_RECORDS
from ui.pages.tab_order import focus_chain
from ui.starting import DEFAULT_SIZE

LAPTOP_WIDTH = 1366  # the commonest laptop screen: 1366×768
WINDOW_FRAME = 16  # Windows 10/11 draws 8 pixels of frame each side


def _window(
    qtbot: QtBot, services: Services, tmp_path: Path, width: int, height: int
) -> MainWindow:
    window = start_window(services, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    qtbot.waitExposed(window)
    return window


def _laid_out(page: QWidget) -> bool:
    return page.width() >= page.minimumSizeHint().width()


def _one_line(widgets: Sequence[QWidget], root: QWidget) -> bool:
    bottoms = {w.mapTo(root, QPoint(0, w.height())).y() for w in widgets}
    return max(bottoms) - min(bottoms) <= 4


def test_every_page_fits_a_laptop_screen_at_200_percent_text(
    qtbot: QtBot, ui_services: Services, tmp_path: Path, doubled_text: float
) -> None:
    window = _window(qtbot, ui_services, tmp_path, LAPTOP_WIDTH - WINDOW_FRAME, 768)
    folder = Path(os.environ.get("COREFORM_SCREENSHOTS", tmp_path))
    for row in range(window.nav.count()):
        window.go_to(row)
        page = window.stack.currentWidget()
        assert page is not None
        name = window.nav.item(row).text()
        # Every page built so far counts: the stack is as wide as its widest page.
        assert window.minimumSizeHint().width() + WINDOW_FRAME <= LAPTOP_WIDTH, name
        qtbot.waitUntil(partial(_laid_out, page), timeout=20_000)
        for widget in focus_chain(page):
            if widget.isVisible():  # nothing cut at the page's right edge
                right = widget.mapTo(page, QPoint(widget.width(), 0)).x()
                assert right <= page.width(), f"{name}: {widget.accessibleName()}"
        if row in (NAV_MY_RECORDS, NAV_INBOX):
            assert window.grab().save(str(folder / f"page-{row}-200.png"))
    window.close()


def test_at_100_percent_the_rows_stay_on_one_line(
    qtbot: QtBot, ui_services: Services, tmp_path: Path
) -> None:
    window = _window(qtbot, ui_services, tmp_path, *DEFAULT_SIZE)
    records = window.my_records
    window.go_to(NAV_MY_RECORDS)
    filters = [records.search_box, records.state_filter, records.visit_from, records.visit_to]
    qtbot.waitUntil(lambda: _one_line([*filters, records.clear_button], records), timeout=20_000)
    window.go_to(NAV_INBOX)
    inbox = window.inbox
    buttons = [inbox.open_button, inbox.share_button, inbox.file_button]
    qtbot.waitUntil(lambda: _one_line(buttons, inbox), timeout=20_000)
    assert _one_line([inbox.filter, inbox.import_button], inbox)
    folder = Path(os.environ.get("COREFORM_SCREENSHOTS", tmp_path))
    assert window.grab().save(str(folder / "inbox-100.png"))
    window.close()
