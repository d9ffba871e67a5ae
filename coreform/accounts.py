"""Accounts, roles, sign-in with lockout and the idle lock, for installations shared by people.

Passwords are kept only as argon2id hashes (argon2-cffi). After `LockoutPolicy.max_failed_attempts`
wrong passwords in a row an account is locked until an administrator unlocks it. Every sign-in,
failed sign-in, lock and unlock is appended to the audit trail in the same transaction. `IdleLock`
is plain Python with an injectable clock, polled by the window.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from coreform.audit import AuditAction, AuditSink
from coreform.limits import DEFAULT_IDLE_LOCK_MINUTES, MAX_IDLE_LOCK_MINUTES
from coreform.records import Role

# Issue 5: lock an account after 6 failed attempts unless the organisation sets another number.
DEFAULT_MAX_FAILED_ATTEMPTS = 6
DEFAULT_IDLE_TIMEOUT = dt.timedelta(minutes=DEFAULT_IDLE_LOCK_MINUTES)
MAX_IDLE_TIMEOUT = dt.timedelta(minutes=MAX_IDLE_LOCK_MINUTES)
# NIST SP 800-63B §5.1.1.2: memorized secrets are at least 8 characters.
MIN_PASSWORD_LENGTH = 8
MAX_USER_NAME_LENGTH = 100

# argon2-cffi's default type is argon2id with RFC 9106's low-memory parameters.
DEFAULT_HASHER = PasswordHasher()


class AccountError(Exception):
    """str(error) is a message for the user saying what to do."""


class NotAllowedError(AccountError):
    pass


@dataclass(frozen=True)
class Account:
    user_name: str
    display_name: str
    role: Role
    failed_attempts: int
    locked_at: dt.datetime | None

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


@dataclass(frozen=True)
class LockoutPolicy:
    max_failed_attempts: int = DEFAULT_MAX_FAILED_ATTEMPTS

    def __post_init__(self) -> None:
        if self.max_failed_attempts < 1:
            raise ValueError("An account must allow at least one attempt before it locks.")


@dataclass(frozen=True)
class SignInResult:
    """A refusal is a result, not an exception: its failure count must still be committed."""

    account: Account | None
    message: str

    @property
    def ok(self) -> bool:
        return self.account is not None


def hash_password(password: str, hasher: PasswordHasher = DEFAULT_HASHER) -> str:
    check_password_rules(password)
    return hasher.hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"Choose a password of at least {MIN_PASSWORD_LENGTH} characters.")


def password_matches(
    stored_hash: str, password: str, hasher: PasswordHasher = DEFAULT_HASHER
) -> bool:
    try:
        return hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def require_role(account: Account, *roles: Role) -> None:
    if account.role not in roles:
        names = " or ".join(role.value.replace("_", " ") for role in roles)
        raise NotAllowedError(f"Only a {names} can do this; ask one to do it for you.")


class AccountStore(Protocol):
    """Where accounts are kept (`coreform.storage.people_repositories.AccountRepository`)."""

    def any(self) -> bool: ...
    def all(self) -> list[Account]: ...
    def get(self, user_name: str) -> Account | None: ...
    def password_hash(self, user_name: str) -> str | None: ...
    def add(self, account: Account, *, password_hash: str, created_at: dt.datetime) -> None: ...
    def update(self, account: Account, *, password_hash: str | None = None) -> None: ...
    def administrator_other_than(self, user_name: str) -> bool: ...


class AccountBook(AuditSink, Protocol):
    """The accounts and the audit trail in one transaction (the unit of work)."""

    @property
    def accounts(self) -> AccountStore: ...


def create_account(
    book: AccountBook,
    *,
    user_name: str,
    password: str,
    role: Role,
    at: dt.datetime,
    by: Account | None,
    display_name: str = "",
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> Account:
    """Adds an account; only an administrator may, except the first (who sets up the rest)."""
    name = user_name.strip()
    if not name or len(name) > MAX_USER_NAME_LENGTH:
        raise AccountError(f"Enter a user name of 1 to {MAX_USER_NAME_LENGTH} characters.")
    if by is None:
        if book.accounts.any():
            raise NotAllowedError("Only an administrator can add accounts; ask one to do it.")
        if role is not Role.ADMINISTRATOR:
            raise AccountError("The first account must be an administrator's.")
    else:
        require_role(by, Role.ADMINISTRATOR)
    if book.accounts.get(name) is not None:
        raise AccountError(f"There is already an account called {name!r}; choose another name.")
    account = Account(
        user_name=name, display_name=display_name, role=role, failed_attempts=0, locked_at=None
    )
    book.accounts.add(account, password_hash=hash_password(password, hasher), created_at=at)
    book.audit(
        AuditAction.ACCOUNT_CREATED,
        at=at,
        user=name if by is None else by.user_name,
        record_reference=f"account:{name}",
    )
    return account


def sign_in(
    book: AccountBook,
    user_name: str,
    password: str,
    *,
    at: dt.datetime,
    policy: LockoutPolicy | None = None,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> SignInResult:
    """Checks a password; the caller commits whatever the outcome so failures are counted."""
    rules = policy or LockoutPolicy()
    name = user_name.strip()[:MAX_USER_NAME_LENGTH]
    account = book.accounts.get(name)
    stored_hash = book.accounts.password_hash(name)
    # Issue 9: every refusal reads the same and costs one argon2 run, so neither the message nor
    # the time tells whether the account name exists or is locked.
    refused = (
        "The user name or password is wrong, or the account is locked after "
        f"{rules.max_failed_attempts} failed attempts. Check them and try again; if it still "
        "fails, ask an administrator."
    )
    if account is None or stored_hash is None:
        hasher.hash(password)
        book.audit(AuditAction.SIGN_IN_FAILED, at=at, user=name)
        return SignInResult(None, refused)
    matches = password_matches(stored_hash, password, hasher)
    if account.locked:
        book.audit(AuditAction.SIGN_IN_FAILED, at=at, user=name)
        return SignInResult(None, refused)
    if not matches:
        failed = account.failed_attempts + 1
        book.audit(AuditAction.SIGN_IN_FAILED, at=at, user=name)
        if failed >= rules.max_failed_attempts:
            book.accounts.update(replace(account, failed_attempts=failed, locked_at=at))
            book.audit(
                AuditAction.ACCOUNT_LOCKED, at=at, user=name, record_reference=f"account:{name}"
            )
        else:
            book.accounts.update(replace(account, failed_attempts=failed))
        return SignInResult(None, refused)
    signed_in = replace(account, failed_attempts=0)
    rehashed = hasher.hash(password) if hasher.check_needs_rehash(stored_hash) else None
    book.accounts.update(signed_in, password_hash=rehashed)
    book.audit(AuditAction.SIGN_IN, at=at, user=name)
    return SignInResult(signed_in, "")


def unlock_account(book: AccountBook, user_name: str, *, by: Account, at: dt.datetime) -> Account:
    require_role(by, Role.ADMINISTRATOR)
    account = replace(_existing(book, user_name), failed_attempts=0, locked_at=None)
    book.accounts.update(account)
    return _audited(book, account, AuditAction.ACCOUNT_UNLOCKED, by=by, at=at)


def set_password(
    book: AccountBook,
    user_name: str,
    new_password: str,
    *,
    by: Account,
    at: dt.datetime,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> Account:
    """The account's owner, or an administrator (for someone who forgot theirs), sets a password."""
    if by.user_name != user_name:
        require_role(by, Role.ADMINISTRATOR)
    account = _existing(book, user_name)
    book.accounts.update(account, password_hash=hash_password(new_password, hasher))
    return _audited(book, account, AuditAction.EDITED, by=by, at=at)


