"""Settings → Shared database: an administrator points this computer at the team's server.

"Test connection" runs in a worker thread (a server that does not answer takes seconds); the
choice is saved to connection.json and the password to the OS keyring, used from the next start.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from coreform import connection
from coreform.connection import ConnectionConfig, Mode, SharedDatabase, SslMode
from coreform.services import CoreformError
from ui.accessibility import MessageLabel
from ui.pages.banner import heading_label, problem_label
from ui.workers import BackgroundJobs

_SECURITY_CHOICES = (
    ("Encrypted, server's certificate checked (recommended)", SslMode.VERIFY_FULL),
    ("Encrypted, server not checked (not recommended)", SslMode.REQUIRE),
    ("Not encrypted (a server on this computer only)", SslMode.DISABLE),
)


def security_index(mode: SslMode) -> int:
    """The security list's row for `mode` (Qt item data turns the enum into a plain str)."""
    return [choice for _text, choice in _SECURITY_CHOICES].index(mode)


NEXT_START = "Saved. coreform uses it the next time it starts."


class SharedDatabaseDialog(QDialog):
    tested = Signal(bool, str)

    def __init__(self, config: ConnectionConfig, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Shared database")
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        title = heading_label("Where this computer keeps records", self)
        layout.addWidget(title)
        self.local = QRadioButton("On this computer, in the encrypted file", self)
        self.shared = QRadioButton("On the team's shared database server", self)
        modes = QButtonGroup(self)
        for button in (self.local, self.shared):
            modes.addButton(button)
            layout.addWidget(button)
        (self.shared if config.mode is Mode.SHARED else self.local).setChecked(True)
        self.details = QWidget(self)
        form = QFormLayout(self.details)
        details = config.shared
        self.host = QLineEdit(details.host, self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(details.port)
        self.database = QLineEdit(details.database, self)
        self.user = QLineEdit(details.user, self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText("Leave empty to keep the one saved on this computer")
        self.security = QComboBox(self)
        self.security.addItems([text for text, _mode in _SECURITY_CHOICES])
        self.security.setCurrentIndex(security_index(details.sslmode))
        self.certificate = QLineEdit(details.sslrootcert, self)
        self.choose_button = QPushButton("Choose…", self)
        certificate_row = QHBoxLayout()
        certificate_row.addWidget(self.certificate, 1)
        certificate_row.addWidget(self.choose_button)
        rows: tuple[tuple[str, QWidget | QHBoxLayout], ...] = (
            ("&Server name", self.host),
            ("P&ort", self.port),
            ("&Database name", self.database),
            ("&User name", self.user),
            ("&Password", self.password),
            ("S&ecurity", self.security),
            ("Organisation's &certificate file", certificate_row),
        )
        for text, field in rows:
            label = QLabel(f"{text}:", self)
            buddy = self.certificate if isinstance(field, QHBoxLayout) else field
            label.setBuddy(buddy)
            buddy.setAccessibleName(text.replace("&", ""))
            form.addRow(label, field)
        layout.addWidget(self.details)
        self.warning = problem_label(self)
        layout.addWidget(self.warning)
        self.status = MessageLabel(self)
        self.status.setText("Changes take effect the next time coreform starts.")
        layout.addWidget(self.status)
        buttons = QHBoxLayout()
        self.test_button = QPushButton("Test connection", self)
        buttons.addWidget(self.test_button)
        buttons.addStretch(1)
        self.cancel_button = QPushButton("Cancel", self)
        self.save_button = QPushButton("Save", self)
        self.save_button.setDefault(True)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        layout.addLayout(buttons)
        self._jobs = BackgroundJobs(self)
        self.local.toggled.connect(self._update)
        self.security.currentIndexChanged.connect(self._update)
        self.choose_button.clicked.connect(self._choose_certificate)
        self.test_button.clicked.connect(self.test_connection)
        self.cancel_button.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self._update()

    def value(self) -> SharedDatabase:
        return SharedDatabase(
            host=self.host.text().strip(),
            port=self.port.value(),
            database=self.database.text().strip(),
            user=self.user.text().strip(),
            sslmode=_SECURITY_CHOICES[max(self.security.currentIndex(), 0)][1],
            sslrootcert=self.certificate.text().strip(),
        )

    def _update(self) -> None:
        self.details.setEnabled(self.shared.isChecked())
        self.test_button.setEnabled(self.shared.isChecked())
        self.warning.setText(self.value().security_warning() if self.shared.isChecked() else "")

    def _choose_certificate(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Organisation's certificate file", "", "Certificates (*.pem *.crt *.cer)"
        )
        if path:
            self.certificate.setText(path)

    def _password(self, shared: SharedDatabase) -> str | None:
        """What was typed, else the password saved on this computer for these details."""
        return self.password.text() or connection.read_password(shared)

    def test_connection(self) -> None:
        shared = self.value()
        problems = shared.problems()
        if problems:
            self.warning.setText(" ".join(problems))
            return
        try:
            password = self._password(shared)
        except CoreformError as error:
            self.warning.setText(str(error))
            return
        self.test_button.setEnabled(False)
        self.status.setText(f"Connecting to {shared.place}…")
        self._jobs.run(
            lambda: connection.check_connection(shared, password),
            done=lambda answer: self._on_tested(True, answer),
            failed=lambda error: self._on_tested(False, str(error)),
            what="The connection test",
        )

    def _on_tested(self, ok: bool, message: str) -> None:
        self.test_button.setEnabled(self.shared.isChecked())
        self.status.setText(message)
        self.warning.setText("" if ok else self.value().security_warning())
        self.tested.emit(ok, message)

    def save(self) -> None:
        shared = self.value()
        config = ConnectionConfig(Mode.SHARED if self.shared.isChecked() else Mode.LOCAL, shared)
        try:
            if config.mode is Mode.SHARED and not self._password(shared):
                self.warning.setText("Enter the password for the shared database.")
                return
            connection.save_config(config)
            if config.mode is Mode.SHARED and self.password.text():
                connection.save_password(shared, self.password.text())
        except CoreformError as error:
            self.warning.setText(str(error))
            return
        self.status.setText(NEXT_START)
        self.accept()

    def done(self, result: int) -> None:
        self._jobs.wait()  # the test job reports to this dialog: let it finish first
        super().done(result)

    @classmethod
    def run(cls, parent: QWidget | None = None) -> bool:
        """True when the administrator saved a change (it applies from the next start)."""
        try:
            config = connection.load_config()
        except CoreformError:
            config = ConnectionConfig()  # a damaged file is replaced by what is saved now
        dialog = cls(config, parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
