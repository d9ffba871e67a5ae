"""Submitting: checking and locking a record, remembering its family, rendering its PDF and
queueing its messages, all in one transaction."""

from __future__ import annotations

import copy
import datetime as dt
import logging
from dataclasses import dataclass

from coreform.audit import AuditAction
from coreform.deadlines import deadline
from coreform.dispatch import DispatchError, SecretKind, Sender
from coreform.errors import (
    PasswordNeededError,
    RecordLockedError,
    SendingError,
    ValidationFailedError,
)
from coreform.outbox import SEND_METHOD, OutboxItem
from coreform.recipients import Recipients, recipients
from coreform.record_versions import audit_name
from coreform.records import Child, Family, MonitoringRecord, RecordState, new_id
from coreform.services.context import locked_message
from coreform.services.drafts import DraftServices
from coreform.settings import PdfProtection, UserSettings
from coreform.storage.unit_of_work import UnitOfWork
from coreform.validation import Severity, validate_record
from coreform.workdays import WorkingCalendar

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SubmitResult:
    record: MonitoringRecord  # the stored, locked record
    messages: tuple[OutboxItem, ...]  # queued, not yet attempted
    pdf_encrypted: bool  # the sender must then give the password by phone or another channel


class SubmissionServices(DraftServices):
    def submit_record(self, record: MonitoringRecord) -> MonitoringRecord:
        """Saves, checks and locks the record, and remembers its family and key worker.

        With any ERROR nothing is saved and ValidationFailedError carries every problem.
        """
        if record.locked:
            raise RecordLockedError(locked_message(record.reference))
        calendar = self.calendar()  # read before the transaction: units of work never nest
        with self._work("submit the record") as uow:
            return self._submit(uow, record, calendar)

    def _submit(
        self, uow: UnitOfWork, record: MonitoringRecord, calendar: WorkingCalendar
    ) -> MonitoringRecord:
        draft, exists = self._prepared(uow, record)
        now = self._now()
        self._record_facts(draft, now, calendar)
        family = uow.families.get(draft.family_id) if draft.family_id else None
        problems = validate_record(
            draft,
            calendar=calendar,
            today=now.date(),
            now=now,
            parent_emails=[c.email for c in family.parents_carers] if family is not None else [],
        )
        if any(p.severity is Severity.ERROR for p in problems):
            raise ValidationFailedError(problems)
        draft.family_id = self._remember_family(uow, draft, now)
        if draft.key_worker.name or draft.key_worker.email:
            uow.key_workers.remember(draft.key_worker, now=now)
        draft.state = RecordState.AMENDED if draft.amendment else RecordState.SUBMITTED
        draft.submitted_at = now
        self._store(uow, draft, record.updated_at, exists=exists)
        stored = self._stored(uow, draft)
        self._audit(uow, AuditAction.SUBMITTED, audit_name(stored), record=stored)
        return stored

    def _record_facts(
        self, draft: MonitoringRecord, now: dt.datetime, calendar: WorkingCalendar
    ) -> None:
        """000: completed when submitted (an amendment keeps the original's dates); sent when a
        message really goes; the method is how it will travel, and how it went once the key
        worker's copy has gone (the outbox fills both in)."""
        if draft.amendment is None or draft.date_completed is None:
            draft.date_completed = now.date()
            draft.date_sent = None
        # The settings were read before the transaction (calendar()), so this opens no other.
        draft.send_method = SEND_METHOD[self.get_settings().mail.send_method]
        due = deadline(
            draft.visit_date,
            calendar,
            today=now.date(),
            completed_on=draft.date_completed,
            sent_on=draft.date_completed,
        )
        draft.due_date = due.due if due is not None else None
        draft.working_days_late = due.working_days_late if due is not None else 0

    def _remember_family(self, uow: UnitOfWork, record: MonitoringRecord, now: dt.datetime) -> str:
        """Keeps the family, its children and key worker, so the next visit is quick to record.

        A child is kept once, by id, in one family. A child already filed under another family
        stays there, details updated, and the record reaches them by that id: a family chosen by
        mistake moves no child behind the user's back. A record with no family chosen here (typed
        children, or a received record amended) joins the family its children are filed under,
        unless it names another household and brings children new here (a child on file used
        for a visit to a relative's home, ui.pages.known_child): then that household is a new
        family, and the family on file keeps its name.
        """
        child_ids = [observation.child.id for observation in record.children]
        holders = uow.families.holders(child_ids)
        chosen = uow.families.get(record.family_id) if record.family_id else None
        if chosen is not None:
            chosen.name = record.family_name or chosen.name
        else:
            chosen = _household(uow, record, holders)
        chosen.key_worker = copy.deepcopy(record.key_worker)
        families = {chosen.id: chosen}
        for observation in record.children:
            holder = holders.get(observation.child.id, chosen.id)
            if holder not in families:
                families[holder] = uow.families.get(holder) or Family(id=holder)
                _log.info("%s names a child filed under another family", audit_name(record))
            _file_child(families[holder], copy.deepcopy(observation.child))
        for family in families.values():
            uow.families.save(family, now=now)
        return chosen.id

    def submit_and_send(
        self, record: MonitoringRecord, *, pdf_password: str | None = None
    ) -> SubmitResult:
        """Submits the record and queues its messages in one transaction; sends nothing yet.

        A crash can leave neither a submitted record with nothing queued nor queued mail for a
        record that was not submitted. `process_outbox` then delivers what is queued.
        """
        if record.locked:
            raise RecordLockedError(locked_message(record.reference))
        dispatcher = self._require_dispatcher()
        settings = self.get_settings()
        password = self._pdf_password(settings, pdf_password)
        # Before my details are set, the record's "completed by" is who sends it.
        me = settings.me if settings.me.email.strip() else record.completed_by
        sender = Sender(
            address=settings.mail.sender(me),
            name=me.name,
            message_id_domain=settings.mail.message_id_domain(me),
        )
        calendar = self.calendar()
        with self._work("submit and send the record") as uow:
            stored = self._submit(uow, record, calendar)
            now = self._now()
            family = uow.families.get(stored.family_id) if stored.family_id else None
            chosen = recipients(stored, family.parents_carers if family is not None else [])
            parents = [carer.email for carer in chosen.parents]
            pdf = dispatcher.render_pdf(stored, password=password, generated_at=now)
            try:
                composed = dispatcher.compose(
                    stored, pdf, sender=sender, parent_emails=parents, date=now
                )
            except DispatchError as error:
                raise SendingError(f"The record was not submitted: {error}") from error
            queued = [
                uow.outbox.add(
                    message.queued(stored.id, stored.version, settings.mail.send_method),
                    now=now,
                )
                for message in composed
            ]
        return SubmitResult(stored, tuple(queued), pdf_encrypted=password is not None)

    def recipients(self, record: MonitoringRecord) -> Recipients:
        """Who will receive the record when it is submitted (coreform.recipients)."""
        return recipients(record, self._carers(record))

    def _pdf_password(self, settings: UserSettings, given: str | None) -> str | None:
        if given:
            return given
        if settings.mail.asks_pdf_password:
            raise PasswordNeededError(
                "Your organisation asks for a password on every PDF. Type one, and give it to "
                "the recipients by phone or another channel, never by email."
            )
        if settings.mail.pdf_protection is PdfProtection.ORGANISATION:
            saved = self._secret(SecretKind.ORGANISATION_PDF, settings)
            if not saved:
                raise PasswordNeededError(
                    "The organisation's PDF password is not saved on this computer. Enter it in "
                    "Settings (ask your administrator for it), then submit again."
                )
            return saved
        return None


def _household(uow: UnitOfWork, record: MonitoringRecord, holders: dict[str, str]) -> Family:
    """The family of a record with none chosen: where its children are filed, or a new one."""
    held_by = next((holders[o.child.id] for o in record.children if o.child.id in holders), None)
    held = uow.families.get(held_by) if held_by else None
    brings_new = any(o.child.id not in holders for o in record.children)
    if held is not None and not (brings_new and _other_name(record.family_name, held.name)):
        held.name = held.name or record.family_name
        return held
    return Family(id=record.family_id or new_id(), name=record.family_name)


def _other_name(typed: str, filed: str) -> bool:
    def words(name: str) -> str:
        return " ".join(name.split()).casefold()

    return bool(words(typed)) and words(typed) != words(filed)


def _file_child(family: Family, child: Child) -> None:
    """The child's details as the record has them, in their place in the family or added."""
    for index, known in enumerate(family.children):
        if known.id == child.id:
            family.children[index] = child
            return
    family.children.append(child)
