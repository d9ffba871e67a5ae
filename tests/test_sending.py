"""Submit and send through the services: a real SQLite file, real PDFs, a real aiosmtpd server."""

from __future__ import annotations

import copy
import datetime as dt
import os
import ssl
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
import trustme

from coreform.logs import configure_logging, stop_logging
from coreform.outbox import OutboxState, RecipientKind, Transport
from coreform.records import LONDON, Family, MonitoringRecord, ParentCarer, RecordState, new_id
from coreform.services import (
    PasswordNeededError,
    SendingError,
    Services,
    ValidationFailedError,
)
from coreform.settings import MailSecurity, MailSettings, PdfProtection, UserSettings
from reports.dispatch import MailDispatcher
from reports.mail import SUBJECT
from reports.pdf import read_record_from_pdf
from tests.conftest import FIXED_NOW, MovingClock
from tests.test_mail import Inbox, free_port, starttls_server


@pytest.fixture
def opened_drafts() -> list[Path]:
    return []


@pytest.fixture
def dispatcher(
    tmp_path: Path, client_context: ssl.SSLContext, opened_drafts: list[Path]
) -> MailDispatcher:
    return MailDispatcher(
        tmp_path / "drafts", ssl_context=client_context, open_draft=opened_drafts.append
    )


@pytest.fixture
def sending(
    database_url: str, moving_clock: MovingClock, dispatcher: MailDispatcher
) -> Iterator[Services]:
    opened = Services.open(database_url, clock=moving_clock, dispatcher=dispatcher)
    yield opened
    opened.close()


@pytest.fixture
def busy_inbox() -> Inbox:
    return Inbox()


@pytest.fixture
def smtp_port(ca: trustme.CA, busy_inbox: Inbox) -> Iterator[int]:
    controller, port = starttls_server(ca, busy_inbox)
    yield port
    controller.stop()


def use_smtp(services: Services, port: int) -> None:
    settings = services.get_settings()
    settings.mail = MailSettings(
        send_method=Transport.SMTP,
        smtp_host="127.0.0.1",
        smtp_port=port,
        security=MailSecurity.STARTTLS,
        from_address="jo.patel@nhs.example",
        timeout_seconds=5,
    )
    services.save_settings(settings)


def with_parents(services: Services, record: MonitoringRecord, allowed: bool) -> MonitoringRecord:
    family = services.save_family(
        Family(
            name=record.family_name,
            parents_carers=[
                ParentCarer(name="Grace Okafor", relationship="Mother", email="grace@home.example")
            ],
        )
    )
    record.family_id = family.id
    record.copy_to_parents = allowed
    record.no_copy_reason = "" if allowed else "A copy would put the child at risk of harm."
    return record


def drain(services: Services, clock: MovingClock, rounds: int = 30) -> None:
    """Runs the outbox, moving the clock to each next attempt, until nothing is waiting."""
    for _ in range(rounds):
        services.process_outbox()
        waiting = [
            item.next_attempt_at
            for item in services.outbox_items()
            if item.state in (OutboxState.QUEUED, OutboxState.FAILED) and item.next_attempt_at
        ]
        if not waiting:
            return
        clock.now = max(clock.now, min(waiting))
    raise AssertionError("the outbox never emptied")


def test_key_worker_gets_the_exact_subject_and_the_stored_record_inside_the_pdf(
    sending: Services,
    smtp_port: int,
    busy_inbox: Inbox,
    full_record: MonitoringRecord,
) -> None:
    use_smtp(sending, smtp_port)
    result = sending.submit_and_send(full_record)
    assert result.record.state is RecordState.SUBMITTED
    assert [m.state for m in result.messages] == [OutboxState.QUEUED]  # stored before any attempt
    [item] = sending.process_outbox()
    assert item.state is OutboxState.SENT and item.attempts == 1
    [received] = busy_inbox.received
    assert received["Subject"] == SUBJECT == "Core Group Monitoring Form CONFIDENTIAL"
    assert received["To"].addresses[0].addr_spec == "sam.lee@council.example"
    assert received["Message-ID"] == item.message_id
    [attachment] = list(received.iter_attachments())
    assert read_record_from_pdf(attachment.get_content()) == result.record
    assert sending.get_record(result.record.id).date_sent == FIXED_NOW.date()