def change_role(
    book: AccountBook, user_name: str, role: Role, *, by: Account, at: dt.datetime
) -> Account:
    """An administrator gives an account another role; the last administrator keeps theirs."""
    require_role(by, Role.ADMINISTRATOR)
    account = _existing(book, user_name)
    # Someone must remain able to add and unlock accounts, or nobody ever could again.
    if (
        account.role is Role.ADMINISTRATOR
        and role is not Role.ADMINISTRATOR
        and not book.accounts.administrator_other_than(account.user_name)
    ):
        raise AccountError(
            f"{account.user_name} is the only administrator. Make someone else an administrator "
            "first."
        )
    changed = replace(account, role=role)
    book.accounts.update(changed)
    detail = f" to {role.value}"
    return _audited(book, changed, AuditAction.ROLE_CHANGED, by=by, at=at, detail=detail)


def reset_password(
    book: AccountBook,
    user_name: str,
    new_password: str,
    *,
    by: Account,
    at: dt.datetime,
    hasher: PasswordHasher = DEFAULT_HASHER,
) -> Account:
    """An administrator sets a new password for someone who forgot theirs; it also unlocks."""
    require_role(by, Role.ADMINISTRATOR)
    account = replace(_existing(book, user_name), failed_attempts=0, locked_at=None)
    book.accounts.update(account, password_hash=hash_password(new_password, hasher))
    return _audited(book, account, AuditAction.PASSWORD_RESET, by=by, at=at)


