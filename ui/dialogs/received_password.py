"""Asks for the password of a protected PDF that was received (the sender gives it by phone)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QVBoxLayout, QWidget

from ui.dialogs.modal import action_row, run_modal
from ui.pages.banner import problem_label


class ReceivedPasswordDialog(QDialog):
    def __init__(self, file_name: str, wrong: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Password for a received PDF")
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"“{file_name}” is protected with a password. Type the password the sender gave "
            "you by phone or another channel.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.problem = problem_label(self)
        self.problem.setText(
            "That password did not open it. Check it with the sender and try again."
            if wrong
            else ""
        )
        self.problem.setVisible(wrong)
        layout.addWidget(self.problem)
        label = QLabel("&Password:", self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password for the received PDF")
        if wrong:
            self.password.setAccessibleDescription(self.problem.text())
        label.setBuddy(self.password)
        layout.addWidget(label)
        layout.addWidget(self.password)
        row, skip, self.open_button = action_row(self, "&Skip this file", "&Open")
        skip.clicked.connect(self.reject)
        self.open_button.clicked.connect(self._open)
        layout.addLayout(row)

    def _open(self) -> None:
        if self.password.text():
            self.accept()
        else:
            self.problem.setText("Type the password, or choose Skip this file.")
            self.problem.show()
            self.password.setFocus()

    @classmethod
    def ask(cls, file_name: str, wrong: bool, parent: QWidget | None) -> str | None:
        """The password typed, or None when the user skipped the file."""
        return run_modal(cls(file_name, wrong, parent), lambda dialog: dialog.password.text())