@pytest.mark.parametrize("allowed", [True, False])
def test_parents_get_a_copy_only_when_the_record_allows_it(
    sending: Services,
    smtp_port: int,
    busy_inbox: Inbox,
    full_record: MonitoringRecord,
    allowed: bool,
) -> None:
    use_smtp(sending, smtp_port)
    sending.submit_and_send(with_parents(sending, full_record, allowed))
    sending.process_outbox()
    expected = ["sam.lee@council.example"] + (["grace@home.example"] if allowed else [])
    assert sorted(m["To"].addresses[0].addr_spec for m in busy_inbox.received) == sorted(expected)
    kinds = [item.recipient_kind for item in sending.outbox_items()]
    assert kinds == [RecipientKind.KEY_WORKER] + ([RecipientKind.PARENTS] if allowed else [])


def test_a_server_busy_for_a_while_gets_every_message_exactly_once(
    sending: Services,
    smtp_port: int,
    busy_inbox: Inbox,
    moving_clock: MovingClock,
    full_record: MonitoringRecord,
) -> None:
    use_smtp(sending, smtp_port)
    busy_inbox.busy_for = 5  # 451 to the first five attempts
    first = sending.submit_and_send(with_parents(sending, full_record, True))
    second = copy.deepcopy(full_record)
    second.id = new_id()
    sending.submit_and_send(second)
    assert first.record.family_id == sending.get_record(second.id).family_id
    assert len(sending.outbox_items()) == 4
    drain(sending, moving_clock)
    items = sending.outbox_items()
    assert [item.state for item in items] == [OutboxState.SENT] * 4
    assert sorted(str(m["Message-ID"]) for m in busy_inbox.received) == sorted(
        item.message_id for item in items
    )
    assert sum(item.attempts for item in items) == 4 + 5
    assert moving_clock.now > FIXED_NOW  # the back-off really waited


def test_a_message_left_sending_by_a_crash_goes_once_with_the_same_message_id(
    database_url: str,
    dispatcher: MailDispatcher,
    smtp_port: int,
    busy_inbox: Inbox,
    full_record: MonitoringRecord,
) -> None:
    crashed = Services.open(database_url, clock=lambda: FIXED_NOW, dispatcher=dispatcher)
    use_smtp(crashed, smtp_port)
    [queued] = crashed.submit_and_send(full_record).messages
    assert queued.id is not None
    crashed.begin_session()
    crashed.mark_outbox_sending(queued.id)  # then the process dies before any SMTP
    crashed.close()

    restarted = Services.open(database_url, clock=lambda: FIXED_NOW, dispatcher=dispatcher)
    try:
        restarted.begin_session()
        [item] = restarted.process_outbox()
        assert restarted.process_outbox() == []
    finally:
        restarted.close()
    assert item.state is OutboxState.SENT and item.attempts == 2
    assert [str(m["Message-ID"]) for m in busy_inbox.received] == [queued.message_id]


def test_a_message_the_server_accepted_just_before_a_crash_is_resent_with_its_message_id(
    database_url: str,
    dispatcher: MailDispatcher,
    smtp_port: int,
    busy_inbox: Inbox,
    full_record: MonitoringRecord,
) -> None:
    """Issue 9: killed between the server's acceptance and marking it sent, the message goes
    again with the same Message-ID (mail programs show it once); nothing is lost."""
    crashed = Services.open(database_url, clock=lambda: FIXED_NOW, dispatcher=dispatcher)
    use_smtp(crashed, smtp_port)
    [queued] = crashed.submit_and_send(full_record).messages
    assert queued.id is not None
    crashed.begin_session()
    sending = crashed.mark_outbox_sending(queued.id)
    report = dispatcher.deliver(sending, crashed.get_settings().mail, now=FIXED_NOW)
    assert report.error == "" and len(busy_inbox.received) == 1  # accepted; then the crash
    crashed.close()

    restarted = Services.open(database_url, clock=lambda: FIXED_NOW, dispatcher=dispatcher)
    try:
        restarted.begin_session()
        [item] = restarted.process_outbox()
    finally:
        restarted.close()
    assert item.state is OutboxState.SENT
    assert [str(m["Message-ID"]) for m in busy_inbox.received] == [queued.message_id] * 2


