"""The use cases the UI and the CLI call: drafts, submitting and sending, amending, families.

Every public method is one transaction and raises only the typed errors below, whose text tells
the user what to do. Records go in and out as plain `coreform.records` dataclasses; callers get
copies, so nothing they hold changes behind their back.
"""

from __future__ import annotations

import copy
import datetime as dt
import getpass
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from coreform import accounts, retention
from coreform.accounts import Account, AccountError, LockoutPolicy
from coreform.audit import AuditAction, AuditEntry, VerifyResult, export_head
from coreform.backup import DEFAULT_KEEP, BackupError, backup_database, backup_due
from coreform.dispatch import (
    DeliveryOutcome,
    DeliveryReport,
    Dispatcher,
    DispatchError,
    SecretKind,
    Sender,
)
from coreform.errors import (
    AccessError as AccessError,
    ConflictError as ConflictError,
    CoreformError as CoreformError,
    NotFoundError as NotFoundError,
    PasswordNeededError as PasswordNeededError,
    RecordLockedError as RecordLockedError,
    RetentionBlockedError as RetentionBlockedError,
    SendingError as SendingError,
    SignInError as SignInError,
    StorageError as StorageError,
    ValidationFailedError as ValidationFailedError,
)
from coreform.outbox import OutboxItem, OutboxState, RecipientKind, Transport
from coreform.records import (
    LONDON,
    Amendment,
    ChildObservation,
    Family,
    KeyWorker,
    MonitoringRecord,
    RecordState,
    Role,
    new_id,
    now_london,
)
from coreform.retention import RetentionCandidate, RetentionError, RetentionPolicy
from coreform.settings import PdfProtection, UserSettings
from coreform.storage.audit_log import audit_count, audit_head, audit_page, verify_audit
from coreform.storage.engine import create_engine_for
from coreform.storage.keys import DatabaseKey
from coreform.storage.repositories import RecordHead, StaleRecordError
from coreform.storage.unit_of_work import UnitOfWork
from coreform.validation import Problem, Severity, completion_deadline, validate_record
from coreform.workdays import WorkingCalendar

if TYPE_CHECKING:
    from sqlalchemy import Engine

__all__ = [
    "AccessError",
    "Account",
    "AuditEntry",
    "ConflictError",
    "CoreformError",
    "NotFoundError",
    "OutboxItem",
    "PasswordNeededError",
    "RecordLockedError",
    "RecordSummary",
    "RetentionBlockedError",
    "RetentionCandidate",
    "RetentionPolicy",
    "SendingError",
    "SendingStatus",
    "Services",
    "SignInError",
    "StorageError",
    "SubmitResult",
    "UserSettings",
    "ValidationFailedError",
    "VerifyResult",
]

REFERENCE_PREFIX = "CG"
_REFERENCE_KEY = "reference.last.{year}"
_NOTHING_LOST = "nothing you typed has been lost."
# Autosave stores a draft about once a second while the user types; auditing each save would bury
# the trail, so one "edited" entry is written per record per session at most every 15 minutes.
EDIT_AUDIT_INTERVAL = dt.timedelta(minutes=15)
# Roles that may read the audit trail in the app (issue 5: managers see the trail).
AUDIT_READERS = (Role.MANAGER, Role.ADMINISTRATOR)
# Who sees the Administration page: the same people as the audit trail.
ADMINISTRATORS = AUDIT_READERS
_RETENTION_KEY = "retention.policy"


@dataclass(frozen=True)
class RecordSummary:
    id: str
    reference: str
    state: RecordState
    version: int
    family_name: str
    child_names: tuple[str, ...]
    visit_date: dt.date | None
    deadline: dt.date | None
    updated_at: dt.datetime
    submitted_at: dt.datetime | None


@dataclass(frozen=True)
class SubmitResult:
    record: MonitoringRecord  # the stored, locked record
    messages: tuple[OutboxItem, ...]  # queued, not yet attempted
    pdf_encrypted: bool  # the sender must then give the password by phone or another channel


@dataclass(frozen=True)
class SendingStatus:
    """A record's messages and the 2-working-day rule checked against sending (000)."""

    deadline: dt.date | None
    # When the first copy to the key worker went (or its draft was opened), else None.
    key_worker_sent_at: dt.datetime | None
    key_worker_transport: Transport | None
    # Working days after the deadline: on the day it was sent, or today while it is unsent.
    working_days_late: int
    history: tuple[OutboxItem, ...]  # every version's messages, oldest first

    @property
    def late(self) -> bool:
        return self.working_days_late > 0


