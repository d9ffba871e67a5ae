"""Messages waiting to be sent, as plain data (docs/CONTRACTS.md: Outbox).

Storage keeps them in `outbox_messages`; `reports.mail` builds and delivers them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class RecipientKind(StrEnum):
    KEY_WORKER = "key_worker"
    PARENTS = "parents"


class Transport(StrEnum):
    SMTP = "smtp"
    EML = "eml"


class OutboxState(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass
class OutboxItem:
    """One message to one recipient; `raw` is the whole RFC 822 message."""

    record_id: str
    record_version: int
    message_id: str
    recipient_kind: RecipientKind
    recipient: str
    transport: Transport
    raw: bytes
    state: OutboxState = OutboxState.QUEUED
    attempts: int = 0
    last_error: str = ""
    # A failed item with no next attempt is not retried.
    next_attempt_at: dt.datetime | None = None
    created_at: dt.datetime | None = None
    sent_at: dt.datetime | None = None
    id: int | None = None  # None until stored
