"""The mail part of Settings: how records are sent, the server, and the passwords (OS keyring)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from coreform.outbox import Transport
from coreform.records import Practitioner
from coreform.services import CoreformError, Services
from coreform.settings import MailSecurity, MailSettings, PdfProtection, UserSettings
from coreform.validation import Problem
from ui.accessibility import MessageLabel, name_input
from ui.pages.banner import problem_label
from ui.pages.field_inputs import ChoiceCombo
from ui.pages.form_fields import problem_text
from ui.workers import BackgroundJobs

SEND_METHODS = (
    ("Open in my email program (a draft you send yourself)", Transport.EML),
    ("Send through the mail server (SMTP)", Transport.SMTP),
)
SECURITY = (
    ("STARTTLS (recommended, usually port 587)", MailSecurity.STARTTLS),
    ("TLS from the start (usually port 465)", MailSecurity.TLS),
    ("No encryption (only if your administrator allows it)", MailSecurity.PLAIN),
)
PROTECTION = (
    ("No password on the PDF", PdfProtection.NONE),
    ("The organisation's password (saved on this computer)", PdfProtection.ORGANISATION),
    ("Ask me for a password each time I submit", PdfProtection.ASK),
)


class MailSettingsForm(QGroupBox):
    """Edits `MailSettings`; passwords go straight to the OS keyring, never to the database."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__("Sending records by email", parent)
        self._services = services
        self._allow_plain = False
        form = QFormLayout(self)
        self.method = ChoiceCombo(SEND_METHODS, self)
        self.host = QLineEdit(self)
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.security = ChoiceCombo(SECURITY, self)
        self.username = QLineEdit(self)
        self.from_address = QLineEdit(self)
        self.from_address.setPlaceholderText("Empty: your own email above")
        self.timeout = QSpinBox(self)
        self.timeout.setRange(5, 300)
        self.timeout.setSuffix(" seconds")
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.save_password_button = QPushButton("Save mail password", self)
        self.save_password_button.clicked.connect(self._save_mail_password)
        self.protection = ChoiceCombo(PROTECTION, self)
        self.pdf_password = QLineEdit(self)
        self.pdf_password.setEchoMode(QLineEdit.EchoMode.Password)
        self.save_pdf_password_button = QPushButton("Save PDF password", self)
        self.save_pdf_password_button.clicked.connect(self._save_pdf_password)
        self.test_button = QPushButton("Send a test message", self)
        self.test_button.setToolTip("Sends a message with no record in it to your own address.")
        self.test_button.clicked.connect(self.send_test_message)
        self._jobs = BackgroundJobs(self)
        # Whose address the test goes to: my saved details unless set (the set-up wizard's).
        self.me_source: Callable[[], Practitioner] | None = None
        self.status = MessageLabel(self)
        rows: tuple[tuple[str, QWidget, QPushButton | None], ...] = (
            ("How to send", self.method, None),
            ("Mail server", self.host, None),
            ("Port", self.port, None),
            ("Security", self.security, None),
            ("User name", self.username, None),
            ("From address", self.from_address, None),
            ("Give up waiting after", self.timeout, None),
            ("Mail password", self.password, self.save_password_button),
            ("PDF protection", self.protection, None),
            ("Organisation's PDF password", self.pdf_password, self.save_pdf_password_button),
        )
        self._questions: dict[QWidget, str] = {}
        for text, editor, button in rows:
            label = QLabel(f"{text}:", self)
            label.setBuddy(editor)
            name_input(editor, text)
            self._questions[editor] = text
            if button is None:
                form.addRow(label, editor)
                continue
            button.setAccessibleName(button.text())
            line = QHBoxLayout()
            line.addWidget(editor, 1)
            line.addWidget(button)
            form.addRow(label, line)
        form.addRow(self.test_button)
        form.addRow(self.status)
        self.problem = problem_label(self)
        form.addRow(self.problem)
        self._checked = {"mail.smtp_host": self.host, "mail.username": self.username}
        self._checked["mail.from_address"] = self.from_address
        self.method.currentIndexChanged.connect(self._enable)
        self.protection.currentIndexChanged.connect(self._enable)
        self.security.currentIndexChanged.connect(self._enable)

    def load(self, mail: MailSettings) -> None:
        self._allow_plain = mail.allow_plain
        self.method.set_value(mail.send_method)
        self.host.setText(mail.smtp_host)
        self.port.setValue(mail.smtp_port)
        self.security.set_value(mail.security)
        self.username.setText(mail.username)
        self.from_address.setText(mail.from_address)
        self.timeout.setValue(round(mail.timeout_seconds))
        self.protection.set_value(mail.pdf_protection)
        self.password.clear()
        self.pdf_password.clear()
        self.status.clear()
        self._enable()

    def show_problems(self, problems: list[Problem]) -> QWidget | None:
        """Marks the fields `problems` are about (`mail.from_address`…); the first one, if any."""
        first: QWidget | None = None
        for key, widget in self._checked.items():
            messages = [p.message for p in problems if p.field == key]
            name_input(widget, self._questions[widget], invalid=" ".join(messages))
            if messages and first is None:
                first = widget
        self.problem.setText(" ".join(problem_text(p) for p in problems))
        return first

    def value(self, mail: MailSettings) -> MailSettings:
        """`mail` with what is typed here; `allow_plain` is left as the administrator set it."""
        security = self.security.value()
        if security is MailSecurity.PLAIN and not self._allow_plain:
            security = MailSecurity.STARTTLS
        return dataclasses.replace(
            mail,
            send_method=self.method.value(),
            smtp_host=self.host.text().strip(),
            smtp_port=self.port.value(),
            security=security,
            username=self.username.text().strip(),
            from_address=self.from_address.text().strip(),
            timeout_seconds=float(self.timeout.value()),
            pdf_protection=self.protection.value(),
        )

    def _enable(self) -> None:
        smtp = self.method.value() is Transport.SMTP
        for widget in (
            self.host,
            self.port,
            self.security,
            self.username,
            self.from_address,
            self.timeout,
            self.password,
            self.save_password_button,
            self.test_button,
        ):
            widget.setEnabled(smtp)
        organisation = self.protection.value() is PdfProtection.ORGANISATION
        self.pdf_password.setEnabled(organisation)
        self.save_pdf_password_button.setEnabled(organisation)
        if self.security.value() is MailSecurity.PLAIN and not self._allow_plain:
            self.status.setText(
                "Sending without encryption is switched off; only an administrator can allow "
                "it. STARTTLS will be used."
            )

    def send_test_message(self) -> None:
        """Sends through the server as typed here (the typed password, else the saved one)."""
        settings = self._services.get_settings()
        mail = self.value(settings.mail)
        me = self.me_source() if self.me_source is not None else settings.me
        typed = self.password.text() or None
        self.test_button.setEnabled(False)
        self.status.setText("Sending a test message…")
        self._jobs.run(
            lambda: self._services.send_test_message(mail, typed, me=me),
            done=self._test_sent,
            failed=self._test_failed,
            what="Sending a test message",
        )

    def _test_sent(self, to: str) -> None:
        self.test_button.setEnabled(True)
        self.status.setText(f"The mail server accepted a test message to {to}.")

    def _test_failed(self, error: CoreformError) -> None:
        self.test_button.setEnabled(True)
        self.status.setText(f"The test message was not sent: {error}")

    def _save_mail_password(self) -> None:
        self._save_secret(self.password, self._services.save_mail_password, "Mail password")

    def _save_pdf_password(self) -> None:
        self._save_secret(
            self.pdf_password, self._services.save_organisation_pdf_password, "PDF password"
        )

    def _save_secret(self, field: QLineEdit, save: Callable[[str], None], what: str) -> None:
        if not field.text():
            self.status.setText(f"Type the {what.lower()} first.")
            return
        try:
            # The keyring entry is named from the server and user name, so save those first.
            self._services.save_settings(self._with_mail())
            save(field.text())
        except CoreformError as error:
            self.status.setText(f"{what} not saved: {error}")
            return
        field.clear()
        self.status.setText(f"{what} saved in this computer's password store.")

    def _with_mail(self) -> UserSettings:
        settings = self._services.get_settings()
        settings.mail = self.value(settings.mail)
        return settings
