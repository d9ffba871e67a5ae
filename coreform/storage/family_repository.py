"""Families (children, parents and carers, core group) and the key workers remembered.

Table rows in, `coreform.records` dataclasses out, inside a `UnitOfWork`'s session.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from coreform.records import (
    Child,
    CoreGroupMember,
    Family,
    KeyWorker,
    ListedChild,
    ListedFamily,
    ParentCarer,
    PlanType,
)
from coreform.search_text import search_terms
from coreform.storage.record_list import (
    CHILD_NAME_SEPARATOR,
    FamilySearchRow,
    ListIndex,
    family_list_columns,
)
from coreform.storage.search_index import INDEXES, index_count, matching
from coreform.storage.tables import (
    ChildRow,
    CoreGroupMemberRow,
    FamilyRow,
    KeyWorkerRow,
    ParentCarerRow,
)

# A key worker's columns, prefixed `key_worker_` in the families and records tables.
KEY_WORKER_FIELDS = ("name", "email", "team", "phone")


def _columns(model: Any) -> tuple[Any, ...]:
    """A table's columns, read as plain rows: ORM objects cost most of a page's time."""
    return tuple(model.__table__.columns)


class FamilyRepository:
    def __init__(self, session: Session) -> None:
        self._session = session
        self._dialect = session.get_bind().dialect.name

    def get(self, family_id: str) -> Family | None:
        row = self._session.get(FamilyRow, family_id)
        return self._load([row])[0] if row is not None else None

    def holders(self, child_ids: Sequence[str]) -> dict[str, str]:
        """The family that holds each of these children already on file: child id -> family id."""
        rows = self._session.execute(
            select(ChildRow.id, ChildRow.family_id).where(ChildRow.id.in_(child_ids))
        )
        return {child_id: family_id for child_id, family_id in rows}

    def page(self, text: str, offset: int, limit: int) -> list[ListedFamily]:
        """Families by name whose name or a child's name holds every word of `text`, as the list
        shows them: one query of their list rows (0014), where whole families took five."""
        statement = select(
            FamilySearchRow.family_id,
            FamilySearchRow.name,
            FamilySearchRow.child_names,
            FamilySearchRow.key_worker_name,
        ).where(*self._matching(text, FamilySearchRow.id + 0))
        order = (FamilySearchRow.name, FamilySearchRow.family_id)
        return [
            ListedFamily(
                id=row.family_id,
                name=row.name,
                child_names=tuple(row.child_names.split(CHILD_NAME_SEPARATOR))
                if row.child_names
                else (),
                key_worker_name=row.key_worker_name,
            )
            for row in self._session.execute(statement.order_by(*order).offset(offset).limit(limit))
        ]

    def children_page(self, text: str, offset: int, limit: int) -> list[ListedChild]:
        """The children of the families `page` finds, family by family as it lists them (a
        child picker's rows: no family is read whole)."""
        statement = (
            select(
                ChildRow.id,
                ChildRow.name,
                ChildRow.date_of_birth,
                FamilySearchRow.family_id,
                FamilySearchRow.name.label("family_name"),
            )
            .join(ChildRow, ChildRow.family_id == FamilySearchRow.family_id)
            .where(*self._matching(text, FamilySearchRow.id + 0))
            .order_by(FamilySearchRow.name, FamilySearchRow.family_id, ChildRow.position)
        )
        return [
            ListedChild(row.id, row.name, row.date_of_birth, row.family_id, row.family_name)
            for row in self._session.execute(statement.offset(offset).limit(limit))
        ]

    def listed_child(self, child_id: str) -> ListedChild | None:
        row = self._session.execute(
            select(
                ChildRow.id,
                ChildRow.name,
                ChildRow.date_of_birth,
                FamilySearchRow.family_id,
                FamilySearchRow.name,
            )
            .join(FamilySearchRow, FamilySearchRow.family_id == ChildRow.family_id)
            .where(ChildRow.id == child_id)
        ).first()
        return ListedChild(*row) if row is not None else None

    def children_count(self, text: str) -> int:
        statement = (
            select(func.count())
            .select_from(FamilySearchRow)
            .join(ChildRow, ChildRow.family_id == FamilySearchRow.family_id)
            .where(*self._matching(text, FamilySearchRow.id))
        )
        return self._session.scalar(statement) or 0

    def count(self, text: str) -> int:
        terms = search_terms(text)
        statement = index_count(self._dialect, INDEXES[FamilySearchRow.__tablename__], terms)
        if statement is None:
            matches = self._matching(text, FamilySearchRow.id)
            statement = select(func.count()).select_from(FamilySearchRow).where(*matches)
        return self._session.scalar(statement) or 0

    def _matching(self, text: str, key: Any) -> list[Any]:
        """`key` is the row's id for a count; a page gives `id + 0`, which SQLite cannot look up
        by, so it walks the name index and stops at the page's last match instead of sorting
        every match by name (a tenth of 20,000 families hold "nguyen": 4 ms, not 11)."""
        return matching(
            self._dialect,
            key,
            FamilySearchRow.search_text,
            INDEXES[FamilySearchRow.__tablename__],
            search_terms(text),
        )

    def save(self, family: Family, *, now: dt.datetime) -> None:
        """Inserts or replaces the family with its children, parents/carers and core group."""
        columns: dict[str, Any] = {
            "name": family.name,
            "address": family.address,
            "updated_at": now,
        }
        columns.update(
            {f"key_worker_{n}": getattr(family.key_worker, n) for n in KEY_WORKER_FIELDS}
        )
        row = self._session.get(FamilyRow, family.id)
        if row is None:
            self._session.add(FamilyRow(id=family.id, **columns))
        else:
            for name, value in columns.items():
                setattr(row, name, value)
        self._session.flush()
        for table in (ChildRow, ParentCarerRow, CoreGroupMemberRow):
            self._session.execute(delete(table).where(table.family_id == family.id))
        self._insert(
            ChildRow,
            (
                {
                    "id": child.id,
                    "name": child.name,
                    "date_of_birth": child.date_of_birth,
                    "plan_type": child.plan_type.value,
                    "local_identifier": child.local_identifier,
                    "unborn": child.unborn,
                    "expected_date": child.expected_date,
                }
                for child in family.children
            ),
            family.id,
        )
        self._insert(
            ParentCarerRow,
            (
                {
                    "name": p.name,
                    "relationship": p.relationship,
                    "email": p.email,
                    "phone": p.phone,
                }
                for p in family.parents_carers
            ),
            family.id,
        )
        self._insert(
            CoreGroupMemberRow,
            (
                {
                    "id": m.id,
                    "name": m.name,
                    "role": m.role,
                    "agency": m.agency,
                    "email": m.email,
                    "phone": m.phone,
                }
                for m in family.core_group
            ),
            family.id,
        )
        ListIndex(self._session).refresh_family(
            family_list_columns(
                family.id,
                family.name,
                [child.name for child in family.children],
                family.key_worker.name,
                [child.local_identifier for child in family.children],
            )
        )

    def _insert(self, table: Any, rows: Iterable[dict[str, Any]], family_id: str) -> None:
        values = [{**row, "family_id": family_id, "position": i} for i, row in enumerate(rows)]
        if values:
            self._session.execute(insert(table), values)

    def _people(self, table: Any, family_ids: list[str]) -> Iterable[Any]:
        """The rows of a family's people table (children, parents, core group), in the order
        `_insert` gave them."""
        return self._session.execute(
            select(*_columns(table)).where(table.family_id.in_(family_ids)).order_by(table.position)
        )

    def _load(self, rows: Sequence[Any]) -> list[Family]:
        """Families from their rows (ORM objects or plain rows), with their people."""
        if not rows:
            return []
        ids = [row.id for row in rows]
        families = {
            row.id: Family(
                id=row.id,
                name=row.name,
                address=row.address,
                key_worker=KeyWorker(
                    **{n: getattr(row, f"key_worker_{n}") for n in KEY_WORKER_FIELDS}
                ),
            )
            for row in rows
        }
        for child in self._people(ChildRow, ids):
            families[child.family_id].children.append(
                Child(
                    id=child.id,
                    name=child.name,
                    date_of_birth=child.date_of_birth,
                    plan_type=PlanType(child.plan_type),
                    local_identifier=child.local_identifier,
                    unborn=child.unborn,
                    expected_date=child.expected_date,
                )
            )
        for parent in self._people(ParentCarerRow, ids):
            families[parent.family_id].parents_carers.append(
                ParentCarer(
                    name=parent.name,
                    relationship=parent.relationship,
                    email=parent.email,
                    phone=parent.phone,
                )
            )
        for member in self._people(CoreGroupMemberRow, ids):
            families[member.family_id].core_group.append(
                CoreGroupMember(
                    id=member.id,
                    name=member.name,
                    role=member.role,
                    agency=member.agency,
                    email=member.email,
                    phone=member.phone,
                )
            )
        return list(families.values())


class KeyWorkerRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def remember(self, key_worker: KeyWorker, *, now: dt.datetime) -> None:
        """Adds the key worker, or refreshes team/phone and last use of a known one."""
        row = self._session.scalar(
            select(KeyWorkerRow).where(
                KeyWorkerRow.name == key_worker.name, KeyWorkerRow.email == key_worker.email
            )
        )
        if row is None:
            self._session.add(
                KeyWorkerRow(
                    name=key_worker.name,
                    email=key_worker.email,
                    team=key_worker.team,
                    phone=key_worker.phone,
                    last_used_at=now,
                )
            )
        else:
            row.team, row.phone, row.last_used_at = key_worker.team, key_worker.phone, now
        self._session.flush()

    def all(self) -> list[KeyWorker]:
        """Most recently used first."""
        rows = self._session.scalars(
            select(KeyWorkerRow).order_by(KeyWorkerRow.last_used_at.desc(), KeyWorkerRow.name)
        )
        return [KeyWorker(name=r.name, email=r.email, team=r.team, phone=r.phone) for r in rows]
