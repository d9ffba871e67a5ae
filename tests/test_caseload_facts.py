"""The caseload from stored contact facts equals a computation from every contact, after each
change a contact can go through; the triggers forget exactly the children whose contacts changed.

On a real SQLite file here; `test_caseload_facts_on_postgresql` runs the same story on PostgreSQL.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from coreform.plans import ChildPlan
from coreform.policies import RuleId
from coreform.records import LONDON, MonitoringRecord, Setting, new_id
from coreform.services import Services
from coreform.storage.engine import create_engine_for
from coreform.storage.plan_tables import ContactFactsRow
from coreform.storage.unit_of_work import UnitOfWork
from coreform.timescales import RuleStatus
from tests.pg_server import PgServer
from tests.test_plan_services import submit_another


def _stored(url: str) -> set[str]:
    engine = create_engine_for(url)
    try:
        with engine.connect() as connection:
            return set(connection.scalars(select(ContactFactsRow.child_id)))
    finally:
        engine.dispose()


def _fresh(services: Services) -> set[str]:
    """Asserts the caseload matches every child's statuses computed from all their contacts (the
    timeline's path); returns the ids of the children whose facts are stored now."""
    rows = services.caseload().rows
    assert rows
    for row in rows:
        timeline = services.child_timeline(row.child.child_id)
        assert row.statuses == tuple(timeline.statuses), row.child.name
    return {row.child.child_id for row in rows}


def _status(services: Services, child_id: str, rule: RuleId) -> RuleStatus | None:
    row = next(row for row in services.caseload().rows if row.child.child_id == child_id)
    return row.status(rule)


def caseload_story(
    services: Services,
    url: str,
    full_record: MonitoringRecord,
    clock: Callable[[], dt.datetime],
    tmp: Path,
) -> None:
    """Ada and her baby brother Bo on plans; each change forgets the right child's facts."""
    services.set_policy("barking-dagenham")  # home visits, seen alone / baby awake, bedroom
    first = services.submit_record(copy.deepcopy(full_record))  # both seen at home, 3 March
    ada, bo = (observation.child.id for observation in first.children)
    for child_id in (ada, bo):
        services.save_plan(ChildPlan(child_id=child_id, initial_conference=dt.date(2026, 2, 2)))
    both = _fresh(services)
    assert _stored(url) == both == {ada, bo}

    # A new record naming Ada only: a failed home visit.
    only_ada = copy.deepcopy(first)
    only_ada.children = only_ada.children[:1]
    only_ada.children[0].seen = False
    only_ada.children[0].not_seen_reason = "Nobody answered the door."
    failed = submit_another(
        services,
        only_ada,
        visit_date=dt.date(2026, 3, 4),
        visit_time=dt.time(9),
        concerns_told_at=dt.datetime(2026, 3, 4, 9, 40, tzinfo=LONDON),
        family_id=first.family_id,
    )
    assert _stored(url) == {bo}
    _fresh(services)

    # An amendment of the first record, submitted.
    assert _stored(url) == {ada, bo}
    amended = services.amend_record(first.id, "The visit was at school, not at home")
    amended.setting = Setting.SCHOOL
    services.submit_record(amended)
    assert _stored(url) == set()
    _fresh(services)

    # Bo's date of birth corrected on the family: no longer a baby, seen awake is not enough.
    assert _stored(url) == {ada, bo}
    before = _status(services, bo, RuleId.SEEN_ALONE)
    family = services.get_family(first.family_id or "")
    family.children[1].date_of_birth = dt.date(2015, 6, 2)
    services.save_family(family)
    _fresh(services)
    after = _status(services, bo, RuleId.SEEN_ALONE)
    assert before and after and (before.last_met, after.last_met) == (dt.date(2026, 3, 3), None)

    # Ada's initial conference corrected on her plan.
    plan = services.get_plan(ada)
    assert plan is not None
    plan.initial_conference = dt.date(2026, 1, 12)
    services.save_plan(plan)
    _fresh(services)

    # A record received from a school for a child it calls by its own id, matched to Ada.
    sender = Services.open(f"sqlite:///{tmp / 'school.db'}", clock=clock)
    try:
        school = copy.deepcopy(full_record)
        school.children = school.children[:1]
        school.children[0].child.id = new_id()
        school.setting = Setting.SCHOOL
        sent = sender.submit_record(school)
    finally:
        sender.close()
    services.import_record(sent)
    assert _stored(url) == {ada, bo}  # a child not matched yet counts for nobody
    services.match_child(sent.children[0].child.id, ada)
    assert _stored(url) == {bo}
    _fresh(services)

    # Retention deletes the failed visit's record.
    assert _stored(url) == {ada, bo}
    engine = create_engine_for(url)
    try:
        with UnitOfWork(engine) as uow:
            uow.retention.delete_record(failed.id)
    finally:
        engine.dispose()
    assert _stored(url) == {bo}
    _fresh(services)


def test_caseload_facts_follow_every_change(
    services: Services,
    database_url: str,
    full_record: MonitoringRecord,
    clock: Callable[[], dt.datetime],
    tmp_path: Path,
) -> None:
    caseload_story(services, database_url, full_record, clock, tmp_path)


@pytest.fixture
def postgresql_facts_url(postgresql_server: PgServer) -> str:
    name = f"facts_{new_id()[:8]}"
    postgresql_server.create_database(name)
    return postgresql_server.socket_url(name)


@pytest.mark.postgresql
def test_caseload_facts_follow_every_change_on_postgresql(
    postgresql_facts_url: str,
    full_record: MonitoringRecord,
    clock: Callable[[], dt.datetime],
    tmp_path: Path,
) -> None:
    services = Services.open(postgresql_facts_url, clock=clock)
    try:
        caseload_story(services, postgresql_facts_url, full_record, clock, tmp_path)
    finally:
        services.close()


@pytest.mark.postgresql
def test_filling_holds_off_invalidations_until_it_commits(
    postgresql_facts_url: str, full_record: MonitoringRecord, clock: Callable[[], dt.datetime]
) -> None:
    """Facts gathered while a record changes must not outlive the change: the filling
    transaction's lock makes the record's trigger wait for it (here: give up waiting)."""
    services = Services.open(postgresql_facts_url, clock=clock)
    try:
        record = services.submit_record(copy.deepcopy(full_record))
    finally:
        services.close()
    engine = create_engine_for(postgresql_facts_url)
    try:
        with UnitOfWork(engine) as filling, engine.connect() as other:
            filling.contact_facts.lock_for_filling()
            other.execute(text("SET lock_timeout = '100ms'"))
            with pytest.raises(OperationalError, match="lock timeout"):
                other.execute(
                    text("UPDATE child_observations SET seen = false WHERE record_id = :id"),
                    {"id": record.id},
                )
    finally:
        engine.dispose()
