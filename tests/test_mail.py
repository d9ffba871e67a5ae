"""Emails carrying the record's PDF, sent to a real aiosmtpd server on loopback."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
import sys
from collections.abc import Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import keyring
import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from keyring.backends import fail

from coreform.recipients import recipients
from coreform.records import (
    LONDON,
    Child,
    ChildObservation,
    KeyWorker,
    MonitoringRecord,
    ParentCarer,
    RecordState,
)
from reports.drafts import DraftOpenError, open_with_default_program, write_eml_draft
from reports.mail import SUBJECT, MessageBuildError, RecipientKind, build_messages
from reports.pdf import build_monitoring_pdf
from reports.smtp import (
    DeliveryError,
    DeliveryState,
    SmtpSecurity,
    SmtpSettings,
    deliver,
    next_attempt_delay,
    send_via_smtp,
)
from reports.smtp_password import PasswordStoreError, smtp_password, store_smtp_password
from tests.conftest import MemoryKeyring
from tests.qtbot import QtBot

NOW = dt.datetime(2026, 3, 4, 10, 30, tzinfo=LONDON)
CHILD = "Zoë Łukasiewicz-Ñúñez"
FAMILY = "Łukasiewicz-Ñúñez"
PARENTS = ["mum@example.org", "dad@example.org", "MUM@example.org", " "]


def make_record(*, copy_to_parents: bool | None = True) -> MonitoringRecord:
    return MonitoringRecord(
        id="3f2a9c",
        reference="CG-2026-00042",
        state=RecordState.SUBMITTED,
        family_name=FAMILY,
        children=[ChildObservation(child=Child(CHILD, dt.date(2017, 5, 9)), seen=True)],
        key_worker=KeyWorker("Sam Okafor", "sam.okafor@example.org"),
        visit_date=dt.date(2026, 3, 2),
        copy_to_parents=copy_to_parents,
    )


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return build_monitoring_pdf(make_record(), generated_at=NOW)


def messages_for(record: MonitoringRecord, pdf: bytes) -> list[Any]:
    return build_messages(
        record,
        pdf,
        sender="jo.bright@example.org",
        sender_name="Jo Bright",
        domain="school.example.org",
        parent_emails=[
            carer.email
            for carer in recipients(record, [ParentCarer(email=email) for email in PARENTS]).parents
        ],
    )


# ---- servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class Inbox:
    """An aiosmtpd handler that keeps what it accepts; refuses the first `busy_for` with 451."""

    def __init__(self, busy_for: int = 0) -> None:
        self.received: list[EmailMessage] = []
        self.busy_for = busy_for

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address.startswith("unknown@"):
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.busy_for > 0:
            self.busy_for -= 1
            return "451 4.3.0 Busy, try again later"
        parsed = BytesParser(policy=policy.default).parsebytes(envelope.content)
        assert isinstance(parsed, EmailMessage)
        self.received.append(parsed)
        return "250 OK"


def authenticate(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
    ok = isinstance(data, LoginPassword) and data.password == b"right"
    return AuthResult(success=ok, handled=False)


def start(inbox: Inbox, **kwargs: Any) -> tuple[Controller, int]:
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    return controller, port


@pytest.fixture
def plain_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller, port = start(inbox)
    yield inbox, port
    controller.stop()


def starttls_server(ca: trustme.CA, inbox: Inbox) -> tuple[Controller, int]:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)
    return start(
        inbox,
        tls_context=context,
        require_starttls=True,
        authenticator=authenticate,
        auth_required=False,
    )


@pytest.fixture
def tls_server(ca: trustme.CA) -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    controller, port = starttls_server(ca, inbox)
    yield inbox, port
    controller.stop()


def plain(port: int) -> SmtpSettings:
    return SmtpSettings("127.0.0.1", port, SmtpSecurity.PLAIN, timeout=5, allow_plain=True)


def starttls(port: int, username: str = "") -> SmtpSettings:
    return SmtpSettings("127.0.0.1", port, SmtpSecurity.STARTTLS, username=username, timeout=5)


# ---- messages ------------------------------------------------------------------------------


def test_key_worker_message_arrives_with_exact_subject_and_pdf(
    pdf: bytes, tls_server: tuple[Inbox, int], client_context: ssl.SSLContext
) -> None:
    inbox, port = tls_server
    key_worker = messages_for(make_record(copy_to_parents=False), pdf)
    assert [m.recipient_kind for m in key_worker] == [RecipientKind.KEY_WORKER]
    send_via_smtp(key_worker[0].message, starttls(port), None, ssl_context=client_context)
    [received] = inbox.received
    assert received["Subject"] == SUBJECT == "Core Group Monitoring Form CONFIDENTIAL"
    assert received["To"].addresses[0].addr_spec == "sam.okafor@example.org"
    assert received["Message-ID"] == key_worker[0].message_id
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == "CG-2026-00042-v1.pdf"
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_content() == pdf


@pytest.mark.parametrize("allowed", [False, None])
def test_parents_get_no_copy_unless_the_record_allows_it(pdf: bytes, allowed: bool | None) -> None:
    messages = messages_for(make_record(copy_to_parents=allowed), pdf)
    assert [(m.recipient_kind, m.recipient) for m in messages] == [
        (RecipientKind.KEY_WORKER, "sam.okafor@example.org")
    ]


def test_each_parent_gets_one_copy_when_allowed(
    pdf: bytes, plain_server: tuple[Inbox, int]
) -> None:
    inbox, port = plain_server
    messages = messages_for(make_record(copy_to_parents=True), pdf)
    assert [(m.recipient_kind, m.recipient) for m in messages] == [
        (RecipientKind.KEY_WORKER, "sam.okafor@example.org"),
        (RecipientKind.PARENTS, "mum@example.org"),
        (RecipientKind.PARENTS, "dad@example.org"),
    ]
    for outgoing in messages:
        send_via_smtp(outgoing.message, plain(port), None)
    assert sorted(str(m["To"]) for m in inbox.received) == [
        "Sam Okafor <sam.okafor@example.org>",
        "dad@example.org",
        "mum@example.org",
    ]
    assert all(m["Subject"] == SUBJECT for m in inbox.received)


def test_messages_name_no_child_or_family_and_never_the_password(pdf: bytes) -> None:
    record = make_record()
    encrypted = build_monitoring_pdf(record, generated_at=NOW, password="s3cret-Pa55")
    for source, expect_password_note in ((pdf, False), (encrypted, True)):
        for outgoing in messages_for(record, source):
            headers = "\n".join(f"{k}: {v}" for k, v in outgoing.message.items())
            body = outgoing.message.get_body(("plain",)).get_content()
            for text in (headers, body, outgoing.raw.decode("ascii", "replace")):
                assert "Zoë" not in text and "Łukasiewicz" not in text
                assert "Lukasiewicz" not in text and "s3cret" not in text
            assert "CG-2026-00042" in body
            assert ("by phone or another channel" in body) is expect_password_note
            if outgoing.recipient_kind is RecipientKind.KEY_WORKER:
                assert "open the PDF in coreform" in body
                assert "Forward it to the other members of the core group" in body
                assert "Keep it on the child's file" in body


def test_message_id_is_stable_per_version_and_recipient(pdf: bytes) -> None:
    record = make_record()
    first = [m.message_id for m in messages_for(record, pdf)]
    again = [m.message_id for m in messages_for(record, pdf)]
    assert first == again and len(set(first)) == len(first)
    assert all(mid.endswith("@school.example.org>") for mid in first)
    record.version = 2
    assert set(first).isdisjoint(m.message_id for m in messages_for(record, pdf))


def test_missing_key_worker_email_is_a_clear_error(pdf: bytes) -> None:
    record = make_record()
    record.key_worker.email = ""
    with pytest.raises(MessageBuildError, match="key worker's email"):
        messages_for(record, pdf)
    record.key_worker.email = "sam@example.org\r\nBcc: everyone@example.org"
    with pytest.raises(MessageBuildError):
        messages_for(record, pdf)


# ---- transport security --------------------------------------------------------------------


def test_implicit_tls_with_a_trusted_certificate_works(
    pdf: bytes, ca: trustme.CA, client_context: ssl.SSLContext
) -> None:
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(server_context)
    inbox = Inbox()
    controller, port = start(inbox, ssl_context=server_context)
    try:
        [outgoing] = messages_for(make_record(copy_to_parents=False), pdf)
        settings = SmtpSettings("127.0.0.1", port, SmtpSecurity.TLS, timeout=5)
        send_via_smtp(outgoing.message, settings, None, ssl_context=client_context)
    finally:
        controller.stop()
    assert [m["Subject"] for m in inbox.received] == [SUBJECT]


def test_a_server_without_starttls_gets_no_mail(
    pdf: bytes, plain_server: tuple[Inbox, int]
) -> None:
    inbox, port = plain_server
    [outgoing] = messages_for(make_record(copy_to_parents=False), pdf)
    with pytest.raises(DeliveryError, match="STARTTLS") as raised:
        send_via_smtp(outgoing.message, starttls(port), None)
    assert raised.value.temporary is False
    assert inbox.received == []


def test_an_untrusted_certificate_gets_no_mail(pdf: bytes, tls_server: tuple[Inbox, int]) -> None:
    inbox, port = tls_server
    [outgoing] = messages_for(make_record(copy_to_parents=False), pdf)
    with pytest.raises(DeliveryError, match="cannot be trusted") as raised:
        send_via_smtp(outgoing.message, starttls(port), None)  # default context: system CAs
    assert raised.value.temporary is False
    assert inbox.received == []


def test_plain_is_refused_unless_an_administrator_allows_it(
    pdf: bytes, plain_server: tuple[Inbox, int]
) -> None:
    inbox, port = plain_server
    [outgoing] = messages_for(make_record(copy_to_parents=False), pdf)
    refused = SmtpSettings("127.0.0.1", port, SmtpSecurity.PLAIN, timeout=5)
    with pytest.raises(DeliveryError, match="administrator"):
        send_via_smtp(outgoing.message, refused, None)
    assert inbox.received == []


def test_login_after_starttls_and_a_wrong_password_is_permanent(
    pdf: bytes, tls_server: tuple[Inbox, int], client_context: ssl.SSLContext
) -> None:
    inbox, port = tls_server
    [outgoing] = messages_for(make_record(copy_to_parents=False), pdf)
    with pytest.raises(DeliveryError, match="user name or password") as raised:
        send_via_smtp(outgoing.message, starttls(port, "jo"), "wrong", ssl_context=client_context)
    assert raised.value.temporary is False
    send_via_smtp(outgoing.message, starttls(port, "jo"), "right", ssl_context=client_context)
    assert len(inbox.received) == 1


def test_unreachable_and_silent_servers_are_temporary(pdf: bytes) -> None:
    [outgoing] = messages_for(make_record(copy_to_parents=False), pdf)
    with pytest.raises(DeliveryError, match="could not be reached") as refused:
        send_via_smtp(outgoing.message, plain(free_port()), None)
    assert refused.value.temporary is True
    with socket.socket() as silent:  # accepts connections and never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        settings = SmtpSettings(
            "127.0.0.1",
            silent.getsockname()[1],
            SmtpSecurity.PLAIN,
            timeout=0.3,
            allow_plain=True,
        )
        with pytest.raises(DeliveryError, match="did not answer in time") as timed_out:
            send_via_smtp(outgoing.message, settings, None)
    assert timed_out.value.temporary is True


def test_a_5xx_refusal_is_permanent(pdf: bytes, plain_server: tuple[Inbox, int]) -> None:
    inbox, port = plain_server
    [outgoing] = messages_for(make_record(copy_to_parents=False), pdf)
    del outgoing.message["To"]
    outgoing.message["To"] = "unknown@example.org"
    with pytest.raises(DeliveryError, match=r"550 5\.1\.1 No such mailbox") as raised:
        send_via_smtp(outgoing.message, plain(port), None)
    assert raised.value.temporary is False
    assert inbox.received == []


# ---- delivery with retries -----------------------------------------------------------------


def test_next_attempt_delay_backs_off_with_a_cap() -> None:
    delays = [next_attempt_delay(n) for n in range(1, 12)]
    assert delays[:4] == [dt.timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert delays == sorted(delays)
    assert max(delays) == dt.timedelta(hours=6) == next_attempt_delay(10_000)


def test_a_server_busy_for_a_while_gets_every_message_exactly_once(
    pdf: bytes, ca: trustme.CA, client_context: ssl.SSLContext
) -> None:
    inbox = Inbox(busy_for=4)
    controller, port = starttls_server(ca, inbox)
    try:
        outbox = [
            {"raw": m.raw, "id": m.message_id, "state": "queued", "attempts": 0, "due": NOW}
            for m in messages_for(make_record(copy_to_parents=True), pdf)
        ]
        clock = NOW
        for _ in range(30):
            due = [item for item in outbox if item["state"] == "queued" and item["due"] <= clock]
            for item in due:
                result = deliver(
                    item["raw"],
                    starttls(port),
                    None,
                    attempts=item["attempts"],
                    now=clock,
                    ssl_context=client_context,
                )
                item["state"], item["attempts"] = result.state.value, result.attempts
                if result.state is DeliveryState.QUEUED:
                    assert "try again" in result.error
                    assert result.next_attempt_at is not None
                    item["due"] = result.next_attempt_at
            waiting = [item["due"] for item in outbox if item["state"] == "queued"]
            if not waiting:
                break
            clock = min(waiting)
    finally:
        controller.stop()
    assert [item["state"] for item in outbox] == ["sent"] * 3
    assert sorted(str(m["Message-ID"]) for m in inbox.received) == sorted(
        str(item["id"]) for item in outbox
    )
    assert sum(int(item["attempts"]) for item in outbox) == 3 + 4


def test_deliver_fails_permanently_without_retrying(pdf: bytes) -> None:
    [outgoing] = messages_for(make_record(copy_to_parents=False), pdf)
    no_plain = SmtpSettings("127.0.0.1", free_port(), SmtpSecurity.PLAIN)
    result = deliver(outgoing.raw, no_plain, None, attempts=2, now=NOW)
    assert result.state is DeliveryState.FAILED and result.attempts == 3
    assert result.next_attempt_at is None
    damaged = deliver(b"not a message", no_plain, None, attempts=0, now=NOW)
    assert damaged.state is DeliveryState.FAILED and "damaged" in damaged.error


# ---- drafts --------------------------------------------------------------------------------


def test_eml_draft_reads_back_with_subject_unsent_flag_and_pdf(pdf: bytes, tmp_path: Path) -> None:
    outgoing = messages_for(make_record(), pdf)
    path = write_eml_draft(outgoing[0].message, tmp_path / "drafts")
    assert path.name == "CG-2026-00042-v1.eml"
    assert write_eml_draft(outgoing[1].message, tmp_path / "drafts").name == (
        "CG-2026-00042-v1-2.eml"
    )
    draft = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
    assert isinstance(draft, EmailMessage)
    assert draft["Subject"] == SUBJECT
    assert draft["X-Unsent"] == "1"
    [attachment] = list(draft.iter_attachments())
    assert attachment.get_filename() == "CG-2026-00042-v1.pdf"
    assert attachment.get_content() == pdf
    assert "X-Unsent" not in outgoing[0].message
    assert not list((tmp_path / "drafts").glob("*.tmp"))


def stand_in_opener(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """xdg-open (and macOS's open) replaced by `script`, the only program on PATH."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("xdg-open", "open"):
        opener = bin_dir / name
        opener.write_text(f"#!/bin/sh\n{script}\n")
        opener.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))


