"""Drafts handed to the user's email program (issue 10): never called sent until the user says
so, kept until then and cleared a day after; or sent through the mail server instead."""

from __future__ import annotations

import datetime as dt
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from coreform.audit import AuditAction
from coreform.outbox import OutboxItem, OutboxState, Transport
from coreform.records import MonitoringRecord, SendMethod
from coreform.services import (
    ConflictError,
    MailServerNotSetError,
    RecordLockedError,
    Services,
)
from coreform.settings import MailSecurity
from reports.dispatch import MailDispatcher
from tests.conftest import MovingClock
from tests.test_mail import Inbox, start

DAY = dt.timedelta(days=1)


@pytest.fixture
def opened() -> list[Path]:
    return []


@pytest.fixture
def services(
    database_url: str, moving_clock: MovingClock, tmp_path: Path, opened: list[Path]
) -> Iterator[Services]:
    dispatcher = MailDispatcher(tmp_path / "drafts", open_draft=opened.append)
    started = Services.open(database_url, clock=moving_clock, dispatcher=dispatcher)
    yield started
    started.close()


def handed_over(services: Services, record: MonitoringRecord) -> OutboxItem:
    services.submit_and_send(record)
    [item] = services.process_outbox()
    assert item.id is not None
    return item


def actions(services: Services) -> list[tuple[AuditAction, str, str]]:
    entries = reversed(services.audit_page(0, 20))
    return [(e.action, e.user, e.record_reference) for e in entries if e.record_reference]


def test_a_draft_is_kept_until_confirmed_then_cleared_a_day_later(
    services: Services,
    moving_clock: MovingClock,
    full_record: MonitoringRecord,
    tmp_path: Path,
    database_url: str,
    opened: list[Path],
) -> None:
    item = handed_over(services, full_record)
    draft = Path(item.draft_path)
    assert item.state is OutboxState.HANDED_OVER and draft.is_file()
    moving_clock.now += 2 * DAY  # coreform opened again two days later
    services.begin_session()
    assert draft.is_file()
    assert [waiting.id for waiting in services.awaiting_confirmation()] == [item.id]
    assert item.id is not None
    [confirmed] = services.confirm_sent([item.id])
    assert confirmed.state is OutboxState.CONFIRMED and confirmed.sent_at == moving_clock.now
    assert confirmed.confirmed_by == services.current_user
    assert services.awaiting_confirmation() == []
    services.end_session()
    assert draft.is_file()  # confirmed only now: kept a day
    half_written = tmp_path / "drafts" / "CG-2026-00009-v1.emlx1y2.tmp"
    half_written.write_bytes(b"X-Unsent: 1\r\n")
    old = time.time() - 2 * DAY.total_seconds()
    os.utime(half_written, (old, old))
    not_ours = tmp_path / "drafts" / "notes.txt"
    not_ours.write_text("mine")
    moving_clock.now += DAY + dt.timedelta(minutes=1)
    dispatcher = MailDispatcher(tmp_path / "drafts", open_draft=opened.append)
    reopened = Services.open(database_url, clock=moving_clock, dispatcher=dispatcher)
    try:
        reopened.begin_session()
        [cleared] = reopened.outbox_items()
    finally:
        reopened.close()
    assert not draft.exists() and not half_written.exists() and not_ours.exists()
    assert cleared.draft_path == "" and cleared.state is OutboxState.CONFIRMED


def test_the_audit_trail_says_what_really_happened(
    services: Services, full_record: MonitoringRecord
) -> None:
    item = handed_over(services, full_record)
    assert item.id is not None
    services.confirm_sent([item.id])
    reference = services.get_record(item.record_id).reference
    me = services.current_user
    assert actions(services)[-3:] == [
        (AuditAction.DRAFT_WRITTEN, me, f"{reference} v1 to key_worker"),
        (AuditAction.HANDED_OVER, me, f"{reference} v1 to key_worker"),
        (AuditAction.CONFIRMED_SENT, me, f"{reference} v1 to key_worker"),
    ]
    with pytest.raises(RecordLockedError):
        services.confirm_sent([item.id])


