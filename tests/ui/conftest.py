"""UI fixtures: the real window over real services on a temp SQLite file, with a fixed clock."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QPushButton

from coreform.records import LONDON, Practitioner
from coreform.services import Services
from reports.dispatch import MailDispatcher
from tests.qtbot import QtBot
from tests.ui.helpers import click
from ui import accessibility
from ui.app import start_window
from ui.collector import GuiThreadCollector
from ui.main_window import MainWindow

# Thursday 24 December 2026, 16:00: Christmas Eve, so the deadline runs over two bank holidays.
CHRISTMAS_EVE = dt.datetime(2026, 12, 24, 16, 0, tzinfo=LONDON)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The offscreen platform says this whenever a top-level window is shown; it is not our bug.
    for item in items:
        if "tests/ui" in str(item.path).replace("\\", "/"):
            item.add_marker(pytest.mark.qt_log_ignore("does not support propagateSizeHints"))


@pytest.fixture(autouse=True)
def _collected_on_the_gui_thread(qapp: QApplication) -> Iterator[None]:
    """As in the app (ui/collector.py), garbage is collected on the GUI thread only; set up
    first, so torn down last, what a test's windows leave is collected here, not by a later
    test's background job ("Timers cannot be started from another thread")."""
    collector = GuiThreadCollector()
    yield
    collector.stop()
    collector.deleteLater()
    gc.collect()


@pytest.fixture(autouse=True)
def _screen_reader_interfaces(qapp: QApplication) -> None:
    """Headings and combo boxes read as the app's start-up makes them read."""
    accessibility.install()


@pytest.fixture
def opened_drafts() -> list[Path]:
    """The `.eml` drafts the window handed to "the mail program"."""
    return []


@pytest.fixture
def ui_services(tmp_path: Path, opened_drafts: list[Path]) -> Iterator[Services]:
    services = Services.open(
        f"sqlite:///{tmp_path / 'coreform.db'}",
        clock=lambda: CHRISTMAS_EVE,
        dispatcher=MailDispatcher(tmp_path / "drafts", open_draft=opened_drafts.append),
    )
    settings = services.get_settings()
    settings.me = Practitioner(
        name="Sam Patel", role="School nurse", agency="Riverside School", email="sam@school.example"
    )
    services.save_settings(settings)
    yield services
    services.close()


@pytest.fixture
def window(qtbot: QtBot, ui_services: Services, tmp_path: Path) -> Iterator[MainWindow]:
    built = start_window(
        ui_services, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(built)
    built.show()
    qtbot.waitExposed(built)
    built.activateWindow()
    yield built
    built.editor.finish_saving()


@pytest.fixture
def doubled_text() -> Iterator[float]:
    """The user's 200% text, set before the window exists as a system setting would be; yields
    the usual point size."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original = app.font()
    doubled = app.font()
    doubled.setPointSizeF(original.pointSizeF() * 2)
    app.setFont(doubled)
    yield original.pointSizeF()
    app.setFont(original)


def close_main_window_when_shown() -> None:
    """Closes the window a real start-up (`ui.app.run`) shows, so its event loop returns."""
    # Earlier tests may leave hidden windows behind: close only the one this start-up showed.
    shown = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
    ]
    if shown:
        shown[0].close()
    else:
        QTimer.singleShot(20, close_main_window_when_shown)


def when_dialog_opens(handler: Callable[[QDialog], None]) -> None:
    """Runs `handler` on the next modal dialog once it is open, so tests never block on exec()."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            handler(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


def press_when_asked(qtbot: QtBot, button_text: str, asked: list[str]) -> None:
    """On the next message box, notes its question in `asked` and presses `button_text`."""

    def handler(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox)
        asked.append(dialog.text())
        button = next(b for b in dialog.buttons() if b.text() == button_text)
        assert isinstance(button, QPushButton)
        click(qtbot, button)

    when_dialog_opens(handler)


def choose_file_when_asked(path: Path) -> None:
    """Chooses `path` in the next file dialog, as the user would."""

    def handler(dialog: QDialog) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(path))
        dialog.accept()

    when_dialog_opens(handler)
