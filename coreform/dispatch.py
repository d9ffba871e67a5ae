"""Ports for sending records: what the services need from PDFs, mail and the password store.

coreform never imports `reports` (the dependency runs `reports -> coreform`), so the services
are given an object with these methods by the composition root (`ui.app`, the tests);
`reports.dispatch.MailDispatcher` is the real one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from coreform.fillable import FormContext
from coreform.intake import ReceivedPdfReader
from coreform.minutes import CoreGroupMinutes
from coreform.outbox import OutboxItem, RecipientKind, Transport
from coreform.records import MonitoringRecord
from coreform.settings import MailSettings


class DispatchError(Exception):
    """A record cannot be rendered or addressed, or a secret cannot be kept; says what to do."""


@dataclass(frozen=True)
class ComposedMessage:
    """One finished message to one recipient, ready to store in the outbox."""

    recipient_kind: RecipientKind
    recipient: str
    message_id: str
    raw: bytes

    def queued(self, record_id: str, record_version: int, transport: Transport) -> OutboxItem:
        """The outbox item that sends this message as `transport` (not stored yet)."""
        return OutboxItem(
            record_id=record_id,
            record_version=record_version,
            message_id=self.message_id,
            recipient_kind=self.recipient_kind,
            recipient=self.recipient,
            transport=transport,
            raw=self.raw,
        )


@dataclass(frozen=True)
class Sender:
    address: str
    name: str
    message_id_domain: str


class DeliveryOutcome(StrEnum):
    SENT = "sent"  # the mail server accepted it
    HANDED_OVER = "handed_over"  # the draft opened in the user's email program; not sent yet
    NOT_OPENED = "not_opened"  # the draft was written, but no program could open it
    RETRY = "retry"  # a temporary failure: try again at `next_attempt_at`
    FAILED = "failed"  # a permanent failure: not retried until the user asks


@dataclass(frozen=True)
class DeliveryReport:
    outcome: DeliveryOutcome
    error: str = ""
    next_attempt_at: dt.datetime | None = None
    draft_path: str = ""  # the draft written or opened again (HANDED_OVER, NOT_OPENED)


class SecretKind(StrEnum):
    """Which secret: the values name a keyring entry, they are not secrets themselves."""

    SMTP = "smtp"
    ORGANISATION_PDF = "organisation_pdf"


class PdfRenderer(Protocol):
    def render_pdf(
        self, record: MonitoringRecord, *, password: str | None, generated_at: dt.datetime
    ) -> bytes:
        """The record's PDF with its data inside, AES-256 encrypted when a password is given."""
        ...

    def render_fillable_form(self, context: FormContext, *, generated_at: dt.datetime) -> bytes:
        """The blank fillable form for the family in `context`, `context` inside it."""
        ...

    def bundle_pdfs(self, parts: Sequence[tuple[str, bytes]]) -> bytes:
        """One PDF of `parts` in order, each (bookmark title, PDF) a bookmark of the whole."""
        ...


class MessageComposer(Protocol):
    def compose(
        self,
        record: MonitoringRecord,
        pdf: bytes,
        *,
        sender: Sender,
        parent_emails: Sequence[str],
        date: dt.datetime,
    ) -> list[ComposedMessage]:
        """The key worker's message, and the parents' only when the record allows it.

        Raises DispatchError when an address cannot make a message.
        """
        ...


@dataclass(frozen=True)
class Recipient:
    kind: RecipientKind
    name: str
    email: str


class RecordForwarder(Protocol):
    """The key worker's messages about received records (issue 13)."""

    def compose_share(
        self,
        record: MonitoringRecord,
        pdf: bytes,
        *,
        sender: Sender,
        recipients: Sequence[Recipient],
        date: dt.datetime,
    ) -> list[ComposedMessage]:
        """One message per recipient, the PDF attached; DispatchError for a bad address."""
        ...

    def compose_correction_request(
        self, record: MonitoringRecord, *, sender: Sender, issues: str, date: dt.datetime
    ) -> ComposedMessage:
        """To whoever completed the record: its reference and what to fix, no child's name."""
        ...


class MinutesDistributor(Protocol):
    """Finalised core group minutes to their attendees and core group members (001 §4.3)."""

    def render_minutes_pdf(
        self, minutes: CoreGroupMinutes, *, password: str | None, generated_at: dt.datetime
    ) -> bytes:
        """The minutes' PDF with their data inside, AES-256 encrypted when a password is given."""
        ...

    def compose_minutes(
        self,
        minutes: CoreGroupMinutes,
        pdf: bytes,
        *,
        sender: Sender,
        recipients: Sequence[Recipient],
        date: dt.datetime,
    ) -> list[ComposedMessage]:
        """One message per recipient, the PDF attached; DispatchError for a bad address."""
        ...


class MessageDeliverer(Protocol):
    def deliver(
        self, item: OutboxItem, settings: MailSettings, *, now: dt.datetime
    ) -> DeliveryReport:
        """One attempt at a stored message; `item.attempts` already counts this attempt.

        Never raises for a delivery problem: the report says what happened.
        """
        ...

    def remove_drafts(self, paths: Sequence[str]) -> list[str]:
        """Deletes these drafts (the services say which are no longer needed) and any a crash
        left half-written; returns those of `paths` that are gone. Never raises."""
        ...


class SecretStore(Protocol):
    def read_secret(self, kind: SecretKind, settings: MailSettings) -> str | None:
        """None when none is saved; DispatchError when the store cannot be used."""
        ...

    def store_secret(self, kind: SecretKind, settings: MailSettings, value: str) -> None: ...


class MailTester(Protocol):
    def send_test_message(
        self,
        settings: MailSettings,
        password: str | None,
        *,
        sender: Sender,
        to: str,
        date: dt.datetime,
    ) -> None:
        """Sends a message that carries no record through the mail server in `settings`;
        returns when the server accepted it, else raises DispatchError saying what to fix."""
        ...


class Dispatcher(
    PdfRenderer,
    MailTester,
    MessageComposer,
    MessageDeliverer,
    SecretStore,
    ReceivedPdfReader,
    RecordForwarder,
    MinutesDistributor,
    Protocol,
):
    """Everything the services need to send a record, and to read and pass on received ones."""
