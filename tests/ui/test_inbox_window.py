"""The key worker's inbox in the window: import by the menu and by drop (a protected PDF asks for
its password), "Has issues" and sharing reach a loopback SMTP server, and the child's chronology
exports 1,000 entries with progress and can be cancelled."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from coreform.chronology import ExportFormat
from coreform.outbox import RecipientKind, Transport
from coreform.records import (
    Child,
    ChildObservation,
    CoreGroupMember,
    Family,
    KeyWorker,
    MonitoringRecord,
    PlanType,
    Practitioner,
    RecordState,
    SendMethod,
    Setting,
)
from coreform.services import Services
from coreform.settings import MailSecurity, MailSettings, PdfProtection
from coreform.storage.engine import create_engine_for
from coreform.storage.unit_of_work import UnitOfWork
from reports.mail import SUBJECT
from tests.conftest import open_mailing
from tests.qtbot import QtBot
from tests.test_mail import Inbox, start
from tests.test_received_minutes import attached_pdf
from tests.ui.conftest import CHRISTMAS_EVE, choose_file_when_asked, when_dialog_opens
from tests.ui.helpers import click
from ui.dialogs.has_issues import HasIssuesDialog
from ui.dialogs.received_password import ReceivedPasswordDialog
from ui.main_window import MainWindow
from ui.navigation import NAV_CHRONOLOGY, NAV_INBOX

HEALTH_VISITOR = Practitioner(
    "Nasreen Akhtar",
    "Health visitor",
    "Riverside NHS Trust",
    "n.akhtar@nhs.example",
    "07700 900123",
)
AYESHA = Child("Ayesha Begum", dt.date(2019, 4, 2), PlanType.CP, "LCS-2231", id="a" * 32)
YUSUF = Child("Yusuf Begum", dt.date(2025, 11, 20), PlanType.CP, id="b" * 32)


def begum_record() -> MonitoringRecord:
    """A home visit two days before Christmas Eve 2026, complete and on time."""
    return MonitoringRecord(
        family_name="Begum",
        children=[
            ChildObservation(
                child=copy.deepcopy(AYESHA),
                seen=True,
                spoken_with=True,
                seen_alone=True,
                bedroom_seen=True,
                presentation="Talkative; showed her school reading book.",
                wishes_and_feelings="'I want to stay at my school.'",
            ),
            ChildObservation(
                child=copy.deepcopy(YUSUF),
                seen=True,
                spoken_with=False,
                seen_alone=False,
                not_seen_alone_reason="A baby: seen with his mother.",
                seen_awake=True,
                bedroom_seen=True,
                presentation="Awake and feeding well.",
                wishes_and_feelings="Too young to say; settled in his mother's arms.",
            ),
        ],
        key_worker=KeyWorker("Sam Patel", "sam@school.example", "CP Team 1", "01632 960123"),
        completed_by=copy.deepcopy(HEALTH_VISITOR),
        visit_date=dt.date(2026, 12, 22),
        visit_time=dt.time(10, 0),
        setting=Setting.HOME,
        announced=True,
        purpose="Plan task 2: weigh Yusuf and check sleeping arrangements.",
        others_present="Mother.",
        observations="Home warm; food in the cupboards.",
        home_conditions="Clean; cot made up.",
        family_circumstances="Father working nights.",
        new_incidents=False,
        immediate_concerns=False,
        parents_informed=True,
        copy_to_parents=False,
        no_copy_reason="A copy would put the child at risk of harm.",
        date_completed=dt.date(2026, 12, 23),
        send_method=SendMethod.EMAIL,
        next_contact=dt.date(2027, 1, 5),
    )


@pytest.fixture
def sender(tmp_path: Path) -> Iterator[Services]:
    """The health visitor's own coreform, on its own database."""
    (tmp_path / "sender").mkdir()
    folder = tmp_path / "sender"
    services = open_mailing(f"sqlite:///{folder / 'coreform.db'}", folder, lambda: CHRISTMAS_EVE)
    settings = services.get_settings()
    settings.me = copy.deepcopy(HEALTH_VISITOR)
    services.save_settings(settings)
    yield services
    services.close()


