"""First-run set-up as a new user does it: every step typed, a test message, then a record
submitted at once to the key worker typed in the wizard (issue 16)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWizard

from coreform.forms.monitoring import EMAIL_SUBJECT
from coreform.outbox import Transport
from coreform.records import MonitoringRecord, Role
from coreform.services import Services
from coreform.settings import MailSecurity
from coreform.workdays import Nation
from reports.dispatch import MailDispatcher
from reports.mail import TEST_SUBJECT
from tests.qtbot import QtBot
from tests.test_mail import Inbox, start
from tests.ui.conftest import CHRISTMAS_EVE
from tests.ui.test_outbox import christmas_record
from ui.dialogs.setup_wizard import SetupWizard
from ui.pages.form_fields import FieldRow
from ui.pages.settings_page import SETTINGS_FIELDS
from ui.smoke import run_smoke
from ui.workers import OutboxSender


@pytest.fixture
def mail_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller, port = start(inbox)
    yield inbox, port
    controller.stop()


@pytest.fixture
def new_services(tmp_path: Path) -> Iterator[Services]:
    """A database just made, nothing set: what the wizard starts from."""
    services = Services.open(
        f"sqlite:///{tmp_path / 'coreform.db'}",
        clock=lambda: CHRISTMAS_EVE,
        dispatcher=MailDispatcher(tmp_path / "drafts", open_draft=lambda _path: None),
    )
    # The test server speaks plain SMTP on loopback; only an administrator allows that.
    services.set_allow_plain_smtp(True)
    yield services
    services.close()


def type_into(qtbot: QtBot, row: FieldRow, text: str) -> None:
    line = row.inputs[0]
    assert isinstance(line, QLineEdit)
    if text.isascii():
        qtbot.keyClicks(line, text)
    else:  # QTest types Latin-1 only; a keyboard layout or input method inserts the rest
        line.insert(text)


def _shown_wizard(qtbot: QtBot, services: Services) -> SetupWizard:
    wizard = SetupWizard(services)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def test_the_wizard_completed_leaves_a_working_set_up(
    qtbot: QtBot,
    new_services: Services,
    mail_server: tuple[Inbox, int],
    full_record: MonitoringRecord,
) -> None:
    inbox, port = mail_server
    wizard = _shown_wizard(qtbot, new_services)

    type_into(qtbot, wizard.rows["organisation"], "Riverside Primary School")
    wizard.rows["nation"].inputs[0].setFocus()
    qtbot.keyClicks(wizard.rows["nation"].inputs[0], "Scot")
    wizard.next()
    wizard.rows["role"].inputs[0].setFocus()
    qtbot.keyClick(wizard.rows["role"].inputs[0], Qt.Key.Key_Down)  # the key worker's line
    wizard.policy.choice.setFocus()
    qtbot.keyClicks(wizard.policy.choice, "Suffolk")
    wizard.next()
    details = {spec.key: spec for spec in SETTINGS_FIELDS if spec.key.startswith("me.")}
    typed = {
        "me.name": "Nguyễn Thị Mai",
        "me.role": "School nurse",
        "me.agency": "Riverside Primary School",
        "me.email": "mai.nguyen@school.example",
    }
    for key, text in typed.items():
        assert key in details
        type_into(qtbot, wizard.rows[key], text)
    wizard.next()
    qtbot.keyClicks(wizard.key_worker_name, "Zainab Chaudhry")
    qtbot.keyClicks(wizard.key_worker_email, "zainab.chaudhry@council.example")
    qtbot.keyClicks(wizard.key_worker_team, "CP Team 2")
    qtbot.mouseClick(wizard.add_key_worker_button, Qt.MouseButton.LeftButton)
    assert "Zainab Chaudhry" in wizard.key_workers_label.text()
    wizard.next()
    form = wizard.mail
    form.method.set_value(Transport.SMTP)
    qtbot.keyClicks(form.host, "127.0.0.1")
    form.port.setValue(port)
    form.security.set_value(MailSecurity.PLAIN)
    qtbot.mouseClick(form.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: form.test_button.isEnabled(), timeout=10_000)
    assert "accepted a test message" in form.status.text()
    assert [message["Subject"] for message in inbox.received] == [TEST_SUBJECT]
    assert inbox.received[0]["To"].addresses[0].addr_spec == "mai.nguyen@school.example"
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()

    settings = new_services.get_settings()
    assert settings.organisation == "Riverside Primary School"
    assert settings.nation is Nation.SCT
    assert settings.role is Role.KEY_WORKER
    assert settings.me.name == "Nguyễn Thị Mai"
    assert settings.mail.send_method is Transport.SMTP
    assert new_services.policy_id() == "suffolk"
    [key_worker] = new_services.known_key_workers()
    assert key_worker.email == "zainab.chaudhry@council.example"

    # Right after: a new record has my details and goes to the key worker typed above.
    draft = new_services.new_record()
    assert draft.completed_by.name == "Nguyễn Thị Mai"
    record = christmas_record(full_record)
    record.completed_by = draft.completed_by
    record.key_worker = key_worker
    new_services.submit_and_send(record)
    sender = OutboxSender(new_services)
    sender.send_due()
    qtbot.waitUntil(lambda: len(inbox.received) == 2, timeout=10_000)
    sent = inbox.received[1]
    assert sent["Subject"] == EMAIL_SUBJECT
    assert sent["To"].addresses[0].addr_spec == "zainab.chaudhry@council.example"


def test_the_smoke_check_passes_from_source(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_smoke() == 0
    assert "coreform smoke check passed" in capsys.readouterr().out


def test_the_wizard_refuses_what_settings_refuses_and_keeps_the_user_on_the_page(
    qtbot: QtBot, new_services: Services, tmp_path: Path
) -> None:
    wizard = _shown_wizard(qtbot, new_services)
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    details = wizard.currentPage()
    type_into(qtbot, wizard.rows["me.name"], "Bilal Hussain")
    type_into(qtbot, wizard.rows["me.email"], "bilal.hussain@nhs")  # the ".net" left off
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is details
    assert "1 problem to fix" in wizard.problems[details].text()
    email = wizard.rows["me.email"]
    assert "does not look right" in email.inputs[0].accessibleDescription()
    assert wizard.focusWidget() is email.inputs[0] and email.value() == "bilal.hussain@nhs"
    label = wizard.problems[details]
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()), timeout=20_000)
    wizard.grab().save(str(tmp_path / "wizard-problem.png"))
    typed = email.inputs[0]
    assert isinstance(typed, QLineEdit)
    typed.insert(".net")
    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is not details and not wizard.problems[details].text()

    qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)  # no key workers added
    wizard.mail.method.set_value(Transport.SMTP)  # and no mail server typed
    qtbot.keyClicks(wizard.mail.from_address, "team at council")
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert wizard.isVisible()
    assert "2 problems to fix" in wizard.problems[wizard.currentPage()].text()
    assert new_services.get_settings().me.name == ""  # nothing saved before Finish succeeds
    wizard.mail.from_address.clear()
    qtbot.keyClicks(wizard.mail.host, "smtp.council.example")
    qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
    assert not wizard.isVisible()
    saved = new_services.get_settings()
    assert (saved.me.email, saved.mail.smtp_host) == (
        "bilal.hussain@nhs.net",
        "smtp.council.example",
    )


def finish(qtbot: QtBot, wizard: SetupWizard) -> None:
    while wizard.currentPage() is not wizard.page(wizard.pageIds()[-1]):
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)


def test_a_timescales_write_refused_after_the_rest_was_saved_says_so_and_what_to_do(
    qtbot: QtBot, new_services: Services, tmp_path: Path
) -> None:
    wizard = _shown_wizard(qtbot, new_services)
    wizard.next()
    wizard.policy.choice.setFocus()
    qtbot.keyClicks(wizard.policy.choice, "Suffolk")
    wizard.next()
    type_into(qtbot, wizard.rows["me.name"], "Agnieszka Wiśniewska")
    wizard.next()
    qtbot.keyClicks(wizard.key_worker_name, "Rashid Karim")
    qtbot.keyClicks(wizard.key_worker_email, "rashid.karim@council.example")
    qtbot.mouseClick(wizard.add_key_worker_button, Qt.MouseButton.LeftButton)
    # The database refuses the timescales write alone (as a failing disk or lock would).
    database = sqlite3.connect(tmp_path / "coreform.db")
    refuse = "BEGIN SELECT RAISE(ABORT, 'refused'); END"
    where = "ON settings WHEN NEW.key = 'organisation.policy'"
    database.execute(f"CREATE TRIGGER refuse_insert BEFORE INSERT {where} {refuse}")
    database.commit()
    finish(qtbot, wizard)
    assert wizard.isVisible()
    said = wizard.problems[wizard.currentPage()].text()
    assert said.startswith(
        "Your details and how you send are saved, but the timescales were not: "
    ) and said.endswith(
        "Choose Finish to try again, or Cancel to go on without them and set them later in "
        "Settings."
    )
    assert "Not saved yet" not in said
    assert new_services.get_settings().me.name == "Agnieszka Wiśniewska"
    assert [w.name for w in new_services.known_key_workers()] == ["Rashid Karim"]
    label = wizard.problems[wizard.currentPage()]
    qtbot.waitUntil(lambda: label.height() >= label.heightForWidth(label.width()), timeout=20_000)
    wizard.grab().save(
        str(
            Path(os.environ.get("COREFORM_SCREENSHOTS", tmp_path)) / "wizard-timescales-refused.png"
        )
    )

    database.execute("DROP TRIGGER refuse_insert")
    database.commit()
    database.close()
    finish(qtbot, wizard)
    assert not wizard.isVisible()
    assert new_services.policy_id() == "suffolk"
    assert [w.name for w in new_services.known_key_workers()] == ["Rashid Karim"]  # once


def test_a_practitioner_joining_leaves_the_organisations_timescales_alone(
    qtbot: QtBot, new_services: Services
) -> None:
    new_services.set_policy("suffolk")  # the administrator chose them before accounts
    new_services.create_account("ada", "admin password", Role.ADMINISTRATOR)
    new_services.sign_in("ada", "admin password")
    new_services.create_account("mai", "battery staple horse", Role.PRACTITIONER)
    new_services.sign_in("mai", "battery staple horse")
    wizard = _shown_wizard(qtbot, new_services)
    assert not wizard.policy.choice.isEnabled()
    assert wizard.policy.choice.currentData() == "suffolk"
    finish(qtbot, wizard)
    assert not wizard.isVisible()
    assert new_services.policy_id() == "suffolk"