@pytest.mark.skipif(sys.platform == "win32", reason="uses a stand-in xdg-open script")
def test_an_opener_still_running_is_the_program_and_is_not_waited_for(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen, go = tmp_path / "opened.txt", tmp_path / "go"
    # It opens only once the test says so: had coreform waited for it, it would never return.
    stand_in_opener(
        tmp_path,
        monkeypatch,
        f'while [ ! -e {go} ]; do sleep 0.01; done\nprintf %s "$1" > {seen}',
    )
    draft = tmp_path / "CG-2026-00042-v1.eml"
    open_with_default_program(draft, wait_seconds=0.1)
    assert not seen.exists()
    go.touch()
    qtbot.waitUntil(lambda: seen.exists() and seen.read_text() == str(draft))


@pytest.mark.skipif(sys.platform == "win32", reason="uses a stand-in xdg-open script")
def test_an_opener_that_finds_no_program_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stand_in_opener(tmp_path, monkeypatch, "exit 3")  # xdg-open: no program for this file
    with pytest.raises(DraftOpenError, match=r"No email program .* saved as .*x\.eml"):
        open_with_default_program(tmp_path / "x.eml")


@pytest.mark.skipif(sys.platform == "win32", reason="os.startfile always exists on Windows")
def test_no_opener_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(DraftOpenError, match="open it yourself"):
        open_with_default_program(tmp_path / "x.eml")


# ---- keyring -------------------------------------------------------------------------------


def test_password_round_trips_through_the_keyring(memory_keyring: MemoryKeyring) -> None:
    settings = starttls(587, "jo")
    assert smtp_password(settings) is None
    store_smtp_password(settings, "pa55")
    assert smtp_password(settings) == "pa55"
    assert memory_keyring.saved == {("coreform-smtp", "jo@127.0.0.1"): "pa55"}


def test_no_keyring_backend_is_a_clear_error(memory_keyring: MemoryKeyring) -> None:
    keyring.set_keyring(fail.Keyring())  # the fixture puts the one before back
    with pytest.raises(PasswordStoreError, match="password store cannot be used") as refused:
        smtp_password(starttls(587, "jo"))
    # Plain words: what the keyring said (backends, packages to install) goes to the log only.
    assert "keyring" not in str(refused.value) and "package" not in str(refused.value)
    with pytest.raises(PasswordStoreError):
        store_smtp_password(starttls(587, "jo"), "pa55")
