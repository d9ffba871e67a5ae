"""The key worker's caseload: every child's timescales from their contact facts (issue 15), the
facts from every contact (a cold caseload), and the dashboard's whole path through the database."""

from __future__ import annotations

import datetime as dt
import random
import statistics
import time
from collections.abc import Iterable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

from bench.synthetic import LAST_VISIT, SEED
from bench.table import Row, median_seconds, ms
from coreform.caseload import PlannedChild, caseload_from_facts, child_facts, collector_paused
from coreform.contact_facts import Contact, ContactBy, ContactFacts
from coreform.plans import ChildPlan
from coreform.policies import Profile, load_profile
from coreform.timescales import TimescaleRules
from coreform.workdays import Nation, WorkingCalendar

CONTACTS_PER_CHILD = 50
TARGET_MS = 100
# The profile with the most rules (10 of the 14), so the most work per child; Suffolk's (6 rules,
# the minutes' own template) is measured beside it.
PROFILE = "barking-dagenham"
LIGHTER_PROFILE = "suffolk"


def _histories(count: int) -> Iterator[tuple[PlannedChild, list[Contact]]]:
    """`count` children on plans, each with CONTACTS_PER_CHILD contacts, made one at a time."""
    rng = random.Random(SEED)
    for number in range(count):
        start = LAST_VISIT - dt.timedelta(days=rng.randint(400, 900))
        plan = ChildPlan(child_id=f"c{number}", initial_conference=start, core_groups=(start,))
        child = PlannedChild(f"c{number}", "", dt.date(2018, 5, 1), "", "", "", "", "", plan)
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
                    reference=f"CG-B-{number}",
                )
            )
        yield child, contacts


def _facts(
    histories: Iterable[tuple[PlannedChild, list[Contact]]],
) -> tuple[list[PlannedChild], dict[str, ContactFacts]]:
    children, facts = [], {}
    for child, contacts in histories:
        children.append(child)
        facts[child.child_id] = child_facts(child, contacts, LAST_VISIT)
    return children, facts


def caseload_rows() -> list[Row]:
    calendar = WorkingCalendar(Nation.ENG)

    def from_facts(
        profile: Profile, children: list[PlannedChild], facts: dict[str, ContactFacts]
    ) -> None:
        # As the dashboard computes it (services.caseload), the cycle collector paused.
        with collector_paused():
            caseload_from_facts(children, facts, TimescaleRules(profile, calendar, LAST_VISIT))

    def one_pass(children: list[PlannedChild], facts: dict[str, ContactFacts]) -> None:
        """The floor: look up each child's facts once, as any computation from them must."""
        max((facts[child.child_id].next_contact or LAST_VISIT for child in children), default=None)

    def contacts_pass(histories: list[tuple[PlannedChild, list[Contact]]]) -> None:
        for _child, contacts in histories:
            max((c.date for c in contacts if c.seen), default=None)

    histories = list(_histories(5_000))
    cold = median_seconds(partial(_facts, histories), 3)
    cold_floor = median_seconds(partial(contacts_pass, histories), 3)
    del histories  # a caseload from stored facts holds no contacts
    small = _facts(_histories(5_000))
    floor = median_seconds(partial(one_pass, *small), 5)
    rows, times = [], {}
    for name in (PROFILE, LIGHTER_PROFILE):
        profile = load_profile(name)
        seconds = times[name] = median_seconds(partial(from_facts, profile, *small), 5)
        rows.append(
            Row(
                f"caseload from stored facts, 5,000 children, {name} ({len(profile.rules)} rules)",
                ms(seconds),
                f"one pass over their facts {ms(floor)}",
                seconds / floor,
                f"≤ {TARGET_MS} ms",
                seconds * 1000 <= TARGET_MS,
            )
        )
    small_time = times[PROFILE]
    large = _facts(_histories(50_000))
    large_time = median_seconds(partial(from_facts, load_profile(PROFILE), *large), 3)
    return [
        *rows,
        Row(
            f"caseload from stored facts, 50,000 children, {PROFILE}",
            ms(large_time),
            f"5,000 children {ms(small_time)}",
            large_time / small_time,
            "≤ 11×",
            large_time / small_time <= 11,
        ),
        Row(
            "contact facts from 250,000 contacts (a cold caseload)",
            ms(cold),
            f"one pass over the contacts {ms(cold_floor)}",
            cold / cold_floor,
            "",
            None,
        ),
    ]


# ---- the dashboard's whole path: the database query and the computation -----------------------

DB_CHILDREN = 5_000


