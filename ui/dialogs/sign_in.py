"""Signing in to an installation with accounts: user name and password, locked after 6 failures."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from coreform.errors import CoreformError
from ui.dialogs.modal import action_row, run_modal
from ui.pages.banner import heading_label, problem_label

if TYPE_CHECKING:
    from coreform.services import Account, Services


class SignInDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.account: Account | None = None
        self.setWindowTitle("Sign in to coreform")
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        title = heading_label("Sign in", self)
        layout.addWidget(title)
        form = QFormLayout()
        self.user_name = QLineEdit(self)
        self.user_name.setAccessibleName("User name")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Password")
        for text, editor in (("&User name", self.user_name), ("&Password", self.password)):
            label = QLabel(f"{text}:", self)
            label.setBuddy(editor)
            form.addRow(label, editor)
        layout.addLayout(form)
        self.problem = problem_label(self)
        layout.addWidget(self.problem)
        buttons, self.quit_button, self.sign_in_button = action_row(self, "Quit", "Sign in")
        layout.addLayout(buttons)
        self.quit_button.clicked.connect(self.reject)
        self.sign_in_button.clicked.connect(self.try_sign_in)

    def try_sign_in(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.account = self._services.sign_in(self.user_name.text(), self.password.text())
        except CoreformError as error:
            self.problem.setText(str(error))
            self.password.clear()
            self.password.setFocus()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.accept()

    @classmethod
    def run(cls, services: Services, parent: QWidget | None = None) -> Account | None:
        """The signed-in account, or None when the user quit."""
        return run_modal(cls(services, parent), lambda dialog: dialog.account)
