"""Messages waiting to be sent, as plain data (docs/CONTRACTS.md: Outbox).

Storage keeps them in `outbox_messages`; `reports.mail` builds them, `reports.smtp` and
`reports.drafts` deliver them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from coreform.deadlines import deadline
from coreform.records import LONDON, SendMethod
from coreform.workdays import WorkingCalendar


class RecipientKind(StrEnum):
    KEY_WORKER = "key_worker"
    PARENTS = "parents"
    CORE_GROUP = "core_group"  # a received record passed on by the key worker (000)
    PRACTITIONER = "practitioner"  # the key worker asking a sender to correct a record
    MINUTES = "minutes"  # finalised core group minutes to an attendee or member (001 §4.3)


class Transport(StrEnum):
    SMTP = "smtp"
    EML = "eml"


# The record's "How it was sent" (000) for a message going this way.
SEND_METHOD = {Transport.SMTP: SendMethod.EMAIL, Transport.EML: SendMethod.SECURE_EMAIL_DRAFT}


class OutboxState(StrEnum):
    """What really happened to a message; only a mail server's acceptance makes it SENT."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"  # a mail server accepted it
    FAILED = "failed"
    CANCELLED = "cancelled"
    # "Open in my email program": the draft is the user's to send, so coreform knows only
    # that it was opened, or that nothing could open it, until the user confirms.
    HANDED_OVER = "handed_over"  # the draft opened in the user's email program
    NOT_OPENED = "not_opened"  # the draft was written, but no program could open it
    CONFIRMED = "confirmed"  # the user confirmed sending it from their email program


# Waiting for the user to say "I have sent it" (a reminder lists these at start-up).
AWAITING_CONFIRMATION = frozenset({OutboxState.HANDED_OVER, OutboxState.NOT_OPENED})
# Gone to the recipient: its `sent_at` is when the server accepted it or the user confirmed it.
GONE = frozenset({OutboxState.SENT, OutboxState.CONFIRMED})
# A draft holds a readable PDF: kept until the user has sent it, then cleared after this.
DRAFT_KEPT_AFTER_SENDING = dt.timedelta(days=1)


@dataclass
class OutboxEntry:
    """One message to one recipient, as the outbox lists it: all but the message itself, which
    holds a PDF and stays in the database until it is sent (issue 15)."""

    record_id: str
    record_version: int
    message_id: str
    recipient_kind: RecipientKind
    recipient: str
    transport: Transport
    state: OutboxState = OutboxState.QUEUED
    attempts: int = 0
    last_error: str = ""
    # A failed item with no next attempt is not retried.
    next_attempt_at: dt.datetime | None = None
    created_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    draft_path: str = ""  # the `.eml` draft written for the email program, until it is cleared
    confirmed_by: str = ""  # who confirmed sending it from their email program
    id: int | None = None  # None until stored


@dataclass
class OutboxItem(OutboxEntry):
    """One message to one recipient; `raw` is the whole RFC 822 message."""

    raw: bytes = field(kw_only=True)


@dataclass(frozen=True)
class SendingStatus:
    """A record's messages and the 2-working-day rule checked against sending (000)."""

    deadline: dt.date | None
    # When the first copy to the key worker went (a server accepted it, or the user confirmed
    # sending it from their email program), else None.
    key_worker_sent_at: dt.datetime | None
    key_worker_transport: Transport | None
    # The state of the newest version's copy to the key worker; None before any was queued.
    key_worker_state: OutboxState | None
    # Working days after the deadline: on the day it was sent, or today while it is unsent.
    working_days_late: int
    history: tuple[OutboxItem, ...]  # every version's messages, oldest first

    @property
    def late(self) -> bool:
        return self.working_days_late > 0


def sending_status(
    history: Sequence[OutboxItem],
    *,
    visit_date: dt.date | None,
    completed_on: dt.date | None,
    today: dt.date,
    calendar: WorkingCalendar,
) -> SendingStatus:
    """How late the record was completed and its key worker's first copy went, or is while
    unsent, against the deadline (000, coreform.deadlines)."""
    sent = sorted(
        (
            item
            for item in history
            if item.recipient_kind is RecipientKind.KEY_WORKER
            and item.state in GONE
            and item.sent_at is not None
        ),
        key=lambda item: item.sent_at or dt.datetime.max.replace(tzinfo=dt.UTC),
    )
    first = sent[0] if sent else None
    due = deadline(
        visit_date,
        calendar,
        today=today,
        completed_on=completed_on,
        sent_on=first.sent_at.astimezone(LONDON).date() if first and first.sent_at else None,
    )
    return SendingStatus(
        deadline=due.due if due is not None else None,
        key_worker_sent_at=first.sent_at if first else None,
        key_worker_transport=first.transport if first else None,
        key_worker_state=key_worker_state(history),
        working_days_late=due.working_days_late if due is not None else 0,
        history=tuple(history),
    )


# Which state speaks for a version with several copies to the key worker (a re-sent one).
_PRECEDENCE = (
    OutboxState.SENT,
    OutboxState.CONFIRMED,
    OutboxState.HANDED_OVER,
    OutboxState.NOT_OPENED,
    OutboxState.SENDING,
    OutboxState.QUEUED,
    OutboxState.FAILED,
    OutboxState.CANCELLED,
)


def key_worker_state(history: Sequence[OutboxItem]) -> OutboxState | None:
    """Where the newest version's copy to the key worker stands, the furthest along first."""
    return newest_copy_state(
        (item.record_version, item.state)
        for item in history
        if item.recipient_kind is RecipientKind.KEY_WORKER
    )


def newest_copy_state(copies: Iterable[tuple[int, OutboxState]]) -> OutboxState | None:
    """Of (record version, state) of one record's copies to the key worker: the newest
    version's, the furthest along first; None when there are none."""
    listed = list(copies)
    if not listed:
        return None
    newest = max(version for version, _ in listed)
    states = {state for version, state in listed if version == newest}
    return next(state for state in _PRECEDENCE if state in states)
