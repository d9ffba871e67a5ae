"""The real `coreform.dispatch.Dispatcher`: reportlab PDFs, standard mail, the OS keyring.

Made at every start, used only when something is sent or printed: the mail, PDF and SMTP
modules load on first use (issue 15: start-up imports only what the first screen needs).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypedDict

from coreform.dispatch import (
    ComposedMessage,
    DeliveryOutcome,
    DeliveryReport,
    DispatchError,
    Recipient,
    SecretKind,
    Sender,
)
from coreform.fillable import FormContext
from coreform.intake import ReceivedPdf
from coreform.minutes import CoreGroupMinutes
from coreform.outbox import OutboxItem, RecipientKind, Transport
from coreform.password_store import store_unusable
from coreform.records import MonitoringRecord
from coreform.settings import MailSettings

if TYPE_CHECKING:
    import ssl

    from reports import mail, smtp

PDF_KEYRING_SERVICE = "coreform-pdf"
PDF_KEYRING_USER = "organisation"


def smtp_settings(settings: MailSettings) -> smtp.SmtpSettings:
    from reports import smtp

    return smtp.SmtpSettings(
        host=settings.smtp_host.strip(),
        port=settings.smtp_port,
        security=smtp.SmtpSecurity(settings.security.value),
        username=settings.username.strip(),
        from_address=settings.from_address.strip(),
        timeout=settings.timeout_seconds,
        allow_plain=settings.allow_plain,
    )


class MailDispatcher:
    """Sends by SMTP, or writes `.eml` drafts into `drafts_folder` and opens them.

    `ssl_context` replaces the system's trusted certificates (tests trust their own CA);
    `open_draft` is how a draft reaches the user's mail program (None: its default program).
    """

    def __init__(
        self,
        drafts_folder: Path,
        *,
        ssl_context: ssl.SSLContext | None = None,
        open_draft: Callable[[Path], None] | None = None,
    ) -> None:
        self.drafts_folder = drafts_folder
        self._ssl_context = ssl_context
        self._open_draft = open_draft

    def render_pdf(
        self, record: MonitoringRecord, *, password: str | None, generated_at: dt.datetime
    ) -> bytes:
        from reports.pdf import build_monitoring_pdf

        return build_monitoring_pdf(record, generated_at=generated_at, password=password)

    def bundle_pdfs(self, parts: Sequence[tuple[str, bytes]]) -> bytes:
        from reports.pdf.bundle import bundle_pdfs

        return bundle_pdfs(parts)

    def render_fillable_form(self, context: FormContext, *, generated_at: dt.datetime) -> bytes:
        from reports.pdf.fillable import build_fillable_form

        return build_fillable_form(context, generated_at=generated_at)

    def compose(
        self,
        record: MonitoringRecord,
        pdf: bytes,
        *,
        sender: Sender,
        parent_emails: Sequence[str],
        date: dt.datetime,
    ) -> list[ComposedMessage]:
        from reports import mail

        return _composed_all(
            lambda: mail.build_messages(
                record, pdf, **_from(sender), parent_emails=parent_emails, date=date
            )
        )

    def compose_share(
        self,
        record: MonitoringRecord,
        pdf: bytes,
        *,
        sender: Sender,
        recipients: Sequence[Recipient],
        date: dt.datetime,
    ) -> list[ComposedMessage]:
        from reports import forwarding

        return _composed_all(
            lambda: forwarding.build_share_messages(
                record, pdf, **_from(sender), recipients=recipients, date=date
            )
        )

    def compose_correction_request(
        self, record: MonitoringRecord, *, sender: Sender, issues: str, date: dt.datetime
    ) -> ComposedMessage:
        from reports import forwarding

        with _refused_as_dispatch_error():
            message = forwarding.build_correction_request(
                record, **_from(sender), issues=issues, date=date
            )
        return _composed(message)

    def render_minutes_pdf(
        self, minutes: CoreGroupMinutes, *, password: str | None, generated_at: dt.datetime
    ) -> bytes:
        from reports.pdf.minutes import build_minutes_pdf

        return build_minutes_pdf(minutes, generated_at=generated_at, password=password)

    def compose_minutes(
        self,
        minutes: CoreGroupMinutes,
        pdf: bytes,
        *,
        sender: Sender,
        recipients: Sequence[Recipient],
        date: dt.datetime,
    ) -> list[ComposedMessage]:
        from reports.minutes_mail import build_minutes_messages

        return _composed_all(
            lambda: build_minutes_messages(
                minutes, pdf, **_from(sender), recipients=recipients, date=date
            )
        )

    def read_received_pdf(self, data: bytes, password: str | None) -> ReceivedPdf:
        from reports.pdf import read_received_pdf

        return read_received_pdf(data, password)

    def deliver(
        self, item: OutboxItem, settings: MailSettings, *, now: dt.datetime
    ) -> DeliveryReport:
        if item.transport is Transport.EML:
            return self._draft(item)
        from reports import smtp, smtp_password

        server = smtp_settings(settings)
        if not server.host:
            return DeliveryReport(
                DeliveryOutcome.FAILED,
                "No mail server is set. Enter it in Settings, or choose “Open in my email "
                "program”, then choose Retry now.",
            )
        try:
            password = smtp_password.smtp_password(server) if server.username else None
        except smtp_password.PasswordStoreError as error:
            return DeliveryReport(DeliveryOutcome.FAILED, str(error))
        result = smtp.deliver(
            item.raw,
            server,
            password,
            attempts=max(item.attempts - 1, 0),
            now=now,
            ssl_context=self._ssl_context,
        )
        if result.state is smtp.DeliveryState.SENT:
            return DeliveryReport(DeliveryOutcome.SENT)
        if result.state is smtp.DeliveryState.QUEUED:
            return DeliveryReport(DeliveryOutcome.RETRY, result.error, result.next_attempt_at)
        return DeliveryReport(DeliveryOutcome.FAILED, result.error)

    def _draft(self, item: OutboxItem) -> DeliveryReport:
        """Opens the item's draft again if it is still there, else writes it; the user sends it."""
        from email import policy
        from email.message import EmailMessage
        from email.parser import BytesParser

        from reports import drafts

        path = Path(item.draft_path) if item.draft_path else None
        if path is None or not path.is_file():
            message = BytesParser(policy=policy.default).parsebytes(item.raw)
            if not isinstance(message, EmailMessage):
                return DeliveryReport(
                    DeliveryOutcome.FAILED, "The stored message is damaged and cannot be sent."
                )
            try:
                path = drafts.write_eml_draft(message, self.drafts_folder)
            except OSError as error:
                return DeliveryReport(
                    DeliveryOutcome.FAILED,
                    f"The draft could not be saved in {self.drafts_folder} ({error.strerror}). "
                    "Check that the folder can be written to, then choose Retry now.",
                )
        try:
            (self._open_draft or drafts.open_with_default_program)(path)
        except drafts.DraftOpenError as error:
            return DeliveryReport(DeliveryOutcome.NOT_OPENED, str(error), draft_path=str(path))
        return DeliveryReport(DeliveryOutcome.HANDED_OVER, draft_path=str(path))

    def send_test_message(
        self,
        settings: MailSettings,
        password: str | None,
        *,
        sender: Sender,
        to: str,
        date: dt.datetime,
    ) -> None:
        from reports import mail, smtp, smtp_password

        server = smtp_settings(settings)
        if not server.host:
            raise DispatchError("Type the mail server's name first.")
        try:
            message = mail.test_message(
                sender.name, sender.address, sender.message_id_domain, to, date
            )
            if password is None and server.username:
                password = smtp_password.smtp_password(server)
            smtp.send_via_smtp(message, server, password, ssl_context=self._ssl_context)
        except (
            mail.MessageBuildError,
            smtp_password.PasswordStoreError,
            smtp.DeliveryError,
        ) as error:
            raise DispatchError(str(error)) from error

    def remove_drafts(self, paths: Sequence[str]) -> list[str]:
        from reports import drafts

        return drafts.remove_drafts(self.drafts_folder, paths)

    def read_secret(self, kind: SecretKind, settings: MailSettings) -> str | None:
        if kind is SecretKind.SMTP:
            from reports import smtp_password

            try:
                return smtp_password.smtp_password(smtp_settings(settings))
            except smtp_password.PasswordStoreError as error:
                raise DispatchError(str(error)) from error
        import keyring
        from keyring.errors import KeyringError

        try:
            password: str | None = keyring.get_password(PDF_KEYRING_SERVICE, PDF_KEYRING_USER)
        except KeyringError as error:
            raise DispatchError(_pdf_keyring_message(error)) from error
        return password

    def store_secret(self, kind: SecretKind, settings: MailSettings, value: str) -> None:
        if kind is SecretKind.SMTP:
            from reports import smtp_password

            try:
                smtp_password.store_smtp_password(smtp_settings(settings), value)
            except smtp_password.PasswordStoreError as error:
                raise DispatchError(str(error)) from error
            return
        import keyring
        from keyring.errors import KeyringError

        try:
            keyring.set_password(PDF_KEYRING_SERVICE, PDF_KEYRING_USER, value)
        except KeyringError as error:
            raise DispatchError(_pdf_keyring_message(error)) from error


class _SenderFields(TypedDict):
    """How the message builders name the sender."""

    sender: str
    sender_name: str
    domain: str


def _from(sender: Sender) -> _SenderFields:
    return _SenderFields(
        sender=sender.address, sender_name=sender.name, domain=sender.message_id_domain
    )


@contextmanager
def _refused_as_dispatch_error() -> Iterator[None]:
    """A message that cannot be built (a bad address) is refused in the core's terms."""
    from reports import mail

    try:
        yield
    except mail.MessageBuildError as error:
        raise DispatchError(str(error)) from error


def _composed_all(build: Callable[[], list[mail.OutgoingMessage]]) -> list[ComposedMessage]:
    """The messages `build` makes, in the core's terms (a bad address: DispatchError)."""
    with _refused_as_dispatch_error():
        messages = build()
    return [_composed(message) for message in messages]


def _composed(message: mail.OutgoingMessage) -> ComposedMessage:
    kind = RecipientKind(message.recipient_kind.value)
    return ComposedMessage(kind, message.recipient, message.message_id, message.raw)


def _pdf_keyring_message(error: Exception) -> str:
    return store_unusable(
        "the PDF password",
        "Choose “Ask the sender each time”, or ask your IT team to enable a password store.",
        error,
    )
