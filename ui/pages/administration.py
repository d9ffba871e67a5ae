"""Administration for managers and administrators: accounts, retention of records, mail security.

Every action goes through `coreform.services`, which checks the role again; the buttons a role may
not use are disabled here with a sentence saying who can.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coreform.records import Role
from coreform.retention import RecordType, RetentionAnchor, RetentionRule
from coreform.services import CoreformError, RetentionPolicy, Services
from ui.dialogs.account_form import AccountFormDialog
from ui.dialogs.modal import confirm_destructive
from ui.models.administration_tables import ROLE_TEXT, accounts_model, retention_model
from ui.pages.banner import Banner, Level, heading_label
from ui.pages.field_inputs import ChoiceCombo
from ui.pages.list_table import list_table

RECORD_TYPE_TEXT = {
    RecordType.MONITORING_RECORD: "Monitoring records",
    RecordType.CORE_GROUP_MINUTES: "Core group minutes (written or received)",
}
ANCHORS = tuple((anchor.label, anchor) for anchor in RetentionAnchor)
PLAIN_WARNING = (
    "Warning: without encryption the mail password and every PDF cross the network readable by "
    "anyone on the way. Allow it only for a mail server inside your own network that cannot use "
    "STARTTLS or TLS."
)


def _note(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


class AdministrationPage(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        layout = QVBoxLayout(self)
        title = heading_label("Administration", self)
        layout.addWidget(title)
        self.banner = Banner(self, name="administration_banner")
        layout.addWidget(self.banner)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Administration sections")
        self.tabs.addTab(self._accounts_tab(), "&Accounts")
        self.tabs.addTab(self._retention_tab(), "&Retention")
        self.tabs.addTab(self._mail_tab(), "&Email security")
        layout.addWidget(self.tabs, 1)

    # ---- accounts ----------------------------------------------------------------------------

    def _accounts_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        self.accounts_note = _note(
            "People who sign in to coreform. Only an administrator can add or change accounts.",
            tab,
        )
        layout.addWidget(self.accounts_note)
        self.accounts = accounts_model(tab)
        self.accounts_table = list_table(tab, None, "Accounts")
        self.accounts_table.setModel(self.accounts)
        layout.addWidget(self.accounts_table, 1)
        buttons = QHBoxLayout()
        self.create_button = QPushButton("Create account…", tab)
        self.unlock_button = QPushButton("Unlock", tab)
        self.role_button = QPushButton("Change role…", tab)
        self.reset_button = QPushButton("Reset password…", tab)
        for button in (self.create_button, self.unlock_button, self.role_button, self.reset_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.create_button.clicked.connect(self.create_account)
        self.unlock_button.clicked.connect(self.unlock_account)
        self.role_button.clicked.connect(self.change_role)
        self.reset_button.clicked.connect(self.reset_password)
        self.accounts_table.selectionModel().selectionChanged.connect(self._enable)
        return tab

    def _selected_account(self) -> str | None:
        rows = self.accounts_table.selectionModel().selectedRows()
        return self.accounts.row(rows[0].row()).user_name if rows else None

    def create_account(self) -> None:
        made = AccountFormDialog.run(self._services, None, self)
        if made is not None:
            self._refresh_accounts(f"Account {made.user_name} created ({ROLE_TEXT[made.role]}).")

    def unlock_account(self) -> None:
        name = self._selected_account()
        if name is not None:
            self._act(lambda: self._services.unlock_account(name), f"{name} can sign in again.")

    def change_role(self) -> None:
        name = self._selected_account()
        if name is None:
            return
        roles = list(ROLE_TEXT.items())
        current = [role for role, _ in roles].index(self.accounts.row(self._row_of(name)).role)
        text, chosen = QInputDialog.getItem(
            self,
            "Change role",
            f"New role for {name}:",
            [label for _, label in roles],
            current,
            False,
        )
        if chosen:
            role = next(role for role, label in roles if label == text)
            self._act(
                lambda: self._services.change_role(name, role), f"{name} is now a {text.lower()}."
            )

    def reset_password(self) -> None:
        name = self._selected_account()
        if name is not None and AccountFormDialog.run(self._services, name, self) is not None:
            self._refresh_accounts(f"New password set for {name}.")

    def _row_of(self, user_name: str) -> int:
        return next(
            row
            for row in range(self.accounts.rowCount())
            if self.accounts.row(row).user_name == user_name
        )

    def _act(self, action: Callable[[], object], done: str) -> None:
        try:
            action()
        except CoreformError as error:
            self.banner.show_message(Level.ERROR, str(error))
            return
        self._refresh_accounts(done)

    def _refresh_accounts(self, done: str = "") -> None:
        try:
            self.accounts.set_rows(self._services.list_accounts())
        except CoreformError as error:
            self.banner.show_message(Level.ERROR, str(error))
            return
        if done:
            self.banner.show_message(Level.SUCCESS, done)
        self._enable()

    # ---- retention ---------------------------------------------------------------------------

    def _retention_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        periods = QGroupBox("How long records are kept", tab)
        grid = QGridLayout(periods)
        self.years: dict[RecordType, QSpinBox] = {}
        self.anchors: dict[RecordType, ChoiceCombo] = {}
        for line, kind in enumerate(RecordType):
            name = RECORD_TYPE_TEXT[kind]
            years = QSpinBox(periods)
            years.setRange(1, 100)
            years.setSuffix(" years")
            years.setAccessibleName(f"{name}: years to keep")
            anchor = ChoiceCombo(ANCHORS, periods)
            anchor.setAccessibleName(f"{name}: counted from")
            label = QLabel(f"{name}: keep for", periods)
            label.setWordWrap(True)  # in two lines at 200% text, not a page wider than the screen
            label.setBuddy(years)
            grid.addWidget(label, line, 0)
            grid.addWidget(years, line, 1)
            grid.addWidget(QLabel("from", periods), line, 2)
            grid.addWidget(anchor, line, 3)
            self.years[kind] = years
            self.anchors[kind] = anchor
        self.save_periods_button = QPushButton("Save periods", periods)
        grid.addWidget(self.save_periods_button, len(RecordType), 0)
        grid.setColumnStretch(4, 1)
        layout.addWidget(periods)
        heading = QLabel("Records past retention", tab)
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        layout.addWidget(
            _note(
                "Monitoring records and core group minutes (written here or received), listed for "
                "review by reference; nothing is deleted by itself. Only a manager can set a "
                "legal hold or delete one, and one on hold cannot be deleted.",
                tab,
            )
        )
        self.retention = retention_model(tab)
        self.retention_table = list_table(tab, None, "Records past retention")
        self.retention_table.setModel(self.retention)
        heading.setBuddy(self.retention_table)
        layout.addWidget(self.retention_table, 1)
        buttons = QHBoxLayout()
        self.hold_button = QPushButton("Legal hold on…", tab)
        self.release_button = QPushButton("Legal hold off", tab)
        self.delete_button = QPushButton("Delete…", tab)
        for button in (self.hold_button, self.release_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.save_periods_button.clicked.connect(self.save_periods)
        self.hold_button.clicked.connect(self.set_hold)
        self.release_button.clicked.connect(self.release_hold)
        self.delete_button.clicked.connect(self.delete_record)
        self.retention_table.selectionModel().selectionChanged.connect(self._enable)
        return tab

    def save_periods(self) -> None:
        policy = RetentionPolicy(
            {
                kind: RetentionRule(self.years[kind].value(), self.anchors[kind].value())
                for kind in RecordType
            }
        )
        try:
            self._services.save_retention_policy(policy)
        except CoreformError as error:
            self.banner.show_message(Level.ERROR, str(error))
            return
        self._refresh_retention("Retention periods saved.")

    def _selected_record(self) -> tuple[str, str] | None:
        rows = self.retention_table.selectionModel().selectedRows()
        if not rows:
            return None
        candidate = self.retention.row(rows[0].row())
        return candidate.record_id, candidate.reference

    def set_hold(self) -> None:
        selected = self._selected_record()
        if selected is None:
            return
        record_id, reference = selected
        reason, chosen = QInputDialog.getText(
            self, "Legal hold", f"Why must {reference} be kept (case, request or order)?"
        )
        if chosen:
            self._retain(
                lambda: self._services.set_legal_hold(record_id, reason),
                f"{reference} is on legal hold.",
            )

    def release_hold(self) -> None:
        selected = self._selected_record()
        if selected is not None:
            record_id, reference = selected
            self._retain(
                lambda: self._services.release_legal_hold(record_id),
                f"The legal hold on {reference} has ended.",
            )

    def delete_record(self) -> None:
        rows = self.retention_table.selectionModel().selectedRows()
        if not rows:
            return
        candidate = self.retention.row(rows[0].row())
        record_id, reference = candidate.record_id, candidate.reference
        minutes = candidate.record_type is RecordType.CORE_GROUP_MINUTES
        what = "minutes" if minutes else "record"
        confirmed = confirm_destructive(
            self,
            f"Delete {what}",
            f"Delete {candidate.what.lower()} {reference} and every version of "
            f"{'them' if minutes else 'it'}?\n\nThis cannot be undone. The deletion is written "
            "to the audit trail.",
            f"Delete {what}",
        )
        if confirmed:
            self._retain(
                lambda: self._services.delete_record_past_retention(record_id),
                f"{candidate.what} {reference} deleted.",
            )

    def _retain(self, action: Callable[[], object], done: str) -> None:
        try:
            action()
        except CoreformError as error:
            self.banner.show_message(Level.ERROR, str(error))
            return
        self._refresh_retention(done)

    def _refresh_retention(self, done: str = "") -> None:
        try:
            policy = self._services.retention_policy()
            self.retention.set_rows(self._services.records_past_retention())
        except CoreformError as error:
            self.banner.show_message(Level.ERROR, str(error))
            return
        for kind in RecordType:
            self.years[kind].setValue(policy.rule(kind).years)
            self.anchors[kind].set_value(policy.rule(kind).anchor)
        if done:
            self.banner.show_message(Level.SUCCESS, done)
        self._enable()

    # ---- mail security -----------------------------------------------------------------------

    def _mail_tab(self) -> QWidget:
        tab = QWidget(self)
        layout = QVBoxLayout(tab)
        self.allow_plain = QCheckBox("Allow unencrypted connections to the mail server", tab)
        self.allow_plain.setAccessibleName("Allow unencrypted connections to the mail server")
        layout.addWidget(self.allow_plain)
        warning = _note(PLAIN_WARNING, tab)
        warning.setStyleSheet("font-weight: bold;")
        layout.addWidget(warning)
        self.mail_note = _note("Only an administrator can change this.", tab)
        layout.addWidget(self.mail_note)
        layout.addStretch(1)
        self.allow_plain.clicked.connect(self.set_allow_plain)
        return tab

    def set_allow_plain(self, allow: bool) -> None:
        try:
            self._services.set_allow_plain_smtp(allow)
        except CoreformError as error:
            self.allow_plain.setChecked(not allow)
            self.banner.show_message(Level.ERROR, str(error))
            return
        self.banner.show_message(
            Level.WARNING if allow else Level.SUCCESS,
            "Unencrypted connections to the mail server are allowed."
            if allow
            else "Only encrypted connections to the mail server are used.",
        )

    # ---- the whole page ----------------------------------------------------------------------

    def refresh(self) -> None:
        self.banner.hide()
        self._refresh_accounts()
        self._refresh_retention()
        try:
            self.allow_plain.setChecked(self._services.get_settings().mail.allow_plain)
        except CoreformError as error:
            self.banner.show_message(Level.ERROR, str(error))

    def _enable(self) -> None:
        role = self._services.role
        admin = role is Role.ADMINISTRATOR
        manager = role is Role.MANAGER
        account = self._selected_account()
        self.create_button.setEnabled(admin)
        for button in (self.role_button, self.reset_button):
            button.setEnabled(admin and account is not None)
        locked = account is not None and self.accounts.row(self._row_of(account)).locked
        self.unlock_button.setEnabled(admin and locked)
        self.accounts_note.setVisible(not admin)
        record = self.retention_table.selectionModel().selectedRows()
        held = bool(record) and self.retention.row(record[0].row()).legal_hold
        self.hold_button.setEnabled(manager and bool(record) and not held)
        self.release_button.setEnabled(manager and held)
        self.delete_button.setEnabled(manager and bool(record) and not held)
        self.allow_plain.setEnabled(admin)
        self.mail_note.setVisible(not admin)
