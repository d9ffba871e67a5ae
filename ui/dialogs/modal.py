"""What every coreform dialog does the same way: its Quit/Cancel-and-act row, and running it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QDialog, QHBoxLayout, QMessageBox, QPushButton, QWidget

DialogT = TypeVar("DialogT", bound=QDialog)
AnswerT = TypeVar("AnswerT")


def action_row(
    parent: QWidget, cancel_text: str, action_text: str
) -> tuple[QHBoxLayout, QPushButton, QPushButton]:
    """A right-aligned row: the way out, then the default action that Enter presses."""
    row = QHBoxLayout()
    row.addStretch(1)
    cancel = QPushButton(cancel_text, parent)
    action = QPushButton(action_text, parent)
    action.setDefault(True)
    row.addWidget(cancel)
    row.addWidget(action)
    return row, cancel, action


def run_modal(dialog: DialogT, answer: Callable[[DialogT], AnswerT]) -> AnswerT | None:
    """Runs `dialog` until it closes: `answer(dialog)` when accepted, None when the user
    cancelled or quit. The dialog is freed either way."""
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return answer(dialog)
    finally:
        dialog.deleteLater()


def confirm_destructive(parent: QWidget, title: str, text: str, action_text: str) -> bool:
    """Asks before something that cannot be undone; "Keep it" is the default (Enter keeps)."""
    box = QMessageBox(
        QMessageBox.Icon.Warning, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    act = box.addButton(action_text, QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("Keep it", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    confirmed = box.clickedButton() is act
    box.deleteLater()
    return confirmed
