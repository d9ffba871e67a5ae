"""Sending from the window: submit sends off the GUI thread, the Outbox page, mail settings."""

from __future__ import annotations

import copy
import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog

from coreform.outbox import OutboxState, Transport
from coreform.records import LONDON, MonitoringRecord, RecordState
from coreform.services import Services
from coreform.settings import MailSecurity, PdfProtection
from tests.conftest import MemoryKeyring
from tests.qtbot import QtBot
from tests.test_mail import free_port
from tests.ui.conftest import CHRISTMAS_EVE, when_dialog_opens
from tests.ui.helpers import click, click_item, focus
from ui.dialogs.pdf_password import PdfPasswordDialog
from ui.dialogs.submit_summary import SubmitSummaryDialog
from ui.main_window import MainWindow


def christmas_record(full_record: MonitoringRecord) -> MonitoringRecord:
    """The shared full record, moved to a visit the day before Christmas Eve 2026."""
    record = copy.deepcopy(full_record)
    record.visit_date = dt.date(2026, 12, 23)
    record.concerns_told_at = dt.datetime(2026, 12, 23, 16, 5, tzinfo=LONDON)
    record.date_completed = None
    record.next_contact = dt.date(2027, 1, 5)
    return record


def submit_in_window(
    qtbot: QtBot, window: MainWindow, services: Services, record: MonitoringRecord
) -> MonitoringRecord:
    draft = services.save_draft(record)
    window.open_record(draft.id)
    submit_confirmed(qtbot, window)
    return draft


def submit_confirmed(qtbot: QtBot, window: MainWindow) -> None:
    """Submits the record in the editor, confirming the summary, and waits for its view."""

    def confirm(dialog: QDialog) -> None:
        assert isinstance(dialog, SubmitSummaryDialog)
        dialog.accept()

    when_dialog_opens(confirm)
    window.editor.submit()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.record_view, timeout=60_000)


def test_submit_sends_in_the_background_and_the_record_shows_it(
    qtbot: QtBot,
    window: MainWindow,
    ui_services: Services,
    full_record: MonitoringRecord,
    opened_drafts: list[Path],
) -> None:
    draft = submit_in_window(qtbot, window, ui_services, christmas_record(full_record))
    qtbot.waitUntil(lambda: len(opened_drafts) == 1, timeout=5000)
    qtbot.waitUntil(lambda: not window.outbox_sender.running, timeout=5000)
    assert ui_services.get_record(draft.id).state is RecordState.SUBMITTED
    # Visit Wed 23 Dec: due Tue 29 Dec (Christmas and Boxing Day substitute are not counted).
    qtbot.waitUntil(
        lambda: window.record_view.sending_state.text().startswith(
            "Handed to your email program: not sent until you send it there, then choose "
            "“I have sent it” — due Tue 29 Dec."
        ),
        timeout=20_000,
    )
    assert "sam.lee@council.example" in window.record_view.sending.text()


def test_an_encrypted_pdf_reminds_the_sender_to_give_the_password_another_way(
    qtbot: QtBot,
    window: MainWindow,
    ui_services: Services,
    full_record: MonitoringRecord,
    opened_drafts: list[Path],
) -> None:
    settings = ui_services.get_settings()
    settings.mail.pdf_protection = PdfProtection.ASK
    ui_services.save_settings(settings)
    draft = ui_services.save_draft(christmas_record(full_record))
    window.open_record(draft.id)

    def give_password(dialog: QDialog) -> None:
        assert isinstance(dialog, PdfPasswordDialog)
        dialog.password.setText("Kettle-7-Moon")
        dialog.again.setText("Kettle-7-Moon")
        dialog.accept()

    def confirm(dialog: QDialog) -> None:
        assert isinstance(dialog, SubmitSummaryDialog)
        when_dialog_opens(give_password)
        dialog.accept()

    when_dialog_opens(confirm)
    window.editor.submit()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.record_view, timeout=60_000)
    assert "by phone or another channel" in window.record_view.banner.text()
    qtbot.waitUntil(lambda: len(opened_drafts) == 1, timeout=5000)
    assert b"Kettle-7-Moon" not in opened_drafts[0].read_bytes()