@pytest.fixture
def smtp(ui_services: Services) -> Iterator[Inbox]:
    """The key worker's coreform sends through a plain SMTP server on loopback."""
    inbox = Inbox()
    controller, port = start(inbox)
    settings = ui_services.get_settings()
    settings.mail = MailSettings(
        send_method=Transport.SMTP,
        smtp_host="127.0.0.1",
        smtp_port=port,
        security=MailSecurity.PLAIN,
        from_address="sam@school.example",
        timeout_seconds=5,
    )
    ui_services.save_settings(settings)
    ui_services.set_allow_plain_smtp(True)
    yield inbox
    controller.stop()


def sent_to_key_worker(sender: Services, record: MonitoringRecord, **kwargs: str) -> bytes:
    result = sender.submit_and_send(record, **kwargs)
    return next(m.raw for m in result.messages if m.recipient_kind is RecipientKind.KEY_WORKER)


def screenshots(tmp_path: Path) -> Path:
    """COREFORM_SCREENSHOTS=docs/screenshots keeps the pictures for the documentation."""
    return Path(os.environ.get("COREFORM_SCREENSHOTS", tmp_path))


def show_inbox(qtbot: QtBot, window: MainWindow) -> None:
    window.nav.setCurrentRow(NAV_INBOX)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.inbox)


def select_first(qtbot: QtBot, window: MainWindow) -> None:
    table = window.inbox.table
    rect = table.visualRect(window.inbox.model.index(0, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.inbox.selected() is not None


def drop(window: MainWindow, path: Path) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(path))])
    action = Qt.DropAction.CopyAction
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(QPoint(50, 50), action, data, buttons, keys)
    QApplication.sendEvent(window, enter)
    assert enter.isAccepted()
    QApplication.sendEvent(window, QDropEvent(QPointF(50, 50), action, data, buttons, keys))


def test_import_by_the_menu_and_a_protected_email_dropped_on_the_window(
    qtbot: QtBot, window: MainWindow, sender: Services, tmp_path: Path
) -> None:
    received = tmp_path / "CG-received.pdf"
    received.write_bytes(attached_pdf(sent_to_key_worker(sender, begum_record())))

    choose_file_when_asked(received)
    window.import_action.trigger()
    qtbot.waitUntil(
        lambda: window.inbox.model.rowCount() == 1 and not window.receiving.importer.running
    )
    assert window.stack.currentWidget() is window.inbox
    assert "1 new record is filed." in window.inbox.banner.text()
    assert window.inbox.model.index(0, 6).data() == "On time"

    settings = sender.get_settings()
    settings.mail.pdf_protection = PdfProtection.ASK
    sender.save_settings(settings)
    second = begum_record()
    second.visit_date, second.date_completed = dt.date(2026, 12, 23), dt.date(2026, 12, 24)
    second.family_id = sender.find_families()[0].id  # the family the first record remembered
    email = tmp_path / "message.eml"
    email.write_bytes(sent_to_key_worker(sender, second, pdf_password="Lantern-42-Tide"))
    typed: list[bool] = []

    def type_password(dialog: QDialog) -> None:
        assert isinstance(dialog, ReceivedPasswordDialog)
        typed.append(dialog.problem.isVisible())
        qtbot.keyClicks(dialog.password, "lantern" if not typed[1:] else "Lantern-42-Tide")
        click(qtbot, dialog.open_button)
        if len(typed) == 1:
            when_dialog_opens(type_password)  # the wrong one is refused and asked again

    when_dialog_opens(type_password)
    drop(window, email)
    qtbot.waitUntil(
        lambda: window.inbox.model.rowCount() == 2 and not window.receiving.importer.running
    )
    assert typed == [False, True]  # the second time it says the first was wrong
    assert "1 new record is filed." in window.inbox.banner.text()


