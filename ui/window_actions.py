"""The main window's menu entries and keyboard shortcuts (Help → Keyboard shortcuts lists them
from here, in this order)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow

if TYPE_CHECKING:
    from ui.main_window import MainWindow


def add_file_menu(window: QMainWindow, choose_import: Callable[[], None]) -> QAction:
    """File → Import received records or minutes (Ctrl+I); returns that action."""
    file_menu = window.menuBar().addMenu("&File")
    import_action = QAction("&Import received records or minutes…", window)
    import_action.setShortcut(QKeySequence("Ctrl+I"))
    import_action.triggered.connect(choose_import)
    file_menu.addAction(import_action)
    return import_action


def add_shortcuts(window: MainWindow) -> None:
    """Keys that work anywhere in the window; each acts on the page shown, if it has the action."""
    actions: tuple[tuple[str, list[QKeySequence], Callable[[], None]], ...] = (
        ("New record", [QKeySequence("Ctrl+N")], window.show_new_record),
        ("Save draft", [QKeySequence("Ctrl+S")], lambda: _save_page_shown(window)),
        (
            "Submit record / finalise minutes",
            [QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")],
            lambda: _submit_page_shown(window),
        ),
        (
            "Move between the navigation and the page",
            [QKeySequence("F6"), QKeySequence("Shift+F6")],
            window.switch_pane,
        ),
    )
    for text, keys, slot in actions:
        action = QAction(text, window)
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        window.addAction(action)


def _save_page_shown(window: MainWindow) -> None:
    from ui.pages.families import FamiliesPage  # each loaded with its page, if it was shown
    from ui.pages.minutes_editor import MinutesEditor
    from ui.pages.record_editor import RecordEditor
    from ui.pages.settings_page import SettingsPage

    page = window.stack.currentWidget()
    if isinstance(page, RecordEditor | MinutesEditor):
        page.save_now()
    elif isinstance(page, FamiliesPage | SettingsPage):
        page.save()


def _submit_page_shown(window: MainWindow) -> None:
    from ui.pages.minutes_editor import MinutesEditor
    from ui.pages.record_editor import RecordEditor

    page = window.stack.currentWidget()
    if isinstance(page, RecordEditor):
        page.submit()
    elif isinstance(page, MinutesEditor):
        page.finalise()
