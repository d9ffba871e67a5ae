"""How sending reads in the window: outbox states in words and the record's late-sending line."""

from __future__ import annotations

import datetime as dt

from coreform.outbox import OutboxEntry, OutboxState, RecipientKind, Transport
from coreform.records import LONDON
from coreform.services import SendingStatus
from ui.formatting import day_text

RECIPIENT_TEXT = {
    RecipientKind.KEY_WORKER: "Key worker",
    RecipientKind.PARENTS: "Parent/carer",
    RecipientKind.CORE_GROUP: "Core group member",
    RecipientKind.PRACTITIONER: "Sender (asked to correct)",
    RecipientKind.MINUTES: "Core group minutes",
}


def moment_text(moment: dt.datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{day_text(local.date())} {local:%H:%M}"


def state_text(item: OutboxEntry) -> str:
    """Words, never colour alone: what happened to the message and what happens next."""
    if item.state is OutboxState.SENT:
        if item.transport is Transport.EML:
            return "Draft opened in your email program"
        return "Sent"
    if item.state is OutboxState.SENDING:
        return "Sending now"
    if item.state is OutboxState.CANCELLED:
        return "Cancelled"
    if item.state is OutboxState.FAILED and item.next_attempt_at is None:
        return "Not sent — needs your action"
    if item.state is OutboxState.FAILED:
        return "Not sent yet — will try again"
    return "Waiting to send"


def next_try_text(item: OutboxEntry) -> str:
    if item.state in (OutboxState.QUEUED, OutboxState.FAILED) and item.next_attempt_at:
        return moment_text(item.next_attempt_at)
    return "—"


def _short_day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"


def _lateness(status: SendingStatus) -> str:
    if status.deadline is None:
        return ""
    due = _short_day(status.deadline)
    if status.late:
        days = status.working_days_late
        unit = "working day" if days == 1 else "working days"
        return f" — {days} {unit} late (due {due})"
    return f" — in time (due {due})"


def sending_line(status: SendingStatus) -> str:
    """'Sent to the key worker on Thu 3 Dec 2026 — 1 working day late (due Wed 2 Dec)' (000)."""
    sent = status.key_worker_sent_at
    if sent is None:
        if status.deadline is None:
            return "Not yet sent to the key worker."
        if status.late:
            return "Not yet sent to the key worker" + _lateness(status)
        return f"Not yet sent to the key worker — due {_short_day(status.deadline)}"
    day = day_text(sent.astimezone(LONDON).date())
    if status.key_worker_transport is Transport.EML:
        return f"Opened as a draft to the key worker in your email program on {day}" + (
            _lateness(status)
        )
    return f"Sent to the key worker on {day}" + _lateness(status)
