"""Plans, the policy setting and the caseload through the services, on a real SQLite file."""

from __future__ import annotations

import copy
import datetime as dt

import pytest

from coreform.audit import AuditAction
from coreform.plans import ChildPlan, PlanMember
from coreform.policies import Interval, RuleId
from coreform.records import (
    Child,
    Family,
    KeyWorker,
    MonitoringRecord,
    Practitioner,
    RecordState,
    Role,
    new_id,
)
from coreform.services import ConflictError, CoreformError, Services
from coreform.timescales import State


def submit_another(
    services: Services, record: MonitoringRecord, **changes: object
) -> MonitoringRecord:
    """Another contact like `record` (a new record, `changes` set), submitted."""
    fresh = copy.deepcopy(record)
    fresh.id, fresh.reference, fresh.version = new_id(), "", 1
    fresh.state, fresh.submitted_at = RecordState.DRAFT, None
    for name, value in changes.items():
        setattr(fresh, name, value)
    return services.submit_record(fresh)


def test_caseload_counts_the_key_workers_own_records_as_key_worker_contacts(
    services: Services, full_record: MonitoringRecord
) -> None:
    with pytest.raises(CoreformError, match="Settings → Timescales"):
        services.caseload()
    services.set_policy("central-bedfordshire")
    first = submit_another(services, full_record)  # Jo Patel, health visitor, home, 3 March 2026
    ada = first.children[0].child
    plan = services.save_plan(ChildPlan(child_id=ada.id, initial_conference=dt.date(2026, 2, 2)))
    rows = services.caseload().rows
    assert [row.child.name for row in rows] == ["Ada Okafor"]
    home = rows[0].status(RuleId.HOME_VISIT)
    # 002 §1: the lead social worker's home visits; Jo's visit does not count. From the ICPC.
    assert home is not None and (home.last_met, home.due) == (None, dt.date(2026, 2, 16))
    assert home.state is State.OVERDUE
    # Sam Lee (the key worker) completes a record himself: a key worker contact.
    sam = Practitioner(
        name="Sam Lee", role="Social worker", agency="Council", email="SAM.LEE@council.example"
    )
    submit_another(
        services, first, completed_by=sam, family_id=first.family_id, visit_date=dt.date(2026, 3, 2)
    )
    home = services.caseload().rows[0].status(RuleId.HOME_VISIT)
    assert home is not None and (home.last_met, home.due) == (
        dt.date(2026, 3, 2),
        dt.date(2026, 3, 16),
    )
    assert plan.version == 1


def test_a_plan_round_trips_and_every_change_is_audited(services: Services) -> None:
    plan = ChildPlan(
        child_id=new_id(),
        initial_conference=dt.date(2026, 1, 12),
        reviews=(dt.date(2026, 4, 10),),
        core_groups=(dt.date(2026, 1, 23), dt.date(2026, 3, 6)),
        next_review=dt.date(2026, 10, 9),
        members=[
            PlanMember(
                name="Nguyễn Thị Lan",
                role="Teacher",
                agency="St Mary's",
                joined=dt.date(2026, 1, 12),
            )
        ],
        overrides={RuleId.HOME_VISIT: Interval.parse("5 working days")},
    )
    saved = services.save_plan(plan)
    again = services.get_plan(plan.child_id)
    assert again == saved and saved.version == 1
    again.next_review = dt.date(2026, 9, 30)
    services.save_plan(again)
    with pytest.raises(ConflictError, match="changed in another window"):
        services.save_plan(saved)  # an old copy
    entries = [e for e in services.audit_page(0, 50) if e.action is AuditAction.PLAN_CHANGED]
    references = sorted(entry.record_reference for entry in entries)
    assert references == [f"plan {plan.child_id}: created", f"plan {plan.child_id}: next_review"]
    assert "Nguyễn" not in " ".join(references)


def test_the_policy_is_checked_and_audited(services: Services) -> None:
    with pytest.raises(CoreformError, match="no policy profile 'lambeth'"):
        services.set_policy("lambeth")
    services.set_policy("suffolk")
    assert services.policy().id == "suffolk"
    assert any(
        e.record_reference == "organisation.policy=suffolk" for e in services.audit_page(0, 20)
    )


def test_a_key_worker_sees_their_children_and_a_manager_the_teams(services: Services) -> None:
    services.create_account("ada", "admin password", Role.ADMINISTRATOR)
    services.sign_in("ada", "admin password")
    # Shared mode: the settings are the whole database's; who "I" am comes from the account.
    services.create_account("aisha@council.example", "long password", Role.KEY_WORKER)
    services.create_account("wei", "long password", Role.KEY_WORKER, display_name="Wei Chen")
    services.create_account("kim", "long password", Role.KEY_WORKER)
    services.create_account("mo", "long password", Role.MANAGER)
    _plan_two_children(services)
    settings = services.get_settings()
    settings.me = Practitioner(name="Wei Chen", email="wei@council.example")
    services.save_settings(settings)  # whoever saved Settings last is not everyone's "me"
    services.sign_in("aisha@council.example", "long password")
    assert [row.child.name for row in services.caseload().rows] == ["Łucja Wiśniewska"]
    services.sign_in("wei", "long password")
    assert [row.child.name for row in services.caseload().rows] == ["Tanvir Ahmed"]
    services.sign_in("kim", "long password")
    with pytest.raises(CoreformError, match="Ask an administrator for an account"):
        services.caseload()
    services.sign_in("mo", "long password")
    names = sorted(row.child.name for row in services.caseload().rows)
    assert names == ["Tanvir Ahmed", "Łucja Wiśniewska"]


def test_a_single_user_key_worker_sees_the_children_naming_them(services: Services) -> None:
    _plan_two_children(services)
    assert len(services.caseload().rows) == 2  # a practitioner's own database: all theirs
    settings = services.get_settings()
    settings.role = Role.KEY_WORKER  # chosen at set-up
    services.save_settings(settings)
    with pytest.raises(CoreformError, match="Enter your name and email in Settings"):
        services.caseload()
    settings.me = Practitioner(name="Aisha Rahman", email="aisha@council.example")
    services.save_settings(settings)
    assert [row.child.name for row in services.caseload().rows] == ["Łucja Wiśniewska"]


def _plan_two_children(services: Services) -> None:
    """Łucja, whose key worker is Aisha Rahman, and Tanvir, whose key worker is Wei Chen."""
    services.set_policy("pan-lancashire")
    for key_worker, child in (
        (KeyWorker(name="Aisha Rahman", email="Aisha@Council.example"), "Łucja Wiśniewska"),
        (KeyWorker(name="Wei Chen", email="wei.chen@council.example"), "Tanvir Ahmed"),
    ):
        family = services.save_family(
            Family(name=child.split()[1], key_worker=key_worker, children=[Child(name=child)])
        )
        services.save_plan(ChildPlan(family.children[0].id, dt.date(2026, 2, 2)))
