"""Issue 10, acceptance 1: sending states that are true, driven as a user drives the window.

No mail program: PATH holds no opener, so the real opener fails as it does on a computer with
none (the offscreen platform's QDesktopServices.openUrl returns False for every file and folder,
which the Outbox's "Show the file" meets too). A restart two days later reopens the window on the
same database with the services' clock moved on; a loopback aiosmtpd server is the mail server.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from coreform.outbox import OutboxEntry, OutboxState
from coreform.records import MonitoringRecord, Practitioner, new_id
from coreform.services import Services
from coreform.settings import MailSecurity
from reports.dispatch import MailDispatcher
from tests.conftest import MovingClock
from tests.qtbot import QtBot
from tests.test_mail import Inbox, start
from tests.ui.conftest import CHRISTMAS_EVE
from tests.ui.helpers import click, click_item
from tests.ui.test_outbox import christmas_record, submit_in_window
from ui.app import start_window
from ui.main_window import MainWindow
from ui.pages.sending_reminder import SendingReminder

SENT = re.compile(r"\bSent\b")  # the word the app keeps for a server's acceptance


@pytest.fixture
def no_mail_program(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No xdg-open, no open, no mail program: nothing on PATH."""
    empty = tmp_path / "no-programs"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


@pytest.fixture
def mail_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller, port = start(inbox)
    yield inbox, port
    controller.stop()


