"""Distributing finalised core group minutes (001 §4.3: to all core group members; the attendees
too): one message per recipient through the outbox, and the day the last one was accepted
recorded as the minutes' distribution, which the minutes deadline and the dashboard count from."""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass

from coreform.audit import AuditAction
from coreform.dispatch import DispatchError, Recipient, Sender
from coreform.errors import SendingError
from coreform.minutes import AttendeeKind, CoreGroupMinutes
from coreform.outbox import OutboxItem, OutboxState, RecipientKind
from coreform.records import LONDON, Practitioner
from coreform.services.minutes import MinutesServices
from coreform.services.outbox_queue import OutboxServices
from coreform.services.submission import SubmissionServices

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MinutesSendResult:
    minutes: CoreGroupMinutes
    messages: tuple[OutboxItem, ...]  # queued, not yet attempted
    pdf_encrypted: bool  # the sender must then give the password by phone or another channel
    # Attendees and members left out: no email address (names, for the screen only).
    skipped: tuple[str, ...]


class MinutesDistributionServices(MinutesServices, SubmissionServices, OutboxServices):
    def send_minutes(
        self, minutes_id: str, *, pdf_password: str | None = None
    ) -> MinutesSendResult:
        """Queues the finalised minutes to every attendee and core group member with an email
        address who has not had this version yet, in one transaction; sends nothing yet
        (`process_outbox` does). SendingError when they are not final or nobody is left."""
        dispatcher = self._require_dispatcher()
        settings = self.get_settings()
        minutes = self.get_minutes(minutes_id)
        if not minutes.locked:
            raise SendingError(
                f"Minutes {minutes.reference or ''} are a draft: finalise them, then send them."
            )
        password = self._pdf_password(settings, pdf_password)
        # Before my details are set, the lead social worker named in the minutes sends them.
        me = (
            settings.me
            if settings.me.email.strip()
            else (Practitioner(name=minutes.worker_name, email=minutes.worker_email))
        )
        sender = Sender(
            address=settings.mail.sender(me),
            name=me.name,
            message_id_domain=settings.mail.message_id_domain(me),
        )
        everyone = self.minutes_recipients(minutes_id)
        skipped = tuple(a.name for a in minutes.attendees if not a.email.strip())
        with self._work("send the minutes") as uow:
            already = {
                item.recipient.casefold()
                for item in uow.outbox.for_record(minutes.id)
                if item.record_version == minutes.version
                and item.recipient_kind is RecipientKind.MINUTES
                and item.state is not OutboxState.CANCELLED
            }
            recipients = [
                # A family member's name may be the family's name: it stays out of the headers.
                Recipient(
                    RecipientKind.MINUTES,
                    a.name if a.kind in (AttendeeKind.PROFESSIONAL, None) else "",
                    a.email.strip(),
                )
                for a in everyone
                if a.email.strip().casefold() not in already
            ]
            if not recipients:
                raise SendingError(
                    f"Everyone with an email address already has minutes {minutes.reference} "
                    f"version {minutes.version}. Add email addresses to the attendees to send "
                    "them to more people."
                )
            now = self._now()
            sent = copy.deepcopy(minutes)
            # The copy that goes out says when it went; the stored fact waits for the servers.
            sent.distributed_on = sent.distributed_on or now.date()
            pdf = dispatcher.render_minutes_pdf(sent, password=password, generated_at=now)
            try:
                composed = dispatcher.compose_minutes(
                    sent, pdf, sender=sender, recipients=recipients, date=now
                )
            except DispatchError as error:
                raise SendingError(f"The minutes were not sent: {error}") from error
            queued = tuple(
                uow.outbox.add(
                    message.queued(minutes.id, minutes.version, settings.mail.send_method),
                    now=now,
                )
                for message in composed
            )
            self._audit(
                uow,
                AuditAction.DISTRIBUTED,
                f"{minutes.reference} v{minutes.version} to {len(queued)} recipients",
            )
        _log.info(
            "minutes %s v%d queued to %d recipients", minutes.id, minutes.version, len(queued)
        )
        return MinutesSendResult(minutes, queued, password is not None, skipped)

    def _after_gone(self, item: OutboxItem) -> None:
        """When the last message of a minutes version has gone (accepted by the server, or
        confirmed sent from the email program), that day is recorded as the minutes'
        distribution (001 §4.3, 004 §9.3.26)."""
        super()._after_gone(item)
        if item.recipient_kind is RecipientKind.MINUTES and item.sent_at is not None:
            with self._work("read the outbox") as uow:
                # Gone = a server accepted it (or the user confirmed sending it): `sent_at`.
                waiting = [
                    other
                    for other in uow.outbox.for_record(item.record_id)
                    if other.record_version == item.record_version
                    and other.recipient_kind is RecipientKind.MINUTES
                    and other.state is not OutboxState.CANCELLED
                    and other.sent_at is None
                ]
            if not waiting:
                day = item.sent_at.astimezone(LONDON).date()
                self.record_minutes_distributed(item.record_id, day)