@pytest.mark.skipif(sys.platform == "win32", reason="a machine with no opener: PATH emptied")
def test_when_no_program_opens_the_draft_the_record_stays_due(
    database_url: str,
    moving_clock: MovingClock,
    full_record: MonitoringRecord,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))  # no xdg-open, no mail program
    services = Services.open(
        database_url, clock=moving_clock, dispatcher=MailDispatcher(tmp_path / "drafts")
    )
    try:
        item = handed_over(services, full_record)
        assert item.state is OutboxState.NOT_OPENED
        assert "No email program" in item.last_error and item.draft_path in item.last_error
        status = services.sending_status(item.record_id)
        assert status.key_worker_sent_at is None and status.key_worker_state is item.state
        assert [a for a, _, _ in actions(services)][-2:] == [
            AuditAction.SUBMITTED,
            AuditAction.DRAFT_WRITTEN,
        ]
        assert item.id is not None
        with pytest.raises(ConflictError, match="email program"):
            services.cancel_outbox_item(item.id)
        services.retry_outbox_item(item.id)  # "Open again": the same draft, not a second one
        [again] = services.process_outbox()
        assert again.draft_path == item.draft_path and again.state is OutboxState.NOT_OPENED
        assert len(list((tmp_path / "drafts").iterdir())) == 1
        # The user opened the file by hand and sent it: confirming is still possible.
        [confirmed] = services.confirm_sent([item.id])
        assert services.sending_status(item.record_id).key_worker_sent_at == confirmed.sent_at
    finally:
        services.close()


@pytest.fixture
def plain_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller, port = start(inbox)
    yield inbox, port
    controller.stop()


def use_plain_server(services: Services, port: int) -> None:
    """The loopback test server speaks plain SMTP, which only an administrator allows."""
    services.set_allow_plain_smtp(True)
    settings = services.get_settings()
    settings.mail.smtp_host = "127.0.0.1"
    settings.mail.smtp_port = port
    settings.mail.security = MailSecurity.PLAIN
    settings.mail.timeout_seconds = 10
    services.save_settings(settings)


def test_sending_through_the_mail_server_instead_needs_a_server_then_sends(
    services: Services, full_record: MonitoringRecord, plain_server: tuple[Inbox, int]
) -> None:
    item = handed_over(services, full_record)
    assert item.id is not None
    with pytest.raises(MailServerNotSetError, match="Settings"):
        services.send_by_server_instead(item.id)
    inbox, port = plain_server
    use_plain_server(services, port)
    queued = services.send_by_server_instead(item.id)
    assert queued.state is OutboxState.QUEUED and queued.transport is Transport.SMTP
    assert services.sending_status(item.record_id).key_worker_sent_at is None
    [sent] = services.process_outbox()
    assert sent.state is OutboxState.SENT
    assert [m["To"].addresses[0].addr_spec for m in inbox.received] == [
        full_record.key_worker.email
    ]
    assert "X-Unsent" not in inbox.received[0]
    assert Path(sent.draft_path).is_file()  # kept a day after it went, like any draft
    assert actions(services)[-1][0] is AuditAction.ACCEPTED_BY_SERVER
    status = services.sending_status(item.record_id)
    assert status.key_worker_state is OutboxState.SENT and status.key_worker_sent_at
    # The locked record says how it went; the trail keeps the draft written first, and the
    # version still matches what was submitted (as a draft).
    stored = services.get_record(item.record_id)
    assert stored is not None and stored.send_method is SendMethod.EMAIL
    assert stored.date_sent == status.key_worker_sent_at.date()
    trail = [action for action, _, _ in actions(services)]
    assert trail.index(AuditAction.DRAFT_WRITTEN) < trail.index(AuditAction.ACCEPTED_BY_SERVER)
    assert services.verify_audit().ok, services.verify_audit().message


def test_drafts_older_versions_called_sent_are_handed_over_after_the_upgrade(
    tmp_path: Path,
) -> None:
    from alembic import command
    from alembic.script import ScriptDirectory
    from sqlalchemy import text

    from coreform.storage.engine import create_engine_for
    from coreform.storage.migrations import alembic_config, migrate

    engine = create_engine_for(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        config = alembic_config()
        before = ScriptDirectory.from_config(config).get_revision("0011").down_revision
        assert isinstance(before, str)
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, before)
            for number, transport in enumerate(("eml", "smtp")):
                connection.execute(
                    text(
                        "INSERT INTO outbox_messages (record_id, record_version, message_id, "
                        "recipient_kind, recipient, transport, raw, state, attempts, last_error, "
                        "created_at, sent_at) VALUES ('r', 1, :mid, 'key_worker', "
                        "'sam.lee@council.example', :transport, x'00', 'sent', 1, '', "
                        "'2026-03-04 10:30:00', '2026-03-04 10:31:00')"
                    ),
                    {"mid": f"<{number}@coreform>", "transport": transport},
                )
        migrate(engine)
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT transport, state, sent_at, draft_path FROM outbox_messages ORDER BY id"
                )
            ).all()
    finally:
        engine.dispose()
    # coreform never knew the draft went: the user is asked; the server's acceptance stands.
    assert [tuple(row) for row in rows] == [
        ("eml", "handed_over", None, ""),
        ("smtp", "sent", "2026-03-04 10:31:00", ""),
    ]
