"""Help: F1 opens the guide for the user's role, and every guide names only what exists."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QGroupBox,
    QLabel,
    QListWidget,
    QTabWidget,
    QWidget,
)

from coreform import connection
from coreform.records import Role
from coreform.resources import resource_path
from coreform.services import Services
from tests.qtbot import QtBot
from tests.ui.conftest import when_dialog_opens
from ui.app import start_window
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.setup_wizard import SetupWizard
from ui.dialogs.shared_database import SharedDatabaseDialog
from ui.help import GUIDES, HelpDialog

# What a guide may bold: the window's own words (pages, buttons, menus, boxes), never a feature
# that is not there. "Settings → Timescales" is checked part by part.
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def texts_of(widget: QWidget) -> set[str]:
    found: set[str] = set()
    for child in widget.findChildren(QWidget):
        if isinstance(child, QAbstractButton | QLabel):
            found.add(child.text())
        if isinstance(child, QGroupBox):
            found.add(child.title())
        if isinstance(child, QListWidget):
            found.update(child.item(row).text() for row in range(child.count()))
        if isinstance(child, QTabWidget):
            found.update(child.tabText(index) for index in range(child.count()))
    found.update(action.text() for action in widget.findChildren(QAction))
    return {re.sub(r"&(?=\w)", "", text).strip() for text in found if text}


def ini(folder: Path) -> QSettings:
    return QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat)


def test_f1_opens_the_guide_for_my_role(
    qtbot: QtBot, ui_services: Services, tmp_path: Path
) -> None:
    settings = ui_services.get_settings()
    settings.role = Role.KEY_WORKER
    ui_services.save_settings(settings)
    window = start_window(
        ui_services, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)  # shortcuts reach the active window only
    shown: list[str] = []

    def read_and_close(dialog: QDialog) -> None:
        assert isinstance(dialog, HelpDialog)
        shown.append(dialog.choice.currentText())
        shown.append(dialog.text.toPlainText())
        dialog.reject()

    when_dialog_opens(read_and_close)
    qtbot.keyClick(window, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: len(shown) == 2)
    assert shown[0] == "Key worker's guide"
    assert "Receiving records" in shown[1]
    # The home page follows the role chosen at set-up.
    assert window.stack.currentWidget() is window.caseload


def test_every_guide_names_only_what_the_window_shows(
    qtbot: QtBot, ui_services: Services, tmp_path: Path
) -> None:
    window = start_window(
        ui_services, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    # The window builds each page the first time it is shown: every page, built now.
    pages = (
        window.my_records,
        window.new_record,
        window.editor,
        window.record_view,
        window.families,
        window.chronology,
        window.outbox,
        window.settings_page,
        window.caseload,
        window.plan_page,
        window.minutes.editor,
        window.administration,
        window.audit_trail,
    )
    assert all(page is not None for page in pages)
    dialogs: list[QWidget] = [
        SetupWizard(ui_services),
        FirstRunDialog(tmp_path / "new"),
        SharedDatabaseDialog(connection.load_config()),
    ]
    shown = texts_of(window)
    for dialog in dialogs:
        qtbot.addWidget(dialog)
        shown |= texts_of(dialog)
    missing = []
    for _role, _title, file_name in GUIDES:
        guide = resource_path("help", file_name).read_text(encoding="utf-8")
        for term in _BOLD.findall(guide):
            for part in term.split(" → "):
                if not any(part.rstrip("…") in text for text in shown):
                    missing.append(f"{file_name}: {part}")
    assert missing == [], "\n".join(missing)
