"""Driving the security dialogs and the idle lock as a user: first run, unlock, sign-in, lock."""

from __future__ import annotations

import os
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QDialog, QFileDialog, QLabel, QWizard

from coreform import session
from coreform.audit import AuditAction
from coreform.records import Role
from coreform.services import Services
from tests.conftest import MemoryKeyring, SecondsClock
from tests.qtbot import QtBot
from tests.ui.conftest import close_main_window_when_shown, when_dialog_opens
from tests.ui.helpers import click, type_into
from ui.app import open_database, reauthenticator, run, start_window
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.setup_wizard import SetupWizard
from ui.dialogs.sign_in import SignInDialog
from ui.dialogs.unlock import UnlockDialog
from ui.main_window import MainWindow
from ui.privacy import LOCKED_TITLE, PrivacyGuard

PASSPHRASE = "otter lantern velvet"


@pytest.fixture
def screenshots(tmp_path: Path) -> Path:
    """COREFORM_SCREENSHOTS=docs/screenshots keeps the pictures for the documentation."""
    return Path(os.environ.get("COREFORM_SCREENSHOTS", tmp_path))


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def _guard(window: MainWindow) -> PrivacyGuard:
    guard = window.findChild(PrivacyGuard)
    assert isinstance(guard, PrivacyGuard)
    return guard


def test_first_run_creates_the_encrypted_database_and_shows_the_recovery_key(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring, screenshots: Path
) -> None:
    seen: list[str] = []

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, FirstRunDialog)
        qtbot.keyClicks(dialog.passphrase, "short")
        assert "7 more characters" in dialog.hint.text()
        dialog.passphrase.clear()
        qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
        qtbot.keyClicks(dialog.again, PASSPHRASE + "x")
        click(qtbot, dialog.create_button)
        assert "differ" in dialog.problem.text()
        assert not session.database_exists(tmp_path)
        qtbot.keyClick(dialog.again, Qt.Key.Key_Backspace)  # the extra "x" goes…
        assert dialog.hint.text() == "Strong."
        assert dialog.problem.text() == ""  # …and so does the error about it
        dialog.adjustSize()
        dialog.grab().save(str(screenshots / "first-run-passphrase.png"))
        click(qtbot, dialog.create_button)
        assert dialog.steps.currentIndex() == 1
        assert not dialog.continue_button.isEnabled()  # not before it is written down
        seen.append(dialog.recovery_key.text())
        assert not dialog.copy_button.geometry().intersects(dialog.recovery_key.geometry())
        dialog.grab().save(str(screenshots / "first-run-recovery-key.png"))
        click(qtbot, dialog.written_down)
        click(qtbot, dialog.remember)
        click(qtbot, dialog.continue_button)

    when_dialog_opens(choose)
    opened = open_database(tmp_path)
    assert opened is not None and opened.encrypted
    assert len(seen[0].split()) == 12
    assert (tmp_path / "coreform.db").read_bytes()[:16] != b"SQLite format 3\x00"
    remembered = session.unlock_remembered(tmp_path)
    assert remembered is not None and remembered.url == opened.url
    # Remembered: the next start opens without asking.
    assert open_database(tmp_path) is not None


