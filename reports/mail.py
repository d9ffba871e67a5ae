"""The emails that carry a record's PDF: building, SMTP sending, `.eml` drafts, retry timing.

Pure pieces only: the outbox table and its states belong to `coreform.services`, which stores
`OutgoingMessage.raw` before any attempt and calls `deliver` until a message is sent or failed.
Headers and bodies can travel in plain text, so they name no child and no family (000).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import smtplib
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import format_datetime, getaddresses, make_msgid
from enum import StrEnum
from pathlib import Path

from coreform.forms.monitoring import EMAIL_SUBJECT
from coreform.records import MonitoringRecord, now_london
from coreform.safe_files import PARTIAL_SUFFIX, write_atomically
from reports.pdf import is_encrypted_pdf, pdf_file_name

SUBJECT = EMAIL_SUBJECT  # 000: the subject heading, defined with the form
KEYRING_SERVICE = "coreform-smtp"

# Back-off after a temporary failure: 1, 2, 4 … minutes, never more than 6 hours apart.
RETRY_FIRST_DELAY = dt.timedelta(minutes=1)
RETRY_MAX_DELAY = dt.timedelta(hours=6)


class RecipientKind(StrEnum):
    KEY_WORKER = "key_worker"
    PARENTS = "parents"
    CORE_GROUP = "core_group"
    PRACTITIONER = "practitioner"


class MessageBuildError(ValueError):
    """The record's addresses cannot make a message; str(error) says which to fix."""


@dataclass(frozen=True)
class OutgoingMessage:
    recipient_kind: RecipientKind
    recipient: str
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def raw(self) -> bytes:
        """The whole message as the outbox stores it and `deliver` reads it back."""
        return self.message.as_bytes(policy=policy.SMTP)


def message_id(record: MonitoringRecord, recipient: str, domain: str) -> str:
    """Stable per record version and recipient, so a retry after a crash reuses it."""
    key = f"{record.id}:{record.version}:{recipient.strip().lower()}"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}.coreform@{domain}>"


TEST_SUBJECT = "coreform test message"


def test_message(
    from_name: str, from_address: str, domain: str, to: str, date: dt.datetime
) -> EmailMessage:
    """A message that carries no record, to check the mail settings end to end."""
    message = EmailMessage()
    message["Subject"] = TEST_SUBJECT
    message["From"] = address(from_name, from_address, "your own email address")
    message["To"] = address("", to, "an address to send the test to")
    message["Date"] = format_datetime(date)
    message["Message-ID"] = make_msgid("coreform-test", domain=domain)
    message.set_content(
        "coreform sent this message to check its mail settings. It carries no record and needs "
        "no reply.\n"
    )
    return message


def build_messages(
    record: MonitoringRecord,
    pdf: bytes,
    *,
    sender: str,
    sender_name: str,
    domain: str,
    parent_emails: Sequence[str] = (),
    date: dt.datetime | None = None,
) -> list[OutgoingMessage]:
    """One message to the key worker, one to each of `parent_emails`.

    Who gets a copy is decided before, by `coreform.recipients.recipients` (000).
    """
    from_address = address(sender_name, sender, "your own email address (settings)")
    sent = format_datetime(date or now_london())
    key_worker = address(record.key_worker.name, record.key_worker.email, "the key worker's email")
    recipients = [(RecipientKind.KEY_WORKER, key_worker)]
    # No display name for a parent: a parent's name may be the family's name.
    recipients += [
        (RecipientKind.PARENTS, address("", email, "a parent's email")) for email in parent_emails
    ]
    return record_messages(
        record, pdf, recipients, from_address=from_address, sent=sent, domain=domain
    )


def record_messages(
    record: MonitoringRecord,
    pdf: bytes,
    recipients: Sequence[tuple[RecipientKind, Address]],
    *,
    from_address: Address,
    sent: str,
    domain: str,
) -> list[OutgoingMessage]:
    """One message per recipient, each with the record's PDF attached and the agreed subject."""
    encrypted = is_encrypted_pdf(pdf)
    messages = []
    for kind, to in recipients:
        message = EmailMessage()
        message["Subject"] = SUBJECT
        message["From"] = from_address
        message["To"] = to
        message["Date"] = sent
        message["Message-ID"] = message_id(record, to.addr_spec, domain)
        message.set_content(
            _body(record, kind, encrypted=encrypted, sender_name=from_address.display_name)
        )
        message.add_attachment(
            pdf, maintype="application", subtype="pdf", filename=pdf_file_name(record)
        )
        messages.append(OutgoingMessage(kind, to.addr_spec, message))
    return messages


