"""What a screen reader reads on every page and dialog, checked through QAccessible: labels read
as they show, inputs named by their question, headings, relations, Tab out of tables, F6."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QTableView, QWidget

from coreform import session
from coreform.connection import ConnectionConfig
from coreform.records import MonitoringRecord, Role
from coreform.services import Services
from tests.qtbot import QtBot
from tests.ui.conftest import when_dialog_opens
from tests.ui.helpers import click, click_item, focus, type_into
from tests.ui.screen_reader import description, headings, label_of, misreadings, name
from tests.ui.test_outbox import christmas_record, submit_in_window
from ui.app import open_database
from ui.dialogs.account_form import AccountFormDialog
from ui.dialogs.amend_reason import AmendReasonDialog
from ui.dialogs.first_administrator import FirstAdministratorDialog
from ui.dialogs.first_run import FirstRunDialog
from ui.dialogs.pdf_password import PdfPasswordDialog
from ui.dialogs.setup_wizard import SetupWizard
from ui.dialogs.shared_database import SharedDatabaseDialog
from ui.dialogs.sign_in import SignInDialog
from ui.dialogs.unlock import UnlockDialog
from ui.main_window import MainWindow
from ui.privacy import PrivacyGuard

PASSPHRASE = "Nguyen Thi Lan goes to market"  # QTest types Latin-1 only


def _pages(window: MainWindow) -> list[str]:
    return [window.nav.item(row).text() for row in range(window.nav.count())]


def test_every_page_reads_as_it_shows(
    qtbot: QtBot, window: MainWindow, ui_services: Services, full_record: MonitoringRecord
) -> None:
    ui_services.submit_and_send(christmas_record(full_record))
    assert _pages(window)[-2:] == ["Administration", "Audit trail"]
    for page in _pages(window):
        click_item(qtbot, window.nav, page)
        assert misreadings(window) == [], page
        [heading] = headings(window)  # one, named: "My records", "Plan"…
        assert heading, page
    administration = window.administration
    assert administration is not None
    for tab in range(administration.tabs.count()):
        administration.tabs.setCurrentIndex(tab)
        assert misreadings(window) == [], administration.tabs.tabText(tab)

    click_item(qtbot, window.nav, "Settings")
    combo = window.settings_page.rows["backups_keep"].inputs[0]
    assert isinstance(combo, QComboBox)
    assert name(combo) == "Backups to keep"  # the question, not "10"
    assert QAccessible.queryAccessibleInterface(combo).text(QAccessible.Text.Value) == "10"
    assert label_of(combo) == ["Backups to keep"]


def test_editor_and_record_view_read_as_they_show(
    qtbot: QtBot, window: MainWindow, ui_services: Services, full_record: MonitoringRecord
) -> None:
    window.start_record(None)
    editor = window.editor
    click(qtbot, editor.add_child_button)
    click(qtbot, editor.add_child_button)
    click(qtbot, editor.submit_button)  # the refusal banner and every inline mark
    assert "Not submitted" in editor.submit_banner.text()
    assert misreadings(editor) == []
    first, second = editor.panels()
    seen = first.rows["seen"].inputs[0]
    assert isinstance(seen, QComboBox) and seen.currentText() == "Not answered"
    assert name(seen) == f"Child 1: {first.rows['seen'].spec.label}"
    born = [panel.rows["child.date_of_birth"].inputs[0] for panel in (first, second)]
    assert [name(field) for field in born] == ["Child 1: Date of birth", "Child 2: Date of birth"]
    visit = editor.rows["visit_date"]
    assert description(visit.inputs[0]).startswith(
        f"Required. Invalid: {visit.problems()[0].message}"
    )
    type_into(qtbot, visit, "23/12/2026")
    qtbot.waitUntil(lambda: not visit.problems(), timeout=5000)
    assert description(visit.inputs[0]).startswith("Required. ")
    assert "Invalid" not in description(visit.inputs[0])
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: editor.status.text().startswith("Saved "), timeout=5000)
    assert (name(editor.status), description(editor.status)) == (
        editor.status.text(),
        "Save status",
    )

    submit_in_window(qtbot, window, ui_services, christmas_record(full_record))
    view = window.record_view
    qtbot.waitUntil(lambda: "key worker" in view.sending.text(), timeout=5000)
    assert misreadings(view) == []
    assert (name(view.sending), description(view.sending)) == (
        view.sending.text(),
        "Sending history",
    )


def test_first_run_reads_the_strength_and_the_recovery_key(qtbot: QtBot, tmp_path: Path) -> None:
    read: dict[str, str] = {}

    def choose(dialog: QDialog) -> None:
        assert isinstance(dialog, FirstRunDialog)
        qtbot.keyClicks(dialog.passphrase, "short")
        assert name(dialog.hint) == dialog.hint.text() != ""
        assert description(dialog.hint) == "Passphrase strength"
        assert label_of(dialog.passphrase) == ["Passphrase:"]
        qtbot.keyClicks(dialog.again, "shorter")
        click(qtbot, dialog.create_button)
        read["problem"] = name(dialog.problem)
        assert misreadings(dialog) == []
        for field in (dialog.passphrase, dialog.again):
            field.clear()
            qtbot.keyClicks(field, PASSPHRASE)
        click(qtbot, dialog.create_button)
        assert misreadings(dialog) == []
        read["key"] = name(dialog.recovery_key)
        assert dialog.focusWidget() is dialog.recovery_key  # read out first
        click(qtbot, dialog.copy_button)
        read["copied"] = name(dialog.copied)
        click(qtbot, dialog.written_down)
        click(qtbot, dialog.continue_button)

    when_dialog_opens(choose)
    assert open_database(tmp_path) is not None
    assert read["problem"] == "The two passphrases differ. Type the same one twice."
    key = read["key"].split()
    assert len(key) == 12 and all(len(group) == 4 for group in key)
    assert QApplication.clipboard().text() == "-".join(key)
    assert read["copied"].startswith("Copied.")
    assert session.unlock_with_recovery_key(tmp_path, " ".join(key)).encrypted


def test_unlock_reads_the_wrong_passphrase_message(qtbot: QtBot, tmp_path: Path) -> None:
    session.create_encrypted(tmp_path, PASSPHRASE)
    read: list[str] = []

    def wrong(dialog: QDialog) -> None:
        assert isinstance(dialog, UnlockDialog)
        assert label_of(dialog.secret) == ["Passphrase:"]
        qtbot.keyClicks(dialog.secret, "Nguyen Thi Lan")
        click(qtbot, dialog.unlock_button)
        read.append(name(dialog.problem))
        assert misreadings(dialog) == []
        click(qtbot, dialog.switch)
        assert misreadings(dialog) == []
        dialog.reject()

    when_dialog_opens(wrong)
    assert open_database(tmp_path) is None
    assert read[0].startswith("That passphrase does not open")


def test_lock_screen_reads_its_message(qtbot: QtBot, window: MainWindow) -> None:
    guard = window.findChild(PrivacyGuard)
    assert guard is not None
    screen = guard.lock_screen
    guard.lock_now()
    assert misreadings(window) == []
    assert headings(window) == ["coreform is locked"]
    assert name(screen.secret) == "Password or passphrase to unlock"
    click(qtbot, screen.unlock_button)  # no passphrase here: a privacy screen only
    assert not guard.locked


def _shown(qtbot: QtBot, dialog: QWidget) -> QWidget:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_every_other_dialog_reads_as_it_shows(qtbot: QtBot, ui_services: Services) -> None:
    amend = _shown(qtbot, AmendReasonDialog())
    assert isinstance(amend, AmendReasonDialog)
    click(qtbot, amend.amend_button)  # no reason given: refused, the message on the field
    assert name(amend.error) == amend.error.text() != ""
    assert name(amend.reason) == "Reason for the amendment"
    assert description(amend.reason) == f"Required. Invalid: {amend.error.text()}"
    password = _shown(qtbot, PdfPasswordDialog())
    assert isinstance(password, PdfPasswordDialog)
    focus(qtbot, password.password)
    qtbot.keyClicks(password.password, "short")
    qtbot.keyClick(password.password, Qt.Key.Key_Return)
    assert name(password.problem) == password.problem.text() != ""
    dialogs = [
        amend,
        password,
        _shown(qtbot, SharedDatabaseDialog(ConnectionConfig())),
        _shown(qtbot, FirstAdministratorDialog(ui_services)),
    ]
    ui_services.create_account("amira.haddad", "correct horse battery", Role.ADMINISTRATOR)
    ui_services.sign_in("amira.haddad", "correct horse battery")
    dialogs += [
        _shown(qtbot, SignInDialog(ui_services)),
        _shown(qtbot, AccountFormDialog(ui_services, None)),
    ]
    for dialog in dialogs:
        assert misreadings(dialog) == [], dialog.windowTitle()
        dialog.close()
    wizard = _shown(qtbot, SetupWizard(ui_services))
    assert isinstance(wizard, SetupWizard)
    for _page in wizard.pageIds():
        assert misreadings(wizard) == [], wizard.currentPage().title()
        wizard.next()
    wizard.close()


def _tables(window: MainWindow) -> dict[str, QTableView]:
    administration, audit = window.administration, window.audit_trail
    assert administration is not None and audit is not None
    return {
        "My records": window.my_records.table,
        "Outbox": window.outbox.table,
        "Audit trail": audit.table,
        "Administration": administration.accounts_table,
    }


def test_tab_and_shift_tab_leave_every_table_and_arrows_move_within(
    qtbot: QtBot, window: MainWindow, ui_services: Services, full_record: MonitoringRecord
) -> None:
    first = ui_services.submit_and_send(christmas_record(full_record)).record
    second = christmas_record(full_record)
    second.id, second.family_id = "second-record", first.family_id
    ui_services.submit_and_send(second)
    ui_services.create_account("amira.haddad", "correct horse battery", Role.ADMINISTRATOR)
    ui_services.sign_in("amira.haddad", "correct horse battery")
    ui_services.create_account("bich.tran", "correct horse battery", Role.PRACTITIONER)
    for page, table in _tables(window).items():
        click_item(qtbot, window.nav, page)
        table.model().fetchMore(table.rootIndex())
        assert table.model().rowCount() >= 2, page
        for key in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab):
            focus(qtbot, table)
            table.setCurrentIndex(table.model().index(0, 0))
            qtbot.keyClick(table, Qt.Key.Key_Down)
            assert table.currentIndex().row() == 1, page  # arrows move within
            qtbot.keyClick(table, key)
            landed = QApplication.focusWidget()
            assert landed is not None and landed is not table, (page, key)
            assert not table.isAncestorOf(landed), (page, key)


def test_f6_moves_between_the_navigation_and_the_page(qtbot: QtBot, window: MainWindow) -> None:
    click_item(qtbot, window.nav, "Settings")
    focus(qtbot, window.nav)
    qtbot.keyClick(window.nav, Qt.Key.Key_F6)
    landed = QApplication.focusWidget()
    assert landed is not None and window.settings_page.isAncestorOf(landed)
    qtbot.keyClick(landed, Qt.Key.Key_F6)
    assert QApplication.focusWidget() is window.nav
    window.start_record(None)
    type_into(qtbot, window.editor.rows["family_name"], "Begum")
    qtbot.keyClick(window.editor.rows["family_name"].inputs[0], Qt.Key.Key_F6)
    assert QApplication.focusWidget() is window.nav
    qtbot.keyClick(window.nav, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is window.editor.rows["family_name"].inputs[0]


def test_settings_refuse_what_the_editor_would_and_say_where(
    qtbot: QtBot, window: MainWindow, ui_services: Services
) -> None:
    click_item(qtbot, window.nav, "Settings")
    page = window.settings_page
    email = page.rows["me.email"]
    email.inputs[0].clear()  # type: ignore[attr-defined]
    type_into(qtbot, email, "not-an-email")
    focus(qtbot, page.mail.method)
    qtbot.keyClick(page.mail.method, Qt.Key.Key_Down)  # through the mail server: which one?
    focus(qtbot, page.mail.from_address)
    qtbot.keyClicks(page.mail.from_address, "office at school")
    click(qtbot, page.save_button)
    assert page.problem.text() == "Not saved: 3 problems to fix, marked beside the fields."
    assert name(page.problem) == page.problem.text()
    assert "Your email does not look right" in email.marker.text()
    assert description(email.inputs[0]).startswith("Invalid: Your email does not look right")
    assert description(page.mail.from_address).startswith("Invalid: The From address")
    assert description(page.mail.host).startswith("Invalid: Enter the mail server")
    assert "Enter the mail server" in name(page.mail.problem)
    assert QApplication.focusWidget() is email.inputs[0]
    assert ui_services.get_settings().me.email == "sam@school.example"  # nothing saved

    email.inputs[0].clear()  # type: ignore[attr-defined]
    type_into(qtbot, email, "sam.patel@school.example")
    page.mail.from_address.clear()
    qtbot.keyClicks(page.mail.from_address, "office@school.example")
    focus(qtbot, page.mail.host)
    qtbot.keyClicks(page.mail.host, "smtp.school.example")
    click(qtbot, page.save_button)
    assert page.status.text() == "Settings saved." and page.problem.text() == ""
    assert description(email.inputs[0]) == ""
    assert ui_services.get_settings().me.email == "sam.patel@school.example"
    assert ui_services.get_settings().mail.from_address == "office@school.example"