def test_eml_transport_writes_an_unsent_draft_and_opens_it(
    sending: Services,
    full_record: MonitoringRecord,
    opened_drafts: list[Path],
    dispatcher: MailDispatcher,
) -> None:
    assert sending.get_settings().mail.send_method is Transport.EML  # nothing to configure
    result = sending.submit_and_send(full_record)
    [item] = sending.process_outbox()
    # Handed to the email program is not sent: the user sends it, and confirms it.
    assert item.state is OutboxState.HANDED_OVER and item.transport is Transport.EML
    assert item.sent_at is None
    [path] = opened_drafts
    assert path.parent == dispatcher.drafts_folder and item.draft_path == str(path)
    if os.name == "posix":  # the PDF inside is readable: the user's eyes only
        assert path.stat().st_mode & 0o777 == 0o600
        assert path.parent.stat().st_mode & 0o777 == 0o700
    draft = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(draft, EmailMessage)
    assert draft["Subject"] == SUBJECT
    assert draft["X-Unsent"] == "1"
    [attachment] = list(draft.iter_attachments())
    assert read_record_from_pdf(attachment.get_content()) == result.record


def test_lateness_counts_from_the_users_confirmation_not_the_handover(
    sending: Services, moving_clock: MovingClock, full_record: MonitoringRecord
) -> None:
    # Visit Tue 3 Mar 2026: due Thu 5 Mar; handed over Mon 9 Mar, confirmed sent Tue 10 Mar.
    moving_clock.now = dt.datetime(2026, 3, 9, 9, 0, tzinfo=LONDON)
    full_record.lateness_reason = "Off sick on Thursday and Friday."
    result = sending.submit_and_send(full_record)
    waiting = sending.sending_status(result.record.id)
    assert waiting.key_worker_sent_at is None and waiting.working_days_late == 2
    [item] = sending.process_outbox()
    assert sending.sending_status(result.record.id).key_worker_sent_at is None
    moving_clock.now = dt.datetime(2026, 3, 10, 11, 0, tzinfo=LONDON)
    assert item.id is not None
    sending.confirm_sent([item.id])
    status = sending.sending_status(result.record.id)
    assert status.deadline == dt.date(2026, 3, 5)
    assert status.key_worker_sent_at == moving_clock.now
    assert status.key_worker_transport is Transport.EML
    assert status.late and status.working_days_late == 3
    assert status.key_worker_state is OutboxState.CONFIRMED
    assert sending.get_record(result.record.id).date_sent == dt.date(2026, 3, 10)


def test_sending_on_time_is_not_late(
    sending: Services, full_record: MonitoringRecord, smtp_port: int
) -> None:
    use_smtp(sending, smtp_port)
    result = sending.submit_and_send(full_record)
    sending.process_outbox()
    status = sending.sending_status(result.record.id)
    assert not status.late and status.key_worker_sent_at == FIXED_NOW
    assert status.key_worker_state is OutboxState.SENT


def test_a_bad_parent_address_submits_nothing_and_queues_nothing(
    sending: Services, full_record: MonitoringRecord
) -> None:
    record = with_parents(sending, full_record, True)
    family = sending.get_family(record.family_id or "")
    family.parents_carers[0].email = "grace at home"
    sending.save_family(family)
    with pytest.raises(SendingError, match=r"not submitted.*grace at home"):
        sending.submit_and_send(record)
    assert sending.outbox_items() == []
    assert sending.list_records() == []


def test_an_invalid_record_queues_nothing(sending: Services, full_record: MonitoringRecord) -> None:
    full_record.key_worker.email = ""
    with pytest.raises(ValidationFailedError):
        sending.submit_and_send(full_record)
    assert sending.outbox_items() == []