def test_has_issues_reaches_the_sender_by_smtp(
    qtbot: QtBot,
    window: MainWindow,
    ui_services: Services,
    sender: Services,
    smtp: Inbox,
    tmp_path: Path,
) -> None:
    [outcome] = ui_services.receive_file(
        "CG.pdf", attached_pdf(sent_to_key_worker(sender, begum_record()))
    )
    show_inbox(qtbot, window)
    select_first(qtbot, window)

    def write_issues(dialog: QDialog) -> None:
        assert isinstance(dialog, HasIssuesDialog)
        qtbot.keyClicks(dialog.issues, "Ayesha's wishes are recorded twice.")
        click(qtbot, dialog.send_button)
        assert "Do not name the child" in dialog.error.text()  # refused, nothing sent
        dialog.issues.clear()
        assert not dialog.error.text()  # the complaint goes once the text changes
        qtbot.keyClicks(dialog.issues, "The start time is missing its minutes; please check it.")
        dialog.grab().save(str(screenshots(tmp_path) / "inbox-has-issues.png"))
        click(qtbot, dialog.send_button)

    when_dialog_opens(write_issues)
    click(qtbot, window.inbox.issues_button)
    qtbot.waitUntil(lambda: len(smtp.received) == 1, timeout=10_000)
    [message] = smtp.received
    assert message["Subject"] == SUBJECT
    assert message["To"].addresses[0].addr_spec == HEALTH_VISITOR.email
    body = message.get_body().get_content()  # type: ignore[union-attr]
    assert outcome.reference in body and "missing its minutes" in body
    assert "Begum" not in message.as_string()
    assert window.inbox.model.index(0, 7).data() == "Has issues"


def test_sharing_sends_one_message_per_member_and_logs_it(
    qtbot: QtBot,
    window: MainWindow,
    ui_services: Services,
    sender: Services,
    smtp: Inbox,
    tmp_path: Path,
) -> None:
    ui_services.save_family(
        Family(
            name="Begum",
            children=[copy.deepcopy(AYESHA), copy.deepcopy(YUSUF)],
            core_group=[
                CoreGroupMember(
                    "Zofia Kowalska", "Class teacher", "Oak Primary", "z.k@oak.example"
                ),
                CoreGroupMember("Wei Chen", "GP", "Elm Surgery", "w.chen@elm.example"),
                CoreGroupMember("Nasreen Akhtar", "Health visitor", "NHS", HEALTH_VISITOR.email),
            ],
        )
    )
    ui_services.receive_file("CG.pdf", attached_pdf(sent_to_key_worker(sender, begum_record())))
    show_inbox(qtbot, window)
    select_first(qtbot, window)
    click(qtbot, window.inbox.accept_button)
    assert window.inbox.model.index(0, 7).data() == "Accepted"
    click(qtbot, window.inbox.share_button)
    qtbot.waitUntil(lambda: len(smtp.received) == 2, timeout=10_000)
    to = sorted(m["To"].addresses[0].addr_spec for m in smtp.received)
    assert to == ["w.chen@elm.example", "z.k@oak.example"]  # not the sender, no one twice
    assert all(m["Subject"] == SUBJECT for m in smtp.received)
    window.inbox.refresh()
    qtbot.waitUntil(lambda: window.inbox.details.text().count(": Sent Thu 24 Dec 2026.") == 2)
    assert "shared with Zofia Kowalska (Class teacher)" in window.inbox.details.text()
    window.grab().save(str(screenshots(tmp_path) / "inbox.png"))