def test_outbox_lists_states_in_words_and_retry_and_cancel_work_by_keyboard(
    qtbot: QtBot,
    window: MainWindow,
    ui_services: Services,
    full_record: MonitoringRecord,
) -> None:
    settings = ui_services.get_settings()
    settings.mail.send_method = Transport.SMTP
    settings.mail.smtp_host = "127.0.0.1"
    settings.mail.smtp_port = free_port()  # nobody listens: a temporary failure
    settings.mail.security = MailSecurity.STARTTLS
    settings.mail.timeout_seconds = 2
    ui_services.save_settings(settings)
    [queued] = ui_services.submit_and_send(christmas_record(full_record)).messages
    click_item(qtbot, window.nav, "Outbox")
    page = window.outbox
    assert window.stack.currentWidget() is page
    assert page.table.accessibleName().startswith("Outbox")
    click(qtbot, page.send_button)
    qtbot.waitUntil(lambda: not window.outbox_sender.running, timeout=10_000)
    qtbot.waitUntil(lambda: "1 not sent yet" in page.status.text(), timeout=5000)
    row = [page.model.index(0, c).data() for c in range(page.model.columnCount())]
    assert row[:5] == [
        "Key worker",
        "sam.lee@council.example",
        f"{ui_services.get_record(queued.record_id).reference} v1",
        "Not sent yet — will try again",
        "1",
    ]
    assert row[5].startswith("Thu 24 Dec 2026") and "could not be reached" in row[6]

    focus(qtbot, page.table)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    page.table.selectRow(0)
    assert page.cancel_button.isEnabled() and page.retry_button.isEnabled()
    focus(qtbot, page.cancel_button)
    qtbot.keyClick(page.cancel_button, Qt.Key.Key_Space)
    assert page.model.index(0, 3).data() == "Cancelled"
    assert not page.cancel_button.isEnabled()
    focus(qtbot, page.retry_button)
    qtbot.keyClick(page.retry_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: not window.outbox_sender.running, timeout=10_000)
    qtbot.waitUntil(lambda: page.model.index(0, 4).data() == "2", timeout=5000)
    for button in (page.send_button, page.retry_button, page.cancel_button):
        assert button.accessibleName() and button.focusPolicy() != Qt.FocusPolicy.NoFocus


def test_mail_settings_save_and_the_password_goes_to_the_keyring_only(
    qtbot: QtBot,
    window: MainWindow,
    ui_services: Services,
    memory_keyring: MemoryKeyring,
    tmp_path: Path,
) -> None:
    click_item(qtbot, window.nav, "Settings")
    form = window.settings_page.mail
    assert not form.host.isEnabled()  # drafts by default: nothing to configure
    form.method.set_value(Transport.SMTP)
    assert form.host.isEnabled()
    form.host.setText("smtp.school.example")
    form.port.setValue(465)
    form.security.set_value(MailSecurity.TLS)
    form.username.setText("sam")
    form.password.setText("Pa55-word-xyz")
    click(qtbot, form.save_password_button)
    assert "saved" in form.status.text() and form.password.text() == ""
    window.settings_page.save()
    mail = ui_services.get_settings().mail
    assert (mail.send_method, mail.smtp_host, mail.smtp_port, mail.security, mail.username) == (
        Transport.SMTP,
        "smtp.school.example",
        465,
        MailSecurity.TLS,
        "sam",
    )
    assert memory_keyring.saved == {("coreform-smtp", "sam@smtp.school.example"): "Pa55-word-xyz"}
    assert b"Pa55-word-xyz" not in (tmp_path / "coreform.db").read_bytes()
    form.security.set_value(MailSecurity.PLAIN)  # not allowed by the administrator
    assert "only an administrator" in form.status.text()
    assert form.value(mail).security is MailSecurity.STARTTLS


def test_outbox_screenshot(
    qtbot: QtBot,
    window: MainWindow,
    ui_services: Services,
    full_record: MonitoringRecord,
    tmp_path: Path,
) -> None:
    """The Outbox page with a draft handed to the email program (selected: what can be done with
    it), a message waiting to retry and a cancelled one."""
    first = ui_services.submit_and_send(christmas_record(full_record)).record
    ui_services.process_outbox()
    settings = ui_services.get_settings()
    settings.mail.send_method = Transport.SMTP
    settings.mail.smtp_host = "127.0.0.1"
    settings.mail.smtp_port = free_port()
    ui_services.save_settings(settings)
    second = christmas_record(full_record)
    second.id = "second-record"
    second.family_id = first.family_id  # the same family: its children are already known
    ui_services.submit_and_send(second)
    third = christmas_record(full_record)
    third.id = "third-record"
    third.family_id = first.family_id
    [cancelled] = ui_services.submit_and_send(third).messages
    assert cancelled.id is not None
    ui_services.cancel_outbox_item(cancelled.id)
    ui_services.process_outbox(CHRISTMAS_EVE)
    click_item(qtbot, window.nav, "Outbox")
    window.outbox.table.selectRow(2)
    QApplication.processEvents()
    states = [window.outbox.model.row(r).state for r in range(3)]
    assert states == [OutboxState.CANCELLED, OutboxState.FAILED, OutboxState.HANDED_OVER]
    assert window.outbox.confirm_button.isEnabled()
    # COREFORM_SCREENSHOTS=docs/screenshots keeps the picture for the documentation.
    folder = Path(os.environ.get("COREFORM_SCREENSHOTS", tmp_path))
    assert window.grab().save(str(folder / "outbox.png"))
