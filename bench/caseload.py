"""The key worker's caseload: every child's timescales from every contact (issue 12's engine)."""

from __future__ import annotations

import datetime as dt
import random
from functools import partial

from bench.synthetic import LAST_VISIT, SEED
from bench.table import Row, median_seconds, ms
from coreform.plans import ChildPlan
from coreform.policies import load_profile
from coreform.timescales import Contact, ContactBy, compute_timescales
from coreform.workdays import Nation, WorkingCalendar

CONTACTS_PER_CHILD = 50
TARGET_MS = 100


def _children(count: int) -> list[tuple[ChildPlan, list[Contact]]]:
    rng = random.Random(SEED)
    children = []
    for number in range(count):
        start = LAST_VISIT - dt.timedelta(days=rng.randint(400, 900))
        plan = ChildPlan(child_id=f"c{number}", initial_conference=start)
        contacts = []
        day = start
        for _ in range(CONTACTS_PER_CHILD):
            day += dt.timedelta(days=rng.randint(3, 14))
            contacts.append(
                Contact(
                    date=day,
                    by=ContactBy.KEY_WORKER if rng.random() < 0.5 else ContactBy.CORE_GROUP_MEMBER,
                    at_home=rng.random() < 0.6,
                    seen=rng.random() < 0.9,
                    seen_alone=rng.random() < 0.5,
                    bedroom_seen=rng.random() < 0.3,
                )
            )
        children.append((plan, contacts))
    return children


def caseload_rows() -> list[Row]:
    profile = load_profile("suffolk")
    calendar = WorkingCalendar(Nation.ENG)
    today = LAST_VISIT

    def compute(children: list[tuple[ChildPlan, list[Contact]]]) -> None:
        for plan, contacts in children:
            compute_timescales(plan, contacts, (), profile, calendar, today)

    small_time = median_seconds(partial(compute, _children(5_000)), 3)
    large_time = median_seconds(partial(compute, _children(50_000)), 1)
    return [
        Row(
            "caseload, 5,000 children / 250,000 contacts",
            ms(small_time),
            "",
            None,
            f"≤ {TARGET_MS} ms",
            small_time * 1000 <= TARGET_MS,
        ),
        Row(
            "caseload, 50,000 children / 2,500,000 contacts",
            ms(large_time),
            f"5,000 children {ms(small_time)}",
            large_time / small_time,
            "≤ 11×",
            large_time / small_time <= 11,
        ),
    ]
