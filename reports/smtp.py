"""Sending a stored message through the organisation's mail server, and when to try again.

`deliver` makes one attempt and says what happened; it is SENT only when the server accepted the
message. Error messages say what to do and never quote the message.
"""

from __future__ import annotations

import datetime as dt
import smtplib
import socket
import ssl
from dataclasses import dataclass
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses
from enum import StrEnum

# Back-off after a temporary failure: 1, 2, 4 … minutes, never more than 6 hours apart.
RETRY_FIRST_DELAY = dt.timedelta(minutes=1)
RETRY_MAX_DELAY = dt.timedelta(hours=6)


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
