"""Opening the encrypted records: the passphrase, or the printed recovery key instead."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coreform.session import (
    OpenedDatabase,
    UnlockError,
    unlock,
    unlock_with_recovery_key,
)
from ui.dialogs.modal import action_row, run_modal
from ui.dialogs.remember import remember_option
from ui.pages.banner import heading_label, problem_label


class UnlockDialog(QDialog):
    """A wrong passphrase is refused with what to do; nothing on disk changes."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._folder = folder
        self.opened: OpenedDatabase | None = None
        self._recovery = False
        self.setWindowTitle("Open coreform")
        self.setMinimumWidth(520)
        layout = QVBoxLayout(self)
        self.title = heading_label("Your records are locked", self)
        layout.addWidget(self.title)
        self.intro = QLabel(self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        form = QFormLayout()
        self.secret = QLineEdit(self)
        self.secret_label = QLabel(self)
        self.secret_label.setBuddy(self.secret)
        form.addRow(self.secret_label, self.secret)
        self.new_passphrase = QLineEdit(self)
        self.new_passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.new_passphrase.setAccessibleName("New passphrase")
        self.new_label = QLabel("&New passphrase (optional):", self)
        self.new_label.setBuddy(self.new_passphrase)
        form.addRow(self.new_label, self.new_passphrase)
        layout.addLayout(form)
        self.remember = remember_option(self, layout, "Leave it off on a shared computer.")
        self.problem = problem_label(self)
        layout.addWidget(self.problem)
        self.switch = QPushButton(self)
        self.switch.setFlat(True)
        self.switch.setCursor(Qt.CursorShape.PointingHandCursor)
        self.switch.setStyleSheet("QPushButton { color: #1d4f91; text-decoration: underline; }")
        buttons, self.quit_button, self.unlock_button = action_row(self, "Quit", "Open")
        buttons.insertWidget(0, self.switch)
        layout.addLayout(buttons)
        self.switch.clicked.connect(lambda: self.use_recovery_key(not self._recovery))
        self.quit_button.clicked.connect(self.reject)
        self.unlock_button.clicked.connect(self.try_unlock)
        self.use_recovery_key(False)

    def use_recovery_key(self, recovery: bool) -> None:
        self._recovery = recovery
        self.secret.clear()
        self.problem.clear()
        self.new_passphrase.setVisible(recovery)
        self.new_label.setVisible(recovery)
        if recovery:
            self.intro.setText(
                "Type the recovery key from the sheet you printed at first run (12 groups of "
                "4 letters and digits). If you forgot the passphrase, choose a new one too."
            )
            self.secret_label.setText("&Recovery key:")
            self.secret.setEchoMode(QLineEdit.EchoMode.Normal)
            self.secret.setAccessibleName("Recovery key")
            self.switch.setText("Use my passphrase instead")
        else:
            self.intro.setText("Type your coreform passphrase to open your records.")
            self.secret_label.setText("&Passphrase:")
            self.secret.setEchoMode(QLineEdit.EchoMode.Password)
            self.secret.setAccessibleName("Passphrase")
            self.switch.setText("Use recovery key instead")
        self.secret.setFocus()

    def try_unlock(self) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            if self._recovery:
                opened = unlock_with_recovery_key(self._folder, self.secret.text())
                if self.new_passphrase.text():
                    opened.set_passphrase(self.new_passphrase.text())
            else:
                opened = unlock(self._folder, self.secret.text())
            if self.remember.isChecked():
                opened.remember()
        except UnlockError as error:
            self.problem.setText(str(error))
            self.adjustSize()  # room for the whole message
            self.secret.selectAll()
            self.secret.setFocus()
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.opened = opened
        self.accept()

    @classmethod
    def run(cls, folder: Path, parent: QWidget | None = None) -> OpenedDatabase | None:
        """The unlocked database, or None when the user quit."""
        return run_modal(cls(folder, parent), lambda dialog: dialog.opened)
