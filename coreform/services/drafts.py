"""Records as the practitioner writes them: new drafts, autosave, reading, lists, amendments,
imports, and the families and key workers remembered for the next visit."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError

from coreform.audit import AuditAction
from coreform.deadlines import Deadline
from coreform.errors import (
    ConflictError,
    CoreformError,
    NotFoundError,
    RecordLockedError,
)
from coreform.outbox import GONE, OutboxState, newest_copy_state
from coreform.record_query import RecordQuery, RecordSort
from coreform.record_versions import (
    audit_name,
    start_amendment,
)
from coreform.records import (
    Child,
    ChildObservation,
    Family,
    KeyWorker,
    MonitoringRecord,
    ParentCarer,
    RecordState,
    new_id,
)
from coreform.services.context import locked_message, missing_message
from coreform.services.preferences import PreferenceServices
from coreform.storage.record_list import ListedRecord, ListIndex
from coreform.storage.record_repository import StaleRecordError
from coreform.storage.unit_of_work import UnitOfWork
from coreform.validation import Problem, validate_record

# Autosave stores a draft about once a second while the user types; auditing each save would bury
# the trail, so one "edited" entry is written per record per session at most every 15 minutes.
EDIT_AUDIT_INTERVAL = dt.timedelta(minutes=15)
# An edit conflict never suggests throwing work away (issue 9).
_KEEP_OR_SHOW = "Nothing you typed is lost: keep yours as a new version, or show theirs first."


@dataclass(frozen=True)
class KnownChild:
    """A child on file, and the family they are filed under."""

    child: Child
    family_id: str
    family_name: str


@dataclass(frozen=True)
class RecordSummary:
    id: str
    reference: str
    state: RecordState
    version: int
    family_name: str
    child_names: tuple[str, ...]
    visit_date: dt.date | None
    # A draft's, or a submitted record's until its key worker's copy has gone; else None.
    deadline: Deadline | None
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    # Where the copy to the key worker stands (None: none queued), and when it first went.
    sending: OutboxState | None = None
    sent_at: dt.datetime | None = None


# The family's newest records read to find its last submitted one (drafts come between).
CARRY_FORWARD_LOOKS_AT = 10


class DraftServices(PreferenceServices):
    def new_record(self, family_id: str | None = None) -> MonitoringRecord:
        """A record not yet saved, filled in from my details and the family, if one is given."""
        now = self._now()
        record = MonitoringRecord(
            completed_by=copy.deepcopy(self.get_settings().me), created_at=now, updated_at=now
        )
        if family_id is not None:
            family = self.get_family(family_id)
            record.family_id = family.id
            record.family_name = family.name
            record.key_worker = copy.deepcopy(family.key_worker)
            record.children = [
                ChildObservation(child=copy.deepcopy(child)) for child in family.children
            ]
            self._carry_forward(record)
        return record

    def _carry_forward(self, record: MonitoringRecord) -> None:
        """Whether the parents get a copy (000) is the family's standing decision, not the
        visit's: filled in from its last submitted record, for the user to check."""
        newest_first = RecordQuery(
            family_id=record.family_id, sort=RecordSort.VISIT, descending=True
        )
        with self._work("read the family's last record") as uow:
            rows = ListIndex(uow.session).page(newest_first, 0, CARRY_FORWARD_LOOKS_AT)
            last = next((row for row in rows if row.state is not RecordState.DRAFT), None)
            previous = uow.records.get(last.id, last.version) if last is not None else None
        if previous is not None:
            record.copy_to_parents = previous.copy_to_parents
            record.no_copy_reason = previous.no_copy_reason

    def save_draft(self, record: MonitoringRecord) -> MonitoringRecord:
        """Inserts or updates a draft and returns the stored copy."""
        if record.locked:
            raise RecordLockedError(locked_message(record.reference))
        with self._work("save the record") as uow:
            draft, exists = self._prepared(uow, record)
            stored = self._store(uow, draft, draft.updated_at, exists=exists)
            audited_at = self._audit_save(uow, stored, created=not exists)
        if audited_at is not None:
            self._edits_audited[stored.id] = audited_at
        return stored

    def _audit_save(
        self, uow: UnitOfWork, stored: MonitoringRecord, *, created: bool
    ) -> dt.datetime | None:
        """CREATED for a new draft; EDITED at most once per EDIT_AUDIT_INTERVAL per record."""
        now = self._now()
        last = self._edits_audited.get(stored.id)
        if not created and last is not None and now - last < EDIT_AUDIT_INTERVAL:
            return None
        action = AuditAction.CREATED if created else AuditAction.EDITED
        self._audit(uow, action, audit_name(stored))
        return now

    def _prepared(self, uow: UnitOfWork, record: MonitoringRecord) -> tuple[MonitoringRecord, bool]:
        """A copy of `record` ready to store, checked against the stored one (read once here),
        and whether that version is stored already.

        Its `updated_at` is the stored one until `_store` writes, so `_store` can check it.
        """
        stored = uow.records.get(record.id, record.version)
        latest = uow.records.latest_version(record.id)
        draft = copy.deepcopy(record)
        if stored is None:
            if latest is not None:
                raise ConflictError(
                    "This draft was discarded or replaced elsewhere since you opened it. "
                    f"{_KEEP_OR_SHOW}",
                    record_id=record.id,
                )
            draft.reference = record.reference or self._next_reference(uow)
            return draft, False
        if stored.locked or (latest is not None and latest > record.version):
            raise RecordLockedError(locked_message(stored.reference))
        if stored.updated_at != record.updated_at:
            raise ConflictError(
                f"Record {stored.reference} was changed elsewhere (another window or person) "
                f"since you opened it. {_KEEP_OR_SHOW}",
                record_id=record.id,
            )
        draft.reference = stored.reference
        draft.created_at = stored.created_at
        return draft, True

    def _store(
        self,
        uow: UnitOfWork,
        draft: MonitoringRecord,
        expected_updated_at: dt.datetime,
        *,
        exists: bool,
    ) -> MonitoringRecord:
        """Writes `draft` (updating that version in place when it `exists`) and returns a copy
        of what was stored, without reading it back."""
        # Strictly increasing per record, so `updated_at` also tells two saves apart.
        draft.updated_at = max(self._now(), expected_updated_at + dt.timedelta(microseconds=1))
        try:
            if exists:
                uow.records.update(
                    draft, expected_updated_at=expected_updated_at, session_id=self._session_id
                )
            else:
                uow.records.add(draft, session_id=self._session_id)
        except (StaleRecordError, IntegrityError) as error:
            raise ConflictError(
                f"Record {draft.reference} was changed elsewhere at the same moment. "
                f"{_KEEP_OR_SHOW}",
                record_id=draft.id,
            ) from error
        return copy.deepcopy(draft)

    def keep_mine_as_new_version(self, record: MonitoringRecord) -> MonitoringRecord:
        """After an edit conflict: my copy becomes a draft of its own (new id and reference)
        beside theirs, so neither person's work is lost; either can be discarded later."""
        mine = copy.deepcopy(record)
        now = self._now()
        mine.id = new_id()
        mine.reference = ""
        mine.version = 1
        mine.state = RecordState.DRAFT
        mine.amendment = None
        mine.submitted_at = None
        mine.created_at = mine.updated_at = now
        return self.save_draft(mine)

    def _stored(self, uow: UnitOfWork, record: MonitoringRecord) -> MonitoringRecord:
        """The version as read back: what an audit entry's content hash must describe."""
        stored = uow.records.get(record.id, record.version)
        if stored is None:
            raise NotFoundError(missing_message())
        return stored

    def _next_reference(self, uow: UnitOfWork) -> str:
        """Issued by the database, per installation and year (issue 9)."""
        return uow.references.next_reference(self.today().year)

    def installation_code(self) -> str:
        """The code in this database's references (CG-<code>-2026-00042), made at first run."""
        with self._work("read the installation code") as uow:
            return uow.references.installation_code()

    def get_record(self, record_id: str) -> MonitoringRecord:
        with self._work("open the record") as uow:
            record = uow.records.latest(record_id)
        if record is None:
            raise NotFoundError(missing_message())
        return record

    def open_record(self, record_id: str) -> MonitoringRecord:
        """`get_record` for a person opening it to read: the view is audited."""
        with self._work("open the record") as uow:
            record = uow.records.latest(record_id)
            if record is None:
                raise NotFoundError(missing_message())
            self._audit(uow, AuditAction.VIEWED, audit_name(record))
        return record

    def record_versions(self, record_id: str) -> list[MonitoringRecord]:
        with self._work("open the record") as uow:
            versions = uow.records.versions(record_id)
        if not versions:
            raise NotFoundError(missing_message())
        return versions

    def _summaries(
        self,
        rows: Sequence[ListedRecord],
        copies: Mapping[str, Sequence[tuple[int, OutboxState, dt.datetime | None]]] | None = None,
    ) -> list[RecordSummary]:
        """A list's rows, with each draft's deadline worked out once per visit date shown, and
        where each record's copies to the key worker stand: `copies` by record id, (version,
        state, sent at) of each."""
        deadlines: dict[dt.date | None, Deadline | None] = {}
        summaries = []
        for row in rows:
            sent = (copies or {}).get(row.id, ())
            gone = [sent_at for _, state, sent_at in sent if state in GONE and sent_at]
            # Due until the key worker's copy has gone (000): a submitted record too.
            due = row.state is RecordState.DRAFT or not gone
            if due and row.visit_date not in deadlines:
                deadlines[row.visit_date] = self.deadline(row.visit_date)
            summaries.append(
                RecordSummary(
                    id=row.id,
                    reference=row.reference,
                    state=row.state,
                    version=row.version,
                    family_name=row.family_name,
                    child_names=row.child_names,
                    visit_date=row.visit_date,
                    deadline=deadlines[row.visit_date] if due else None,
                    updated_at=row.updated_at,
                    submitted_at=row.submitted_at,
                    sending=newest_copy_state((version, state) for version, state, _ in sent),
                    sent_at=min(gone) if gone else None,
                )
            )
        return summaries

    def validate(self, record: MonitoringRecord) -> list[Problem]:
        now = self._now()
        return validate_record(
            record,
            calendar=self.calendar(),
            today=now.date(),
            now=now,
            parent_emails=[carer.email for carer in self._carers(record)],
        )

    def _carers(self, record: MonitoringRecord) -> list[ParentCarer]:
        """The parents and carers of the record's family, as remembered (none when unknown)."""
        if not record.family_id:
            return []
        with self._work("open the family") as uow:
            family = uow.families.get(record.family_id)
        return family.parents_carers if family is not None else []

    def amend_record(self, record_id: str, reason: str) -> MonitoringRecord:
        """A new draft version of a sent record, carrying why; the sent version is kept.

        Credited to the name the audit trail gives the amendment (`current_user`)."""
        with self._work("start the amendment") as uow:
            latest = uow.records.latest(record_id)
            if latest is None:
                raise NotFoundError(missing_message())
            now = self._now()
            amended = start_amendment(latest, reason, at=now, by=self.current_user)
            stored = self._store(uow, amended, now, exists=False)
            self._audit(uow, AuditAction.AMENDED, audit_name(stored))
            return stored

    def import_record(self, record: MonitoringRecord) -> MonitoringRecord:
        """Files a record received from another coreform (read from its PDF), once per version."""
        if not record.locked:
            raise CoreformError(
                "This record was not submitted by its sender, so it cannot be filed. Ask them "
                "to submit it and send it again."
            )
        with self._work("import the record") as uow:
            stored = uow.records.get(record.id, record.version)
            if stored is not None:
                return stored
            try:
                uow.records.add(copy.deepcopy(record), session_id=None)
            except IntegrityError as error:
                raise ConflictError(
                    f"Record {record.reference} version {record.version} clashes with one "
                    "already in coreform. Ask the sender to check the record they sent."
                ) from error
            stored = self._stored(uow, record)
            self._audit(uow, AuditAction.IMPORTED, audit_name(stored), record=stored)
            return stored

    def discard_draft(self, record_id: str) -> None:
        with self._work("discard the draft") as uow:
            latest = uow.records.latest(record_id)
            if latest is None:
                raise NotFoundError(missing_message())
            if latest.locked:
                raise RecordLockedError(locked_message(latest.reference))
            uow.records.delete(record_id, latest.version)
            self._audit(uow, AuditAction.DELETED, audit_name(latest))

    # ---- families and contacts ---------------------------------------------------------------

    def get_family(self, family_id: str) -> Family:
        with self._work("open the family") as uow:
            family = uow.families.get(family_id)
        if family is None:
            raise NotFoundError("This family is no longer in coreform. Choose it again or add it.")
        return family

    def children_like(self, name: str, born: dt.date | None) -> list[KnownChild]:
        """Children on file with this name (ignoring case and spacing) and date of birth, each
        with their family: what a child typed on a record may already be (the editor offers)."""
        if not name.strip() or born is None:
            return []
        with self._work("look for the child") as uow:
            found = uow.inbox.children_like(name, born)
            holders = uow.families.holders([child_id for child_id, _ in found])
            families = {fid: uow.families.get(fid) for fid in set(holders.values())}
        known = []
        for child_id, family_name in found:
            family = families.get(holders.get(child_id, ""))
            child = next((c for c in family.children if c.id == child_id), None) if family else None
            if family is not None and child is not None:
                known.append(KnownChild(copy.deepcopy(child), family.id, family_name))
        return known

    def save_family(self, family: Family) -> Family:
        with self._work("save the family") as uow:
            uow.families.save(family, now=self._now())
            stored = uow.families.get(family.id)
        assert stored is not None
        return stored

    def remember_key_worker(self, key_worker: KeyWorker) -> None:
        """A key worker the user usually sends to (first-run set-up), offered on new records."""
        with self._work("save the key worker") as uow:
            uow.key_workers.remember(key_worker, now=self._now())

    def known_key_workers(self) -> list[KeyWorker]:
        """Key workers from submitted records, most recently used first."""
        with self._work("list key workers") as uow:
            return uow.key_workers.all()
