"""Create account… and Reset password…: a new password typed twice, checked before it is sent."""

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

from coreform.services import Account, CoreformError, Services
from ui.dialogs.modal import run_modal
from ui.models.administration_tables import ROLE_TEXT
from ui.pages.banner import problem_label
from ui.pages.field_inputs import ChoiceCombo


class AccountFormDialog(QDialog):
    """With `user_name` None it creates an account; otherwise it resets that account's password."""

    def __init__(
        self, services: Services, user_name: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._user_name = user_name
        self.account: Account | None = None
        creating = user_name is None
        self.setWindowTitle("Create account" if creating else f"Reset password for {user_name}")
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 60)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.user_name = QLineEdit(self)
        self.display_name = QLineEdit(self)
        self.role = ChoiceCombo([(text, role) for role, text in ROLE_TEXT.items()], self)
        self.password = QLineEdit(self)
        self.again = QLineEdit(self)
        for field in (self.password, self.again):
            field.setEchoMode(QLineEdit.EchoMode.Password)
        rows: list[tuple[str, QWidget]] = [
            ("&User name", self.user_name),
            ("&Full name", self.display_name),
            ("&Role", self.role),
        ]
        if not creating:
            rows = []
            for widget in (self.user_name, self.display_name, self.role):
                widget.hide()
        rows += [("New &password" if not creating else "&Password", self.password)]
        rows += [("Password &again", self.again)]
        for text, editor in rows:
            label = QLabel(f"{text}:", self)
            label.setBuddy(editor)
            editor.setAccessibleName(text.replace("&", ""))
            form.addRow(label, editor)
        layout.addLayout(form)
        note = QLabel(
            "At least 8 characters. Give it to the person face to face or by phone, never by "
            "email; they can sign in with it at once."
            + ("" if creating else " A locked account is unlocked too."),
            self,
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        self.problem = problem_label(self)
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(
            "Create account" if creating else "Set password", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.try_save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def try_save(self) -> None:
        if self.password.text() != self.again.text():
            self._refuse("The two passwords differ. Type the same password twice.")
            return
        try:
            if self._user_name is None:
                self.account = self._services.create_account(
                    self.user_name.text(),
                    self.password.text(),
                    self.role.value(),
                    display_name=self.display_name.text().strip(),
                )
            else:
                self.account = self._services.reset_password(self._user_name, self.password.text())
        except CoreformError as error:
            self._refuse(str(error))
            return
        self.accept()

    def _refuse(self, message: str) -> None:
        self.problem.setText(message)
        self.again.clear()
        self.again.setFocus()

    @classmethod
    def run(
        cls, services: Services, user_name: str | None, parent: QWidget | None = None
    ) -> Account | None:
        """The created or changed account, or None when the user cancelled."""
        return run_modal(cls(services, user_name, parent), lambda dialog: dialog.account)