def _storage_message(error: BaseException, action: str) -> str:
    """Says what went wrong with the disk or database in words a practitioner can act on."""
    text = str(error).lower()
    if "disk is full" in text or "no space" in text or "disk full" in text:
        return (
            f"coreform could not {action} because the disk is full. Free some space and "
            f"try again — {_NOTHING_LOST}"
        )
    if "readonly" in text or "read-only" in text or isinstance(error, PermissionError):
        return (
            f"coreform could not {action} because its data folder cannot be written to. Check "
            f"that you may save files there (ask IT if unsure) and try again — {_NOTHING_LOST}"
        )
    if "locked" in text or "busy" in text:
        return (
            f"coreform could not {action} because another coreform window is busy with the "
            f"database. Wait a moment and try again — {_NOTHING_LOST}"
        )
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return (
            f"coreform could not {action}: its database is damaged or locked with another key. "
            "Ask IT to restore it from a backup."
        )
    if "unable to open" in text:
        return (
            f"coreform could not {action} because it cannot open its database file. Check that "
            "the data folder exists and that you may use it, then start coreform again."
        )
    return (
        f"coreform could not {action} ({type(error).__name__}). Try again; if it keeps "
        f"happening, ask IT for help — {_NOTHING_LOST}"
    )


@contextmanager
def _account_errors() -> Iterator[None]:
    try:
        yield
    except RetentionError as error:
        raise RetentionBlockedError(str(error)) from error
    except AccountError as error:
        raise AccessError(str(error)) from error


@contextmanager
def _storage_errors(action: str) -> Iterator[None]:
    try:
        yield
    except (SQLAlchemyError, OSError, sqlite3.Error) as error:
        raise StorageError(_storage_message(error, action)) from error