def address(name: str, email: str, what: str) -> Address:
    """A checked address; MessageBuildError names `what` to fix."""
    email = email.strip()
    if "@" not in email:
        raise MessageBuildError(f"Add {what}: “{email}” is not an email address.")
    try:
        return Address(display_name=name.strip(), addr_spec=email)
    except (ValueError, IndexError) as error:  # the header parser's ways of saying "malformed"
        raise MessageBuildError(f"Check {what}: “{email}” is not an email address.") from error


def _body(
    record: MonitoringRecord, kind: RecipientKind, *, encrypted: bool, sender_name: str
) -> str:
    reference = record.reference or "(no reference)"
    lines = [
        f"Attached is the Core Group Monitoring Form for record {reference}, "
        f"version {record.version}.",
    ]
    if record.amendment is not None:
        lines.append(
            f"This is an amended record: it replaces version {record.amendment.previous_version}."
        )
    lines.append("")
    if kind is RecipientKind.CORE_GROUP:
        lines += [
            "The key worker passes this record on to you as a member of the child's core "
            "group. Please keep it on your file for the child.",
            "- If you use coreform, open the PDF in coreform (Import) to file it without "
            "retyping it.",
        ]
    elif kind is RecipientKind.KEY_WORKER:
        lines += [
            "What to do with the attachment:",
            "- If you use coreform, open the PDF in coreform (Import) to file the record "
            "without retyping it; the record's data is inside the PDF.",
            "- Forward it to the other members of the core group.",
            "- Keep it on the child's file.",
        ]
    else:
        lines += [
            "This is your copy of the record. Please keep it somewhere private. "
            "If anything in it is wrong or you have questions, contact the sender or your "
            "key worker.",
        ]
    if encrypted:
        lines += [
            "",
            "The PDF is protected with a password. The sender will give you the password by "
            "phone or another channel; it is never sent by email.",
        ]
    lines += [
        "",
        "This email is confidential. If it reached you by mistake, please tell the sender and "
        "delete it.",
        "",
        sender_name.strip() or "Sent by coreform",
    ]
    return "\n".join(lines) + "\n"


# ---- SMTP ----------------------------------------------------------------------------------


class SmtpSecurity(StrEnum):
    STARTTLS = "starttls"
    TLS = "tls"
    PLAIN = "plain"


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int = 587
    security: SmtpSecurity = SmtpSecurity.STARTTLS
    username: str = ""
    from_address: str = ""
    timeout: float = 30.0
    # Only an administrator sets this: without it an unencrypted connection is refused.
    allow_plain: bool = False


class DeliveryError(Exception):
    """Sending failed. `temporary` errors are worth retrying; the message says what to do."""

    def __init__(self, message: str, temporary: bool) -> None:
        super().__init__(message)
        self.temporary = temporary


def send_via_smtp(
    message: EmailMessage,
    settings: SmtpSettings,
    password: str | None,
    *,
    ssl_context: ssl.SSLContext | None = None,
) -> None:
    """Returns only when the server accepted the message; otherwise raises DeliveryError."""
    if settings.security is SmtpSecurity.PLAIN and not settings.allow_plain:
        raise DeliveryError(
            "Sending without encryption is switched off. Choose STARTTLS or TLS in the mail "
            "settings, or ask your administrator.",
            temporary=False,
        )
    if settings.username and password is None:
        raise DeliveryError(
            "No password is saved for the mail server. Enter it in the mail settings.",
            temporary=False,
        )
    context = ssl_context or ssl.create_default_context()
    try:
        client = _connect(settings, context)
    except (smtplib.SMTPException, OSError) as error:
        raise _delivery_error(error, settings) from error
    try:
        _login_and_send(client, message, settings, password, context)
    except (smtplib.SMTPException, OSError) as error:
        _close(client)
        raise _delivery_error(error, settings) from error
    _close(client)


def _connect(settings: SmtpSettings, context: ssl.SSLContext) -> smtplib.SMTP:
    if settings.security is SmtpSecurity.TLS:
        return smtplib.SMTP_SSL(
            settings.host, settings.port, timeout=settings.timeout, context=context
        )
    return smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)


