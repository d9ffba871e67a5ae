"""Every editor input has a visible label and an accessible name, Tab reaches each one in visual
order, and at 200% text nothing is clipped."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTextEdit,
    QWidget,
)

from coreform.records import Setting
from coreform.services import Services
from tests.qtbot import QtBot
from tests.ui.helpers import answer, click, focus, tab, type_into
from ui.app import start_window
from ui.main_window import MainWindow
from ui.pages.record_editor import RecordEditor

INPUT_TYPES = (
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QDateTimeEdit,
    QComboBox,
    QRadioButton,
    QCheckBox,
    QAbstractSpinBox,
)


def _inputs(editor: RecordEditor) -> list[QWidget]:
    return [w for w in editor.form.findChildren(QWidget) if isinstance(w, INPUT_TYPES)]


def _reveal_everything(qtbot: QtBot, editor: RecordEditor, setting: Setting) -> None:
    """Answers that show every conditional question: two children, one of them a baby."""
    type_into(qtbot, editor.rows["visit_date"], "24/12/2026")
    answer(qtbot, editor.rows["setting"], setting.label)
    answer(qtbot, editor.rows["immediate_concerns"], "Yes")
    answer(qtbot, editor.rows["parents_informed"], "No")
    answer(qtbot, editor.rows["copy_to_parents"], "No")
    click(qtbot, editor.add_child_button)
    click(qtbot, editor.add_child_button)
    older, baby = editor.panels()
    type_into(qtbot, older.rows["child.date_of_birth"], "01/09/2016")
    answer(qtbot, older.rows["seen"], "Yes")
    answer(qtbot, older.rows["seen_alone"], "No")
    type_into(qtbot, baby.rows["child.date_of_birth"], "01/10/2026")
    answer(qtbot, baby.rows["seen"], "Yes")
    qtbot.waitUntil(lambda: baby.rows["seen_awake"].isVisible())


@pytest.mark.parametrize("setting", [Setting.HOME, Setting.OTHER])
def test_every_input_is_named_and_reached_by_tab_in_visual_order(
    qtbot: QtBot, window: MainWindow, setting: Setting
) -> None:
    window.start_record(None)
    editor = window.editor
    _reveal_everything(qtbot, editor, setting)

    inputs = _inputs(editor)
    assert len(inputs) > 50
    for widget in inputs:
        assert widget.accessibleName().strip(), f"{widget!r} has no accessible name"
    # Every input has a visible label pointing at it (its buddy), except the second part of a
    # date-and-time pair, which shares its label and says "(time)" in its accessible name.
    buddies = {label.buddy() for label in editor.form.findChildren(QLabel) if label.buddy()}
    for widget in inputs:
        assert widget in buddies or widget.accessibleName().endswith("(time)"), (
            widget.accessibleName()
        )

    visible = [w for w in inputs if w.isVisible()]
    if setting is Setting.HOME:
        assert editor.panels()[0].rows["bedroom_seen"].inputs[0] in visible
    else:
        assert editor.rows["setting_other"].inputs[0] in visible
    assert editor.panels()[1].rows["seen_awake"].inputs[0] in visible
    assert editor.panels()[0].rows["not_seen_alone_reason"].inputs[0] in visible

    focus(qtbot, editor.rows["visit_date"].inputs[0])
    reached: list[QWidget] = [editor.rows["visit_date"].inputs[0]]
    for _ in range(len(visible) * 3):
        widget = tab(qtbot)
        if widget is reached[0]:
            break
        reached.append(widget)
    reached_inputs = [w for w in reached if w in visible]
    missing = [w.accessibleName() for w in visible if w not in reached_inputs]
    assert not missing, f"Tab never reaches: {missing}"
    # Tab order follows the visual order: top to bottom as laid out on the form.
    in_layout_order = [w for w in editor.focus_chain() if w in visible]
    assert reached_inputs == in_layout_order


def test_usable_at_200_percent_text(
    qtbot: QtBot, ui_services: Services, tmp_path: Path, doubled_text: float
) -> None:
    window = start_window(
        ui_services, QSettings(str(tmp_path / "big.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    qtbot.waitExposed(window)
    window.start_record(None)
    editor = window.editor
    _reveal_everything(qtbot, editor, Setting.HOME)
    click(qtbot, editor.submit_button)  # every inline mark and the refusal banner shown
    QApplication.processEvents()
    name = editor.rows["purpose"].label
    assert name.fontInfo().pointSizeF() >= doubled_text * 1.9
    for label in window.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        if label.wordWrap():
            needed = label.heightForWidth(label.width())
            assert label.height() >= needed, f"label clipped: {label.text()!r}"
        else:
            assert label.width() >= label.sizeHint().width(), f"cut: {label.text()!r}"
            assert label.height() >= label.sizeHint().height(), f"cut: {label.text()!r}"
    for widget in _inputs(editor):
        if widget.isVisible():
            assert widget.height() >= widget.minimumSizeHint().height(), widget.accessibleName()
    assert not window.nav.horizontalScrollBar().isVisible(), "navigation cut off"
    for button in (editor.submit_button, editor.save_button, editor.add_child_button):
        assert button.width() >= button.sizeHint().width(), button.text()
    window.close()
