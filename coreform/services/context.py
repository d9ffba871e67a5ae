"""What every concern of the services shares: the database, the clock, who is signed in, and how
storage failures and audit entries are worded.

Each concern is a mixin on `ServiceContext`; `coreform.services.Services` combines them.
"""

from __future__ import annotations

import datetime as dt
import getpass
import logging
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from coreform.accounts import Account, AccountError
from coreform.audit import AuditAction, fingerprint
from coreform.dispatch import Dispatcher
from coreform.errors import (
    STORAGE_ERRORS,
    AccessError,
    CoreformError,
    RetentionBlockedError,
    SendingError,
    UnexpectedError,
)
from coreform.records import LONDON, MonitoringRecord, Role, new_id, now_london
from coreform.retention import RetentionError
from coreform.settings import UserSettings
from coreform.storage.audit_keys import AuditKeys
from coreform.storage.unit_of_work import UnitOfWork
from coreform.storage_faults import StorageFault, diagnose, fault_message
from coreform.workdays import Nation, WorkingCalendar

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.engine import URL

_log = logging.getLogger(__name__)
# Roles that may read the audit trail in the app (issue 5: managers see the trail).
AUDIT_READERS = (Role.MANAGER, Role.ADMINISTRATOR)
# Who sees the Administration page: the same people as the audit trail.
ADMINISTRATORS = AUDIT_READERS


class ServiceContext:
    """The state every concern works with, against one database."""

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
        self._account: Account | None = None
        self._local_user = _os_user()
        # This run's caches and memory: the settings as last read or saved, a calendar per nation,
        # and when each record's edits were last audited.
        self._settings: UserSettings | None = None
        self._calendars: dict[Nation, WorkingCalendar] = {}
        self._edits_audited: dict[str, dt.datetime] = {}
        # Per thread: the window's worker threads each run their own use case.
        self._working = threading.local()
        self._audit_keys = AuditKeys()

    @contextmanager
    def _work(self, action: str) -> Iterator[UnitOfWork]:
        """One transaction per use case: never one inside another (issue 9: SQLCipher has one
        connection, and a nested transaction on it fails)."""
        if getattr(self._working, "uow", None) is not None:
            raise RuntimeError(f"a unit of work was opened inside another (to {action})")
        url = self._engine.url
        database = database_file(url)
        encrypted = url.get_driver_name() == "pysqlcipher"
        try:
            with (
                storage_errors(action, database, encrypted=encrypted),
                UnitOfWork(self._engine, audit_keys=self._audit_keys) as uow,
            ):
                self._working.uow = uow
                yield uow
        finally:
            self._working.uow = None
        for done, reference in uow.audited:  # committed: now they are facts
            _log.info("%s %s", done.value, reference)

    def _now(self) -> dt.datetime:
        return self._clock().astimezone(LONDON)

    def today(self) -> dt.date:
        return self._now().date()

    def _audit(
        self,
        uow: UnitOfWork,
        action: AuditAction,
        reference: str = "",
        *,
        record: MonitoringRecord | None = None,
    ) -> None:
        """`record`: the version submitted or filed, whose content hash the entry keeps."""
        uow.audit(
            action,
            at=self._now(),
            user=self.current_user,
            record_reference=reference,
            record=fingerprint(record) if record is not None else None,
        )

    def _stored_settings(self) -> UserSettings:
        """The settings as last read or saved: read-only here, callers get copies."""
        if self._settings is None:
            working: UnitOfWork | None = getattr(self._working, "uow", None)
            if working is not None:  # inside a use case: read through it, never a nested one
                self._settings = UserSettings.from_values(working.settings.values())
            else:
                with self._work("read your settings") as uow:
                    self._settings = UserSettings.from_values(uow.settings.values())
        return self._settings

    @property
    def current_user(self) -> str:
        """Who the audit trail names and work is credited to: the signed-in account; with no
        accounts, the user's own name from their details, else the computer's user name (issue
        10: an amendment and its audit entry name the same person)."""
        if self._account is not None:
            return self._account.user_name
        return self._stored_settings().me.name.strip() or self._local_user

    @property
    def account(self) -> Account | None:
        """The signed-in account; None in a single-user installation."""
        return self._account

    @property
    def role(self) -> Role:
        """A single-user installation has no accounts: whoever holds its passphrase runs it."""
        return self._account.role if self._account is not None else Role.ADMINISTRATOR

    def _require_role(self, uow: UnitOfWork, *roles: Role) -> Account | None:
        """The signed-in account if its role is one of `roles`; None for a single-user
        installation (no accounts), which counts as an administrator."""
        names = " or ".join(role.value.replace("_", " ") for role in roles)
        refused = f"Only a {names} can do this; ask one to do it for you."
        if self._account is None:
            if uow.accounts.any():
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

    def _require_dispatcher(self) -> Dispatcher:
        if self._dispatcher is None:
            raise SendingError(
                "This copy of coreform was started without sending. Start the coreform app to "
                "submit and send records."
            )
        return self._dispatcher


def database_file(url: URL) -> Path | None:
    """The SQLite file behind `url`; None for a server or an in-memory database."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


@contextmanager
def storage_errors(
    action: str, database: Path | None = None, *, encrypted: bool = False
) -> Iterator[None]:
    """Every failure below becomes a typed error saying what happened and what to do (issue 9)."""
    try:
        yield
    except Exception as error:
        if type(error).__module__.startswith("coreform."):
            raise  # typed already, or a domain error its caller turns into a typed one
        raise _typed(error, action, database, encrypted=encrypted) from error


def _typed(
    error: Exception, action: str, database: Path | None, *, encrypted: bool
) -> CoreformError:
    """The typed error for a failure coreform did not raise itself."""
    if isinstance(error, SQLAlchemyError | OSError) or _plain_sqlite_error(error):
        fault = diagnose(error, database, encrypted=encrypted)
        _log.warning("could not %s: %s (%s)", action, fault.value, type(error).__name__)
        return STORAGE_ERRORS[fault](fault_message(fault, action, error))
    if isinstance(error, UnicodeError):
        return UnexpectedError(
            f"coreform could not {action}: some text holds a broken character (from a copy and "
            "paste?). Retype that text."
        )
    _log.error("could not %s", action, exc_info=error)
    return UnexpectedError(fault_message(StorageFault.OTHER, action, error))


def _plain_sqlite_error(error: Exception) -> bool:
    # Not imported for this: an encrypted database never loads the plain `sqlite3` module (and
    # its library), and one of its errors exists only once something has imported it.
    plain = sys.modules.get("sqlite3")
    return plain is not None and isinstance(error, plain.Error)


@contextmanager
def account_errors() -> Iterator[None]:
    try:
        yield
    except RetentionError as error:
        raise RetentionBlockedError(str(error)) from error
    except AccountError as error:
        raise AccessError(str(error)) from error


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in the environment or the password database
        return "local user"


def locked_message(reference: str) -> str:
    name = f"Record {reference}" if reference else "This record"
    return f"{name} has been submitted and is locked. To change it, choose Amend and give a reason."


def missing_message() -> str:
    return "This record is no longer in coreform. It may have been discarded in another window."
