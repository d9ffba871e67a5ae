"""Asks why a submitted record is being amended: the reason is required and kept with it."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from ui.accessibility import name_input
from ui.dialogs.modal import run_modal
from ui.pages.banner import problem_label

REASON = "Reason for the amendment"


class AmendReasonDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, *, minutes: bool = False) -> None:
        super().__init__(parent)
        # The same question for a monitoring record and for core group minutes (issue 14).
        what, verb, done = (
            ("these minutes", "do", "finalised")
            if minutes
            else ("this record", "does", "submitted")
        )
        self.setWindowTitle(f"Amend {what}")
        layout = QVBoxLayout(self)
        label = QLabel(
            f"Why {verb} {what} need changing? The {done} version is kept, and the reason is "
            "shown with the amendment.",
            self,
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        name_input(self.reason, REASON, required=True)
        label.setBuddy(self.reason)
        layout.addWidget(self.reason)
        self.error = problem_label(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(self)
        self.amend_button = buttons.addButton("Amend", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self._accept_if_given)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _accept_if_given(self) -> None:
        if not self.reason.toPlainText().strip():
            self.error.setText("Error: give the reason for the amendment.")
            name_input(self.reason, REASON, required=True, invalid=self.error.text())
            self.reason.setFocus()
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget, *, minutes: bool = False) -> str | None:
        """Runs the dialog; the reason, or None when cancelled."""
        return run_modal(
            cls(parent, minutes=minutes), lambda dialog: dialog.reason.toPlainText().strip()
        )
