"""First-run set-up: organisation, nation, role and timescales, own details, usual key workers,
and how records are sent, in one short wizard after the passphrase is chosen (issue 16).

Every step can be skipped and changed later in Settings; the wizard writes nothing until Finish,
then saves through the same services the Settings page uses.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from coreform.records import KeyWorker
from coreform.services import CoreformError, Services, UserSettings
from coreform.settings import settings_problems
from ui.pages.banner import problem_label
from ui.pages.form_fields import FieldRow, mark_problems, show_values, typed_values
from ui.pages.mail_settings import MailSettingsForm
from ui.pages.policy_setting import PolicySetting
from ui.pages.settings_page import SETTINGS_FIELDS

_LATER = "You can change this later in Settings."


class SetupWizard(QWizard):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._settings = services.get_settings()
        self.setWindowTitle("Set up coreform")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.rows: dict[str, FieldRow] = {}
        self._page_rows: dict[QWizardPage, dict[str, FieldRow]] = {}
        self.problems: dict[QWizardPage, QLabel] = {}
        self._layouts: list[QVBoxLayout] = []
        organisation_page, _ = self._page(
            "Your organisation",
            "Where you work decides which bank holidays are not working days.",
            ("organisation", "nation"),
        )
        self.addPage(organisation_page)
        role_page, role_layout = self._page(
            "Your role and timescales",
            "Your role picks your guide in Help. The timescales are your safeguarding "
            "partnership's rules for visits, core groups and conferences.",
            ("role",),
        )
        self.policy = PolicySetting(services, role_page)
        self.policy.use_button.hide()  # Finish saves it with everything else
        self.policy.refresh()
        role_layout.addWidget(self.policy)
        self.addPage(role_page)
        details_page, _ = self._page(
            "Your details",
            "They fill in “Completed by” on every record you start.",
            tuple(spec.key for spec in SETTINGS_FIELDS if spec.key.startswith("me.")),
        )
        self.addPage(details_page)
        self.addPage(self._key_workers_page())
        mail_page, mail_layout = self._page(
            "Sending records",
            "“Open in my email program” needs nothing set up. To send through your "
            "organisation's mail server, type its details and send a test message.",
            (),
        )
        self.mail = MailSettingsForm(services, mail_page)
        self.mail.load(self._settings.mail)
        self.mail.me_source = lambda: self.settings().me
        mail_layout.addWidget(self.mail)
        self._mail_page = mail_page
        self.addPage(mail_page)
        for layout in self._layouts:  # spare height below, not between: wrapped text shows whole
            layout.addStretch(1)
        show_values(self.rows, self._settings)
        self.resize(640, 640)  # the mail page whole, with its problems

    def _page(
        self, title: str, intro: str, keys: tuple[str, ...]
    ) -> tuple[QWizardPage, QVBoxLayout]:
        page = QWizardPage(self)
        page.setTitle(title)
        page.setSubTitle(f"{intro} {_LATER}")
        layout = QVBoxLayout(page)
        specs = {spec.key: spec for spec in SETTINGS_FIELDS}
        rows = self._page_rows[page] = {}
        for key in keys:
            row = FieldRow(specs[key], page)
            layout.addWidget(row)
            self.rows[key] = rows[key] = row
        self.problems[page] = problem_label(page)
        layout.addWidget(self.problems[page])
        self._layouts.append(layout)
        return page, layout

    def validateCurrentPage(self) -> bool:
        """Next and Finish check this page's fields as Settings does (settings_problems): with
        a problem the user stays on the page, told beside each field what to fix."""
        page = self.currentPage()
        if page not in self.problems:
            return True
        problems = settings_problems(self.settings())
        first = mark_problems(self._page_rows[page], problems)
        shown = [p for p in problems if p.field in self._page_rows[page]]
        if page is self._mail_page:
            mail = [p for p in problems if p.field.startswith("mail.")]
            first = first or self.mail.show_problems(mail)
            shown += mail
        if first is None:
            self.problems[page].clear()
            return True
        count = "1 problem" if len(shown) == 1 else f"{len(shown)} problems"
        where = "listed under the form" if page is self._mail_page else "marked beside the fields"
        self.problems[page].setText(
            f"{count} to fix, {where}. Correct them, or clear a field to fill it in later in "
            "Settings."
        )
        first.setFocus()
        return False

    def _key_workers_page(self) -> QWizardPage:
        page = QWizardPage(self)
        page.setTitle("Key workers you send to (optional)")
        page.setSubTitle(
            "Each one you add is offered on new records, so you need not type their details. "
            + _LATER
        )
        layout = QVBoxLayout(page)
        form = QFormLayout()
        self.key_worker_name = QLineEdit(page)
        self.key_worker_email = QLineEdit(page)
        self.key_worker_team = QLineEdit(page)
        self.key_worker_phone = QLineEdit(page)
        for text, editor in (
            ("Key worker's &name", self.key_worker_name),
            ("Their &email", self.key_worker_email),
            ("Their &team or agency", self.key_worker_team),
            ("Their &phone", self.key_worker_phone),
        ):
            label = QLabel(f"{text}:", page)
            label.setBuddy(editor)
            editor.setAccessibleName(text.replace("&", ""))
            form.addRow(label, editor)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.add_key_worker_button = QPushButton("&Add this key worker", page)
        self.add_key_worker_button.clicked.connect(self.add_key_worker)
        row.addWidget(self.add_key_worker_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.key_workers_label = QLabel("None added yet.", page)
        self.key_workers_label.setWordWrap(True)
        layout.addWidget(self.key_workers_label)
        layout.addStretch(1)
        self.key_workers: list[KeyWorker] = []
        return page

    def add_key_worker(self) -> None:
        name = self.key_worker_name.text().strip()
        email = self.key_worker_email.text().strip()
        if not name or "@" not in email:
            self.key_workers_label.setText(
                "Type the key worker's name and an email address such as sam.lee@council.gov.uk, "
                "then choose Add."
            )
            return
        self.key_workers.append(
            KeyWorker(
                name=name,
                email=email,
                team=self.key_worker_team.text().strip(),
                phone=self.key_worker_phone.text().strip(),
            )
        )
        for editor in (
            self.key_worker_name,
            self.key_worker_email,
            self.key_worker_team,
            self.key_worker_phone,
        ):
            editor.clear()
        names = ", ".join(f"{worker.name} <{worker.email}>" for worker in self.key_workers)
        self.key_workers_label.setText(f"Added: {names}.")
        self.key_worker_name.setFocus()

    def settings(self) -> UserSettings:
        """The settings as typed in the wizard."""
        settings = typed_values(self.rows, self._settings)
        settings.mail = self.mail.value(settings.mail)
        return settings

    def accept(self) -> None:
        """Saves everything typed, step by step; a refusal keeps the wizard open, saying what
        was saved, what was not and what to do. Finish again redoes only what was not saved."""
        if not self.validateCurrentPage():  # QWizard checks only in done(), after this
            return
        problems = self.problems[self.currentPage()]
        try:
            self._services.save_settings(self.settings())
        except CoreformError as error:
            problems.setText(f"Nothing was saved: {error} Choose Finish to try again.")
            return
        try:
            while self.key_workers:
                self._services.remember_key_worker(self.key_workers[0])
                self.key_workers.pop(0)
            self._save_policy()
        except CoreformError as error:
            left = (
                "the key workers you added and the timescales"
                if self.key_workers
                else "the timescales"
            )
            problems.setText(
                f"Your details and how you send are saved, but {left} were not: {error} Choose "
                "Finish to try again, or Cancel to go on without them and set them "
                "later in Settings."
            )
            return
        super().accept()

    def _save_policy(self) -> None:
        """The timescales, when this user may choose them (PolicySetting enables the choice
        for managers and administrators only) and chose other than what is saved: a
        practitioner joining a shared database sees the organisation's choice, not theirs."""
        chosen = self.policy.choice.currentData()
        if self.policy.choice.isEnabled() and chosen and chosen != self._services.policy_id():
            self._services.set_policy(chosen)

    @classmethod
    def run(cls, services: Services, parent: QWidget | None = None) -> bool:
        """True when the user finished the wizard; False when they skipped it all (Cancel)."""
        wizard = cls(services, parent)
        try:
            return bool(wizard.exec())
        finally:
            wizard.deleteLater()
