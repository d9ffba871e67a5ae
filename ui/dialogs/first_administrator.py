"""A new shared database has no accounts yet: the first person makes the administrator's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from coreform.errors import CoreformError
from coreform.records import Role
from ui.dialogs.modal import action_row, run_modal
from ui.pages.banner import heading_label, problem_label

if TYPE_CHECKING:
    from coreform.services import Account, Services


class FirstAdministratorDialog(QDialog):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.account: Account | None = None
        self.setWindowTitle("Set up the shared database")
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        title = heading_label("Create the administrator account", self)
        layout.addWidget(title)
        intro = QLabel(
            "Nobody has used this shared database yet. Your account will be its administrator: "
            "you then add an account for each person in the team.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.user_name = QLineEdit(self)
        self.display_name = QLineEdit(self)
        self.password = QLineEdit(self)
        self.again = QLineEdit(self)
        for editor in (self.password, self.again):
            editor.setEchoMode(QLineEdit.EchoMode.Password)
        for text, editor in (
            ("&User name", self.user_name),
            ("Your &name", self.display_name),
            ("&Password", self.password),
            ("Password &again", self.again),
        ):
            label = QLabel(f"{text}:", self)
            label.setBuddy(editor)
            editor.setAccessibleName(text.replace("&", ""))
            form.addRow(label, editor)
        layout.addLayout(form)
        self.problem = problem_label(self)
        layout.addWidget(self.problem)
        buttons, self.quit_button, self.create_button = action_row(
            self, "Quit", "Create and sign in"
        )
        layout.addLayout(buttons)
        self.quit_button.clicked.connect(self.reject)
        self.create_button.clicked.connect(self.create_account)

    def create_account(self) -> None:
        if self.password.text() != self.again.text():
            self.problem.setText("The two passwords differ: type the same password twice.")
            return
        user_name, password = self.user_name.text(), self.password.text()
        try:
            self._services.create_account(
                user_name, password, Role.ADMINISTRATOR, display_name=self.display_name.text()
            )
            self.account = self._services.sign_in(user_name, password)
        except CoreformError as error:
            self.problem.setText(str(error))
            return
        self.accept()

    @classmethod
    def run(cls, services: Services, parent: QWidget | None = None) -> Account | None:
        """The new administrator, signed in; None when the user quit."""
        return run_modal(cls(services, parent), lambda dialog: dialog.account)
