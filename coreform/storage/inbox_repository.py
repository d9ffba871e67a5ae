"""The inbox's rows in, `coreform.inbox` data out: received records, shares, child links, and
the child's chronology, each list paged and filtered in the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from coreform.inbox import (
    InboxEntry,
    ReviewState,
    ShareEntry,
)
from coreform.intake import Origin
from coreform.outbox import OutboxState
from coreform.storage.inbox_tables import ChildLinkRow, ReceivedRecordRow, RecordShareRow
from coreform.storage.tables import (
    ChildObservationRow,
    ChildRow,
    FamilyRow,
    OutboxMessageRow,
    RecordRow,
)

# (visit date, date completed, date sent) -> working days late against the 2-day rule (000)
Lateness = Callable[[dt.date | None, dt.date | None, dt.date | None], int]


@dataclass(frozen=True)
class Received:
    record_id: str
    version: int
    content_sha256: str
    review_state: ReviewState


class InboxRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # ---- received records ----------------------------------------------------------------

    def received(self, record_id: str, version: int) -> Received | None:
        row = self._session.get(ReceivedRecordRow, (record_id, version))
        if row is None:
            return None
        return Received(
            row.record_id, row.version, row.content_sha256, ReviewState(row.review_state)
        )

    def add_received(
        self,
        record_id: str,
        version: int,
        *,
        at: dt.datetime,
        origin: Origin,
        content_sha256: str,
        missing: Sequence[str],
    ) -> None:
        self._session.add(
            ReceivedRecordRow(
                record_id=record_id,
                version=version,
                received_at=at,
                origin=origin.value,
                content_sha256=content_sha256,
                review_state=ReviewState.RECEIVED.value,
                issues="",
                reviewed_by="",
                missing="\n".join(missing),
            )
        )
        self._session.flush()

    def set_review(
        self,
        record_id: str,
        version: int,
        state: ReviewState,
        *,
        issues: str = "",
        at: dt.datetime,
        by: str,
    ) -> None:
        self._session.execute(
            update(ReceivedRecordRow)
            .where(ReceivedRecordRow.record_id == record_id, ReceivedRecordRow.version == version)
            .values(review_state=state.value, issues=issues, reviewed_at=at, reviewed_by=by)
        )

    def versions_with_issues(self, record_id: str, before: int) -> list[int]:
        return list(
            self._session.scalars(
                select(ReceivedRecordRow.version).where(
                    ReceivedRecordRow.record_id == record_id,
                    ReceivedRecordRow.version < before,
                    ReceivedRecordRow.review_state == ReviewState.HAS_ISSUES.value,
                )
            )
        )

    def _inbox_query(self, states: Collection[ReviewState]) -> Select[*tuple[Any, ...]]:
        query: Select[*tuple[Any, ...]] = select(ReceivedRecordRow, RecordRow).join(
            RecordRow,
            and_(
                RecordRow.record_id == ReceivedRecordRow.record_id,
                RecordRow.version == ReceivedRecordRow.version,
            ),
        )
        if states:
            query = query.where(ReceivedRecordRow.review_state.in_([s.value for s in states]))
        return query

    def inbox_count(self, states: Collection[ReviewState] = ()) -> int:
        query = self._inbox_query(states).with_only_columns(func.count())
        return int(self._session.scalar(query) or 0)

    def inbox_page(
        self, offset: int, limit: int, lateness: Lateness, states: Collection[ReviewState] = ()
    ) -> list[InboxEntry]:
        """Newest received first."""
        rows = self._session.execute(
            self._inbox_query(states)
            .order_by(ReceivedRecordRow.received_at.desc(), ReceivedRecordRow.version.desc())
            .offset(offset)
            .limit(limit)
        ).all()
        names = child_names(
            self._session,
            [(r.record_id, r.version) for r, _ in rows],
            ChildObservationRow.record_id,
            ChildObservationRow.record_version,
            ChildObservationRow.child_name,
            ChildObservationRow.position,
        )
        return [
            InboxEntry(
                record_id=received.record_id,
                version=received.version,
                reference=record.reference,
                received_at=received.received_at,
                origin=Origin(received.origin),
                review_state=ReviewState(received.review_state),
                issues=received.issues,
                completed_by=record.completed_by_name,
                agency=record.completed_by_agency,
                child_names=names.get((received.record_id, received.version), ()),
                visit_date=record.visit_date,
                working_days_late=lateness(
                    record.visit_date,
                    record.date_completed,
                    record.date_sent or _day(record.submitted_at) or _day(received.received_at),
                ),
                missing=tuple(line for line in received.missing.split("\n") if line),
            )
            for received, record in rows
        ]

    # ---- children --------------------------------------------------------------------------

    def local_child_id(self, child_id: str) -> str | None:
        """The child known here that `child_id` is (itself, or the child it was matched to)."""
        if self._session.get(ChildRow, child_id) is not None:
            return child_id
        return self._session.scalar(
            select(ChildLinkRow.child_id).where(ChildLinkRow.received_child_id == child_id)
        )

    def children_like(self, name: str, born: dt.date | None) -> list[tuple[str, str]]:
        """Children here with this date of birth and name (ignoring case and spacing):
        (child id, family name)."""
        if born is None:
            return []
        wanted = " ".join(name.split()).casefold()
        rows = self._session.execute(
            select(ChildRow.id, ChildRow.name, FamilyRow.name)
            .join(FamilyRow, FamilyRow.id == ChildRow.family_id)
            .where(ChildRow.date_of_birth == born)
        ).all()
        return [
            (cid, family)
            for cid, cname, family in rows
            if " ".join(cname.split()).casefold() == wanted
        ]

    def link_child(
        self, received_child_id: str, child_id: str, *, at: dt.datetime, by: str
    ) -> None:
        row = self._session.get(ChildLinkRow, received_child_id)
        if row is None:
            self._session.add(
                ChildLinkRow(
                    received_child_id=received_child_id,
                    child_id=child_id,
                    linked_at=at,
                    linked_by=by,
                )
            )
        else:
            row.child_id, row.linked_at, row.linked_by = child_id, at, by
        self._session.flush()

    def family_of_child(self, child_id: str) -> str | None:
        return self._session.scalar(select(ChildRow.family_id).where(ChildRow.id == child_id))

    def child_ids(self, child_id: str) -> list[str]:
        """The child and every received child matched to it."""
        linked = self._session.scalars(
            select(ChildLinkRow.received_child_id).where(ChildLinkRow.child_id == child_id)
        ).all()
        return [child_id, *linked]

    # ---- shares ----------------------------------------------------------------------------

    def add_share(
        self,
        record_id: str,
        version: int,
        *,
        name: str,
        role: str,
        agency: str,
        email: str,
        outbox_id: int,
        at: dt.datetime,
        by: str,
    ) -> None:
        self._session.add(
            RecordShareRow(
                record_id=record_id,
                record_version=version,
                member_name=name,
                member_role=role,
                member_agency=agency,
                member_email=email,
                outbox_id=outbox_id,
                shared_at=at,
                shared_by=by,
            )
        )
        self._session.flush()

    def shares(self, record_id: str) -> list[ShareEntry]:
        rows = self._session.execute(
            select(RecordShareRow, OutboxMessageRow.state, OutboxMessageRow.sent_at)
            .join(OutboxMessageRow, OutboxMessageRow.id == RecordShareRow.outbox_id, isouter=True)
            .where(RecordShareRow.record_id == record_id)
            .order_by(RecordShareRow.shared_at, RecordShareRow.id)
        ).all()
        return [
            ShareEntry(
                record_id=row.record_id,
                record_version=row.record_version,
                member_name=row.member_name,
                member_role=row.member_role,
                member_agency=row.member_agency,
                member_email=row.member_email,
                shared_at=row.shared_at,
                shared_by=row.shared_by,
                outbox_id=row.outbox_id,
                outbox_state=state or OutboxState.CANCELLED.value,
                sent_at=sent_at,
            )
            for row, state, sent_at in rows
        ]


def _day(moment: dt.datetime | None) -> dt.date | None:
    return moment.date() if moment is not None else None


def child_names(
    session: Session,
    keys: Sequence[tuple[str, int]],
    id_column: InstrumentedAttribute[str],
    version_column: InstrumentedAttribute[int],
    name_column: InstrumentedAttribute[str],
    position_column: InstrumentedAttribute[int],
) -> dict[tuple[str, int], tuple[str, ...]]:
    """The children's names of each (id, version) in `keys`, in their order on the form: one
    query for a page of received records or minutes (the columns say which table)."""
    if not keys:
        return {}
    wanted = set(keys)
    found: dict[tuple[str, int], list[str]] = {}
    for item_id, version, name in session.execute(
        select(id_column, version_column, name_column)
        .where(id_column.in_({key[0] for key in keys}))
        .order_by(position_column)
    ):
        if (item_id, version) in wanted:
            found.setdefault((item_id, version), []).append(name)
    return {key: tuple(names) for key, names in found.items()}