def _login_and_send(
    client: smtplib.SMTP,
    message: EmailMessage,
    settings: SmtpSettings,
    password: str | None,
    context: ssl.SSLContext,
) -> None:
    client.ehlo()
    if settings.security is SmtpSecurity.STARTTLS:
        if not client.has_extn("starttls"):
            raise _NoStartTls()
        client.starttls(context=context)
        client.ehlo()
    if settings.username:
        client.login(settings.username, password or "")
    refused = client.send_message(message, from_addr=settings.from_address or None)
    if refused:
        code, reply = next(iter(refused.values()))
        raise smtplib.SMTPResponseException(code, reply)


def _close(client: smtplib.SMTP) -> None:
    # The message's fate is settled before QUIT; a failing QUIT must not make it look unsent.
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


class _NoStartTls(smtplib.SMTPException):
    pass


def _delivery_error(error: Exception, settings: SmtpSettings) -> DeliveryError:
    server = f"{settings.host}:{settings.port}"
    if isinstance(error, _NoStartTls):
        return DeliveryError(
            f"The mail server {server} does not offer an encrypted connection (STARTTLS), so "
            "nothing was sent. Check the server and port with your IT team.",
            temporary=False,
        )
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return DeliveryError(
            "The mail server refused the user name or password. Check them in the mail settings.",
            temporary=False,
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return DeliveryError(
            f"The mail server {server} does not support what coreform asked for ({error}). "
            "Check the mail settings with your IT team.",
            temporary=False,
        )
    if isinstance(error, smtplib.SMTPResponseException):
        return _reply_error(error.smtp_code, error.smtp_error)
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, reply = next(iter(error.recipients.values()), (550, b""))
        return _reply_error(code, reply)
    if isinstance(error, smtplib.SMTPServerDisconnected) and isinstance(
        error.__context__, TimeoutError
    ):
        return _timed_out(server)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return DeliveryError(
            f"The mail server {server} closed the connection. coreform will try again.",
            temporary=True,
        )
    if isinstance(error, ssl.SSLCertVerificationError):
        return DeliveryError(
            f"The mail server {server} sent a certificate that cannot be trusted "
            f"({error.verify_message}). Nothing was sent. Tell your IT team.",
            temporary=False,
        )
    if isinstance(error, ssl.SSLError):
        return DeliveryError(
            f"An encrypted connection to {server} could not be made ({error.reason}). "
            "Check the security setting (STARTTLS or TLS) and the port.",
            temporary=False,
        )
    if isinstance(error, TimeoutError):
        return _timed_out(server)
    if isinstance(error, socket.gaierror):
        return DeliveryError(
            f"The mail server {settings.host} could not be found. Check the connection to the "
            "network and the server name; coreform will try again.",
            temporary=True,
        )
    return DeliveryError(
        f"The mail server {server} could not be reached ({error}). coreform will try again.",
        temporary=True,
    )


def _timed_out(server: str) -> DeliveryError:
    return DeliveryError(
        f"The mail server {server} did not answer in time. coreform will try again.",
        temporary=True,
    )


def _reply_error(code: int, reply: bytes | str) -> DeliveryError:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    if 400 <= code < 500:
        return DeliveryError(
            f"The mail server is busy or refused for now ({code} {text}). coreform will try again.",
            temporary=True,
        )
    return DeliveryError(
        f"The mail server refused the message ({code} {text}). Check the addresses and the "
        "mail settings; it will not be retried.",
        temporary=False,
    )


# ---- passwords in the OS keyring -----------------------------------------------------------


class PasswordStoreError(Exception):
    """The OS keyring cannot be used; str(error) says what to do."""


def _keyring_user(settings: SmtpSettings) -> str:
    return f"{settings.username}@{settings.host}"


def smtp_password(settings: SmtpSettings) -> str | None:
    """The saved SMTP password, or None when none is saved."""
    import keyring
    from keyring.errors import KeyringError

    try:
        password: str | None = keyring.get_password(KEYRING_SERVICE, _keyring_user(settings))
    except KeyringError as error:
        raise PasswordStoreError(_keyring_message(error)) from error
    return password


def store_smtp_password(settings: SmtpSettings, password: str) -> None:
    import keyring
    from keyring.errors import KeyringError

    try:
        keyring.set_password(KEYRING_SERVICE, _keyring_user(settings), password)
    except KeyringError as error:
        raise PasswordStoreError(_keyring_message(error)) from error


def _keyring_message(error: Exception) -> str:
    return (
        "The system's password store cannot be used, so the mail password cannot be saved or "
        f"read ({error}). Use “Open in my email program” instead, or ask your IT team to "
        "enable a password store."
    )


# ---- drafts for the user's own mail program ------------------------------------------------


class DraftOpenError(Exception):
    """The draft was written but no mail program could be started; the message names the file."""


def write_eml_draft(message: EmailMessage, folder: Path) -> Path:
    """Writes an unsent `.eml` draft (attachment included) named from the record reference."""
    draft = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    del draft["X-Unsent"]
    # Mail programs open X-Unsent messages as drafts ready to send, not as received mail.
    draft["X-Unsent"] = "1"
    folder.mkdir(parents=True, exist_ok=True)
    stem = _draft_stem(message)
    data = draft.as_bytes(policy=policy.SMTP)
    number = 1
    while True:
        path = folder / (f"{stem}.eml" if number == 1 else f"{stem}-{number}.eml")
        try:
            write_atomically(path, data, exclusive=True)  # never over another draft
            return path
        except FileExistsError:
            number += 1


# Drafts hold readable PDFs, and the mail program reads one within moments of opening it, so
# coreform keeps its drafts for 1 day at most (deleted at start-up and on exit).
DRAFT_MAX_AGE = dt.timedelta(days=1)


def remove_old_drafts(
    folder: Path, *, max_age: dt.timedelta = DRAFT_MAX_AGE, now: float | None = None
) -> list[Path]:
    """Deletes the `.eml` drafts (and half-written ones) in coreform's drafts folder that are older
    than `max_age`; other files are left alone. A draft that cannot be deleted is skipped."""
    oldest = (time.time() if now is None else now) - max_age.total_seconds()
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []  # no drafts folder yet, or unreadable: nothing of ours to delete
    for path in entries:
        if not _is_draft(path.name):
            continue
        try:
            if path.is_file() and path.stat().st_mtime < oldest:
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # open in the mail program on Windows: next time
    return removed


def _is_draft(name: str) -> bool:
    """A draft, or one a crash left half-written (`write_atomically`'s temporary file)."""
    return name.endswith(".eml") or (".eml" in name and name.endswith(PARTIAL_SUFFIX))


def _draft_stem(message: EmailMessage) -> str:
    for part in message.iter_attachments():
        filename = part.get_filename()
        if filename:
            return Path(filename).stem
    return "coreform-message"


def open_with_default_program(path: Path) -> None:
    """Opens the file in the program the system picks (the mail program for `.eml`)."""
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined,unused-ignore]  # noqa: S606
            return
        opener = "open" if sys.platform == "darwin" else "xdg-open"
        process = subprocess.Popen(  # noqa: S603  # fixed program, the path is an argument
            [opener, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        raise DraftOpenError(
            f"No program could be started to open the draft. Open it yourself: {path}"
        ) from error
    # Reap the opener in the background so the caller never waits for it.
    threading.Thread(target=process.wait, daemon=True).start()


# ---- delivery with retries -----------------------------------------------------------------


class DeliveryState(StrEnum):
    """The outbox states a delivery attempt can lead to (docs/CONTRACTS.md)."""

    SENT = "sent"
    QUEUED = "queued"
    FAILED = "failed"


@dataclass(frozen=True)
class DeliveryResult:
    state: DeliveryState
    attempts: int
    error: str = ""
    next_attempt_at: dt.datetime | None = None


def next_attempt_delay(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failed attempt (1, 2, 3 …)."""
    exponent = min(max(attempts, 1) - 1, 20)
    delay: dt.timedelta = RETRY_FIRST_DELAY * (1 << exponent)
    return min(delay, RETRY_MAX_DELAY)


def deliver(
    item_raw: bytes,
    settings: SmtpSettings,
    password: str | None,
    *,
    attempts: int,
    now: dt.datetime,
    ssl_context: ssl.SSLContext | None = None,
) -> DeliveryResult:
    """One attempt to send a stored message; `attempts` counts the attempts made before it.

    SENT only when the server accepted it; temporary failures come back QUEUED with the time of
    the next attempt, permanent ones FAILED. Never raises for a delivery problem.
    """
    made = attempts + 1
    message = BytesParser(policy=policy.default).parsebytes(item_raw)
    if not isinstance(message, EmailMessage) or not getaddresses(message.get_all("To", [])):
        return DeliveryResult(
            DeliveryState.FAILED, made, "The stored message is damaged and cannot be sent."
        )
    try:
        send_via_smtp(message, settings, password, ssl_context=ssl_context)
    except DeliveryError as error:
        if error.temporary:
            return DeliveryResult(
                DeliveryState.QUEUED, made, str(error), now + next_attempt_delay(made)
            )
        return DeliveryResult(DeliveryState.FAILED, made, str(error))
    return DeliveryResult(DeliveryState.SENT, made)
