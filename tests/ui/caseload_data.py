"""A small caseload for the dashboard tests and screenshots: five children of four families on
plans under the Central Bedfordshire profile, with records received up to Christmas Eve 2026."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from coreform.plans import ChildPlan, PlanMember
from coreform.records import (
    LONDON,
    Child,
    ChildObservation,
    Family,
    KeyWorker,
    MonitoringRecord,
    PlanType,
    Practitioner,
    RecordState,
    Setting,
)
from coreform.services import Services

D = dt.date.fromisoformat
SAM = KeyWorker(name="Sam Lee", email="sam.lee@council.example", team="CP Team 2")
AISHA = KeyWorker(name="Aisha Rahman", email="aisha.rahman@council.example", team="CP Team 1")
TEACHER = Practitioner(
    name="Ewa Nowak", role="Teacher", agency="Riverside School", email="ewa.nowak@riverside.example"
)
HEALTH = Practitioner(
    name="Li Wei", role="Health visitor", agency="NHS Trust", email="li.wei@nhs.example"
)


@dataclass(frozen=True)
class Seen:
    day: str
    by: KeyWorker | Practitioner
    setting: Setting = Setting.HOME
    seen: bool = True
    alone: bool = False
    awake: bool = False
    bedroom: bool = False


def _practitioner(person: KeyWorker | Practitioner) -> Practitioner:
    if isinstance(person, Practitioner):
        return person
    return Practitioner(
        name=person.name, role="Social worker", agency="Children's services", email=person.email
    )


def add_child(
    services: Services,
    family: Family,
    child: Child,
    initial: str,
    contacts: list[Seen],
    *,
    core_groups: tuple[str, ...] = (),
    next_review: str | None = None,
) -> None:
    """Saves the plan and files one received, submitted record per contact."""
    services.save_plan(
        ChildPlan(
            child_id=child.id,
            initial_conference=D(initial),
            plan_type=child.plan_type,
            core_groups=tuple(D(day) for day in core_groups),
            next_review=D(next_review) if next_review else None,
            members=[
                PlanMember(
                    name=TEACHER.name,
                    role=TEACHER.role,
                    agency=TEACHER.agency,
                    email=TEACHER.email,
                    joined=D(initial),
                )
            ],
        )
    )
    for number, contact in enumerate(contacts, start=1):
        day = D(contact.day)
        services.import_record(
            MonitoringRecord(
                reference=f"CG-{child.id[:4].upper()}-{number:03d}",
                state=RecordState.SUBMITTED,
                family_id=family.id,
                family_name=family.name,
                children=[
                    ChildObservation(
                        child=child,
                        seen=contact.seen,
                        seen_alone=contact.alone,
                        seen_awake=contact.awake,
                        bedroom_seen=contact.bedroom,
                    )
                ],
                key_worker=family.key_worker,
                completed_by=_practitioner(contact.by),
                visit_date=day,
                setting=contact.setting,
                submitted_at=dt.datetime.combine(day, dt.time(17), LONDON),
            )
        )


def _family(services: Services, name: str, key_worker: KeyWorker, *children: Child) -> Family:
    return services.save_family(Family(name=name, key_worker=key_worker, children=list(children)))


def seed_caseload(services: Services) -> dict[str, Child]:
    """The children by first name. On 24 Dec 2026: Zofia is overdue for her social worker
    (20 days, 002 §4) and had a failed home visit (002 §3); Minh's home visit is overdue."""
    services.set_policy("central-bedfordshire")
    yusuf = Child(name="Yusuf Al-Hassan", date_of_birth=D("2019-04-02"), plan_type=PlanType.CP)
    mariam = Child(name="Mariam Al-Hassan", date_of_birth=D("2026-01-15"), plan_type=PlanType.CP)
    zofia = Child(name="Zofia Kowalska", date_of_birth=D("2014-09-10"), plan_type=PlanType.CP)
    minh = Child(name="Nguyễn Văn Minh", date_of_birth=D("2017-06-21"), plan_type=PlanType.CIN)
    rahima = Child(name="Rahima Begum", date_of_birth=D("2012-02-03"), plan_type=PlanType.CP)
    al_hassan = _family(services, "Al-Hassan", SAM, yusuf, mariam)
    kowalski = _family(services, "Kowalski", AISHA, zofia)
    nguyen = _family(services, "Nguyễn", SAM, minh)
    begum = _family(services, "Begum", AISHA, rahima)
    add_child(
        services,
        al_hassan,
        yusuf,
        "2026-10-12",
        [
            Seen("2026-11-30", SAM, alone=True, bedroom=True),
            Seen("2026-12-08", TEACHER, Setting.SCHOOL),
            Seen("2026-12-14", SAM, alone=True),
            Seen("2026-12-18", TEACHER, Setting.SCHOOL),
        ],
        core_groups=("2026-10-23", "2026-12-04"),
        next_review="2027-01-11",
    )
    add_child(
        services,
        al_hassan,
        mariam,
        "2026-10-12",
        [
            Seen("2026-11-30", SAM, awake=True, bedroom=True),
            Seen("2026-12-10", HEALTH, Setting.HEALTH_CLINIC, awake=True),
            Seen("2026-12-14", SAM, awake=True, bedroom=True),
        ],
        core_groups=("2026-10-23", "2026-12-04"),
        next_review="2027-01-11",
    )
    add_child(
        services,
        kowalski,
        zofia,
        "2026-11-02",
        [
            Seen("2026-11-30", AISHA, alone=True, bedroom=True),
            Seen("2026-12-11", TEACHER, Setting.SCHOOL),
            Seen("2026-12-21", AISHA, seen=False),
        ],
        core_groups=("2026-11-13",),
    )
    add_child(
        services,
        nguyen,
        minh,
        "2026-11-16",
        [
            Seen("2026-12-09", SAM, alone=True, bedroom=True),
            Seen("2026-12-18", TEACHER, Setting.SCHOOL),
        ],
    )
    add_child(
        services,
        begum,
        rahima,
        "2026-09-28",
        [
            Seen("2026-11-27", AISHA, alone=True, bedroom=True),
            Seen("2026-12-10", AISHA, alone=True),
            Seen("2026-12-22", AISHA, alone=True),
        ],
        core_groups=("2026-10-09", "2026-11-20"),
    )
    return {child.name.split()[0]: child for child in (yusuf, mariam, zofia, minh, rahima)} | {
        "Minh": minh
    }
