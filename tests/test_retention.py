"""Retention: listed for review, deleted only by a manager, never under legal hold, audited."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterator

import pytest
from argon2 import PasswordHasher
from argon2.profiles import CHEAPEST
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from coreform.accounts import Account, NotAllowedError, create_account
from coreform.audit import AuditAction
from coreform.records import Child, MonitoringRecord, Role, new_id
from coreform.retention import (
    RecordType,
    RetentionAnchor,
    RetentionError,
    RetentionPolicy,
    RetentionRule,
    delete_past_retention,
    keep_until,
    records_past_retention,
    release_legal_hold,
    set_legal_hold,
)
from coreform.services import NotFoundError, Services
from coreform.storage.audit_log import audit_entries, verify_audit
from coreform.storage.engine import create_engine_for
from coreform.storage.unit_of_work import UnitOfWork

FAST = PasswordHasher.from_parameters(CHEAPEST)


@pytest.fixture
def engine(services: Services, database_url: str) -> Iterator[Engine]:
    engine = create_engine_for(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def people(engine: Engine, fixed_now: dt.datetime) -> dict[str, Account]:
    with UnitOfWork(engine) as uow:
        admin = create_account(
            uow,
            user_name="ada",
            password="admin password",
            role=Role.ADMINISTRATOR,
            at=fixed_now,
            by=None,
            hasher=FAST,
        )
        made = {"admin": admin}
        for name, role in (("mo", Role.MANAGER), ("pat", Role.PRACTITIONER)):
            made[name] = create_account(
                uow,
                user_name=name,
                password="long password",
                role=role,
                at=fixed_now,
                by=admin,
                hasher=FAST,
            )
    return made


def _old_and_new(services: Services, full_record: MonitoringRecord) -> tuple[str, str]:
    """Two submitted records: one whose children were born in 2000 (past 25 years), one recent."""
    old = copy.deepcopy(full_record)
    old.id = new_id()
    old.family_name = "Older family"
    for observation in old.children:
        observation.child.id = new_id()
        observation.child.date_of_birth = dt.date(2000, 1, 1)
    new = services.submit_record(full_record)
    return services.submit_record(old).id, new.id


def test_only_records_past_their_period_are_listed(
    services: Services, engine: Engine, full_record: MonitoringRecord, fixed_now: dt.datetime
) -> None:
    old, new = _old_and_new(services, full_record)
    with UnitOfWork(engine) as uow:
        listed = records_past_retention(uow.retention, today=fixed_now.date())
    assert [c.record_id for c in listed] == [old]
    assert listed[0].keep_until == dt.date(2025, 1, 1)
    assert listed[0].record_type is RecordType.MONITORING_RECORD
    assert not listed[0].legal_hold
    # Never deleted automatically: listing left both in place.
    assert services.get_record(old) and services.get_record(new)


def test_deletion_needs_a_manager_is_blocked_by_hold_and_is_audited(
    services: Services,
    engine: Engine,
    full_record: MonitoringRecord,
    fixed_now: dt.datetime,
    people: dict[str, Account],
) -> None:
    old, new = _old_and_new(services, full_record)
    reference = services.get_record(old).reference
    manager, practitioner = people["mo"], people["pat"]
    with UnitOfWork(engine) as uow:
        with pytest.raises(NotAllowedError, match="manager"):
            delete_past_retention(uow, old, by=practitioner, at=fixed_now)
        with pytest.raises(NotAllowedError):
            delete_past_retention(uow, old, by=people["admin"], at=fixed_now)
        with pytest.raises(RetentionError, match="inside its retention period"):
            delete_past_retention(uow, new, by=manager, at=fixed_now)
        set_legal_hold(uow, old, "Subject access request 2026/14", by=manager, at=fixed_now)
    with UnitOfWork(engine) as uow:
        assert records_past_retention(uow.retention, today=fixed_now.date())[0].legal_hold
        with pytest.raises(RetentionError, match="legal hold"):
            delete_past_retention(uow, old, by=manager, at=fixed_now)
    with UnitOfWork(engine) as uow:
        release_legal_hold(uow, old, by=manager, at=fixed_now)
        assert delete_past_retention(uow, old, by=manager, at=fixed_now) == reference
    with pytest.raises(NotFoundError):
        services.get_record(old)
    assert services.get_record(new)
    with Session(engine) as session:
        entries = audit_entries(session)
        assert verify_audit(session).ok
    last = entries[-3:]
    assert [e.action for e in last] == [
        AuditAction.LEGAL_HOLD_SET,
        AuditAction.LEGAL_HOLD_RELEASED,
        AuditAction.DELETED,
    ]
    assert all(e.record_reference == reference and e.user == "mo" for e in last)
    names = {c.child.name for c in full_record.children}
    assert not any(name in e.record_reference for e in entries for name in names)


def test_the_period_is_configurable_per_record_type(
    services: Services, engine: Engine, full_record: MonitoringRecord, fixed_now: dt.datetime
) -> None:
    services.submit_record(full_record)  # visited 2026-03-03
    policy = RetentionPolicy(
        {RecordType.MONITORING_RECORD: RetentionRule(1, RetentionAnchor.RECORD_DATE)}
    )
    with UnitOfWork(engine) as uow:
        assert records_past_retention(uow.retention, today=dt.date(2027, 3, 3), policy=policy) == []
        past = records_past_retention(uow.retention, today=dt.date(2027, 3, 4), policy=policy)
    assert len(past) == 1
    with pytest.raises(ValueError, match="at least one year"):
        RetentionRule(0, RetentionAnchor.RECORD_DATE)


def test_keep_until_counts_from_the_youngest_child_or_the_record() -> None:
    rule = RetentionRule(25, RetentionAnchor.YOUNGEST_CHILD_BIRTH)
    visit = dt.date(2026, 3, 3)
    births: list[dt.date | None] = [dt.date(2010, 1, 1), dt.date(2012, 2, 29)]
    assert keep_until(rule, record_date=visit, births=births) == dt.date(2037, 2, 28)
    assert keep_until(rule, record_date=visit, births=[dt.date(2010, 1, 1), None]) == dt.date(
        2051, 3, 3
    )
    assert keep_until(rule, record_date=visit, births=[]) == dt.date(2051, 3, 3)
    assert Child().date_of_birth is None
