"""Drafts handed to the user's own email program (issue 10): coreform knows only that a draft
was opened, or could not be, until the user confirms "I have sent it"; or the user has the mail
server send it instead. Drafts are kept until then and cleared a day after."""

from __future__ import annotations

from collections.abc import Iterable

from coreform.audit import AuditAction
from coreform.errors import ConflictError, MailServerNotSetError, RecordLockedError
from coreform.outbox import (
    AWAITING_CONFIRMATION,
    DRAFT_KEPT_AFTER_SENDING,
    GONE,
    OutboxEntry,
    OutboxItem,
    OutboxState,
    Transport,
)
from coreform.services.outbox_queue import OutboxServices, _changed, _outbox_item

# The start-up reminder lists this many; the Outbox has the rest.
REMINDER_LIMIT = 50


class HandoverServices(OutboxServices):
    def awaiting_confirmation(self, *, limit: int = REMINDER_LIMIT) -> list[OutboxEntry]:
        """Drafts handed to the email program (or that none could open) not yet confirmed sent,
        oldest first."""
        with self._work("list the outbox") as uow:
            return uow.outbox.in_states(AWAITING_CONFIRMATION, 0, limit)

    def confirm_sent(self, item_ids: Iterable[int]) -> list[OutboxItem]:
        """ "I have sent it": each message went from the user's email program now, audited as
        confirmed by the current user; the key worker's copy dates the record's sending (000)."""
        confirmed = []
        with self._work("record that you sent it") as uow:
            now = self._now()
            for item_id in item_ids:
                item = _outbox_item(uow, item_id)
                if item.state in GONE:
                    raise RecordLockedError("This message has already been sent.")
                if item.state not in AWAITING_CONFIRMATION:
                    raise ConflictError(
                        "This message has not been handed to your email program yet, so it "
                        "cannot have been sent from there."
                    )
                item = _changed(
                    uow,
                    item_id,
                    state=OutboxState.CONFIRMED,
                    sent_at=now,
                    confirmed_by=self.current_user,
                    last_error="",
                    next_attempt_at=None,
                )
                self._gone(uow, item, AuditAction.CONFIRMED_SENT)
                confirmed.append(item)
        for item in confirmed:
            self._after_gone(item)
        return confirmed

    def send_by_server_instead(self, item_id: int) -> OutboxItem:
        """Queues a draft not yet sent from the email program for the mail server; its draft is
        kept, and cleared a day after the server accepts the message."""
        if not self.get_settings().mail.smtp_host.strip():
            raise MailServerNotSetError(
                "No mail server is set. In Settings, under “How to send”, choose “Send through "
                "the mail server”, enter your organisation's mail server (your IT team can tell "
                "you its name) and save; then choose “Send through the mail server instead” in "
                "the Outbox again."
            )
        with self._work("update the outbox") as uow:
            item = _outbox_item(uow, item_id)
            if item.state in GONE:
                raise RecordLockedError("This message has already been sent.")
            if item.state is OutboxState.SENDING:
                raise ConflictError("This message is being sent right now. Wait a moment.")
            return _changed(
                uow,
                item_id,
                transport=Transport.SMTP,
                state=OutboxState.QUEUED,
                attempts=0,
                last_error="",
                next_attempt_at=self._now(),
            )

    def _clear_sent_drafts(self) -> None:
        """Drafts hold readable PDFs: each is deleted a day after its message went, never
        before."""
        if self._dispatcher is None:
            return
        with self._work("clear sent drafts") as uow:
            kept = uow.outbox.drafts_sent_before(self._now() - DRAFT_KEPT_AFTER_SENDING)
        gone = set(self._dispatcher.remove_drafts([path for _, path in kept]))
        if not gone:
            return
        with self._work("clear sent drafts") as uow:
            for item_id, path in kept:
                if path in gone:
                    _changed(uow, item_id, draft_path="")
