"""A family on a Suffolk plan for the minutes tests and screenshots: the Chowdhury children,
initial conference on Mon 7 Dec 2026, three professionals in the core group."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

from coreform.minutes import CoreGroupMinutes, MinutesState, NextStep, SafetyGoal
from coreform.plans import ChildPlan, PlanMember
from coreform.records import Child, Family, KeyWorker, PlanType, new_id
from coreform.services import Services
from coreform.storage.engine import create_engine_for
from coreform.storage.unit_of_work import UnitOfWork

D = dt.date.fromisoformat
AISHA = KeyWorker(name="Aisha Rahman", email="aisha.rahman@council.example", team="CP Team 1")
MEMBERS = (
    ("Aisha Rahman", "Lead social worker", "Children's services", "aisha.rahman@council.example"),
    ("Ewa Nowak", "Class teacher", "Riverside Primary School", "ewa.nowak@riverside.example"),
    ("Li Wei", "Health visitor", "NHS Trust", "li.wei@nhs.example"),
    ("Farhana Chowdhury", "Mother", "", "farhana@home.example"),
)


def seed_family(services: Services) -> tuple[Family, list[Child]]:
    """Nusrat (9) and Arif (3) Chowdhury, both on a CP plan from the same conference."""
    services.set_policy("suffolk")
    nusrat = Child(name="Nusrat Chowdhury", date_of_birth=D("2017-05-14"), plan_type=PlanType.CP)
    arif = Child(name="Arif Chowdhury", date_of_birth=D("2023-08-02"), plan_type=PlanType.CP)
    family = services.save_family(
        Family(name="Chowdhury", key_worker=AISHA, children=[nusrat, arif])
    )
    for child in (nusrat, arif):
        services.save_plan(
            ChildPlan(
                child_id=child.id,
                initial_conference=D("2026-12-07"),
                plan_type=PlanType.CP,
                next_review=D("2027-03-01"),
                members=[
                    PlanMember(
                        name=name, role=role, agency=agency, email=email, joined=D("2026-12-07")
                    )
                    for name, role, agency, email in MEMBERS
                ],
            )
        )
    return family, [nusrat, arif]


def held_meeting(
    services: Services,
    family: Family,
    day: dt.date,
    scaling: dict[str, tuple[int, int, int]],
    *,
    goals: tuple[str, ...] = (),
) -> CoreGroupMinutes:
    """The next core group of `family` held on `day`, written and finalised through the services
    (the clock must stand after `day`). `scaling`: child's first name -> (child, parents,
    professionals) this meeting; the first meeting also fills the initial conference column."""
    minutes = services.start_minutes(family.id)
    minutes.actual_date = day
    minutes.venue = "Riverside Primary School"
    for attendee in minutes.attendees:
        attendee.invited = attendee.attended = True
        attendee.chair = attendee.name == "Aisha Rahman"
    minutes.family_says = "Farhana says the evenings are calmer and the children sleep better."
    for child in minutes.children:
        child.child_says = f"{child.name.split()[0]} drew the family at the park."
        child.advocate_understood = True
        row = scaling[child.name.split()[0]]
        for who, value in zip(("child", "parents", "professionals"), row, strict=True):
            score = getattr(child.scaling, who)
            score.this_meeting = value
            if minutes.sequence == 1:
                score.initial_conference = max(value - 1, 0)
    for goal_text in goals:
        goal = SafetyGoal(goal=goal_text, worry=WORRIES[goal_text])
        minutes.safety_goals.append(goal)
        minutes.next_steps.append(
            NextStep(
                action=STEPS[goal_text],
                who="Aisha Rahman",
                by_when=day + dt.timedelta(days=28),
                goal_id=goal.id,
            )
        )
    minutes.progress_summary = "Steady progress; the family engages with every service."
    minutes.next_date = day + dt.timedelta(days=35)
    minutes.next_venue = "Riverside Primary School"
    return services.finalise_minutes(minutes)


WORRIES = {
    "Nusrat and Arif sleep at home every night with no adult arguing": (
        "Shouting and fighting at night wakes the children and frightens them"
    ),
    "Arif is taken to every health appointment": "Arif missed his two-year health review",
}
STEPS = {
    "Nusrat and Arif sleep at home every night with no adult arguing": (
        "Farhana joins the domestic abuse recovery programme"
    ),
    "Arif is taken to every health appointment": "Li Wei books each visit and reminds the family",
}


def store_meetings(
    services: Services,
    family: Family,
    database: Path,
    first: dt.date,
    meetings: int,
    state: MinutesState | None = None,
) -> CoreGroupMinutes:
    """A core group every four weeks from `first`, stored in one go as a migration from paper
    would (the services save one at a time); returns the oldest meeting's minutes as stored."""
    started = services.start_minutes(family.id)
    engine = create_engine_for(f"sqlite:///{database}")
    try:
        with UnitOfWork(engine) as uow:
            for held in range(meetings):
                minutes = copy.deepcopy(started)
                minutes.id, minutes.sequence = new_id(), held + 1
                minutes.reference = f"CGM-{first.year + held // 13}-{held + 1:04d}"
                minutes.actual_date = first + dt.timedelta(weeks=4 * held)
                if state is not None:
                    minutes.state = state
                uow.minutes.add(minutes)
                if held == 0:
                    oldest = copy.deepcopy(minutes)
    finally:
        engine.dispose()
    return oldest
