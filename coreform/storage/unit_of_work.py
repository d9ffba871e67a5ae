"""One transaction around a piece of work: everything commits together, or nothing does."""

from __future__ import annotations

import datetime as dt
from types import TracebackType

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from coreform.audit import AuditAction, RecordFingerprint
from coreform.storage.audit_keys import AuditKeys
from coreform.storage.audit_log import append_audit
from coreform.storage.chronology_repository import ChronologyRepository
from coreform.storage.facts_repository import ContactFactsRepository
from coreform.storage.family_repository import FamilyRepository, KeyWorkerRepository
from coreform.storage.inbox_repository import InboxRepository
from coreform.storage.minutes_repository import MinutesRepository
from coreform.storage.outbox_repository import OutboxRepository
from coreform.storage.people_repositories import AccountRepository, RetentionRepository
from coreform.storage.plan_repository import PlanRepository
from coreform.storage.received_minutes_repository import ReceivedMinutesRepository
from coreform.storage.record_repository import RecordRepository
from coreform.storage.reference_counter import ReferenceCounter
from coreform.storage.settings_repositories import SessionRepository, SettingsRepository


class UnitOfWork:
    """`with UnitOfWork(engine) as uow:` commits on a clean exit and rolls back on any error."""

    records: RecordRepository
    families: FamilyRepository
    key_workers: KeyWorkerRepository
    settings: SettingsRepository
    sessions: SessionRepository
    outbox: OutboxRepository
    accounts: AccountRepository
    retention: RetentionRepository
    references: ReferenceCounter
    inbox: InboxRepository
    chronology: ChronologyRepository
    plans: PlanRepository
    contact_facts: ContactFactsRepository
    minutes: MinutesRepository
    received_minutes: ReceivedMinutesRepository

    def __init__(self, engine: Engine, *, audit_keys: AuditKeys | None = None) -> None:
        self._factory = sessionmaker(engine, expire_on_commit=False)
        self._session: Session | None = None
        # What this unit audited, (action, reference), for the log once it has committed.
        self.audited: list[tuple[AuditAction, str]] = []
        self._audit_keys = audit_keys

    def __enter__(self) -> UnitOfWork:
        session = self._factory()
        self._session = session
        self.records = RecordRepository(session)
        self.families = FamilyRepository(session)
        self.key_workers = KeyWorkerRepository(session)
        self.settings = SettingsRepository(session)
        self.sessions = SessionRepository(session)
        self.outbox = OutboxRepository(session)
        self.accounts = AccountRepository(session)
        self.retention = RetentionRepository(session)
        self.references = ReferenceCounter(session)
        self.inbox = InboxRepository(session)
        self.chronology = ChronologyRepository(session)
        self.plans = PlanRepository(session)
        self.contact_facts = ContactFactsRepository(session)
        self.minutes = MinutesRepository(session)
        self.received_minutes = ReceivedMinutesRepository(session)
        return self

    @property
    def session(self) -> Session:
        """The open session, for the audit trail's functions that take one."""
        if self._session is None:
            raise RuntimeError("the unit of work is not open")
        return self._session

    def audit(
        self,
        action: AuditAction,
        *,
        at: dt.datetime,
        user: str,
        record_reference: str = "",
        record: RecordFingerprint | None = None,
    ) -> None:
        """Appends an audit entry that commits or rolls back with this unit's other changes."""
        self.audited.append((action, record_reference))
        append_audit(
            self.session,
            at=at,
            user=user,
            action=action,
            record_reference=record_reference,
            keys=self._audit_keys,
            record=record,
        )

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        session = self._session
        if session is None:
            return
        self._session = None
        try:
            if exc_type is None:
                session.commit()
            else:
                session.rollback()
        finally:
            session.close()