def test_exporting_1000_entries_shows_progress_and_can_be_cancelled(
    qtbot: QtBot, window: MainWindow, ui_services: Services, tmp_path: Path
) -> None:
    family = ui_services.save_family(
        Family(name="Nguyễn", children=[Child("Nguyễn Văn An", dt.date(2015, 8, 1))])
    )
    record = begum_record()
    record.family_id, record.family_name = family.id, family.name
    record.children = record.children[:1]
    record.children[0].child = family.children[0]
    record.lateness_reason = "Entered from the paper file."
    record.state, record.submitted_at = RecordState.SUBMITTED, CHRISTMAS_EVE
    agencies = ("Riverside NHS Trust", "Oak Primary", "Elm Surgery")
    # Seeded in one transaction: 1,000 submits, each its own durable commit, take a minute.
    engine = create_engine_for(f"sqlite:///{tmp_path / 'coreform.db'}")
    with UnitOfWork(engine) as uow:
        for day in range(1000):
            entry = copy.deepcopy(record)
            entry.id = f"{day:032x}"
            entry.reference = f"CG-2026-{day:05d}"
            entry.visit_date = dt.date(2024, 1, 1) + dt.timedelta(days=day)
            entry.completed_by.agency = agencies[day % 3]
            uow.records.add(entry, session_id=None)
    engine.dispose()
    window.nav.setCurrentRow(NAV_CHRONOLOGY)
    page = window.chronology
    qtbot.waitUntil(lambda: page.model.total == 1000)
    assert page.model.index(0, 0).data() == "26/09/2026"  # newest first
    qtbot.keyClicks(page.agency, "oak")
    qtbot.waitUntil(lambda: page.model.total == 333)
    page.agency.clear()
    qtbot.waitUntil(lambda: page.model.total == 1000)
    window.grab().save(str(screenshots(tmp_path) / "chronology.png"))

    steps: list[tuple[int, int]] = []
    page.export_progress.connect(lambda done, total: steps.append((done, total)))
    target = tmp_path / "chronology.csv"

    def save_as(path: Path) -> None:
        def handler(dialog: QDialog) -> None:
            assert isinstance(dialog, QFileDialog)
            dialog.selectFile(str(path))
            dialog.accept()

        when_dialog_opens(handler)

    page.format.setCurrentIndex(page.format.findData(ExportFormat.CSV))
    save_as(target)
    click(qtbot, page.export_button)
    qtbot.waitUntil(lambda: "Exported 1000 entries" in page.banner.text(), timeout=20_000)
    assert steps[0] == (200, 1000) and steps[-1] == (1000, 1000)
    with target.open(encoding="utf-8-sig", newline="") as file:
        assert len(list(csv.reader(file))) == 1001

    stopped = tmp_path / "stopped.xlsx"
    page.format.setCurrentIndex(page.format.findData(ExportFormat.XLSX))
    save_as(stopped)
    click(qtbot, page.export_button)
    assert page.progress.isVisible() and page.cancel_button.isEnabled()
    click(qtbot, page.cancel_button)
    qtbot.waitUntil(lambda: "cancelled" in page.banner.text(), timeout=20_000)
    assert not stopped.exists() and not page.progress.isVisible()


def test_the_fillable_form_is_saved_from_the_childs_file(
    qtbot: QtBot, window: MainWindow, ui_services: Services, tmp_path: Path
) -> None:
    ui_services.save_family(Family(name="Begum", children=[copy.deepcopy(AYESHA)]))
    window.nav.setCurrentRow(NAV_CHRONOLOGY)
    page = window.chronology
    qtbot.waitUntil(lambda: page.form_button.isEnabled())
    folder = tmp_path / "forms"
    folder.mkdir()

    choose_file_when_asked(folder)
    click(qtbot, page.form_button)
    qtbot.waitUntil(lambda: "Saved CG-form-" in page.banner.text())
    [saved] = folder.iterdir()
    assert saved.read_bytes().startswith(b"%PDF-")


def test_a_record_saved_into_the_watched_folder_is_imported(
    qtbot: QtBot, window: MainWindow, sender: Services, tmp_path: Path
) -> None:
    attachments = tmp_path / "attachments"
    attachments.mkdir()
    (attachments / "old-letter.pdf").write_bytes(b"%PDF-1.4 not a record")  # there before: left
    show_inbox(qtbot, window)

    choose_file_when_asked(attachments)
    click(qtbot, window.inbox.watch_button)
    assert str(attachments) in window.inbox.watched.text()
    window.nav.setCurrentRow(NAV_CHRONOLOGY)  # the user is elsewhere when mail arrives
    (attachments / "CG.pdf").write_bytes(attached_pdf(sent_to_key_worker(sender, begum_record())))
    qtbot.waitUntil(lambda: window.inbox.model.rowCount() == 1, timeout=10_000)
    assert window.stack.currentWidget() is window.chronology  # not pulled away from their work
    assert "1 new record is filed." in window.inbox.banner.text()
    click(qtbot, window.inbox.watch_button)
    assert window.receiving.folder_watcher.folder is None and window.inbox.watched.text() == ""
