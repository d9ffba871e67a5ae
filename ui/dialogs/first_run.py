"""First run: choose a passphrase, get the encrypted database and its printable recovery key."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coreform.limits import MIN_PASSPHRASE_LENGTH
from coreform.session import (
    OpenedDatabase,
    UnlockError,
    create_encrypted,
    passphrase_hint,
)
from ui.accessibility import MessageLabel, describe
from ui.dialogs.modal import action_row, run_modal
from ui.dialogs.remember import remember_option
from ui.pages.banner import heading_label, problem_label

KEEP_IT_SAFE = (
    "This recovery key opens your records if you forget the passphrase. Write it down or print "
    "it, and keep it locked away from this computer. It is shown only now; nobody, not even IT, "
    "can recover your records without the passphrase or this key."
)


class FirstRunDialog(QDialog):
    """Two steps: the passphrase (twice), then the recovery key to write down."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._folder = folder
        self.opened: OpenedDatabase | None = None
        self.setWindowTitle("Welcome to coreform")
        self.setMinimumWidth(560)
        self.steps = QStackedWidget(self)
        self.steps.addWidget(self._passphrase_step())
        self.steps.addWidget(self._recovery_step())
        layout = QVBoxLayout(self)
        layout.addWidget(self.steps)

    def _passphrase_step(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addWidget(heading_label("Protect your records", page))
        intro = QLabel(
            "coreform keeps your records encrypted on this computer. Choose a passphrase to "
            f"open them, at least {MIN_PASSPHRASE_LENGTH} characters long. You will type it "
            "each time you open coreform, unless you let this computer remember it.",
            page,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.passphrase = QLineEdit(page)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName("Passphrase")
        self.again = QLineEdit(page)
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName("Passphrase again")
        for text, editor in (("Passphrase", self.passphrase), ("Type it again", self.again)):
            label = QLabel(f"&{text}:", page)
            label.setBuddy(editor)
            form.addRow(label, editor)
        layout.addLayout(form)
        self.hint = MessageLabel(page)
        self.hint.setText(passphrase_hint(""))
        describe(self.hint, "Passphrase strength")
        layout.addWidget(self.hint)
        self.problem = problem_label(page)
        layout.addWidget(self.problem)
        layout.addStretch(1)
        buttons, self.cancel_button, self.create_button = action_row(
            page, "Quit", "Create my encrypted records"
        )
        layout.addLayout(buttons)
        self.passphrase.textChanged.connect(self._show_hint)
        self.again.textChanged.connect(self.problem.clear)
        self.cancel_button.clicked.connect(self.reject)
        self.create_button.clicked.connect(self.create_database)
        return page

    def _recovery_step(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.addWidget(heading_label("Write down your recovery key", page))
        explain = QLabel(KEEP_IT_SAFE, page)
        explain.setWordWrap(True)
        layout.addWidget(explain)
        # Its text is its accessible name; a Tab stop, so a screen reader user reaches it.
        self.recovery_key = QLabel(page)
        describe(self.recovery_key, "Your recovery key: 12 groups of 4 letters and digits")
        self.recovery_key.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.recovery_key.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.recovery_key.setAlignment(Qt.AlignmentFlag.AlignCenter)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(mono.pointSizeF() * 1.4)
        mono.setWeight(QFont.Weight.Bold)
        self.recovery_key.setFont(mono)
        self.recovery_key.setStyleSheet(
            "QLabel { border: 1px solid #8a8886; padding: 12px; background: #ffffff; }"
        )
        layout.addWidget(self.recovery_key)
        self.copy_button = QPushButton("Copy the key as text, to print it", page)
        copy_row = QHBoxLayout()
        copy_row.addStretch(1)
        copy_row.addWidget(self.copy_button)
        layout.addLayout(copy_row)
        self.copied = MessageLabel(page)
        layout.addWidget(self.copied)
        self.written_down = QCheckBox("I have written down or printed the recovery key", page)
        layout.addWidget(self.written_down)
        self.remember = remember_option(
            page,
            layout,
            "coreform then opens without the passphrase while you are signed in to this "
            "computer. Leave it off on a shared computer.",
        )
        self.remember_problem = problem_label(page)
        layout.addWidget(self.remember_problem)
        layout.addStretch(1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.continue_button = QPushButton("Open coreform", page)
        self.continue_button.setEnabled(False)
        buttons.addWidget(self.continue_button)
        layout.addLayout(buttons)
        self.written_down.toggled.connect(self.continue_button.setEnabled)
        self.copy_button.clicked.connect(self._copy)
        self.continue_button.clicked.connect(self.finish)
        return page

    def _show_hint(self, text: str) -> None:
        self.hint.setText(passphrase_hint(text))
        self.problem.clear()  # about the passphrase as it was, not as it is now

    def create_database(self) -> None:
        if self.passphrase.text() != self.again.text():
            self.problem.setText("The two passphrases differ. Type the same one twice.")
            self.again.setFocus()
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.opened = create_encrypted(self._folder, self.passphrase.text())
        except UnlockError as error:
            self.problem.setText(str(error))
            return
        finally:
            QApplication.restoreOverrideCursor()
        self.passphrase.clear()
        self.again.clear()
        self.recovery_key.setText(_in_lines(self.opened.recovery_key))
        # The dialog was sized for the empty key: grow it so every line of the key shows.
        self.recovery_key.setMinimumHeight(self.recovery_key.sizeHint().height())
        self.steps.setCurrentIndex(1)
        self._fit()
        self.recovery_key.setFocus()  # read out first, before the tick box that confirms it

    def _copy(self) -> None:
        if self.opened is not None:
            QGuiApplication.clipboard().setText(self.opened.recovery_key)
            self.copied.setText("Copied. Paste it where you print from, then delete it there.")

    def finish(self) -> None:
        if self.opened is None or not self.written_down.isChecked():
            return
        if self.remember.isChecked():
            try:
                self.opened.remember()
            except UnlockError as error:
                self.remember.setChecked(False)
                self.remember_problem.setText(str(error))
                self._fit()
                return
        self.accept()

    def _fit(self) -> None:
        """Tall enough for the wrapped text at its width: a window shorter than its content
        lays the "Copy" button over the recovery key (Qt sizes windows without wrapping)."""
        self.adjustSize()
        layout = self.layout()
        assert layout is not None
        needed = layout.totalHeightForWidth(self.width())
        self.setMinimumHeight(needed)
        self.resize(self.width(), max(self.height(), needed))

    def reject(self) -> None:
        # Once the database exists the only way on is through the recovery key step.
        if self.opened is None:
            super().reject()

    @classmethod
    def run(cls, folder: Path, parent: QWidget | None = None) -> OpenedDatabase | None:
        """The new database, or None when the user quit before creating it."""
        return run_modal(cls(folder, parent), lambda dialog: dialog.opened)


def _in_lines(recovery_key: str) -> str:
    """Twelve groups of four, as three lines of four groups: easier to copy by hand."""
    groups = recovery_key.split("-")
    return "\n".join("  ".join(groups[i : i + 4]) for i in range(0, len(groups), 4))
