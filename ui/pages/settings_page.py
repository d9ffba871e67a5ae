"""Settings: the user's nation (whose bank holidays count) and their own details for prefill."""

from __future__ import annotations

import copy
from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coreform.forms.model import Field, Kind
from coreform.forms.monitoring import MONITORING_FORM
from coreform.limits import MAX_IDLE_LOCK_MINUTES, MIN_IDLE_LOCK_MINUTES
from coreform.records import Role
from coreform.services import CoreformError, Services, UserSettings
from coreform.settings import settings_problems
from coreform.validation import Problem
from coreform.workdays import Nation
from ui.accessibility import MessageLabel, form_scroll_area
from ui.dialogs.shared_database import SharedDatabaseDialog
from ui.pages.banner import heading_label, problem_label
from ui.pages.form_fields import FieldRow, mark_problems, show_values, typed_values
from ui.pages.mail_settings import MailSettingsForm
from ui.pages.policy_setting import PolicySetting

SETTINGS_FIELDS = (
    Field(
        "nation",
        "Where do you work?",
        Kind.CHOICE,
        hint="Its bank holidays are not counted as working days.",
        choices=tuple((nation.label, nation) for nation in Nation),
    ),
    # My details as the monitoring form's "Completed by" asks them.
    *(
        replace(spec, key=spec.key.replace("completed_by.", "me."), missing="")
        for spec in MONITORING_FORM.section("completed_by").fields
    ),
    Field("organisation", "Your organisation"),
    Field(
        "role",
        "What do you do?",
        Kind.CHOICE,
        hint="It picks your guide in Help; with accounts, your account's role counts.",
        choices=(
            (
                "A practitioner who records visits (teacher, health visitor, nurse…)",
                Role.PRACTITIONER,
            ),
            ("A key worker (lead social worker)", Role.KEY_WORKER),
            ("A team manager or child protection chair", Role.MANAGER),
        ),
    ),
    Field(
        "idle_lock_minutes",
        "Hide my records when I am away for",
        Kind.CHOICE,
        hint="Then your password or passphrase brings them back.",
        choices=tuple(
            (f"{m} minute{'s' if m != 1 else ''}", m)
            for m in (1, 2, 3, 5, 10, 15)
            if MIN_IDLE_LOCK_MINUTES <= m <= MAX_IDLE_LOCK_MINUTES
        ),
    ),
    Field(
        "backups_keep",
        "Backups to keep",
        Kind.CHOICE,
        hint="One a day and one on closing, encrypted, in the backups folder beside the records.",
        choices=tuple((str(n), n) for n in (5, 10, 20, 30)),
    ),
)


class SettingsPage(QWidget):
    saved = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._settings = UserSettings()
        layout = QVBoxLayout(self)
        heading = heading_label("Settings", self)
        layout.addWidget(heading)
        intro = QLabel("Your details fill in “Completed by” on every new record.", self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        scroll = form_scroll_area(self)
        form = QWidget(scroll)
        form_layout = QVBoxLayout(form)
        self.rows: dict[str, FieldRow] = {}
        for spec in SETTINGS_FIELDS:
            row = FieldRow(spec, form)
            form_layout.addWidget(row)
            self.rows[spec.key] = row
        self.mail = MailSettingsForm(services, form)
        form_layout.addWidget(self.mail)
        self.policy = PolicySetting(services, form)
        form_layout.addWidget(self.policy)
        form_layout.addLayout(self._installation_row(form))
        self.shared_database_button = QPushButton("Shared database…", form)
        self.shared_database_button.setToolTip(
            "Where this computer keeps records: here, or on the team's server (administrators)."
        )
        self.shared_database_button.setVisible(services.role is Role.ADMINISTRATOR)
        self.shared_database_button.clicked.connect(self.edit_shared_database)
        form_layout.addWidget(self.shared_database_button)
        form_layout.addStretch(1)
        scroll.setWidget(form)
        layout.addWidget(scroll, 1)
        bar = QHBoxLayout()
        messages = QVBoxLayout()
        self.status = MessageLabel(self)
        self.problem = problem_label(self)
        messages.addWidget(self.status)
        messages.addWidget(self.problem)
        bar.addLayout(messages, 1)
        self.save_button = QPushButton("Save settings", self)
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)

    def _installation_row(self, form: QWidget) -> QHBoxLayout:
        """The installation code, read-only but selectable and copyable: it tells apart the
        installations whose references a key worker receives (issue 9)."""
        row = QHBoxLayout()
        label = QLabel("This installation's code:", form)
        self.installation_code = QLineEdit(form)
        self.installation_code.setReadOnly(True)
        self.installation_code.setAccessibleName("This installation's code")
        self.installation_code.setAccessibleDescription(
            "In every reference this computer gives a record, as in CG-code-2026-00042."
        )
        self.installation_code.setToolTip(self.installation_code.accessibleDescription())
        label.setBuddy(self.installation_code)
        self.copy_code_button = QPushButton("Copy code", form)
        self.copy_code_button.clicked.connect(self.copy_installation_code)
        self.installation_code.setMinimumWidth(self.fontMetrics().averageCharWidth() * 12)
        row.addWidget(label)
        row.addWidget(self.installation_code)
        row.addWidget(self.copy_code_button)
        row.addStretch(1)
        return row

    def copy_installation_code(self) -> None:
        clipboard = QGuiApplication.clipboard()
        clipboard.setText(self.installation_code.text())
        self.status.setText("Installation code copied.")

    @property
    def settings(self) -> UserSettings:
        """The settings as last loaded or saved here."""
        return copy.deepcopy(self._settings)

    def refresh(self) -> None:
        try:
            self._settings = self._services.get_settings()
            self.installation_code.setText(self._services.installation_code())
        except CoreformError as error:
            self.status.setText(str(error))
            return
        show_values(self.rows, self._settings)
        self.mail.load(self._settings.mail)
        self.policy.refresh()
        self.show_problems([])
        self.status.clear()

    def edit_shared_database(self) -> None:
        if SharedDatabaseDialog.run(self):
            self.status.setText("Shared database saved: it is used from the next start.")

    def show_problems(self, problems: list[Problem]) -> QWidget | None:
        """Marks every field a problem is about, as the editor does; the first such input."""
        first = mark_problems(self.rows, problems)
        mail_first = self.mail.show_problems([p for p in problems if p.field.startswith("mail.")])
        return first or mail_first

    def save(self) -> None:
        settings = typed_values(self.rows, self._settings)
        settings.mail = self.mail.value(settings.mail)
        problems = settings_problems(settings)
        first = self.show_problems(problems)
        if first is not None:
            count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
            self.status.clear()
            self.problem.setText(f"Not saved: {count} to fix, marked beside the fields.")
            first.setFocus()
            return
        try:
            self._services.save_settings(settings)
        except CoreformError as error:
            self.status.clear()
            self.problem.setText(f"Not saved: {error}")
            return
        self._settings = settings
        self.problem.clear()
        self.status.setText("Settings saved.")
        self.saved.emit()
