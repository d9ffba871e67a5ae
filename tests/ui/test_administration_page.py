"""The Administration page, the lock over open dialogs and the live idle time, driven as a user."""

from __future__ import annotations

import copy
import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QLabel

from coreform.audit import AuditAction
from coreform.records import MonitoringRecord, Role, new_id
from coreform.services import Services, SignInError
from tests.qtbot import QtBot
from tests.ui.conftest import press_when_asked, when_dialog_opens
from tests.ui.helpers import answer, click, click_item
from ui.app import start_window
from ui.dialogs.account_form import AccountFormDialog
from ui.dialogs.submit_summary import SubmitSummaryDialog
from ui.main_window import MainWindow
from ui.pages.administration import AdministrationPage
from ui.privacy import LOCKED_TITLE, PrivacyGuard


def _window(qtbot: QtBot, services: Services, tmp_path: Path) -> MainWindow:
    window = start_window(services, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _page(qtbot: QtBot, window: MainWindow) -> AdministrationPage:
    click_item(qtbot, window.nav, "Administration")
    page = window.administration
    assert page is not None and window.stack.currentWidget() is page
    return page


def retention_review(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> tuple[MainWindow, AdministrationPage]:
    """The window with a manager signed in (an administrator set up first) on the retention
    review tab."""
    services.create_account("ada", "admin password", Role.ADMINISTRATOR)
    services.sign_in("ada", "admin password")
    services.create_account("mo", "long password", Role.MANAGER)
    services.sign_in("mo", "long password")
    window = _window(qtbot, services, tmp_path)
    page = _page(qtbot, window)
    page.tabs.setCurrentIndex(1)
    return window, page


def _select(qtbot: QtBot, page: AdministrationPage, table: str, text: str) -> None:
    view = page.accounts_table if table == "accounts" else page.retention_table
    model = view.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data() == text:
            rect = view.visualRect(model.index(row, 0))
            qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            return
    raise AssertionError(f"{text!r} not listed")


def _cells(page: AdministrationPage, text: str) -> list[str]:
    view = page.accounts_table.model()
    for row in range(view.rowCount()):
        if view.index(row, 0).data() == text:
            return [view.index(row, c).data() for c in range(view.columnCount())]
    raise AssertionError(text)


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """COREFORM_SCREENSHOTS=docs/screenshots keeps the pictures for the documentation."""
    return Path(os.environ.get("COREFORM_SCREENSHOTS", tmp_path))


def test_an_administrator_creates_unlocks_changes_and_resets_accounts(
    qtbot: QtBot, ui_services: Services, tmp_path: Path, screenshots: Path
) -> None:
    ui_services.create_account("ada", "admin password", Role.ADMINISTRATOR, display_name="Ada")
    ui_services.sign_in("ada", "admin password")
    window = _window(qtbot, ui_services, tmp_path)
    page = _page(qtbot, window)

    def create(dialog: QDialog) -> None:
        assert isinstance(dialog, AccountFormDialog)
        qtbot.keyClicks(dialog.user_name, "jo")
        qtbot.keyClicks(dialog.display_name, "Jo Brown")
        qtbot.keyClicks(dialog.password, "battery staple")
        qtbot.keyClicks(dialog.again, "battery stapel")
        click(qtbot, dialog.ok_button)
        assert "differ" in dialog.problem.text()
        qtbot.keyClicks(dialog.again, "battery staple")
        click(qtbot, dialog.ok_button)

    when_dialog_opens(create)
    click(qtbot, page.create_button)
    assert _cells(page, "jo") == ["jo", "Jo Brown", "Practitioner", "Active"]
    for _ in range(6):
        with pytest.raises(SignInError):
            ui_services.sign_in("jo", "wrong guess")
    page.refresh()
    _select(qtbot, page, "accounts", "jo")
    assert _cells(page, "jo")[3].startswith("Locked since")
    click(qtbot, page.unlock_button)
    assert _cells(page, "jo")[3] == "Active"

    def to_key_worker(dialog: QDialog) -> None:
        assert isinstance(dialog, QInputDialog)
        dialog.setTextValue("Key worker")
        dialog.accept()

    _select(qtbot, page, "accounts", "jo")
    when_dialog_opens(to_key_worker)
    click(qtbot, page.role_button)
    assert _cells(page, "jo")[2] == "Key worker"

    def reset(dialog: QDialog) -> None:
        assert isinstance(dialog, AccountFormDialog)
        assert not dialog.user_name.isVisible()
        qtbot.keyClicks(dialog.password, "a new password")
        qtbot.keyClicks(dialog.again, "a new password")
        click(qtbot, dialog.ok_button)

    _select(qtbot, page, "accounts", "jo")
    when_dialog_opens(reset)
    click(qtbot, page.reset_button)
    assert "New password set for jo" in page.banner.text()
    window.resize(1100, 640)
    _select(qtbot, page, "accounts", "jo")
    window.grab().save(str(screenshots / "administration.png"))
    actions = [e.action for e in reversed(ui_services.audit_page(0, 4))]
    assert actions[-3:] == [
        AuditAction.ACCOUNT_UNLOCKED,
        AuditAction.ROLE_CHANGED,
        AuditAction.PASSWORD_RESET,
    ]
    assert ui_services.sign_in("jo", "a new password").role is Role.KEY_WORKER


def test_a_practitioner_has_no_administration_page(
    qtbot: QtBot, ui_services: Services, tmp_path: Path
) -> None:
    ui_services.create_account("ada", "admin password", Role.ADMINISTRATOR)
    ui_services.sign_in("ada", "admin password")
    ui_services.create_account("jo", "battery staple", Role.PRACTITIONER)
    ui_services.sign_in("jo", "battery staple")
    window = _window(qtbot, ui_services, tmp_path)
    assert window.administration is None
    assert "Administration" not in [window.nav.item(r).text() for r in range(window.nav.count())]


def _past_retention(services: Services, full_record: MonitoringRecord) -> str:
    """A draft whose children were born in 2000: 25 years past the youngest's birth."""
    old = copy.deepcopy(full_record)
    old.id = new_id()
    for observation in old.children:
        observation.child.id = new_id()
        observation.child.date_of_birth = dt.date(2000, 1, 1)
    return services.save_draft(old).reference


def test_a_manager_holds_then_deletes_a_record_past_retention(
    qtbot: QtBot,
    ui_services: Services,
    tmp_path: Path,
    full_record: MonitoringRecord,
    screenshots: Path,
) -> None:
    reference = _past_retention(ui_services, full_record)
    ui_services.save_draft(full_record)  # inside its period: not listed
    window, page = retention_review(qtbot, ui_services, tmp_path)
    model = page.retention_table.model()
    assert model.rowCount() == 1
    assert model.index(0, 0).data() == reference
    assert model.index(0, 1).data() == "Monitoring record"
    assert model.index(0, 2).data() == "03 Mar 2026"
    assert "25 years from the youngest child's date of birth" in model.index(0, 4).data()
    assert not page.create_button.isEnabled()  # a manager does not change accounts

    def hold(dialog: QDialog) -> None:
        assert isinstance(dialog, QInputDialog)
        assert reference in dialog.labelText()
        dialog.setTextValue("Court order 2026/17")
        dialog.accept()

    _select(qtbot, page, "retention", reference)
    when_dialog_opens(hold)
    click(qtbot, page.hold_button)
    assert model.index(0, 3).data() == "On hold: Court order 2026/17"
    _select(qtbot, page, "retention", reference)
    assert not page.delete_button.isEnabled()  # legal hold blocks deletion
    window.grab().save(str(screenshots / "administration-retention.png"))
    click(qtbot, page.release_button)
    assert model.index(0, 3).data() == "No"
    asked: list[str] = []

    _select(qtbot, page, "retention", reference)
    press_when_asked(qtbot, "Keep it", asked)
    click(qtbot, page.delete_button)
    assert model.rowCount() == 1
    _select(qtbot, page, "retention", reference)
    press_when_asked(qtbot, "Delete record", asked)
    click(qtbot, page.delete_button)
    assert model.rowCount() == 0
    assert reference in asked[0] and "cannot be undone" in asked[0]
    assert "Okafor" not in asked[0]
    last = ui_services.audit_page(0, 1)[0]
    assert (last.action, last.record_reference, last.user) == (
        AuditAction.DELETED,
        reference,
        "mo",
    )


def test_only_an_administrator_allows_plain_smtp(
    qtbot: QtBot, ui_services: Services, tmp_path: Path
) -> None:
    ui_services.create_account("ada", "admin password", Role.ADMINISTRATOR)
    ui_services.sign_in("ada", "admin password")
    ui_services.create_account("mo", "long password", Role.MANAGER)
    window = _window(qtbot, ui_services, tmp_path)
    page = _page(qtbot, window)
    page.tabs.setCurrentIndex(2)
    assert page.allow_plain.accessibleName() == page.allow_plain.text()
    page.allow_plain.setFocus()
    qtbot.keyClick(page.allow_plain, Qt.Key.Key_Space)
    assert ui_services.get_settings().mail.allow_plain
    assert "allowed" in page.banner.text()
    ui_services.sign_in("mo", "long password")
    page.refresh()
    assert page.allow_plain.isChecked() and not page.allow_plain.isEnabled()
    assert page.mail_note.isVisible()


def _guard(window: MainWindow) -> PrivacyGuard:
    guard = window.findChild(PrivacyGuard)
    assert isinstance(guard, PrivacyGuard)
    return guard


def test_locking_hides_an_open_dialog_and_unlocking_restores_it(
    qtbot: QtBot, window: MainWindow, ui_services: Services, full_record: MonitoringRecord
) -> None:
    guard = _guard(window)
    seen: dict[str, object] = {}

    def lock_and_return(dialog: QDialog) -> None:
        try:
            check(dialog)
        finally:
            dialog.reject()  # never left modal, whatever failed

    def check(dialog: QDialog) -> None:
        assert isinstance(dialog, SubmitSummaryDialog)
        about = next(label for label in dialog.findChildren(QLabel) if "Ada Okafor" in label.text())
        assert about.isVisible()
        qtbot.keyClick(
            dialog,
            Qt.Key.Key_L,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
        seen["locked"] = guard.locked
        seen["hidden"] = not about.isVisible() and not dialog.recipient_list.isVisible()
        seen["title"] = dialog.windowTitle()
        covers = [c for c in dialog.findChildren(type(guard.lock_screen)) if c.isVisible()]
        seen["covered"] = len(covers) == 1
        qtbot.keyClick(covers[0].unlock_button, Qt.Key.Key_Return)  # not the dialog's Submit
        seen["still_open"] = dialog.isVisible()
        click(qtbot, covers[0].unlock_button)  # no passphrase here: "Show coreform"
        seen["restored"] = about.isVisible() and dialog.windowTitle() == "Submit this record?"

    when_dialog_opens(lock_and_return)
    submitted = SubmitSummaryDialog.ask(
        window, full_record, ui_services.recipients(full_record), []
    )
    assert not submitted
    assert seen == {
        "locked": True,
        "hidden": True,
        "title": LOCKED_TITLE,
        "covered": True,
        "still_open": True,
        "restored": True,
    }
    assert not guard.locked


def test_a_new_idle_time_applies_at_once(qtbot: QtBot, window: MainWindow) -> None:
    guard = _guard(window)
    assert guard.idle.timeout == dt.timedelta(minutes=5)
    click_item(qtbot, window.nav, "Settings")
    answer(qtbot, window.settings_page.rows["idle_lock_minutes"], "1 minute")
    click(qtbot, window.settings_page.save_button)
    assert guard.idle.timeout == dt.timedelta(minutes=1)