def test_no_server_fails_until_fixed_then_retry_now_sends(
    sending: Services, smtp_port: int, busy_inbox: Inbox, full_record: MonitoringRecord
) -> None:
    use_smtp(sending, smtp_port)
    settings = sending.get_settings()
    settings.mail.smtp_host = ""
    sending.save_settings(settings)
    sending.submit_and_send(full_record)
    [failed] = sending.process_outbox()
    assert failed.state is OutboxState.FAILED and failed.next_attempt_at is None
    assert "No mail server is set" in failed.last_error
    assert sending.process_outbox() == []  # a permanent failure waits for the user
    use_smtp(sending, smtp_port)
    assert failed.id is not None
    sending.retry_outbox_item(failed.id)
    [sent] = sending.process_outbox()
    assert sent.state is OutboxState.SENT and len(busy_inbox.received) == 1


def test_a_cancelled_message_is_never_sent(
    sending: Services, smtp_port: int, busy_inbox: Inbox, full_record: MonitoringRecord
) -> None:
    use_smtp(sending, smtp_port)
    [queued] = sending.submit_and_send(full_record).messages
    assert queued.id is not None
    sending.cancel_outbox_item(queued.id)
    assert sending.process_outbox() == []
    assert busy_inbox.received == []


def test_a_pdf_password_is_needed_when_the_organisation_asks_for_one(
    sending: Services, full_record: MonitoringRecord, opened_drafts: list[Path]
) -> None:
    settings = sending.get_settings()
    settings.mail.pdf_protection = PdfProtection.ASK
    sending.save_settings(settings)
    with pytest.raises(PasswordNeededError, match="by phone or another channel"):
        sending.submit_and_send(full_record)
    result = sending.submit_and_send(full_record, pdf_password="Kettle-7-Moon")
    assert result.pdf_encrypted
    sending.process_outbox()
    draft = BytesParser(policy=policy.default).parsebytes(opened_drafts[0].read_bytes())
    assert isinstance(draft, EmailMessage)
    [attachment] = list(draft.iter_attachments())
    pdf = attachment.get_content()
    assert read_record_from_pdf(pdf, "Kettle-7-Moon") == result.record
    assert b"Kettle-7-Moon" not in opened_drafts[0].read_bytes()


def test_mail_settings_persist_and_unreadable_values_keep_their_defaults() -> None:
    settings = UserSettings(
        mail=MailSettings(
            send_method=Transport.SMTP,
            smtp_host="smtp.nhs.example",
            smtp_port=465,
            security=MailSecurity.TLS,
            username="jo",
            from_address="Jo.Patel@NHS.example",
            pdf_protection=PdfProtection.ORGANISATION,
        )
    )
    values = settings.to_values()
    assert UserSettings.from_values(values) == settings
    assert settings.mail.message_id_domain(settings.me) == "nhs.example"
    values["user.mail"] = '{"smtp_port": "many", "security": "carrier pigeon", "smtp_host": "x"}'
    mail = UserSettings.from_values(values).mail
    assert (mail.smtp_port, mail.security, mail.smtp_host) == (587, MailSecurity.STARTTLS, "x")
    assert UserSettings.from_values({}).mail == MailSettings()


def test_the_log_names_references_never_what_was_typed(
    sending: Services,
    smtp_port: int,
    moving_clock: MovingClock,
    full_record: MonitoringRecord,
    tmp_path: Path,
) -> None:
    marker = "Marker Nguyễn Zahra 7f3c"
    log_file = configure_logging(tmp_path / "log", to_stderr=False)
    try:
        use_smtp(sending, smtp_port)
        record = with_parents(sending, full_record, True)
        record.family_name = marker
        record.observations = f"{marker} was at the door."
        record.children[0].child.name = marker
        sent = sending.submit_and_send(record).record
        drain(sending, moving_clock)
        use_smtp(sending, free_port())  # nobody listens: the next send fails
        amended = sending.amend_record(sent.id, f"{marker} asked for a correction.")
        sending.submit_and_send(amended)
        sending.process_outbox()
    finally:
        stop_logging()
    text = log_file.read_text(encoding="utf-8")
    assert f"submitted {sent.reference} v1" in text
    assert f"accepted_by_server {sent.reference} v1 to key_worker" in text
    assert f"amended {sent.reference} v2" in text
    assert "not sent (retry)" in text
    assert marker not in text
    assert "Nguyễn" not in text
