"""How sending reads in the window, worded once for the Outbox, the record, My records and the
start-up reminder: "Sent" only when a mail server accepted the message (issue 10)."""

from __future__ import annotations

import datetime as dt

from coreform.deadlines import Deadline
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

HANDED_OVER = "Handed to your email program"
NOT_OPENED = "No email program could open the draft"
ACCEPTED = "Sent (accepted by the mail server)"
I_HAVE_SENT_IT = "I have sent it"

# A record's copy to the key worker, as My records shows it in a few words.
_LIST_STATE_TEXT = {
    OutboxState.SENT: "Sent",
    OutboxState.CONFIRMED: "Confirmed sent",
    OutboxState.HANDED_OVER: f"{HANDED_OVER} — not confirmed",
    OutboxState.NOT_OPENED: "Not sent — the draft did not open",
    OutboxState.QUEUED: "Waiting to go",
    OutboxState.SENDING: "Going now",
    OutboxState.FAILED: "Not sent — see the Outbox",
    OutboxState.CANCELLED: "Not sent — cancelled",
}


def moment_text(moment: dt.datetime) -> str:
    local = moment.astimezone(LONDON)
    return f"{day_text(local.date())} {local:%H:%M}"


def state_text(item: OutboxEntry) -> str:
    """Words, never colour alone: what happened to the message and what happens next."""
    draft = item.transport is Transport.EML
    if item.state is OutboxState.SENT:
        return ACCEPTED
    if item.state is OutboxState.CONFIRMED:
        return f"Confirmed sent by {item.confirmed_by}" if item.confirmed_by else "Confirmed sent"
    if item.state is OutboxState.HANDED_OVER:
        return HANDED_OVER
    if item.state is OutboxState.NOT_OPENED:
        return NOT_OPENED
    if item.state is OutboxState.SENDING:
        return "Opening in your email program" if draft else "Sending now"
    if item.state is OutboxState.CANCELLED:
        return "Cancelled"
    if item.state is OutboxState.FAILED and item.next_attempt_at is None:
        return "Not sent — needs your action"
    if item.state is OutboxState.FAILED:
        return "Not sent yet — will try again"
    return "Waiting to open in your email program" if draft else "Waiting to send"


def list_state_text(
    state: OutboxState | None, sent_at: dt.datetime | None, deadline: Deadline | None = None
) -> str:
    """My records: 'Sent Thu 24 Dec 2026', 'Handed to your email program — not confirmed; due
    Tue 29 Dec 2026': until the key worker's copy has gone, the record is still due (000)."""
    words = "Submitted — nothing queued" if state is None else _LIST_STATE_TEXT[state]
    if state in (OutboxState.SENT, OutboxState.CONFIRMED) and sent_at is not None:
        return f"{words} {day_text(sent_at.astimezone(LONDON).date())}"
    if sent_at is not None or deadline is None:
        return words  # an earlier version's copy went: the deadline was met or missed then
    if deadline.late:
        return f"{words}; overdue: was due {day_text(deadline.due)}"
    return f"{words}; due {day_text(deadline.due)}"


def message_text(item: OutboxEntry) -> str:
    """Which message: 'version 1 to the key worker sam.lee@council.example'."""
    kind = RECIPIENT_TEXT[item.recipient_kind].lower()
    return f"version {item.record_version} to the {kind} {item.recipient}"


def confirm_label(item: OutboxEntry, *, with_version: bool) -> str:
    """'I have sent it to the key worker': one message at a time, in the Outbox and on the
    record alike; a record sent to the key worker and to the parents is two messages."""
    version = f" (version {item.record_version})" if with_version else ""
    return f"{I_HAVE_SENT_IT} to the {RECIPIENT_TEXT[item.recipient_kind].lower()}{version}"


def confirm_name(item: OutboxEntry) -> str:
    """A confirm button's accessible name: the whole message, and what choosing it does."""
    return f"I have sent {message_text(item)} from my email program: record it as sent now"


def confirmed_text(item: OutboxEntry) -> str:
    return f"Recorded as sent from your email program: {message_text(item)}."


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


def _not_yet(status: SendingStatus) -> str:
    if status.deadline is None:
        return "."
    if status.late:
        return _lateness(status) + "."
    return f" — due {_short_day(status.deadline)}."


def sending_line(status: SendingStatus) -> str:
    """'Sent to the key worker on Thu 3 Dec 2026 — 1 working day late (due Wed 2 Dec)' (000);
    a draft in the email program is not sent until the user says so."""
    sent = status.key_worker_sent_at
    if sent is not None:
        day = day_text(sent.astimezone(LONDON).date())
        if status.key_worker_transport is Transport.EML:
            return f"Confirmed sent to the key worker from your email program on {day}" + (
                _lateness(status)
            )
        return f"Sent to the key worker on {day}, accepted by the mail server" + _lateness(status)
    if status.key_worker_state is OutboxState.HANDED_OVER:
        return (
            f"{HANDED_OVER}: not sent until you send it there, then choose “{I_HAVE_SENT_IT}”"
            + _not_yet(status)
        )
    if status.key_worker_state is OutboxState.NOT_OPENED:
        return (
            f"Not sent: {NOT_OPENED.lower()}. In the Outbox, open it again, show the file, or "
            "send it through the mail server instead" + _not_yet(status)
        )
    return "Not yet sent to the key worker" + _not_yet(status)
