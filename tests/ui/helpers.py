"""Driving the window as a user does: clicks, typing and the keyboard, never setters."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QListWidget, QWidget

from tests.qtbot import QtBot
from ui.pages.form_fields import FieldRow


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def click_item(qtbot: QtBot, view: QListWidget, text: str) -> None:
    """Clicks the first row whose text contains `text`."""
    for row in range(view.count()):
        item = view.item(row)
        if text in item.text():
            rect = view.visualItemRect(item)
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(
        f"no item with {text!r} in {[view.item(r).text() for r in range(view.count())]}"
    )


def click_row(qtbot: QtBot, view: QAbstractItemView, text: str) -> None:
    """Clicks the first row of a list's table whose first cell contains `text`."""
    model = view.model()
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if text in str(index.data()):
            rect = view.visualRect(index)
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    shown = [model.index(r, 0).data() for r in range(model.rowCount())]
    raise AssertionError(f"no row with {text!r} in {shown}")


def focus(qtbot: QtBot, widget: QWidget) -> None:
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget, timeout=2000)


def type_into(qtbot: QtBot, row: FieldRow, text: str, part: int = 0) -> None:
    """Clicks into the field (for dates: its part 0 = date, 1 = time) and types `text`."""
    widget = row.inputs[part]
    focus(qtbot, widget)
    qtbot.keyClicks(widget, text)


def type_here(qtbot: QtBot, text: str) -> None:
    """Types `text` where the focus is, as a user carries on typing."""
    current = QApplication.focusWidget()
    assert current is not None
    qtbot.keyClicks(current, text)


def answer(qtbot: QtBot, row: FieldRow, choice: str) -> None:
    """Chooses `choice` in a closed combo with the arrow keys, as a keyboard user would."""
    combo = row.inputs[0]
    assert isinstance(combo, QComboBox)
    focus(qtbot, combo)
    qtbot.keyClick(combo, Qt.Key.Key_Home)
    for _ in range(combo.count()):
        if combo.currentText() == choice:
            return
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == choice, f"{choice!r} not in {row.spec.label!r}"


def tab(qtbot: QtBot) -> QWidget:
    """Presses Tab on the focused widget; returns the widget that has the focus afterwards."""
    current = QApplication.focusWidget()
    assert current is not None
    qtbot.keyClick(current, Qt.Key.Key_Tab)
    after = QApplication.focusWidget()
    assert after is not None
    return after