def _existing(book: AccountBook, user_name: str) -> Account:
    account = book.accounts.get(user_name)
    if account is None:
        raise AccountError(f"There is no account called {user_name!r}.")
    return account


def _audited(
    book: AccountBook,
    account: Account,
    action: AuditAction,
    *,
    by: Account,
    at: dt.datetime,
    detail: str = "",
) -> Account:
    """Audits a change `by` made to the account, in the same transaction, and returns it."""
    book.audit(
        action, at=at, user=by.user_name, record_reference=f"account:{account.user_name}{detail}"
    )
    return account


class IdleLock:
    """Locks after `timeout` without activity, or at once (privacy screen); the UI polls `locked`.

    `clock` returns seconds and must not jump with the wall clock (default `time.monotonic`).
    """

    def __init__(
        self,
        timeout: dt.timedelta = DEFAULT_IDLE_TIMEOUT,
        *,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._clock = clock
        self._timeout = self._checked(timeout)
        self._last_activity = clock()
        self._locked_now = False

    @staticmethod
    def _checked(timeout: dt.timedelta) -> dt.timedelta:
        if timeout <= dt.timedelta(0):
            raise ValueError("The idle lock time must be more than zero.")
        if timeout > MAX_IDLE_TIMEOUT:
            raise ValueError(f"The idle lock time can be at most {MAX_IDLE_LOCK_MINUTES} minutes.")
        return timeout

    @property
    def timeout(self) -> dt.timedelta:
        return self._timeout

    @timeout.setter
    def timeout(self, value: dt.timedelta) -> None:
        self._timeout = self._checked(value)

    @property
    def locked(self) -> bool:
        if not self._locked_now and self.seconds_until_lock() <= 0:
            self._locked_now = True
        return self._locked_now

    def seconds_until_lock(self) -> float:
        if self._locked_now:
            return 0.0
        idle = self._clock() - self._last_activity
        return max(0.0, self._timeout.total_seconds() - idle)

    def activity(self) -> None:
        """Input from the user; ignored once locked, so typing at a locked window cannot open it."""
        if not self.locked:
            self._last_activity = self._clock()

    def lock_now(self) -> None:
        """The privacy screen (Ctrl+Shift+L): hide child data at once."""
        self._locked_now = True

    def unlock(self) -> None:
        """Call only after the user has signed in again."""
        self._locked_now = False
        self._last_activity = self._clock()
