"""The outbox: messages queued by submitting, delivered once each, retried or cancelled, and how
late the key worker's copy went."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence

from coreform.audit import AuditAction
from coreform.dispatch import DeliveryOutcome, DeliveryReport
from coreform.errors import ConflictError, NotFoundError, RecordLockedError
from coreform.outbox import (
    AWAITING_CONFIRMATION,
    GONE,
    SEND_METHOD,
    OutboxItem,
    OutboxState,
    RecipientKind,
    SendingStatus,
    sending_status,
)
from coreform.records import LONDON
from coreform.services.context import missing_message
from coreform.services.preferences import PreferenceServices
from coreform.storage.unit_of_work import UnitOfWork

_log = logging.getLogger(__name__)


class OutboxServices(PreferenceServices):
    def enqueue_outbox(self, items: Sequence[OutboxItem]) -> list[OutboxItem]:
        """Queues messages together (all or none); each is due at once unless it says otherwise."""
        with self._work("queue the messages") as uow:
            now = self._now()
            return [uow.outbox.add(item, now=now) for item in items]

    def outbox_items(self) -> list[OutboxItem]:
        with self._work("list the outbox") as uow:
            return uow.outbox.all()

    def due_outbox_items(self, now: dt.datetime | None = None) -> list[OutboxItem]:
        with self._work("list the outbox") as uow:
            return uow.outbox.due(now or self._now())

    def mark_outbox_sending(self, item_id: int) -> OutboxItem:
        with self._work("update the outbox") as uow:
            item = _outbox_item(uow, item_id)
            return _changed(uow, item_id, state=OutboxState.SENDING, attempts=item.attempts + 1)

    def mark_outbox_sent(self, item_id: int) -> OutboxItem:
        """A mail server accepted the message; the first one to the key worker fills in the date
        sent."""
        with self._work("update the outbox") as uow:
            item = _changed(
                uow,
                item_id,
                state=OutboxState.SENT,
                sent_at=self._now(),
                last_error="",
                next_attempt_at=None,
            )
            self._gone(uow, item, AuditAction.ACCEPTED_BY_SERVER)
        self._after_gone(item)
        return item

    def _after_gone(self, item: OutboxItem) -> None:
        """Called once a message has gone (accepted, or confirmed sent), after its transaction:
        what else that settles (the minutes' distribution day)."""

    def _gone(self, uow: UnitOfWork, item: OutboxItem, action: AuditAction) -> None:
        """The message reached its recipient's side at `item.sent_at`: dated and audited. The
        key worker's copy also says how it went: a draft the mail server sent instead (the
        Outbox) went through the server, whatever the record said when it was submitted."""
        if item.recipient_kind is RecipientKind.KEY_WORKER and item.sent_at is not None:
            uow.records.set_sent(
                item.record_id,
                item.record_version,
                item.sent_at.date(),
                SEND_METHOD[item.transport],
            )
        self._audit_message(uow, item, action)

    def _audit_message(self, uow: UnitOfWork, item: OutboxItem, action: AuditAction) -> None:
        # The outbox carries records' messages and core group minutes' (issue 14).
        reference = (
            uow.records.reference_of(item.record_id)
            or uow.minutes.references([item.record_id]).get(item.record_id)
            or item.record_id
        )
        self._audit(
            uow, action, f"{reference} v{item.record_version} to {item.recipient_kind.value}"
        )

    def mark_outbox_handed_over(self, item_id: int, report: DeliveryReport) -> OutboxItem:
        """The draft was written (audited once) and opened in the email program, or no program
        could open it (`report.outcome` says which); either way it is the user's to send."""
        opened = report.outcome is DeliveryOutcome.HANDED_OVER
        with self._work("update the outbox") as uow:
            before = _outbox_item(uow, item_id)
            item = _changed(
                uow,
                item_id,
                state=OutboxState.HANDED_OVER if opened else OutboxState.NOT_OPENED,
                draft_path=report.draft_path,
                last_error=report.error,
                next_attempt_at=None,
            )
            if report.draft_path != before.draft_path:
                self._audit_message(uow, item, AuditAction.DRAFT_WRITTEN)
            if opened:
                self._audit_message(uow, item, AuditAction.HANDED_OVER)
            return item

    def mark_outbox_failed(
        self, item_id: int, error: str, next_attempt_at: dt.datetime | None
    ) -> OutboxItem:
        """Records why sending failed; with no `next_attempt_at` it is not retried."""
        with self._work("update the outbox") as uow:
            return _changed(
                uow,
                item_id,
                state=OutboxState.FAILED,
                last_error=error,
                next_attempt_at=next_attempt_at,
            )

    def cancel_outbox_item(self, item_id: int) -> OutboxItem:
        with self._work("update the outbox") as uow:
            item = _outbox_item(uow, item_id)
            if item.state in GONE:
                raise RecordLockedError("This message has already been sent; it cannot be stopped.")
            if item.state in AWAITING_CONFIRMATION:
                raise ConflictError(
                    "This message is in your email program. If you will not send it, delete the "
                    "draft there."
                )
            return _changed(uow, item_id, state=OutboxState.CANCELLED, next_attempt_at=None)

    def retry_outbox_item(self, item_id: int) -> OutboxItem:
        """Makes a waiting, failed or cancelled message due now; a draft the user has not sent
        yet is opened again."""
        with self._work("update the outbox") as uow:
            item = _outbox_item(uow, item_id)
            if item.state in GONE:
                raise RecordLockedError(
                    "This message has already been sent, so it is not made or sent again. To "
                    "send the record once more, choose “Save as PDF…” and attach the PDF to a "
                    "new email."
                )
            if item.state is OutboxState.SENDING:
                raise ConflictError("This message is being sent right now. Wait a moment.")
            return _changed(uow, item_id, state=OutboxState.QUEUED, next_attempt_at=self._now())

    def sending_history(self, record_id: str) -> list[OutboxItem]:
        """Every message for every version of the record, oldest first."""
        with self._work("read the sending history") as uow:
            return uow.outbox.for_record(record_id)

    def process_outbox(
        self,
        now: dt.datetime | None = None,
        *,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[OutboxItem]:
        """Delivers every due message once; returns them as they ended up.

        Each is marked sending (committed) before the attempt and sent only when the server
        accepted it; `progress(done, total)` is called after each one.
        """
        dispatcher = self._require_dispatcher()
        mail = self.get_settings().mail
        due = self.due_outbox_items(now)
        settled = []
        for done, listed in enumerate(due, start=1):
            assert listed.id is not None
            item = self._claim(listed.id, now)
            if item is not None:
                report = dispatcher.deliver(item, mail, now=now or self._now())
                settled.append(self._settle(item, report))
            if progress is not None:
                progress(done, len(due))
        return settled

    def _claim(self, item_id: int, now: dt.datetime | None) -> OutboxItem | None:
        """Marks the item sending, unless it was cancelled, sent or rescheduled meanwhile."""
        with self._work("update the outbox") as uow:
            item = uow.outbox.get(item_id)
            moment = now or self._now()
            if item is None or item.state not in (OutboxState.QUEUED, OutboxState.FAILED):
                return None
            if item.next_attempt_at is None or item.next_attempt_at > moment:
                return None
            return _changed(uow, item_id, state=OutboxState.SENDING, attempts=item.attempts + 1)

    def _settle(self, item: OutboxItem, report: DeliveryReport) -> OutboxItem:
        assert item.id is not None
        if report.outcome is DeliveryOutcome.SENT:
            return self.mark_outbox_sent(item.id)
        if report.outcome in (DeliveryOutcome.HANDED_OVER, DeliveryOutcome.NOT_OPENED):
            return self.mark_outbox_handed_over(item.id, report)
        retry_at = report.next_attempt_at if report.outcome is DeliveryOutcome.RETRY else None
        # The server's words stay out of the log: they may quote an address or the message.
        _log.warning(
            "message %d for record %s v%d to %s not sent (%s), next attempt %s",
            item.id,
            item.record_id,
            item.record_version,
            item.recipient_kind.value,
            report.outcome.value,
            retry_at.isoformat() if retry_at else "none",
        )
        return self.mark_outbox_failed(item.id, report.error, retry_at)

    def _requeue_interrupted(self, uow: UnitOfWork) -> None:
        """Messages a crashed run left `sending` are queued again, with the same Message-ID.

        The crash may have come after the server accepted one, so it may arrive twice; not
        sending it again could lose it, which is worse for a child protection record. A
        duplicate is harmless: it carries the same Message-ID (mail systems and clients fold
        those together) and the same record id and version, which an importing coreform files
        once.
        """
        now = self._now()
        # Only those rows: every start read the whole outbox here (40 s at 250,000 messages).
        for item_id in uow.outbox.ids_in([OutboxState.SENDING]):
            _changed(uow, item_id, state=OutboxState.QUEUED, next_attempt_at=now)

    def sending_status(self, record_id: str) -> SendingStatus:
        """The record's sending history, and how late its key worker's copy went (000)."""
        with self._work("read the sending history") as uow:
            record = uow.records.latest(record_id)
            history = uow.outbox.for_record(record_id)
        if record is None:
            raise NotFoundError(missing_message())
        submitted = record.submitted_at.astimezone(LONDON).date() if record.submitted_at else None
        return sending_status(
            history,
            visit_date=record.visit_date,
            completed_on=submitted,
            today=self.today(),
            calendar=self.calendar(),
        )


def _outbox_item(uow: UnitOfWork, item_id: int) -> OutboxItem:
    item = uow.outbox.get(item_id)
    if item is None:
        raise NotFoundError("This message is no longer in the outbox.")
    return item


def _changed(uow: UnitOfWork, item_id: int, **values: object) -> OutboxItem:
    item = uow.outbox.change(item_id, **values)
    if item is None:
        raise NotFoundError("This message is no longer in the outbox.")
    return item