def test_no_password_store_is_said_in_plain_words(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    keyring.set_keyring(fail.Keyring())  # the fixture puts the one before back
    dialog = FirstRunDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClicks(dialog.again, PASSPHRASE)
    click(qtbot, dialog.create_button)
    assert not dialog.remember.isEnabled()
    notes = [label.text() for label in dialog.findChildren(QLabel) if label.isVisibleTo(dialog)]
    assert session.NO_PASSWORD_STORE in notes
    assert "package" not in session.NO_PASSWORD_STORE and "keyring" not in session.NO_PASSWORD_STORE
    with pytest.raises(session.UnlockError, match=r"^This computer has no password store"):
        dialog.opened.remember()  # type: ignore[union-attr]
    assert not dialog.copy_button.geometry().intersects(dialog.recovery_key.geometry())


def test_wrong_passphrase_is_refused_with_what_to_do_and_nothing_changes(
    qtbot: QtBot, tmp_path: Path, memory_keyring: MemoryKeyring, screenshots: Path
) -> None:
    made = session.create_encrypted(tmp_path, PASSPHRASE)
    Services.open(made.url).close()
    before = _files(tmp_path)

    def wrong_then_right(dialog: QDialog) -> None:
        assert isinstance(dialog, UnlockDialog)
        qtbot.keyClicks(dialog.secret, "otter lantern velvel")
        click(qtbot, dialog.unlock_button)
        assert dialog.isVisible()
        assert "Check Caps Lock and try again" in dialog.problem.text()
        assert "recovery key" in dialog.problem.text()
        assert _files(tmp_path) == before
        dialog.grab().save(str(screenshots / "unlock-wrong-passphrase.png"))
        click(qtbot, dialog.switch)  # "Use recovery key instead"
        assert dialog.secret.accessibleName() == "Recovery key"
        qtbot.keyClicks(dialog.secret, made.recovery_key.replace("-", " ").lower())
        click(qtbot, dialog.unlock_button)

    when_dialog_opens(wrong_then_right)
    opened = open_database(tmp_path)
    assert opened is not None and opened.url == made.url


def test_quitting_the_unlock_dialog_opens_nothing(qtbot: QtBot, tmp_path: Path) -> None:
    session.create_encrypted(tmp_path, PASSPHRASE)
    when_dialog_opens(lambda dialog: dialog.reject())
    assert open_database(tmp_path) is None


def test_sign_in_locks_after_six_failures(qtbot: QtBot, ui_services: Services) -> None:
    ui_services.create_account("admin", "correct horse", Role.ADMINISTRATOR)
    ui_services.sign_in("admin", "correct horse")
    ui_services.create_account("jo", "battery staple", Role.PRACTITIONER)
    messages: list[str] = []

    def six_wrong(dialog: QDialog) -> None:
        assert isinstance(dialog, SignInDialog)
        qtbot.keyClicks(dialog.user_name, "jo")
        for _ in range(6):
            qtbot.keyClicks(dialog.password, "not my password")
            click(qtbot, dialog.sign_in_button)
            messages.append(dialog.problem.text())
        qtbot.keyClicks(dialog.password, "battery staple")
        click(qtbot, dialog.sign_in_button)
        messages.append(dialog.problem.text())
        assert dialog.isVisible()
        click(qtbot, dialog.quit_button)

    when_dialog_opens(six_wrong)
    assert SignInDialog.run(ui_services) is None
    # Issue 9: one message for every refusal, so it never tells whether the name exists.
    assert "locked after 6 failed attempts" in messages[0] and "administrator" in messages[0]
    assert set(messages) == {messages[0]}  # also once locked, even with the right password
    assert ui_services.current_user == "admin"


def test_idle_lock_hides_child_data_and_keeps_the_draft(
    qtbot: QtBot, ui_services: Services, tmp_path: Path, screenshots: Path
) -> None:
    clock = SecondsClock()
    checked: list[str] = []

    def reauthenticate(typed: str) -> None:
        checked.append(typed)
        if typed != PASSPHRASE:
            raise session.WrongSecretError("That passphrase does not open this database.")

    window = start_window(
        ui_services,
        QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat),
        reauthenticate=reauthenticate,
        idle_clock=clock,
    )
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    guard = _guard(window)
    window.start_record(None)
    type_into(qtbot, window.editor.rows["family_name"], "Zzfamily")
    clock.now += 4 * 60  # typing just now counted as activity: not yet
    guard.poll()
    assert not guard.locked
    clock.now += 61
    guard.poll()
    assert guard.locked
    assert window.windowTitle() == LOCKED_TITLE
    assert not window.editor.isVisible()
    assert not window.nav.isVisible()
    window.grab().save(str(screenshots / "window-locked.png"))
    # The draft was stored before the lock showed.
    qtbot.waitUntil(lambda: bool(ui_services.list_records()), timeout=5000)
    assert ui_services.list_records()[0].family_name == "Zzfamily"
    # Typing at the locked window is not activity and does not unlock it.
    qtbot.keyClicks(guard.lock_screen.secret, "wrong one")
    click(qtbot, guard.lock_screen.unlock_button)
    assert guard.locked
    assert "does not open" in guard.lock_screen.problem.text()
    qtbot.keyClicks(guard.lock_screen.secret, PASSPHRASE)
    click(qtbot, guard.lock_screen.unlock_button)
    assert not guard.locked
    assert checked == ["wrong one", PASSPHRASE]
    assert window.editor.isVisible()
    assert window.editor.rows["family_name"].value() == "Zzfamily"
    window.close()