def _plan_database(url: str, children: int, contacts_per_child: int) -> None:
    """A migrated database with `children` children on plans, two to a family, and one submitted
    record per contact (bulk-inserted: building it through the services would take hours)."""
    from sqlalchemy import insert

    from coreform.services import Services
    from coreform.storage.engine import create_engine_for
    from coreform.storage.plan_tables import ChildPlanRow, PlanMeetingRow
    from coreform.storage.tables import ChildObservationRow, ChildRow, FamilyRow, RecordRow

    Services.open(url).close()
    rng = random.Random(SEED)
    now = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    rows: dict[Any, list[dict[str, Any]]] = {
        table: [] for table in (FamilyRow, ChildRow, ChildPlanRow, PlanMeetingRow, RecordRow)
    }
    observations: list[dict[str, Any]] = []
    for number in range(children):
        family_id, child_id = f"f{number // 2:031d}", f"c{number:031d}"
        if number % 2 == 0:
            rows[FamilyRow].append(
                {
                    "id": family_id,
                    "name": f"Family {number // 2}",
                    "key_worker_name": "Aisha",
                    "key_worker_email": "aisha@council.example",
                    "key_worker_team": "CP Team 1",
                    "updated_at": now,
                }
            )
        start = LAST_VISIT - dt.timedelta(days=rng.randint(400, 900))
        rows[ChildRow].append(
            {
                "id": child_id,
                "family_id": family_id,
                "position": number % 2,
                "name": f"Child {number}",
                "date_of_birth": dt.date(2018, 5, 1),
                "plan_type": "CP",
            }
        )
        rows[ChildPlanRow].append(
            {
                "child_id": child_id,
                "plan_type": "CP",
                "initial_conference": start,
                "next_review": None,
                "overrides": "{}",
                "row_version": 1,
                "updated_at": now,
            }
        )
        rows[PlanMeetingRow].append({"child_id": child_id, "kind": "core_group", "held_on": start})
        day = start
        for visit in range(contacts_per_child):
            day += dt.timedelta(days=rng.randint(3, 14))
            record_id = f"r{number:020d}{visit:011d}"
            key_worker = rng.random() < 0.5
            rows[RecordRow].append(
                {
                    "record_id": record_id,
                    "version": 1,
                    "row_version": 1,
                    "reference": f"CG-B-{number}-{visit}",
                    "state": "submitted",
                    "family_id": family_id,
                    "key_worker_email": "aisha@council.example",
                    "completed_by_email": "aisha@council.example"
                    if key_worker
                    else "t@school.example",
                    "visit_date": day,
                    "setting": "home" if rng.random() < 0.6 else "school",
                    "send_method": "email",
                    "created_at": now,
                    "updated_at": now,
                }
            )
            observations.append(
                {
                    "record_id": record_id,
                    "record_version": 1,
                    "position": 0,
                    "child_id": child_id,
                    "child_name": f"Child {number}",
                    "child_plan_type": "CP",
                    "seen": rng.random() < 0.9,
                    "seen_alone": rng.random() < 0.5,
                    "bedroom_seen": rng.random() < 0.3,
                }
            )
    engine = create_engine_for(url)
    try:
        with engine.begin() as connection:
            for table, table_rows in [*rows.items(), (ChildObservationRow, observations)]:
                for first in range(0, len(table_rows), 20_000):
                    connection.execute(insert(table.__table__), table_rows[first : first + 20_000])
    finally:
        engine.dispose()


def database_caseload_rows(folder: Path) -> list[Row]:
    """services.caseload() as the dashboard calls it, on 5,000 children / 250,000 contacts: with
    every child's facts stored (warm), and with none (cold: the first dashboard after the upgrade,
    or after every child's records changed)."""
    from sqlalchemy import delete

    from coreform.records import LONDON
    from coreform.services import Services
    from coreform.storage.engine import create_engine_for
    from coreform.storage.plan_tables import ContactFactsRow

    url = f"sqlite:///{folder / f'caseload-{DB_CHILDREN}.db'}"
    if not (folder / f"caseload-{DB_CHILDREN}.db").exists():
        _plan_database(url, DB_CHILDREN, CONTACTS_PER_CHILD)
    now = dt.datetime.combine(LAST_VISIT, dt.time(12), LONDON)
    services = Services.open(url, clock=lambda: now)
    engine = create_engine_for(url)
    try:
        services.set_policy(PROFILE)

        def cold() -> float:
            with engine.begin() as connection:
                connection.execute(delete(ContactFactsRow))
            started = time.perf_counter()
            services.caseload()
            return time.perf_counter() - started

        cold_time = statistics.median(cold() for _ in range(3))
        warm = median_seconds(services.caseload, 5)
        # Wall time swings with the machine's load; the process's CPU time shows the work done.
        started = time.process_time()
        services.caseload()
        cpu = time.process_time() - started
    finally:
        engine.dispose()
        services.close()
    return [
        Row(
            "dashboard: query + compute from stored facts, 5,000 children (SQLite)",
            ms(warm),
            f"its CPU time {ms(cpu)}",
            warm / cpu,
            "",
            None,
        ),
        Row(
            "dashboard: no facts stored, 5,000 children / 250,000 contacts (SQLite)",
            ms(cold_time),
            f"facts stored {ms(warm)}",
            cold_time / warm,
            "",
            None,
        ),
    ]


if __name__ == "__main__":
    # `uv run python -m bench.caseload [FOLDER]`: just the caseload rows of the bench table.
    import sys

    from bench.table import print_table

    where = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/coreform-bench")
    where.mkdir(parents=True, exist_ok=True)
    print_table([*caseload_rows(), *database_caseload_rows(where)])
