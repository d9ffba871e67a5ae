"""Accounts: argon2id hashes, lockout after N failures, unlock by an administrator, idle lock."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coreform.accounts import (
    DEFAULT_MAX_FAILED_ATTEMPTS,
    Account,
    AccountError,
    IdleLock,
    LockoutPolicy,
    NotAllowedError,
    create_account,
    set_password,
    sign_in,
    unlock_account,
)
from coreform.audit import AuditAction
from coreform.records import Role
from coreform.storage.audit_log import audit_entries, verify_audit
from coreform.storage.audit_tables import AccountRow
from coreform.storage.engine import create_engine_for
from coreform.storage.migrations import migrate
from coreform.storage.unit_of_work import UnitOfWork
from tests.conftest import SecondsClock

AT = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
# Still argon2id, with minimal cost so the suite stays quick; one test uses the real parameters.
FAST = PasswordHasher.from_parameters(CHEAPEST)
ADMIN_PASSWORD = "correct horse battery"
NURSE_PASSWORD = "school nurse 2025"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'accounts.db'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def admin(engine: Engine) -> Account:
    with UnitOfWork(engine) as uow:
        admin = create_account(
            uow,
            user_name="ada",
            password=ADMIN_PASSWORD,
            role=Role.ADMINISTRATOR,
            at=AT,
            by=None,
            hasher=FAST,
        )
        create_account(
            uow,
            user_name="nia",
            password=NURSE_PASSWORD,
            role=Role.PRACTITIONER,
            at=AT,
            by=admin,
            hasher=FAST,
        )
    return admin


def _sign_in(engine: Engine, name: str, password: str, policy: LockoutPolicy | None = None):  # type: ignore[no-untyped-def]
    with UnitOfWork(engine) as uow:
        return sign_in(uow, name, password, at=AT, policy=policy, hasher=FAST)


def test_passwords_are_stored_only_as_argon2id(
    engine: Engine, admin: Account, tmp_path: Path
) -> None:
    with Session(engine) as session:
        hashes = [row.password_hash for row in session.query(AccountRow)]
    assert all(h.startswith("$argon2id$") for h in hashes)
    engine.dispose()
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("accounts.db*"))
    assert NURSE_PASSWORD.encode() not in raw and ADMIN_PASSWORD.encode() not in raw


def test_the_first_account_is_an_administrator_and_only_administrators_add_more(
    engine: Engine, admin: Account
) -> None:
    with UnitOfWork(engine) as uow:
        nia = next(a for a in uow.accounts.all() if a.user_name == "nia")
        with pytest.raises(NotAllowedError, match="administrator"):
            create_account(
                uow,
                user_name="x",
                password="long enough",
                role=Role.MANAGER,
                at=AT,
                by=nia,
                hasher=FAST,
            )
        with pytest.raises(NotAllowedError):
            create_account(
                uow,
                user_name="y",
                password="long enough",
                role=Role.MANAGER,
                at=AT,
                by=None,
                hasher=FAST,
            )
        with pytest.raises(AccountError, match="already an account"):
            create_account(
                uow,
                user_name="nia",
                password="long enough",
                role=Role.MANAGER,
                at=AT,
                by=admin,
                hasher=FAST,
            )
        with pytest.raises(AccountError, match="at least 8"):
            create_account(
                uow,
                user_name="z",
                password="short",
                role=Role.MANAGER,
                at=AT,
                by=admin,
                hasher=FAST,
            )


def test_right_password_signs_in_and_is_audited(engine: Engine, admin: Account) -> None:
    result = _sign_in(engine, "nia", NURSE_PASSWORD)
    assert result.ok and result.account is not None
    assert result.account.role is Role.PRACTITIONER
    with Session(engine) as session:
        last = audit_entries(session)[-1]
    assert (last.action, last.user) == (AuditAction.SIGN_IN, "nia")


def test_locks_after_six_failures_until_an_administrator_unlocks(
    engine: Engine, admin: Account
) -> None:
    assert DEFAULT_MAX_FAILED_ATTEMPTS == 6
    for _attempt in range(1, 6):
        result = _sign_in(engine, "nia", "wrong password")
        assert not result.ok
    result = _sign_in(engine, "nia", "wrong password")
    assert "locked after 6 failed attempts" in result.message
    # Now even the right password is refused.
    assert not _sign_in(engine, "nia", NURSE_PASSWORD).ok
    with UnitOfWork(engine) as uow:
        nia = next(a for a in uow.accounts.all() if a.user_name == "nia")
        assert nia.locked and nia.failed_attempts == 6
        with pytest.raises(NotAllowedError):
            unlock_account(uow, "nia", by=nia, at=AT)
        unlocked = unlock_account(uow, "nia", by=admin, at=AT)
    assert not unlocked.locked and unlocked.failed_attempts == 0
    assert _sign_in(engine, "nia", NURSE_PASSWORD).ok
    with Session(engine) as session:
        actions = [e.action for e in audit_entries(session)]
        assert actions.count(AuditAction.SIGN_IN_FAILED) == 7
        assert actions.count(AuditAction.ACCOUNT_LOCKED) == 1
        assert actions[-2:] == [AuditAction.ACCOUNT_UNLOCKED, AuditAction.SIGN_IN]
        assert verify_audit(session).ok


def test_the_lockout_threshold_is_configurable(engine: Engine, admin: Account) -> None:
    policy = LockoutPolicy(max_failed_attempts=3)
    for _ in range(3):
        result = _sign_in(engine, "nia", "nope nope", policy)
    assert "locked after 3" in result.message
    with pytest.raises(ValueError, match="at least one"):
        LockoutPolicy(0)


def test_a_success_resets_the_count(engine: Engine, admin: Account) -> None:
    for _ in range(5):
        _sign_in(engine, "nia", "wrong password")
    assert _sign_in(engine, "nia", NURSE_PASSWORD).ok
    for _ in range(5):
        assert not _sign_in(engine, "nia", "wrong password").message.startswith("This account")


def test_unknown_user_gets_the_same_message_and_is_audited(engine: Engine, admin: Account) -> None:
    unknown = _sign_in(engine, "nobody", "whatever1")
    wrong = _sign_in(engine, "ada", "whatever1")
    assert unknown.message.split(".")[0] == wrong.message.split(".")[0]
    with Session(engine) as session:
        assert audit_entries(session)[-2].action is AuditAction.SIGN_IN_FAILED


def test_passwords_are_changed_by_their_owner_or_an_administrator(
    engine: Engine, admin: Account
) -> None:
    with UnitOfWork(engine) as uow:
        nia = next(a for a in uow.accounts.all() if a.user_name == "nia")
        with pytest.raises(NotAllowedError):
            set_password(uow, "ada", "taken over!", by=nia, at=AT, hasher=FAST)
        set_password(uow, "nia", "a new passphrase", by=nia, at=AT, hasher=FAST)
    assert _sign_in(engine, "nia", "a new passphrase").ok
    assert not _sign_in(engine, "nia", NURSE_PASSWORD).ok


def test_idle_lock_locks_after_five_minutes_by_default() -> None:
    clock = SecondsClock()
    lock = IdleLock(clock=clock)
    clock.now += 299
    assert not lock.locked
    assert lock.seconds_until_lock() == pytest.approx(1)
    lock.activity()
    clock.now += 299
    assert not lock.locked
    clock.now += 1
    assert lock.locked
    lock.activity()  # typing at a locked window does not open it
    assert lock.locked
    lock.unlock()
    assert not lock.locked


def test_privacy_screen_locks_at_once() -> None:
    clock = SecondsClock()
    lock = IdleLock(clock=clock)
    lock.lock_now()
    assert lock.locked and lock.seconds_until_lock() == 0


def test_idle_time_is_configurable_up_to_fifteen_minutes() -> None:
    clock = SecondsClock()
    lock = IdleLock(dt.timedelta(minutes=15), clock=clock)
    clock.now += 15 * 60 - 1
    assert not lock.locked
    with pytest.raises(ValueError, match="at most 15 minutes"):
        IdleLock(dt.timedelta(minutes=15, seconds=1))
    with pytest.raises(ValueError, match="more than zero"):
        lock.timeout = dt.timedelta(0)
    lock.timeout = dt.timedelta(minutes=1)
    clock.now += 1
    assert lock.locked


def test_the_real_parameters_are_argon2id_and_cheap_hashes_are_upgraded(
    engine: Engine, admin: Account
) -> None:
    with UnitOfWork(engine) as uow:
        assert sign_in(uow, "nia", NURSE_PASSWORD, at=AT).ok  # default hasher
        stored = uow.session.get(AccountRow, "nia")
        assert stored is not None
        assert stored.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