def test_privacy_screen_shortcut_blanks_at_once(window: MainWindow, qtbot: QtBot) -> None:
    guard = _guard(window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_L,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert guard.locked
    assert not window.nav.isVisible()
    assert guard.lock_screen.isVisible()
    # No passphrase on a plain test database: the screen only hides.
    click(qtbot, guard.lock_screen.unlock_button)
    assert not guard.locked


def test_idle_time_comes_from_settings(qtbot: QtBot, ui_services: Services, tmp_path: Path) -> None:
    settings = ui_services.get_settings()
    settings.idle_lock_minutes = 40  # stored values are held to the 15-minute maximum
    ui_services.save_settings(settings)
    assert ui_services.get_settings().idle_lock_minutes == 40
    reopened = Services.open(f"sqlite:///{tmp_path / 'coreform.db'}")
    try:
        assert reopened.get_settings().idle_lock_minutes == 15
    finally:
        reopened.close()


def test_passphrase_return_is_audited(tmp_path: Path) -> None:
    made = session.create_encrypted(tmp_path, PASSPHRASE)
    services = Services.open(made.url)
    try:
        check = reauthenticator(services, made)
        assert check is not None
        with pytest.raises(session.WrongSecretError):
            check("not it at all")
        check(PASSPHRASE)
        actions = [e.action for e in reversed(services.audit_page(0, 10))]
        assert actions == [AuditAction.SIGN_IN_FAILED, AuditAction.SIGN_IN]
    finally:
        services.close()


def test_audit_trail_page_verifies_and_exports_the_head(
    window: MainWindow, ui_services: Services, qtbot: QtBot, tmp_path: Path
) -> None:
    window.start_record(None)
    type_into(qtbot, window.editor.rows["family_name"], "Okafor")
    window.editor.flush_pending()
    qtbot.waitUntil(lambda: bool(ui_services.list_records()), timeout=5000)
    window.open_record(ui_services.list_records()[0].id)
    assert window.nav.item(window.nav.count() - 1).text() == "Audit trail"
    window.nav.setCurrentRow(window.nav.count() - 1)
    page = window.audit_trail
    assert page is not None and window.stack.currentWidget() is page
    whats = [page.model.index(row, 3).data() for row in range(page.model.rowCount())]
    assert whats[:2] == ["Viewed", "Created"]  # newest first
    assert "Okafor" not in str([page.model.index(r, 4).data() for r in range(len(whats))])
    click(qtbot, page.verify_button)
    assert "is intact" in page.banner.text()
    target = tmp_path / "head.txt"

    def save_here(dialog: QDialog) -> None:
        assert isinstance(dialog, QFileDialog)
        dialog.selectFile(str(target))
        dialog.accept()

    when_dialog_opens(save_here)
    click(qtbot, page.export_button)
    assert target.read_text().strip() == ui_services.audit_head_line()
    assert "Keep a copy away from this computer" in page.banner.text()


def test_practitioners_do_not_see_the_audit_trail(
    qtbot: QtBot, ui_services: Services, tmp_path: Path
) -> None:
    ui_services.create_account("admin", "correct horse", Role.ADMINISTRATOR)
    ui_services.sign_in("admin", "correct horse")
    ui_services.create_account("jo", "battery staple", Role.PRACTITIONER)
    ui_services.sign_in("jo", "battery staple")
    window = start_window(
        ui_services, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    )
    qtbot.addWidget(window)
    assert window.audit_trail is None
    assert "Audit trail" not in [window.nav.item(r).text() for r in range(window.nav.count())]


def test_the_app_starts_encrypted_and_backs_up_on_a_clean_exit(
    qtbot: QtBot,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COREFORM_DATA_DIR", str(tmp_path))

    def first_run(dialog: QDialog) -> None:
        assert isinstance(dialog, FirstRunDialog)
        qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
        qtbot.keyClicks(dialog.again, PASSPHRASE)
        click(qtbot, dialog.create_button)
        click(qtbot, dialog.written_down)
        click(qtbot, dialog.continue_button)
        when_dialog_opens(skip_set_up)

    def skip_set_up(dialog: QDialog) -> None:
        assert isinstance(dialog, SetupWizard)  # the set-up wizard follows a first run
        click(qtbot, dialog.button(QWizard.WizardButton.CancelButton))
        QTimer.singleShot(0, close_main_window_when_shown)

    when_dialog_opens(first_run)
    assert run([]) == 0
    assert session.is_encrypted(tmp_path)
    backups = list((tmp_path / "backups").iterdir())
    assert backups, "a backup on start (due: none yet) and on exit"
    opened = session.unlock(tmp_path, PASSPHRASE)
    services = Services.open(opened.url)
    try:
        actions = [e.action for e in reversed(services.audit_page(0, 100))]
    finally:
        services.close()
    assert actions[0] is AuditAction.SIGN_IN
    assert actions.count(AuditAction.BACKED_UP) == len(backups)
