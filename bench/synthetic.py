"""Synthetic caseloads for the bench and the UI tests: families, visits, outbox and audit trail.

Names come in several scripts (Arabic, Urdu, Bengali, Chinese, Polish, Vietnamese, Somali, English
with accents), because sorting and searching must work for the families practitioners really
visit. Visits follow a plausible pattern: each family is visited about every two working weeks
from the start of its plan, on weekdays in working hours; the newest visit of some families is
still a draft; a few records were amended. `build_database` bulk-inserts all of it in one
transaction, so 25,000 records take seconds (UI tests) and 250,000 under a few minutes (bench).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from coreform.audit import AuditAction, AuditEntry, format_utc, next_entry
from coreform.records import LONDON, RecordState
from coreform.storage.audit_tables import AuditLogRow
from coreform.storage.list_rebuild import rebuild_lists
from coreform.storage.tables import (
    ChildObservationRow,
    ChildRow,
    FamilyRow,
    OutboxMessageRow,
    RecordRow,
)

SEED = 20261201
# The newest visit any synthetic record has: the UI tests' fixed clock is Christmas Eve 2026.
LAST_VISIT = dt.date(2026, 12, 23)
FIRST_VISIT = dt.date(2019, 1, 7)
RECORDS_PER_FAMILY = 12

GIVEN_NAMES = (
    "Zoë",
    "Amira",
    "محمد",
    "فاطمة",
    "Ayesha",
    "عائشہ",
    "Imran",
    "রহিম",
    "আয়েশা",
    "Tanvir",
    "王芳",
    "李伟",
    "Mei",
    "Łucja",
    "Wojciech",
    "Małgorzata",
    "Nguyễn Văn",
    "Thảo",
    "Đức",
    "Hodan",
    "Abdirahman",
    "Oliver",
    "Chloé",
    "Siobhán",
    "Björn",
    "Jolanta",
    "Rhys",
    "Ngozi",
)
FAMILY_NAMES = (
    "Ødegård-Nguyễn",
    "Khan",
    "حسن",
    "Rahman",
    "চৌধুরী",
    "Begum",
    "Chen",
    "张",
    "Wiśniewski",
    "Kowalczyk",
    "Trần",
    "Phạm",
    "Lê",
    "Warsame",
    "O'Brien",
    "Smith",
    "Jones",
    "Ahmed",
    "Mahmoud",
    "Szymańska",
    "Hoàng",
    "Ali",
    "Yılmaz",
    "Okafor",
    "Dubois",
    "Kaczmarek",
    "Đặng",
    "Williams",
)
KEY_WORKERS = (
    ("Fatima Rahman", "f.rahman@council.example", "Assessment team"),
    ("Piotr Zieliński", "p.zielinski@council.example", "Child protection team 2"),
    ("Ngọc Anh Vũ", "n.vu@council.example", "Children in need team"),
    ("Grace O'Connor", "g.oconnor@council.example", "Child protection team 1"),
    ("Yusuf Osman", "y.osman@council.example", "Family support"),
)
SETTINGS = ("home", "home", "home", "school", "nursery", "health_clinic", "gp_surgery")


@dataclass
class Caseload:
    """Rows for each table, as SQLAlchemy Core inserts take them."""

    families: list[dict[str, Any]] = field(default_factory=list)
    children: list[dict[str, Any]] = field(default_factory=list)
    records: list[dict[str, Any]] = field(default_factory=list)
    observations: list[dict[str, Any]] = field(default_factory=list)
    outbox: list[dict[str, Any]] = field(default_factory=list)
    audit: list[dict[str, Any]] = field(default_factory=list)


def person_name(rng: random.Random, family_name: str) -> str:
    return f"{rng.choice(GIVEN_NAMES)} {family_name}"


def _working_hours(rng: random.Random, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(rng.randint(9, 16), rng.choice((0, 15, 30, 45))))


def _visit_days(rng: random.Random, count: int) -> Iterator[dt.date]:
    """`count` weekday visits about two weeks apart, ending on or before LAST_VISIT."""
    span = count * 14 + 7
    latest_start = (LAST_VISIT - FIRST_VISIT).days - span
    day = FIRST_VISIT + dt.timedelta(days=rng.randint(0, max(latest_start, 0)))
    for _ in range(count):
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        yield min(day, LAST_VISIT)
        day += dt.timedelta(days=rng.randint(10, 18))


def caseload(records: int, *, seed: int = SEED) -> Caseload:
    """About `records` monitoring records (latest versions) over records/12 families."""
    rng = random.Random(seed)
    load = Caseload()
    families = max(1, records // RECORDS_PER_FAMILY)
    made = 0
    for number in range(families):
        share = records - made if number == families - 1 else RECORDS_PER_FAMILY
        _family(rng, load, number, share)
        made += share
    _audit_trail(load)
    return load


def _family(rng: random.Random, load: Caseload, number: int, visits: int) -> None:
    family_id = f"f{number:031d}"
    surname = rng.choice(FAMILY_NAMES)
    worker = rng.choice(KEY_WORKERS)
    created = dt.datetime(2019, 1, 1, tzinfo=LONDON)
    load.families.append(
        {
            "id": family_id,
            "name": f"{surname} family",
            "address": f"{rng.randint(1, 200)} Mill Lane, Ipswich",
            "key_worker_name": worker[0],
            "key_worker_email": worker[1],
            "key_worker_team": worker[2],
            "key_worker_phone": "01473 000000",
            "updated_at": created,
        }
    )
    children = []
    for position in range(rng.choice((1, 1, 2, 2, 3, 4))):
        child = {
            "id": f"c{number:025d}{position:06d}",
            "family_id": family_id,
            "position": position,
            "name": person_name(rng, surname),
            "date_of_birth": dt.date(2010 + rng.randint(0, 15), rng.randint(1, 12), 15),
            "plan_type": rng.choice(("CP", "CIN")),
            "local_identifier": f"LA{rng.randint(100000, 999999)}",
        }
        children.append(child)
    load.children.extend(children)
    days = list(_visit_days(rng, visits))
    for index, day in enumerate(days):
        newest = index == len(days) - 1
        draft = newest and rng.random() < 0.15
        amended = not draft and rng.random() < 0.01
        _record(rng, load, family_id, surname, worker, children, day, draft=draft)
        if amended:
            _record(rng, load, family_id, surname, worker, children, day, amend=True)


def _record(
    rng: random.Random,
    load: Caseload,
    family_id: str,
    surname: str,
    worker: tuple[str, str, str],
    children: list[dict[str, Any]],
    day: dt.date,
    *,
    draft: bool = False,
    amend: bool = False,
) -> None:
    visit = _working_hours(rng, day).replace(tzinfo=LONDON)
    submitted = None if draft else visit + dt.timedelta(hours=rng.randint(2, 40))
    if amend:
        previous = load.records[-1]
        record_id, version = previous["record_id"], previous["version"] + 1
        reference = previous["reference"]
        state = RecordState.AMENDED.value
    else:
        record_id, version = f"r{len(load.records):031d}", 1
        reference = f"CG-{day.year}-{len(load.records) + 1:06d}"
        state = RecordState.DRAFT.value if draft else RecordState.SUBMITTED.value
    load.records.append(
        {
            "record_id": record_id,
            "version": version,
            "row_version": 1,
            "reference": reference,
            "state": state,
            "family_id": family_id,
            "family_name": f"{surname} family",
            "session_id": None,
            "key_worker_name": worker[0],
            "key_worker_email": worker[1],
            "key_worker_team": worker[2],
            "key_worker_phone": "01473 000000",
            "completed_by_name": "Sam Patel",
            "completed_by_role": "School nurse",
            "completed_by_agency": "Riverside School",
            "completed_by_email": "sam@school.example",
            "visit_date": day,
            "visit_time": visit.time(),
            "setting": rng.choice(SETTINGS),
            "announced": rng.random() < 0.7,
            "purpose": "Planned visit as agreed at the core group.",
            "observations": "Home warm and tidy; food in the fridge.",
            "send_method": "email",
            "date_completed": None if draft else day,
            "date_sent": submitted.date() if submitted else None,
            "created_at": visit,
            "updated_at": submitted or visit,
            "submitted_at": submitted,
            "amendment_reason": "Corrected the time of the visit." if amend else None,
            "amendment_at": submitted if amend else None,
            "amendment_by": "Sam Patel" if amend else None,
            "amendment_previous_version": version - 1 if amend else None,
        }
    )
    seen = rng.sample(children, rng.randint(1, len(children)))
    for position, child in enumerate(sorted(seen, key=lambda c: c["position"])):
        load.observations.append(
            {
                "record_id": record_id,
                "record_version": version,
                "position": position,
                "child_id": child["id"],
                "child_name": child["name"],
                "child_date_of_birth": child["date_of_birth"],
                "child_plan_type": child["plan_type"],
                "child_local_identifier": child["local_identifier"],
                "seen": True,
                "spoken_with": True,
                "seen_alone": rng.random() < 0.6,
                "presentation": "Clean, appropriately dressed, chatty.",
                "wishes_and_feelings": "Said she likes her new school.",
            }
        )
    if submitted is not None:
        load.outbox.append(
            {
                "record_id": record_id,
                "record_version": version,
                "message_id": f"<{record_id}.{version}@coreform.invalid>",
                "recipient_kind": "key_worker",
                "recipient": worker[1],
                "transport": "smtp",
                "raw": b"Subject: Core Group Monitoring Form CONFIDENTIAL\r\n\r\n(bench)",
                "state": "sent",
                "attempts": 1,
                "last_error": "",
                "next_attempt_at": None,
                "created_at": submitted,
                "sent_at": submitted,
            }
        )


def _audit_trail(load: Caseload) -> None:
    """One hash-chained entry per record version, in time order, as the services write them."""
    previous: AuditEntry | None = None
    events = sorted(
        (record["submitted_at"] or record["updated_at"], record["reference"], record["state"])
        for record in load.records
    )
    for at, reference, state in events:
        action = AuditAction.EDITED if state == RecordState.DRAFT.value else AuditAction.SUBMITTED
        previous = next_entry(
            previous, at_utc=at, user="Sam Patel", action=action, record_reference=reference
        )
        load.audit.append(
            {
                "seq": previous.seq,
                "at_utc": format_utc(previous.at_utc),
                "user": previous.user,
                "action": previous.action.value,
                "record_reference": previous.record_reference,
                "prev_hash": previous.prev_hash,
                "hash": previous.hash,
            }
        )


def insert_caseload(engine: Engine, load: Caseload) -> None:
    """Bulk-inserts `load` in one transaction (the schema must exist: `Services.open` made it)."""
    tables: list[tuple[Any, list[dict[str, Any]]]] = [
        (FamilyRow, load.families),
        (ChildRow, load.children),
        (RecordRow, load.records),
        (ChildObservationRow, load.observations),
        (OutboxMessageRow, load.outbox),
        (AuditLogRow, load.audit),
    ]
    with engine.begin() as connection:
        for table, rows in tables:
            for start in range(0, len(rows), 20_000):
                connection.execute(insert(table.__table__), rows[start : start + 20_000])


def build_database(url: str, records: int, *, seed: int = SEED) -> None:
    """A migrated database at `url` holding a synthetic caseload of about `records` records."""
    from coreform.services import Services
    from coreform.storage.engine import create_engine_for

    Services.open(url).close()  # creates and migrates the schema
    engine = create_engine_for(url)
    try:
        insert_caseload(engine, caseload(records, seed=seed))
        with Session(engine) as session, session.begin():
            rebuild_lists(session)  # as the app keeps them, for what was bulk-inserted
    finally:
        engine.dispose()
