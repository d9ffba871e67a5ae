"""Asks the sender for a password for this record's PDF, and says how to pass it on."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.modal import run_modal
from ui.pages.banner import problem_label

REMINDER = (
    "Give this password to the key worker (and the parents/carers, if they get a copy) by "
    "phone or another channel. It is never sent by email."
)
SAVED_REMINDER = "Keep the password apart from the file: anyone who has both can read the record."
MIN_LENGTH = 8


class PdfPasswordDialog(QDialog):
    """`optional`: a PDF saved where the organisation does not require a password; both boxes
    left empty save it without one."""

    def __init__(
        self, parent: QWidget | None = None, *, optional: bool = False, action: str = ""
    ) -> None:
        super().__init__(parent)
        self._optional = optional
        self.setWindowTitle("Password for the PDF")
        self.setMinimumWidth(440)  # the explanations read in two or three lines, not six
        layout = QVBoxLayout(self)
        intro = QLabel(
            (
                "You can protect this PDF with a password (at least "
                f"{MIN_LENGTH} characters). Leave both boxes empty to save it without one."
            )
            if optional
            else (
                "Your organisation protects every PDF with a password. Choose one for this "
                f"record (at least {MIN_LENGTH} characters)."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("PDF password")
        self.again = QLineEdit(self)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("PDF password again")
        for text, editor in (("Password", self.password), ("Type it again", self.again)):
            label = QLabel(f"{text}:", self)
            label.setBuddy(editor)
            form.addRow(label, editor)
        layout.addLayout(form)
        reminder = QLabel(SAVED_REMINDER if optional else REMINDER, self)
        reminder.setWordWrap(True)
        layout.addWidget(reminder)
        self.problem = problem_label(self)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(action or "Protect and send")
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if self._optional and not self.password.text() and not self.again.text():
            self.accept()
        elif len(self.password.text()) < MIN_LENGTH:
            self.problem.setText(f"The password needs at least {MIN_LENGTH} characters.")
        elif self.password.text() != self.again.text():
            self.problem.setText("The two passwords differ. Type the same one twice.")
        else:
            self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, *, optional: bool = False, action: str = "") -> str | None:
        """The chosen password ("" for none, when optional), or None when the user cancelled."""
        dialog = cls(parent, optional=optional, action=action)
        return run_modal(dialog, lambda chosen: chosen.password.text())