class Services:
    """Everything the app does with its data, against one database."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], dt.datetime] = now_london,
        dispatcher: Dispatcher | None = None,
    ) -> None:
        self._engine = engine
        self._clock = clock
        # None where nothing is sent (CLI maintenance); sending then says it is not set up.
        self._dispatcher = dispatcher
        self._session_id = new_id()
        self._settings: UserSettings | None = None
        self._calendars: dict[str, WorkingCalendar] = {}
        self._account: Account | None = None
        self._local_user = _os_user()
        self._edits_audited: dict[str, dt.datetime] = {}

    @classmethod
    def open(
        cls,
        database_url: str | None = None,
        *,
        clock: Callable[[], dt.datetime] = now_london,
        dispatcher: Dispatcher | None = None,
    ) -> Services:
        """Opens the database (default: SQLite in the user data folder) and migrates it."""
        with _storage_errors("open its database"):
            from coreform.storage.migrations import migrate  # Alembic loads only when opening

            engine = create_engine_for(database_url)
            try:
                migrate(engine)
            except BaseException:
                engine.dispose()
                raise
        return cls(engine, clock=clock, dispatcher=dispatcher)

    def close(self) -> None:
        self._engine.dispose()

    @contextmanager
    def _work(self, action: str) -> Iterator[UnitOfWork]:
        with _storage_errors(action), UnitOfWork(self._engine) as uow:
            yield uow

    def _now(self) -> dt.datetime:
        return self._clock().astimezone(LONDON)

    def _audit(self, uow: UnitOfWork, action: AuditAction, reference: str = "") -> None:
        uow.audit(action, at=self._now(), user=self.current_user, record_reference=reference)

    # ---- people: who is signed in, accounts, the audit trail ----------------------------------

    @property
    def current_user(self) -> str:
        """Who the audit trail names: the signed-in account, else the computer's user name."""
        return self._account.user_name if self._account is not None else self._local_user

    @property
    def account(self) -> Account | None:
        """The signed-in account; None in a single-user installation."""
        return self._account

    @property
    def role(self) -> Role:
        """A single-user installation has no accounts: whoever holds its passphrase runs it."""
        return self._account.role if self._account is not None else Role.ADMINISTRATOR

    def has_accounts(self) -> bool:
        with self._work("read the accounts") as uow:
            return bool(accounts.list_accounts(uow.session))

    def sign_in(self, user_name: str, password: str) -> Account:
        """Checks the password (argon2id); every failure is counted and audited, then raised."""
        with self._work("sign you in") as uow:
            result = accounts.sign_in(
                uow.session, user_name, password, at=self._now(), policy=LockoutPolicy()
            )
        if result.account is None:
            raise SignInError(result.message)
        self._account = result.account
        return result.account

    def record_passphrase_sign_in(self, *, ok: bool) -> None:
        """A single-user installation signs in with its database passphrase; audit the attempt."""
        with self._work("record the sign-in") as uow:
            self._audit(uow, AuditAction.SIGN_IN if ok else AuditAction.SIGN_IN_FAILED)

    def create_account(
        self, user_name: str, password: str, role: Role, *, display_name: str = ""
    ) -> Account:
        """The first account must be an administrator's; later ones need one signed in."""
        try:
            with self._work("add the account") as uow:
                return accounts.create_account(
                    uow.session,
                    user_name=user_name,
                    password=password,
                    role=role,
                    at=self._now(),
                    by=self._account,
                    display_name=display_name,
                )
        except AccountError as error:
            raise AccessError(str(error)) from error

    def can_administer(self) -> bool:
        """Managers and administrators see the Administration page."""
        return self.role in ADMINISTRATORS

    def _require_role(self, uow: UnitOfWork, *roles: Role) -> Account | None:
        """The signed-in account if its role is one of `roles`; None for a single-user
        installation (no accounts), which counts as an administrator."""
        names = " or ".join(role.value.replace("_", " ") for role in roles)
        refused = f"Only a {names} can do this; ask one to do it for you."
        if self._account is None:
            if accounts.list_accounts(uow.session):
                raise AccessError(f"Sign in first. {refused}")
            if Role.ADMINISTRATOR not in roles:
                raise AccessError(refused)
            return None
        if self._account.role not in roles:
            raise AccessError(refused)
        return self._account

    def _signed_in_as(self, uow: UnitOfWork, *roles: Role) -> Account:
        """For changes to accounts, which exist only when someone has signed in to one."""
        account = self._require_role(uow, *roles)
        if account is None:
            raise AccessError("There are no accounts yet; add one first.")
        return account

    def list_accounts(self) -> list[Account]:
        with self._work("read the accounts") as uow:
            self._require_role(uow, *ADMINISTRATORS)
            return accounts.list_accounts(uow.session)

    def unlock_account(self, user_name: str) -> Account:
        with _account_errors(), self._work("unlock the account") as uow:
            by = self._signed_in_as(uow, Role.ADMINISTRATOR)
            return accounts.unlock_account(uow.session, user_name, by=by, at=self._now())

    def change_role(self, user_name: str, role: Role) -> Account:
        """Never leaves the installation without an administrator."""
        with _account_errors(), self._work("change the role") as uow:
            by = self._signed_in_as(uow, Role.ADMINISTRATOR)
            changed = accounts.change_role(uow.session, user_name, role, by=by, at=self._now())
        if changed.user_name == by.user_name:
            self._account = changed
        return changed

    def reset_password(self, user_name: str, new_password: str) -> Account:
        """For someone who forgot theirs; also unlocks the account."""
        with _account_errors(), self._work("reset the password") as uow:
            by = self._signed_in_as(uow, Role.ADMINISTRATOR)
            return accounts.reset_password(
                uow.session, user_name, new_password, by=by, at=self._now()
            )

    # ---- retention ---------------------------------------------------------------------------

    def retention_policy(self) -> RetentionPolicy:
        with self._work("read the retention periods") as uow:
            return RetentionPolicy.from_json(uow.settings.get(_RETENTION_KEY) or "")

    def save_retention_policy(self, policy: RetentionPolicy) -> None:
        with self._work("save the retention periods") as uow:
            self._require_role(uow, *ADMINISTRATORS)
            uow.settings.put({_RETENTION_KEY: policy.to_json()})
            for kind, rule in policy.rules.items():
                self._audit(
                    uow,
                    AuditAction.SETTING_CHANGED,
                    f"retention.{kind.value}={rule.years}y from {rule.anchor.value}",
                )

    def records_past_retention(self) -> list[RetentionCandidate]:
        """Issue 5: listed for review by reference; nothing is ever deleted by itself."""
        with self._work("list records past retention") as uow:
            self._require_role(uow, *ADMINISTRATORS)
            policy = RetentionPolicy.from_json(uow.settings.get(_RETENTION_KEY) or "")
            return retention.records_past_retention(uow.session, today=self.today(), policy=policy)

    def set_legal_hold(self, record_id: str, reason: str) -> None:
        with _account_errors(), self._work("set the legal hold") as uow:
            by = self._signed_in_as(uow, Role.MANAGER)
            retention.set_legal_hold(uow.session, record_id, reason, by=by, at=self._now())

    def release_legal_hold(self, record_id: str) -> None:
        with _account_errors(), self._work("release the legal hold") as uow:
            by = self._signed_in_as(uow, Role.MANAGER)
            retention.release_legal_hold(uow.session, record_id, by=by, at=self._now())

    def delete_record_past_retention(self, record_id: str) -> str:
        """Issue 5: a manager's decision, refused under legal hold; returns the reference."""
        with _account_errors(), self._work("delete the record") as uow:
            by = self._signed_in_as(uow, Role.MANAGER)
            policy = RetentionPolicy.from_json(uow.settings.get(_RETENTION_KEY) or "")
            return retention.delete_past_retention(
                uow.session, record_id, by=by, at=self._now(), policy=policy
            )

    def can_read_audit(self) -> bool:
        return self.role in AUDIT_READERS

    def _require_audit_reader(self) -> None:
        if not self.can_read_audit():
            raise AccessError("Only a manager or an administrator can read the audit trail.")

    def audit_count(self) -> int:
        self._require_audit_reader()
        with self._work("read the audit trail") as uow:
            return audit_count(uow.session)

    def audit_page(self, offset: int, limit: int) -> list[AuditEntry]:
        """Newest entry first."""
        self._require_audit_reader()
        with self._work("read the audit trail") as uow:
            return audit_page(uow.session, offset=offset, limit=limit)

    def verify_audit(self) -> VerifyResult:
        self._require_audit_reader()
        with self._work("check the audit trail") as uow:
            return verify_audit(uow.session)

    def audit_head_line(self) -> str:
        """`coreform-audit-head seq=N sha256=…`: to keep outside the database."""
        self._require_audit_reader()
        with self._work("read the audit trail") as uow:
            return export_head(audit_head(uow.session))

    # ---- backups -----------------------------------------------------------------------------

    def backup_due(self, folder: Path) -> bool:
        return backup_due(folder, self._now())

    def backup(self, folder: Path, *, keep: int = DEFAULT_KEEP) -> Path:
        """A checked copy, encrypted with the database's key, into `folder`; keeps the newest."""
        database, key = self._database_file()
        try:
            made = backup_database(database, key, folder, at=self._now(), keep=keep)
        except (BackupError, OSError) as error:
            raise StorageError(f"The backup was not made: {error}") from error
        try:
            with self._work("record the backup") as uow:
                self._audit(uow, AuditAction.BACKED_UP, made.name)
        except CoreformError:
            made.unlink(missing_ok=True)  # every backup on disk appears in the trail
            raise
        return made

    def _database_file(self) -> tuple[Path, DatabaseKey | None]:
        url = self._engine.url
        if url.get_backend_name() != "sqlite" or not url.database:
            raise StorageError(
                "A shared database is backed up on its server; ask IT about its backups."
            )
        key = DatabaseKey(url.password or "") if url.get_driver_name() == "pysqlcipher" else None
        return Path(url.database), key

    # ---- settings and dates ------------------------------------------------------------------

    def get_settings(self) -> UserSettings:
        if self._settings is None:
            with self._work("read your settings") as uow:
                self._settings = UserSettings.from_values(uow.settings.values())
        return copy.deepcopy(self._settings)

    def save_settings(self, settings: UserSettings) -> None:
        """Saves everything but `mail.allow_plain`, which only `set_allow_plain_smtp` changes."""
        saved = copy.deepcopy(settings)
        with self._work("save your settings") as uow:
            stored = UserSettings.from_values(uow.settings.values())
            saved.mail.allow_plain = stored.mail.allow_plain
            uow.settings.put(saved.to_values())
        self._settings = saved

    def set_allow_plain_smtp(self, allow: bool) -> None:
        """Issue 4: plain SMTP is refused unless an administrator allows it explicitly."""
        with self._work("change the mail security") as uow:
            self._require_role(uow, Role.ADMINISTRATOR)
            settings = UserSettings.from_values(uow.settings.values())
            settings.mail.allow_plain = allow
            uow.settings.put(settings.to_values())
            self._audit(
                uow, AuditAction.SETTING_CHANGED, f"mail.allow_plain={'on' if allow else 'off'}"
            )
        self._settings = settings

    def calendar(self) -> WorkingCalendar:
        """Working days of the user's nation."""
        nation = self.get_settings().nation
        if nation not in self._calendars:
            self._calendars[nation] = WorkingCalendar(nation)
        return self._calendars[nation]

    def today(self) -> dt.date:
        return self._now().date()

    def completion_deadline(self, visit_date: dt.date) -> dt.date:
        return completion_deadline(visit_date, self.calendar())

    # ---- records -----------------------------------------------------------------------------

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
        return record

    def save_draft(self, record: MonitoringRecord) -> MonitoringRecord:
        """Inserts or updates a draft and returns the stored copy."""
        if record.locked:
            raise RecordLockedError(_locked_message(record.reference))
        with self._work("save the record") as uow:
            draft = self._prepared(uow, record)
            created = uow.records.get(draft.id, draft.version) is None
            self._store(uow, draft, draft.updated_at)
            stored = self._stored(uow, draft)
            audited_at = self._audit_save(uow, stored, created=created)
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
        self._audit(uow, action, _reference(stored))
        return now

    def _prepared(self, uow: UnitOfWork, record: MonitoringRecord) -> MonitoringRecord:
        """A copy of `record` ready to store: checked against the stored one, times set.

        Its `updated_at` is the stored one until `_store` writes, so `_store` can check it.
        """
        stored = uow.records.get(record.id, record.version)
        latest = uow.records.latest_version(record.id)
        draft = copy.deepcopy(record)
        if stored is None:
            if latest is not None:
                raise ConflictError(
                    "This draft was discarded or replaced elsewhere since you opened it. Copy "
                    "anything you need from it, then start a new record."
                )
            draft.reference = record.reference or self._next_reference(uow)
            return draft
        if stored.locked or (latest is not None and latest > record.version):
            raise RecordLockedError(_locked_message(stored.reference))
        if stored.updated_at != record.updated_at:
            raise ConflictError(
                f"Record {stored.reference} was saved elsewhere (another coreform window?) since "
                "you opened it. Close it without saving and open it again to see the newer copy."
            )
        draft.reference = stored.reference
        draft.created_at = stored.created_at
        return draft

    def _store(
        self, uow: UnitOfWork, draft: MonitoringRecord, expected_updated_at: dt.datetime
    ) -> None:
        exists = uow.records.get(draft.id, draft.version) is not None
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
                f"Record {draft.reference} was saved elsewhere at the same moment. Close it "
                "without saving and open it again to see the newer copy."
            ) from error

    def _stored(self, uow: UnitOfWork, record: MonitoringRecord) -> MonitoringRecord:
        stored = uow.records.get(record.id, record.version)
        if stored is None:
            raise NotFoundError(_missing_message())
        return stored

    def _next_reference(self, uow: UnitOfWork) -> str:
        """CG-2026-00042: numbered per installation and year, kept by every version."""
        year = self.today().year
        key = _REFERENCE_KEY.format(year=year)
        number = int(uow.settings.get(key) or "0") + 1
        uow.settings.put({key: str(number)})
        return f"{REFERENCE_PREFIX}-{year}-{number:05d}"

    def get_record(self, record_id: str) -> MonitoringRecord:
        with self._work("open the record") as uow:
            record = uow.records.latest(record_id)
        if record is None:
            raise NotFoundError(_missing_message())
        return record

    def open_record(self, record_id: str) -> MonitoringRecord:
        """`get_record` for a person opening it to read: the view is audited."""
        with self._work("open the record") as uow:
            record = uow.records.latest(record_id)
            if record is None:
                raise NotFoundError(_missing_message())
            self._audit(uow, AuditAction.VIEWED, _reference(record))
        return record

    def record_versions(self, record_id: str) -> list[MonitoringRecord]:
        with self._work("open the record") as uow:
            versions = uow.records.versions(record_id)
        if not versions:
            raise NotFoundError(_missing_message())
        return versions

    def list_records(self) -> list[RecordSummary]:
        """Drafts first, the most urgent deadline first; then sent records, newest first."""
        with self._work("list your records") as uow:
            heads = uow.records.heads()
        return self._summaries(heads)

    def _summaries(self, heads: Sequence[RecordHead]) -> list[RecordSummary]:
        summaries = [self._summary(head) for head in heads]
        drafts = [s for s in summaries if s.state is RecordState.DRAFT]
        sent = [s for s in summaries if s.state is not RecordState.DRAFT]
        drafts.sort(key=lambda s: s.updated_at, reverse=True)
        drafts.sort(key=lambda s: (s.deadline is None, s.deadline or dt.date.max))
        sent.sort(key=lambda s: s.submitted_at or s.updated_at, reverse=True)
        return drafts + sent

    def _summary(self, head: RecordHead) -> RecordSummary:
        return RecordSummary(
            id=head.id,
            reference=head.reference,
            state=head.state,
            version=head.version,
            family_name=head.family_name,
            child_names=head.child_names,
            visit_date=head.visit_date,
            deadline=self.completion_deadline(head.visit_date) if head.visit_date else None,
            updated_at=head.updated_at,
            submitted_at=head.submitted_at,
        )

    def validate(self, record: MonitoringRecord) -> list[Problem]:
        now = self._now()
        return validate_record(record, calendar=self.calendar(), today=now.date(), now=now)

    def submit_record(self, record: MonitoringRecord) -> MonitoringRecord:
        """Saves, checks and locks the record, and remembers its family and key worker.

        With any ERROR nothing is saved and ValidationFailedError carries every problem.
        """
        if record.locked:
            raise RecordLockedError(_locked_message(record.reference))
        with self._work("submit the record") as uow:
            return self._submit(uow, record)

    def _submit(self, uow: UnitOfWork, record: MonitoringRecord) -> MonitoringRecord:
        draft = self._prepared(uow, record)
        now = self._now()
        draft.date_completed = draft.date_completed or now.date()
        problems = validate_record(draft, calendar=self.calendar(), today=now.date(), now=now)
        if any(p.severity is Severity.ERROR for p in problems):
            raise ValidationFailedError(problems)
        draft.family_id = self._remember_family(uow, draft, now)
        if draft.key_worker.name or draft.key_worker.email:
            uow.key_workers.remember(draft.key_worker, now=now)
        draft.state = RecordState.AMENDED if draft.amendment else RecordState.SUBMITTED
        draft.submitted_at = now
        self._store(uow, draft, record.updated_at)
        stored = self._stored(uow, draft)
        self._audit(uow, AuditAction.SUBMITTED, _reference(stored))
        return stored

    def _remember_family(self, uow: UnitOfWork, record: MonitoringRecord, now: dt.datetime) -> str:
        """Keeps the family, its children and key worker, so the next visit is quick to record."""
        family = (uow.families.get(record.family_id) if record.family_id else None) or Family(
            id=record.family_id or new_id()
        )
        family.name = record.family_name or family.name
        family.key_worker = copy.deepcopy(record.key_worker)
        known = {child.id: index for index, child in enumerate(family.children)}
        for observation in record.children:
            child = copy.deepcopy(observation.child)
            if child.id in known:
                family.children[known[child.id]] = child
            else:
                family.children.append(child)
        uow.families.save(family, now=now)
        return family.id

    def amend_record(self, record_id: str, reason: str) -> MonitoringRecord:
        """A new draft version of a sent record, carrying why; the sent version is kept."""
        if not reason.strip():
            raise ValidationFailedError(
                [
                    Problem(
                        "amendment.reason", "Say why the record is being amended.", Severity.ERROR
                    )
                ]
            )
        me = self.get_settings().me
        with self._work("start the amendment") as uow:
            latest = uow.records.latest(record_id)
            if latest is None:
                raise NotFoundError(_missing_message())
            if not latest.locked:
                raise RecordLockedError(
                    f"Record {latest.reference} is still a draft: change it and submit it; there "
                    "is nothing to amend yet."
                )
            now = self._now()
            amended = copy.deepcopy(latest)
            amended.version = latest.version + 1
            amended.state = RecordState.DRAFT
            amended.submitted_at = None
            amended.created_at = now
            amended.amendment = Amendment(
                reason=reason.strip(),
                amended_at=now,
                amended_by=me.name,
                previous_version=latest.version,
            )
            self._store(uow, amended, now)
            self._audit(uow, AuditAction.AMENDED, _reference(amended))
            return self._stored(uow, amended)

    def export_pdf(self, record_id: str, path: Path, *, password: str | None = None) -> Path:
        """Saves the latest version as a PDF at `path`; audited in the same transaction."""
        dispatcher = self._require_dispatcher()
        written = False
        try:
            with self._work("save the PDF") as uow:
                record = uow.records.latest(record_id)
                if record is None:
                    raise NotFoundError(_missing_message())
                pdf = dispatcher.render_pdf(record, password=password, generated_at=self._now())
                self._audit(uow, AuditAction.EXPORTED, _reference(record))
                _write_atomically(path, pdf)
                written = True
        except CoreformError:
            if written:
                path.unlink(missing_ok=True)  # a saved PDF always has its audit entry
            raise
        return path

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
            self._audit(uow, AuditAction.IMPORTED, _reference(record))
            return self._stored(uow, record)

    def discard_draft(self, record_id: str) -> None:
        with self._work("discard the draft") as uow:
            latest = uow.records.latest(record_id)
            if latest is None:
                raise NotFoundError(_missing_message())
            if latest.locked:
                raise RecordLockedError(_locked_message(latest.reference))
            uow.records.delete(record_id, latest.version)
            self._audit(uow, AuditAction.DELETED, _reference(latest))

    # ---- sessions ----------------------------------------------------------------------------

    def begin_session(self) -> list[RecordSummary]:
        """Starts this run; returns drafts last saved by a run that ended without `end_session`.

        Start and end also delete the mail drafts older than a day.
        """
        with self._work("start") as uow:
            self._requeue_interrupted(uow)
            crashed = set(uow.sessions.unfinished()) - {self._session_id}
            heads = [
                head
                for head in uow.records.heads()
                if head.state is RecordState.DRAFT and head.session_id in crashed
            ]
            if crashed:
                uow.sessions.forget(sorted(crashed))
            uow.sessions.start(self._session_id, now=self._now())
        self._remove_old_drafts()
        return self._summaries(heads)

    def end_session(self) -> None:
        with self._work("close cleanly") as uow:
            uow.sessions.end(self._session_id, now=self._now())
        self._remove_old_drafts()

    def _remove_old_drafts(self) -> None:
        """`.eml` drafts hold readable PDFs; the mail program needs them only briefly."""
        if self._dispatcher is not None:
            self._dispatcher.remove_old_drafts()

    # ---- families and contacts ---------------------------------------------------------------

    def list_families(self) -> list[Family]:
        with self._work("list your families") as uow:
            return uow.families.all()

    def find_families(self, text: str) -> list[Family]:
        with self._work("search your families") as uow:
            return uow.families.find(text)

    def get_family(self, family_id: str) -> Family:
        with self._work("open the family") as uow:
            family = uow.families.get(family_id)
        if family is None:
            raise NotFoundError("This family is no longer in coreform. Choose it again or add it.")
        return family

    def save_family(self, family: Family) -> Family:
        with self._work("save the family") as uow:
            uow.families.save(family, now=self._now())
            stored = uow.families.get(family.id)
        assert stored is not None
        return stored

    def known_key_workers(self) -> list[KeyWorker]:
        """Key workers from submitted records, most recently used first."""
        with self._work("list key workers") as uow:
            return uow.key_workers.all()

    # ---- outbox ------------------------------------------------------------------------------

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

    def mark_outbox_sent(self, item_id: int, *, note: str = "") -> OutboxItem:
        """Marks the message sent; the first one to the key worker fills in the date sent.

        `note` is something the user should still know (where a draft that did not open is).
        """
        with self._work("update the outbox") as uow:
            now = self._now()
            item = _changed(
                uow,
                item_id,
                state=OutboxState.SENT,
                sent_at=now,
                last_error=note,
                next_attempt_at=None,
            )
            if item.recipient_kind is RecipientKind.KEY_WORKER:
                uow.records.set_date_sent(item.record_id, item.record_version, now.date())
            reference = uow.records.reference_of(item.record_id) or item.record_id
            self._audit(
                uow,
                AuditAction.SENT,
                f"{reference} v{item.record_version} to {item.recipient_kind.value}",
            )
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
            if item.state is OutboxState.SENT:
                raise RecordLockedError("This message has already been sent; it cannot be stopped.")
            return _changed(uow, item_id, state=OutboxState.CANCELLED, next_attempt_at=None)

    def sending_history(self, record_id: str) -> list[OutboxItem]:
        """Every message for every version of the record, oldest first."""
        with self._work("read the sending history") as uow:
            return uow.outbox.for_record(record_id)

    # ---- submitting and sending --------------------------------------------------------------

    def submit_and_send(
        self, record: MonitoringRecord, *, pdf_password: str | None = None
    ) -> SubmitResult:
        """Submits the record and queues its messages in one transaction; sends nothing yet.

        A crash can leave neither a submitted record with nothing queued nor queued mail for a
        record that was not submitted. `process_outbox` then delivers what is queued.
        """
        if record.locked:
            raise RecordLockedError(_locked_message(record.reference))
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
        with self._work("submit and send the record") as uow:
            stored = self._submit(uow, record)
            now = self._now()
            family = uow.families.get(stored.family_id) if stored.family_id else None
            parents = [p.email for p in family.parents_carers] if family is not None else []
            pdf = dispatcher.render_pdf(stored, password=password, generated_at=now)
            try:
                composed = dispatcher.compose(
                    stored, pdf, sender=sender, parent_emails=parents, date=now
                )
            except DispatchError as error:
                raise SendingError(f"The record was not submitted: {error}") from error
            queued = [
                uow.outbox.add(
                    OutboxItem(
                        record_id=stored.id,
                        record_version=stored.version,
                        message_id=message.message_id,
                        recipient_kind=message.recipient_kind,
                        recipient=message.recipient,
                        transport=settings.mail.send_method,
                        raw=message.raw,
                    ),
                    now=now,
                )
                for message in composed
            ]
        return SubmitResult(stored, tuple(queued), pdf_encrypted=password is not None)

    def _pdf_password(self, settings: UserSettings, given: str | None) -> str | None:
        if given:
            return given
        protection = settings.mail.pdf_protection
        if protection is PdfProtection.ASK:
            raise PasswordNeededError(
                "Your organisation asks for a password on every PDF. Type one, and give it to "
                "the recipients by phone or another channel, never by email."
            )
        if protection is PdfProtection.ORGANISATION:
            saved = self._secret(SecretKind.ORGANISATION_PDF, settings)
            if not saved:
                raise PasswordNeededError(
                    "The organisation's PDF password is not saved on this computer. Enter it in "
                    "Settings (ask your administrator for it), then submit again."
                )
            return saved
        return None

    def _require_dispatcher(self) -> Dispatcher:
        if self._dispatcher is None:
            raise SendingError(
                "This copy of coreform was started without sending. Start the coreform app to "
                "submit and send records."
            )
        return self._dispatcher

    def _secret(self, kind: SecretKind, settings: UserSettings) -> str | None:
        try:
            return self._require_dispatcher().read_secret(kind, settings.mail)
        except DispatchError as error:
            raise SendingError(str(error)) from error

    def save_mail_password(self, password: str) -> None:
        """Keeps the SMTP password in the OS keyring (never in the database)."""
        self._store_secret(SecretKind.SMTP, password)

    def save_organisation_pdf_password(self, password: str) -> None:
        """Keeps the organisation's PDF password in the OS keyring (never in the database)."""
        self._store_secret(SecretKind.ORGANISATION_PDF, password)

    def _store_secret(self, kind: SecretKind, value: str) -> None:
        try:
            self._require_dispatcher().store_secret(kind, self.get_settings().mail, value)
        except DispatchError as error:
            raise SendingError(str(error)) from error

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
            return self.mark_outbox_sent(item.id, note=report.error)
        retry_at = report.next_attempt_at if report.outcome is DeliveryOutcome.RETRY else None
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
        for item in uow.outbox.all():
            if item.state is OutboxState.SENDING and item.id is not None:
                _changed(uow, item.id, state=OutboxState.QUEUED, next_attempt_at=now)

    def retry_outbox_item(self, item_id: int) -> OutboxItem:
        """Makes a waiting, failed or cancelled message due now."""
        with self._work("update the outbox") as uow:
            item = _outbox_item(uow, item_id)
            if item.state is OutboxState.SENT:
                raise RecordLockedError("This message has already been sent.")
            if item.state is OutboxState.SENDING:
                raise ConflictError("This message is being sent right now. Wait a moment.")
            return _changed(uow, item_id, state=OutboxState.QUEUED, next_attempt_at=self._now())

    def sending_status(self, record_id: str) -> SendingStatus:
        """The record's sending history, and how late its key worker's copy went (000)."""
        with self._work("read the sending history") as uow:
            record = uow.records.latest(record_id)
            history = uow.outbox.for_record(record_id)
        if record is None:
            raise NotFoundError(_missing_message())
        deadline = self.completion_deadline(record.visit_date) if record.visit_date else None
        sent = sorted(
            (
                item
                for item in history
                if item.recipient_kind is RecipientKind.KEY_WORKER
                and item.state is OutboxState.SENT
                and item.sent_at is not None
            ),
            key=lambda item: item.sent_at or dt.datetime.max.replace(tzinfo=LONDON),
        )
        first = sent[0] if sent else None
        late = 0
        if deadline is not None:
            day = first.sent_at.astimezone(LONDON).date() if first and first.sent_at else None
            late = max(self.calendar().working_days_between(deadline, day or self.today()), 0)
        return SendingStatus(
            deadline=deadline,
            key_worker_sent_at=first.sent_at if first else None,
            key_worker_transport=first.transport if first else None,
            working_days_late=late,
            history=tuple(history),
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


def _reference(record: MonitoringRecord) -> str:
    """How the audit trail names a record: its reference and version, never a child's name."""
    return f"{record.reference} v{record.version}"


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment or the password database
        return "local user"


def _write_atomically(path: Path, data: bytes) -> None:
    """Beside it and renamed, so a failed write never leaves half a PDF under the chosen name."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _locked_message(reference: str) -> str:
    name = f"Record {reference}" if reference else "This record"
    return f"{name} has been submitted and is locked. To change it, choose Amend and give a reason."


def _missing_message() -> str:
    return "This record is no longer in coreform. It may have been discarded in another window."
