"""Planned children's contact facts in and out of the `contact_facts` table (issue 15).

A stored row holds while the triggers of migration 0016 have not deleted it, the child's date of
birth and plan's initial conference are those it was gathered with, and no contact it left out
(dated after the day it was gathered) has come to pass. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TypeVar

from sqlalchemy import String, delete, insert, or_, select, text, type_coerce
from sqlalchemy.orm import Session

from coreform.caseload import CaseloadScope, PlannedChild
from coreform.contact_facts import ContactFacts, ContactRef
from coreform.storage.plan_repository import in_scope, read_day
from coreform.storage.plan_tables import ChildPlanRow, ContactFactsRow as Row
from coreform.storage.tables import ChildRow, FamilyRow

_T = TypeVar("_T")

_CHUNK = 500  # ids per IN (...): below every database's limit on parameters


class ContactFactsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def stored(self, scope: CaseloadScope, today: dt.date) -> dict[str, ContactFacts]:
        """The stored facts that still hold on `today` of the children on plans in `scope`."""
        held = in_scope(
            select(Row.child_id, type_coerce(Row.next_contact, String), Row.facts)
            .join(ChildPlanRow, ChildPlanRow.child_id == Row.child_id)
            .join(ChildRow, ChildRow.id == Row.child_id)
            .join(FamilyRow, FamilyRow.id == ChildRow.family_id)
            .where(
                # Gathered with the child's date of birth and initial conference as they are,
                # and no contact they left out (dated after the day gathered) has come to pass.
                Row.date_of_birth.is_not_distinct_from(ChildRow.date_of_birth),
                Row.initial_conference == ChildPlanRow.initial_conference,
                Row.gathered_on <= today,
                or_(Row.next_contact.is_(None), Row.next_contact > today),
            ),
            scope,
            None,
        )
        return {
            child_id: decode(read_day(next_contact), facts)
            for child_id, next_contact, facts in self._session.execute(held)
        }

    def lock_for_filling(self) -> None:
        """On PostgreSQL, hold off the triggers' deletes until this transaction commits, so that
        facts gathered from contacts read after this cannot overwrite an invalidation committed
        meanwhile (SQLite's IMMEDIATE transactions already serialise writers)."""
        if self._session.get_bind().dialect.name == "postgresql":
            self._session.execute(text("LOCK TABLE contact_facts IN SHARE ROW EXCLUSIVE MODE"))

    def store(
        self,
        children: Sequence[PlannedChild],
        facts: Mapping[str, ContactFacts],
        gathered_on: dt.date,
    ) -> None:
        """Keeps each child's facts gathered (with contacts up to) `gathered_on`."""
        rows = [
            {
                "child_id": child.child_id,
                "date_of_birth": child.date_of_birth,
                "initial_conference": child.plan.initial_conference,
                "gathered_on": gathered_on,
                "next_contact": facts[child.child_id].next_contact,
                "facts": encode(facts[child.child_id]),
            }
            for child in children
        ]
        for chunk in _chunks(rows, _CHUNK):
            ids = [row["child_id"] for row in chunk]
            self._session.execute(delete(Row).where(Row.child_id.in_(ids)))
            self._session.execute(insert(Row), chunk)


def encode(facts: ContactFacts) -> str:
    """The facts but `next_contact` (a column of its own) as one flat JSON list: the five last
    contacts as date, reference (null, null when none), the number of home visits since the
    bedroom was seen and their dates, then the failed run as date, reference pairs. Flat, because
    reading 5,000 of them is part of every dashboard, and each nested list is one more object."""
    flat: list[str | int | None] = []
    for found in (
        facts.last_seen,
        facts.last_key_worker,
        facts.last_home_visit,
        facts.last_alone,
        facts.last_bedroom,
    ):
        flat += (None, None) if found is None else (found.date.isoformat(), found.reference)
    flat.append(len(facts.home_visits_since_bedroom))
    flat += (day.isoformat() for day in facts.home_visits_since_bedroom)
    for failed in facts.failed_run:
        flat += (failed.date.isoformat(), failed.reference)
    return json.dumps(flat, separators=(",", ":"), ensure_ascii=False)


def decode(next_contact: dt.date | None, stored: str) -> ContactFacts:
    flat = json.loads(stored)
    day = dt.date.fromisoformat
    seen, key_worker, home, alone, bedroom = (
        None if flat[at] is None else ContactRef(day(flat[at]), flat[at + 1])
        for at in (0, 2, 4, 6, 8)
    )
    failed_from = 11 + flat[10]
    return ContactFacts(
        next_contact,
        seen,
        key_worker,
        home,
        alone,
        bedroom,
        tuple(map(day, flat[11:failed_from])),
        tuple(ContactRef(day(flat[at]), flat[at + 1]) for at in range(failed_from, len(flat), 2)),
    )


def _chunks(items: list[_T], size: int) -> Iterator[list[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
