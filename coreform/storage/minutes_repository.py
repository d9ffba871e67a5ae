"""Core group minutes in and out of the database; nothing here commits.

A meeting's current version is its highest; its "final" version the highest that is not a draft
(an amendment in progress leaves the finalised minutes in force until it is finalised itself).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session, aliased

from coreform.minutes import CoreGroupMinutes, MinutesState, minutes_from_dict, minutes_to_dict
from coreform.plans import MinutesHeld
from coreform.storage.minutes_tables import MinutesChildRow, MinutesRow


class StaleMinutesError(Exception):
    """The stored version changed since the caller read it."""


class MinutesRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, minutes_id: str, version: int | None = None) -> CoreGroupMinutes | None:
        """That version, or the current (highest) one."""
        query = select(MinutesRow.body).where(MinutesRow.minutes_id == minutes_id)
        if version is not None:
            query = query.where(MinutesRow.version == version)
        body = self._session.scalar(query.order_by(MinutesRow.version.desc()).limit(1))
        return _minutes(body) if body is not None else None

    def references(self, minutes_ids: Iterable[str]) -> dict[str, str]:
        """Minutes id -> reference (CGM-…), for the minutes among `minutes_ids` (the outbox)."""
        rows = self._session.execute(
            select(MinutesRow.minutes_id, MinutesRow.reference)
            .where(MinutesRow.minutes_id.in_(set(minutes_ids)))
            .distinct()
        )
        return {minutes_id: reference for minutes_id, reference in rows}

    def versions(self, minutes_id: str) -> list[CoreGroupMinutes]:
        """Every version, oldest first."""
        query = (
            select(MinutesRow.body)
            .where(MinutesRow.minutes_id == minutes_id)
            .order_by(MinutesRow.version)
        )
        return [_minutes(body) for body in self._session.scalars(query)]

    def add(self, minutes: CoreGroupMinutes) -> None:
        """Inserts a new version (a new meeting's first, or an amendment)."""
        row = MinutesRow(minutes_id=minutes.id, version=minutes.version)
        _fill(row, minutes)
        self._session.add(row)
        self._session.add_all(
            MinutesChildRow(minutes_id=minutes.id, version=minutes.version, child_id=child_id)
            for child_id in sorted(set(minutes.child_ids()))
        )
        self._session.flush()

    def update(self, minutes: CoreGroupMinutes, *, expected_updated_at: dt.datetime) -> None:
        """Rewrites a stored version in place; StaleMinutesError when it was saved since."""
        row = self._session.get(MinutesRow, (minutes.id, minutes.version))
        if row is None or row.updated_at != expected_updated_at:
            raise StaleMinutesError(minutes.id)
        _fill(row, minutes)
        self._session.execute(
            delete(MinutesChildRow).where(
                MinutesChildRow.minutes_id == minutes.id,
                MinutesChildRow.version == minutes.version,
            )
        )
        self._session.add_all(
            MinutesChildRow(minutes_id=minutes.id, version=minutes.version, child_id=child_id)
            for child_id in sorted(set(minutes.child_ids()))
        )
        self._session.flush()

    def set_distributed(self, minutes_id: str, version: int, day: dt.date) -> None:
        """Records the day the finalised minutes reached every recipient (a fact, not an edit)."""
        row = self._session.get(MinutesRow, (minutes_id, version))
        if row is None:
            raise StaleMinutesError(minutes_id)
        minutes = _minutes(row.body)
        minutes.distributed_on = day
        row.distributed_on = day
        row.body = json.dumps(minutes_to_dict(minutes), ensure_ascii=False)
        self._session.flush()

    def delete_draft(self, minutes_id: str, version: int) -> bool:
        """Removes a draft version (never a finalised one); False when there was none."""
        found = self._session.execute(
            delete(MinutesRow).where(
                MinutesRow.minutes_id == minutes_id,
                MinutesRow.version == version,
                MinutesRow.state == MinutesState.DRAFT.value,
            )
        )
        self._session.execute(
            delete(MinutesChildRow).where(
                MinutesChildRow.minutes_id == minutes_id, MinutesChildRow.version == version
            )
        )
        return bool(getattr(found, "rowcount", 0))

    # ---- finding meetings ---------------------------------------------------------------------

    def previous_final(
        self, family_id: str, *, before: dt.date | None, excluding: str = ""
    ) -> CoreGroupMinutes | None:
        """The family's latest finalised meeting held before `before` (any date when None)."""
        query = _final_versions().where(
            MinutesRow.family_id == family_id,
            MinutesRow.minutes_id != excluding,
            MinutesRow.meeting_date.is_not(None),
        )
        if before is not None:
            query = query.where(MinutesRow.meeting_date < before)
        query = query.order_by(MinutesRow.meeting_date.desc(), MinutesRow.sequence.desc())
        body = self._session.scalar(query.with_only_columns(MinutesRow.body).limit(1))
        return _minutes(body) if body is not None else None

    def page(
        self,
        *,
        family_id: str | None = None,
        child_id: str | None = None,
        offset: int = 0,
        limit: int = 200,
    ) -> list[CoreGroupMinutes]:
        """The current version of each meeting, newest meeting first, one page."""
        query = _newest_first(_current_versions(family_id, child_id))
        bodies = self._session.scalars(
            query.with_only_columns(MinutesRow.body).offset(offset).limit(limit)
        )
        return [_minutes(body) for body in bodies]

    def draft(self, family_id: str) -> CoreGroupMinutes | None:
        """The family's meeting being written (a draft current version: a new meeting or an
        amendment), the first of them in the list's order; None when there is none."""
        query = _newest_first(
            _current_versions(family_id, None).where(MinutesRow.state == MinutesState.DRAFT.value)
        )
        body = self._session.scalar(query.with_only_columns(MinutesRow.body).limit(1))
        return _minutes(body) if body is not None else None

    def count(self, *, family_id: str | None = None, child_id: str | None = None) -> int:
        # Keeps core_group_minutes in FROM: with only count(*) and correlated filters left, the
        # query would otherwise count one row of nothing.
        query = _current_versions(family_id, child_id).with_only_columns(
            func.count(), maintain_column_froms=True
        )
        return int(self._session.scalar(query) or 0)

    def final_for_child(self, child_id: str) -> list[CoreGroupMinutes]:
        """The finalised version of every meeting that covered the child, oldest first."""
        query = (
            _final_versions()
            .join(
                MinutesChildRow,
                (MinutesChildRow.minutes_id == MinutesRow.minutes_id)
                & (MinutesChildRow.version == MinutesRow.version),
            )
            .where(MinutesChildRow.child_id == child_id)
            .order_by(MinutesRow.meeting_date, MinutesRow.sequence)
        )
        return [
            _minutes(body)
            for body in self._session.scalars(query.with_only_columns(MinutesRow.body))
        ]

    def held_for_children(self, child_ids: Sequence[str]) -> dict[str, list[MinutesHeld]]:
        """Per child: the meetings held whose minutes are final, for the minutes deadline."""
        found: dict[str, list[MinutesHeld]] = defaultdict(list)
        for chunk in _chunks(list(child_ids), 500):
            query = (
                _final_versions()
                .join(
                    MinutesChildRow,
                    (MinutesChildRow.minutes_id == MinutesRow.minutes_id)
                    & (MinutesChildRow.version == MinutesRow.version),
                )
                .where(MinutesChildRow.child_id.in_(chunk))
                .with_only_columns(
                    MinutesChildRow.child_id,
                    MinutesRow.actual_date,
                    MinutesRow.distributed_on,
                    MinutesRow.reference,
                )
            )
            for child_id, held_on, distributed_on, reference in self._session.execute(query):
                if held_on is not None:  # finalised minutes always have one; checks require it
                    found[child_id].append(MinutesHeld(held_on, distributed_on, reference))
        return found


def _final_versions() -> Select:  # type: ignore[type-arg]
    """The highest version of each meeting that is not a draft."""
    later = aliased(MinutesRow)
    newer_final = (
        select(later.version)
        .where(
            later.minutes_id == MinutesRow.minutes_id,
            later.version > MinutesRow.version,
            later.state != MinutesState.DRAFT.value,
        )
        .exists()
    )
    return select(MinutesRow).where(MinutesRow.state != MinutesState.DRAFT.value, ~newer_final)


def _newest_first(query: Select) -> Select:  # type: ignore[type-arg]
    """The meetings list's order: undated first, then newest meeting first."""
    return query.order_by(
        MinutesRow.meeting_date.desc().nulls_first(), MinutesRow.created_at.desc()
    )


def _current_versions(family_id: str | None, child_id: str | None) -> Select:  # type: ignore[type-arg]
    later = aliased(MinutesRow)
    newer = (
        select(later.version)
        .where(later.minutes_id == MinutesRow.minutes_id, later.version > MinutesRow.version)
        .exists()
    )
    query = select(MinutesRow).where(~newer)
    if family_id is not None:
        query = query.where(MinutesRow.family_id == family_id)
    if child_id is not None:
        query = query.where(
            select(MinutesChildRow.child_id)
            .where(
                MinutesChildRow.minutes_id == MinutesRow.minutes_id,
                MinutesChildRow.version == MinutesRow.version,
                MinutesChildRow.child_id == child_id,
            )
            .exists()
        )
    return query


def _fill(row: MinutesRow, minutes: CoreGroupMinutes) -> None:
    row.reference = minutes.reference
    row.state = minutes.state.value
    row.family_id = minutes.family_id
    row.family_name = minutes.family_name
    row.sequence = minutes.sequence
    row.meeting_date = minutes.meeting_date
    row.actual_date = minutes.actual_date
    row.due_date = minutes.due_date
    row.distributed_on = minutes.distributed_on
    row.created_at = minutes.created_at
    row.updated_at = minutes.updated_at
    row.finalised_at = minutes.finalised_at
    row.body = json.dumps(minutes_to_dict(minutes), ensure_ascii=False)


def _minutes(body: str) -> CoreGroupMinutes:
    return minutes_from_dict(json.loads(body))


def _chunks(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