def open_app(qtbot: QtBot, tmp_path: Path, clock: MovingClock) -> tuple[Services, MainWindow]:
    """coreform starting on the same database and drafts folder, with the real opener."""
    services = Services.open(
        f"sqlite:///{tmp_path / 'coreform.db'}",
        clock=clock,
        dispatcher=MailDispatcher(tmp_path / "drafts"),
    )
    window = start_window(services, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return services, window


def quit_app(services: Services, window: MainWindow) -> None:
    window.close()  # waits for a message mid-send
    services.end_session()
    services.close()


def outbox_row(window: MainWindow, reference: str) -> int:
    model = window.outbox.model
    rows = [r for r in range(model.rowCount()) if model.index(r, 2).data().startswith(reference)]
    assert rows, f"{reference} not in the Outbox"
    return rows[0]


def select_in_outbox(qtbot: QtBot, window: MainWindow, reference: str) -> OutboxEntry:
    click_item(qtbot, window.nav, "Outbox")
    row = outbox_row(window, reference)
    window.outbox.table.selectRow(row)
    return window.outbox.model.row(row)


def screenshot(window: MainWindow, tmp_path: Path, name: str) -> None:
    # COREFORM_SCREENSHOTS=docs/screenshots keeps the picture for the README.
    QApplication.processEvents()
    folder = Path(os.environ.get("COREFORM_SCREENSHOTS", tmp_path))
    assert window.grab().save(str(folder / name))


# What the offscreen platform really says when "Show the file" asks it to open the folder (this
# marker replaces the suite's, so it repeats the suite's pattern).
@pytest.mark.qt_log_ignore(
    "does not support propagateSizeHints", "does not support QPlatformServices::openDocument"
)
@pytest.mark.skipif(sys.platform == "win32", reason="a computer with no opener: PATH emptied")
def test_without_a_mail_program_nothing_is_called_sent_until_it_is(
    qtbot: QtBot,
    tmp_path: Path,
    full_record: MonitoringRecord,
    no_mail_program: None,
    mail_server: tuple[Inbox, int],
) -> None:
    clock = MovingClock(CHRISTMAS_EVE)
    services, window = open_app(qtbot, tmp_path, clock)
    settings = services.get_settings()
    settings.me = Practitioner(
        name="Sam Patel", role="School nurse", agency="Riverside School", email="sam@school.example"
    )
    services.save_settings(settings)
    records = []
    for family, key_worker in (("Nguyễn", "Zoë Ødegård-Nguyễn"), ("Chowdhury", "Farhana Ali")):
        record = christmas_record(full_record)
        record.id, record.family_name = new_id(), family
        record.key_worker.name = key_worker
        for observation in record.children:
            observation.child.id = new_id()
        submit_in_window(qtbot, window, services, record)
        view = window.record_view
        qtbot.waitUntil(
            lambda: "no email program" in window.record_view.sending_state.text(), timeout=30_000
        )
        records.append(services.get_record(record.id))
        # The state says so, the record stays due, and nothing reads "Sent".
        assert view.sending_state.text().startswith(
            "Not sent: no email program could open the draft. In the Outbox, open it again, "
            "show the file, or send it through the mail server instead — due Tue 29 Dec."
        )
        assert (
            not SENT.search(view.sending_state.text() + view.sending.text())
            and view.confirm_button.isVisible()
        )
    first, second = records
    click_item(qtbot, window.nav, "My records")
    waiting = [window.my_records.model.index(row, 4).data() for row in range(2)]
    assert waiting == ["Not sent — the draft did not open; due Tue 29 Dec 2026"] * 2

    # The Outbox offers what can be done; "Show the file" says where it is when no folder opens.
    item = select_in_outbox(qtbot, window, first.reference)
    page = window.outbox
    assert item.state is OutboxState.NOT_OPENED and Path(item.draft_path).is_file()
    for button in (page.open_again_button, page.show_file_button, page.by_server_button):
        assert button.isEnabled()
    assert not page.cancel_button.isEnabled()
    click(qtbot, page.show_file_button)
    assert page.status.text().endswith(f"saved as {item.draft_path}")
    click(qtbot, page.open_again_button)  # the same draft, still no program to open it
    qtbot.waitUntil(lambda: not window.outbox_sender.running, timeout=30_000)
    qtbot.waitUntil(lambda: "not opened by any" in page.status.text(), timeout=20_000)
    assert sorted(p.name for p in (tmp_path / "drafts").iterdir()) == sorted(
        Path(services.sending_history(r.id)[0].draft_path).name for r in records
    )
    quit_app(services, window)

    # Two days later coreform opens again: the drafts are kept and the user is reminded.
    clock.now = CHRISTMAS_EVE + dt.timedelta(days=2)
    services, window = open_app(qtbot, tmp_path, clock)
    reminder = window.sending_reminder
    assert reminder.isVisible() and reminder.items.count() == 2
    assert all(
        Path(h.draft_path).is_file() for r in records for h in services.sending_history(r.id)
    )
    click_item(qtbot, window.nav, "Outbox")
    select_in_outbox(qtbot, window, second.reference)
    screenshot(window, tmp_path, "outbox-draft-actions.png")
    click(qtbot, reminder.later_button)
    assert not reminder.isVisible()

    # "I have sent it" on the record: sent now, as the user says, and the deadline counts it.
    window.open_record(first.id)
    view = window.record_view
    qtbot.waitUntil(lambda: view.confirm_button.isVisible(), timeout=20_000)
    screenshot(window, tmp_path, "record-sending-state.png")
    click(qtbot, view.confirm_button)
    assert view.sending_state.text().startswith(
        "Confirmed sent to the key worker from your email program on Sat 26 Dec 2026 — in time "
        "(due Tue 29 Dec)"
    )
    assert f"Confirmed sent by {services.current_user}" in view.sending.text()
    assert not view.confirm_button.isVisible()
    assert services.get_record(first.id).date_sent == dt.date(2026, 12, 26)

    # "Send through the mail server instead": first the settings it needs, then it goes.
    select_in_outbox(qtbot, window, second.reference)
    click(qtbot, window.outbox.by_server_button)
    assert window.stack.currentWidget() is window.settings_page
    assert "No mail server is set" in window.settings_page.status.text()
    inbox, port = mail_server
    services.set_allow_plain_smtp(True)  # the loopback server speaks plain SMTP
    settings = services.get_settings()
    settings.mail.smtp_host, settings.mail.smtp_port = "127.0.0.1", port
    settings.mail.security = MailSecurity.PLAIN
    services.save_settings(settings)
    select_in_outbox(qtbot, window, second.reference)
    assert not SENT.search(
        window.outbox.model.index(outbox_row(window, second.reference), 3).data()
    )
    click(qtbot, window.outbox.by_server_button)
    qtbot.waitUntil(lambda: len(inbox.received) == 1, timeout=30_000)
    qtbot.waitUntil(lambda: not window.outbox_sender.running, timeout=30_000)
    row = outbox_row(window, second.reference)
    assert window.outbox.model.index(row, 3).data() == "Sent (accepted by the mail server)"
    assert inbox.received[0]["To"].addresses[0].addr_spec == second.key_worker.email
    window.open_record(second.id)
    assert window.record_view.sending_state.text().startswith(
        "Sent to the key worker on Sat 26 Dec 2026, accepted by the mail server — in time"
    )
    # The locked record says how it went, as the trail does; the draft's story stays there.
    assert "How it was sent\nEmail, through the mail server" in (
        window.record_view.text.toPlainText()
    )
    assert window.record_view.text.find("How it was sent")  # scrolls it into view
    screenshot(window, tmp_path, "record-sent-by-server-instead.png")
    window.open_record(first.id)
    assert "How it was sent\nEmail draft, sent from the practitioner's mail program" in (
        window.record_view.text.toPlainText()
    )
    click_item(qtbot, window.nav, "My records")
    model = window.my_records.model
    listed = {model.row(r).reference: model.index(r, 4).data() for r in range(2)}
    assert listed == {
        first.reference: "Confirmed sent Sat 26 Dec 2026",
        second.reference: "Sent Sat 26 Dec 2026",
    }
    quit_app(services, window)


def test_the_reminder_records_only_the_ticked_drafts_as_sent(
    qtbot: QtBot, ui_services: Services, full_record: MonitoringRecord
) -> None:
    for family in ("Kowalski", "Rahman"):
        record = christmas_record(full_record)
        record.id, record.family_name = new_id(), family
        for observation in record.children:
            observation.child.id = new_id()
        ui_services.submit_and_send(record)
    ui_services.process_outbox()  # both handed to the (stand-in) email program
    reminder = SendingReminder(ui_services)
    qtbot.addWidget(reminder)
    reminder.refresh()
    assert reminder.items.count() == 2
    reminder.items.item(1).setCheckState(Qt.CheckState.Unchecked)  # not sent that one yet
    click(qtbot, reminder.confirm_button)
    assert reminder.status.text() == "1 recorded as sent."
    [left] = ui_services.awaiting_confirmation()
    assert reminder.items.count() == 1 and reminder.ticked() == [left.id]
    states = sorted(item.state for item in ui_services.outbox_items())
    assert states == sorted([OutboxState.CONFIRMED, OutboxState.HANDED_OVER])
