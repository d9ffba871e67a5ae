"""The key worker's inbox (issue 13): filing received records once each, reviewing them (Accepted,
or "Has issues" sent back to the practitioner), and matching the children they name. Received
core group minutes are filed through the same import (`services.received_minutes`).

Every received, reviewed and matched record is audited by reference and version, never by name.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.exc import IntegrityError

from coreform.audit import AuditAction
from coreform.deadlines import deadline
from coreform.dispatch import DispatchError, Sender
from coreform.errors import (
    ConflictError,
    IntakeError,
    NotFoundError,
    SendingError,
    ValidationFailedError,
)
from coreform.inbox import ChildMatch, Filing, ImportOutcome, InboxEntry, ReviewState
from coreform.intake import (
    Origin,
    Received,
    ReceivedMinutes,
    ReceivedRecord,
    changed_fields,
    content_digest,
    read_received_file,
)
from coreform.outbox import OutboxItem
from coreform.record_versions import audit_name
from coreform.records import Family, MonitoringRecord
from coreform.services.context import missing_message
from coreform.services.received_minutes import ReceivedMinutesServices, children_not_on_file
from coreform.services.submission import SubmissionServices
from coreform.storage.unit_of_work import UnitOfWork
from coreform.validation import Problem, Severity


class TamperedRecordError(IntakeError):
    def __init__(self, reference: str, version: int) -> None:
        super().__init__(
            f"Record {reference} version {version} is already filed, and this copy's content "
            "differs from it: it may have been altered. Nothing was changed. Ask the sender to "
            "check the record and, if it must change, to send an amendment."
        )


class InboxServices(SubmissionServices, ReceivedMinutesServices):
    # ---- receiving -------------------------------------------------------------------------

    def receive_file(
        self, name: str, data: bytes, *, password: str | None = None
    ) -> list[ImportOutcome]:
        """Files every record and minutes in a received PDF or `.eml`, all in one transaction.

        Raises IntakeError (FilePasswordError: ask for the password and call again) and changes
        nothing then; the same version twice is filed once (Filing.DUPLICATE).
        """
        received = [
            self._stamped(item)
            for item in read_received_file(name, data, self._require_dispatcher(), password)
        ]
        with self._work("file the received record") as uow:
            return [
                self._file_minutes(uow, item)
                if isinstance(item, ReceivedMinutes)
                else self._file(uow, item)
                for item in received
            ]

    def _stamped(self, item: Received) -> Received:
        """A filled-in form is dated when filed and checked like any record: what it left
        empty is kept with it for the review."""
        if not isinstance(item, ReceivedRecord) or item.origin is not Origin.FILLABLE_FORM:
            return item
        record = item.record
        record.created_at = record.updated_at = record.submitted_at = self._now()
        unread = {problem.field for problem in item.missing}
        missing = [
            problem
            for problem in self.validate(record)
            if problem.severity is Severity.ERROR and problem.field not in unread
        ]
        return replace(item, missing=(*item.missing, *missing))

    def _file(self, uow: UnitOfWork, item: ReceivedRecord) -> ImportOutcome:
        record = item.record
        if not record.locked:
            raise IntakeError(
                "This record was not submitted by its sender, so it cannot be filed. Ask them "
                "to submit it and send it again."
            )
        digest = content_digest(record)
        outcome = ImportOutcome(
            record_id=record.id,
            reference=record.reference,
            version=record.version,
            filing=Filing.FILED,
            origin=item.origin,
            source=item.source,
            missing=tuple(problem.message for problem in item.missing),
            unknown_children=self._unknown_children(uow, record),
        )
        stored = uow.records.get(record.id, record.version)
        if stored is not None:
            known = uow.inbox.received(record.id, record.version)
            kept = known.content_sha256 if known is not None else content_digest(stored)
            if kept != digest:
                raise TamperedRecordError(record.reference, record.version)
            return replace(outcome, filing=Filing.DUPLICATE)
        earlier = _latest_before(uow, record)
        try:
            uow.records.add(copy.deepcopy(record), session_id=None)
        except IntegrityError as error:
            raise ConflictError(
                f"Record {record.reference} version {record.version} clashes with one already "
                "in coreform. Ask the sender to check the record they sent."
            ) from error
        now = self._now()
        uow.inbox.add_received(
            record.id,
            record.version,
            at=now,
            origin=item.origin,
            content_sha256=digest,
            missing=[problem.message for problem in item.missing],
        )
        closed = uow.inbox.versions_with_issues(record.id, before=record.version)
        for version in closed:
            uow.inbox.set_review(
                record.id, version, ReviewState.CORRECTED, at=now, by=self.current_user
            )
        filed = uow.records.get(record.id, record.version)
        self._audit(uow, AuditAction.IMPORTED, audit_name(record), record=filed)
        if earlier is None:
            return replace(outcome, closed_issues=tuple(closed))
        return replace(
            outcome,
            filing=Filing.AMENDMENT,
            changed=tuple(changed_fields(earlier, record)),
            closed_issues=tuple(closed),
        )

    def _unknown_children(
        self, uow: UnitOfWork, record: MonitoringRecord
    ) -> tuple[ChildMatch, ...]:
        children = (observation.child for observation in record.children)
        return children_not_on_file(
            uow, ((child.id, child.name, child.date_of_birth) for child in children)
        )

    def unknown_children(self, record_id: str, version: int) -> tuple[ChildMatch, ...]:
        """Children on a received record not yet matched to a child known here."""
        with self._work("read the received record") as uow:
            return self._unknown_children(uow, _received_record(uow, record_id, version))

    def match_child(self, received_child_id: str, child_id: str) -> None:
        """Files a received child's records under a child known here (audited)."""
        with self._work("match the child") as uow:
            if uow.inbox.local_child_id(child_id) != child_id:
                raise NotFoundError("That child is no longer in coreform. Choose another.")
            uow.inbox.link_child(received_child_id, child_id, at=self._now(), by=self.current_user)
            self._audit(uow, AuditAction.CHILD_MATCHED, f"child {child_id[:8]}")

    def add_family_from_record(
        self, record_id: str, version: int, child_ids: Sequence[str]
    ) -> Family:
        """Creates a family here from a received record's family name and the named children
        (those not on file yet), so the record is on their chronology."""
        with self._work("add the family") as uow:
            record = _received_record(uow, record_id, version)
            children = [o.child for o in record.children if o.child.id in child_ids]
            return self._new_family(
                uow, record.family_name, record.key_worker, children, record.reference
            )

    def child_on_file(self, record_id: str, version: int) -> str | None:
        """The first child on a received record who is on file here (for their chronology)."""
        with self._work("read the received record") as uow:
            record = _received_record(uow, record_id, version)
            for observation in record.children:
                local = uow.inbox.local_child_id(observation.child.id)
                if local is not None:
                    return local
        return None

    # ---- the inbox list and review ---------------------------------------------------------

    def inbox_count(self, states: Sequence[ReviewState] = ()) -> int:
        with self._work("count the inbox") as uow:
            return uow.inbox.inbox_count(states)

    def inbox_page(
        self, offset: int, limit: int, states: Sequence[ReviewState] = ()
    ) -> list[InboxEntry]:
        """Received versions, newest first, with how late each was against the 2-day rule."""
        calendar = self.calendar()
        today = self.today()

        def late(visit: dt.date | None, completed: dt.date | None, sent: dt.date | None) -> int:
            # 000: completed and sent no later than 2 working days after the visit.
            due = deadline(visit, calendar, today=today, completed_on=completed, sent_on=sent)
            return due.working_days_late if due is not None else 0

        with self._work("read the inbox") as uow:
            return uow.inbox.inbox_page(offset, limit, late, states)

    def accept_received(self, record_id: str, version: int) -> None:
        with self._work("accept the record") as uow:
            record = _received_record(uow, record_id, version)
            uow.inbox.set_review(
                record_id, version, ReviewState.ACCEPTED, at=self._now(), by=self.current_user
            )
            self._audit(uow, AuditAction.ACCEPTED, f"{record.reference} v{version}")

    def raise_issues(self, record_id: str, version: int, issues: str) -> OutboxItem:
        """Marks a received version "Has issues" and queues a request to its sender to amend it
        (subject `Core Group Monitoring Form CONFIDENTIAL`, no child's name); one transaction."""
        dispatcher = self._require_dispatcher()
        settings = self.get_settings()
        sender = Sender(
            address=settings.mail.sender(settings.me),
            name=settings.me.name,
            message_id_domain=settings.mail.message_id_domain(settings.me),
        )
        with self._work("send the request to correct the record") as uow:
            record = _received_record(uow, record_id, version)
            _check_issues_text(issues, record)
            now = self._now()
            try:
                message = dispatcher.compose_correction_request(
                    record, sender=sender, issues=issues, date=now
                )
            except DispatchError as error:
                raise SendingError(f"Nothing was sent: {error}") from error
            uow.inbox.set_review(
                record_id,
                version,
                ReviewState.HAS_ISSUES,
                issues=issues.strip(),
                at=now,
                by=self.current_user,
            )
            queued = uow.outbox.add(
                message.queued(record.id, record.version, settings.mail.send_method),
                now=now,
            )
            self._audit(uow, AuditAction.ISSUES_RAISED, f"{record.reference} v{version}")
            return queued


def _received_record(uow: UnitOfWork, record_id: str, version: int) -> MonitoringRecord:
    record = uow.records.get(record_id, version)
    if record is None or uow.inbox.received(record_id, version) is None:
        raise NotFoundError(missing_message())
    return record


def _latest_before(uow: UnitOfWork, record: MonitoringRecord) -> MonitoringRecord | None:
    for version in range(record.version - 1, 0, -1):
        earlier = uow.records.get(record.id, version)
        if earlier is not None:
            return earlier
    return None


def _check_issues_text(issues: str, record: MonitoringRecord) -> None:
    """What to fix must be said, and must not name a child: the email may travel in clear."""
    if not issues.strip():
        raise ValidationFailedError(
            [Problem("issues", "Say what the sender should correct.", Severity.ERROR)]
        )
    words = set(re.findall(r"\w+", issues.casefold()))
    for observation in record.children:
        names = re.findall(r"\w+", observation.child.name.casefold())
        if any(len(name) > 1 and name in words for name in names):
            raise ValidationFailedError(
                [
                    Problem(
                        "issues",
                        "Do not name the child in the message: email can be read on its way. "
                        "Say “the child” or quote the record's reference instead.",
                        Severity.ERROR,
                    )
                ]
            )
