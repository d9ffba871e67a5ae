"""Says what the sender of a received record must correct; the message goes by the outbox."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from ui.dialogs.modal import action_row, run_modal
from ui.pages.banner import problem_label

# The text typed -> "" when it was sent, else what to change (the dialog stays open).
Send = Callable[[str], str]


class HasIssuesDialog(QDialog):
    def __init__(self, reference: str, sender: str, send: Send, parent: QWidget | None = None):
        super().__init__(parent)
        self._send = send
        self.setWindowTitle(f"Record {reference} has issues")
        layout = QVBoxLayout(self)
        label = QLabel(
            f"What should {sender or 'the sender'} correct? They get an email naming record "
            f"{reference} and what you write here. Do not name the child: email can be read on "
            "its way. Their amendment, when you import it, closes this.",
            self,
        )
        label.setWordWrap(True)
        layout.addWidget(label)
        self.issues = QPlainTextEdit(self)
        self.issues.setTabChangesFocus(True)
        self.issues.setAccessibleName("What to correct")
        label.setBuddy(self.issues)
        layout.addWidget(self.issues)
        self.error = problem_label(self)
        layout.addWidget(self.error)
        row, cancel, self.send_button = action_row(self, "Cancel", "&Send to the sender")
        cancel.clicked.connect(self.reject)
        self.send_button.clicked.connect(self._try_send)
        layout.addLayout(row)
        self.issues.setMinimumHeight(self.fontMetrics().lineSpacing() * 6)
        self.issues.textChanged.connect(self.error.clear)
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 70)

    def _try_send(self) -> None:
        problem = self._send(self.issues.toPlainText())
        if problem:
            self.error.setText(f"Error: {problem}")
            self.issues.setAccessibleDescription(self.error.text())
            self.issues.setFocus()
            return
        self.accept()

    @classmethod
    def ask(cls, reference: str, sender: str, send: Send, parent: QWidget) -> bool:
        """True when the request was queued, False when cancelled."""
        return bool(run_modal(cls(reference, sender, send, parent), lambda _dialog: True))
