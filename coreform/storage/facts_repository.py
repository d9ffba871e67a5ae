"""Planned children's contact facts in and out of the `contact_facts` table (issue 15).

A stored row holds while the triggers of migration 0013 have not deleted it, the child's date of
birth and plan's initial conference are those it was gathered with, and its latest contact is not
after today. Nothing here commits.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import TypeVar

from sqlalchemy import String, delete, insert, select, text, type_coerce
from sqlalchemy.orm import Session

from coreform.caseload import PlannedChild
from coreform.contact_facts import ContactFacts, ContactRef
from coreform.storage.plan_tables import ContactFactsRow as Row

_T = TypeVar("_T")

_CHUNK = 500  # ids per IN (...): below every database's limit on parameters


class ContactFactsRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def stored(self, children: Sequence[PlannedChild], today: dt.date) -> dict[str, ContactFacts]:
        """The children's stored facts that still hold on `today`, by child id."""
        wanted = {child.child_id: child for child in children}
        found: dict[str, ContactFacts] = {}
        # Dates read as text: SQLAlchemy's SQLite date processor costs more than the query.
        columns = (
            Row.child_id,
            type_coerce(Row.date_of_birth, String),
            type_coerce(Row.initial_conference, String),
            type_coerce(Row.latest, String),
            Row.facts,
        )
        rows = (
            self._session.execute(select(*columns).where(Row.child_id.in_(chunk)))
            for chunk in _chunks(list(wanted), _CHUNK)
        )
        for chunk_rows in rows:
            for child_id, born, initial, latest, facts in chunk_rows:
                child, last = wanted[child_id], _day(latest)
                if (
                    _day(born) == child.date_of_birth
                    and _day(initial) == child.plan.initial_conference
                    and (last is None or last <= today)
                ):
                    found[child_id] = decode(last, facts)
        return found

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
        """Keeps each child's facts gathered on `gathered_on`, unless a contact is after that day
        (the facts would change when it comes to pass)."""
        kept = [
            {
                "child_id": child.child_id,
                "date_of_birth": child.date_of_birth,
                "initial_conference": child.plan.initial_conference,
                "latest": found.latest,
                "facts": encode(found),
            }
            for child in children
            if (found := facts[child.child_id]).latest is None or found.latest <= gathered_on
        ]
        for chunk in _chunks(kept, _CHUNK):
            ids = [row["child_id"] for row in chunk]
            self._session.execute(delete(Row).where(Row.child_id.in_(ids)))
            self._session.execute(insert(Row), chunk)


def encode(facts: ContactFacts) -> str:
    """The facts but `latest` (a column of its own), as compact JSON with ISO dates."""
    return json.dumps(
        [
            [
                _ref(found)
                for found in (
                    facts.last_seen,
                    facts.last_key_worker,
                    facts.last_home_visit,
                    facts.last_alone,
                    facts.last_bedroom,
                )
            ],
            [day.isoformat() for day in facts.home_visits_since_bedroom],
            [_ref(failed) for failed in facts.failed_run],
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )


def decode(latest: dt.date | None, stored: str) -> ContactFacts:
    last, since, failed = json.loads(stored)
    seen, key_worker, home, alone, bedroom = (_from_ref(found) for found in last)
    return ContactFacts(
        latest,
        seen,
        key_worker,
        home,
        alone,
        bedroom,
        tuple(dt.date.fromisoformat(day) for day in since),
        tuple(ContactRef(dt.date.fromisoformat(day), ref) for day, ref in failed),
    )


def _ref(found: ContactRef | None) -> list[str] | None:
    return None if found is None else [found.date.isoformat(), found.reference]


def _from_ref(stored: list[str] | None) -> ContactRef | None:
    return None if stored is None else ContactRef(dt.date.fromisoformat(stored[0]), stored[1])


def _day(stored: str | dt.date | None) -> dt.date | None:
    # PostgreSQL's driver hands back dates even through type_coerce; SQLite hands back text.
    if stored is None or isinstance(stored, dt.date):
        return stored
    return dt.date.fromisoformat(stored)


def _chunks(items: list[_T], size: int) -> Iterator[list[_T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
