"""Finding records and families: lists that filter, sort and page in the database (issues 10, 15).

Each call reads one page; a row's deadline is worked out only for the rows of that page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable

from coreform.outbox import OutboxEntry, OutboxState
from coreform.record_query import RecordQuery
from coreform.records import ListedChild, ListedFamily, RecordState
from coreform.services.drafts import DraftServices, RecordSummary
from coreform.storage.record_list import ListIndex

# A screenful and some: what one scroll of a list reads at a time.
PAGE_SIZE = 200
EVERY_RECORD = RecordQuery()


class FindingServices(DraftServices):
    def list_records(
        self, query: RecordQuery = EVERY_RECORD, *, offset: int = 0, limit: int = PAGE_SIZE
    ) -> list[RecordSummary]:
        """One page of the records `query` finds (latest versions), in its order."""
        with self._work("list your records") as uow:
            rows = ListIndex(uow.session).page(query, offset, limit)
            submitted = [row.id for row in rows if row.state is not RecordState.DRAFT]
            copies = uow.outbox.key_worker_copies(submitted) if submitted else []
        by_record: dict[str, list[tuple[int, OutboxState, dt.datetime | None]]] = {}
        for record_id, version, state, sent_at in copies:
            by_record.setdefault(record_id, []).append((version, state, sent_at))
        return self._summaries(rows, by_record)

    def count_records(self, query: RecordQuery = EVERY_RECORD) -> int:
        with self._work("count your records") as uow:
            return ListIndex(uow.session).count(query)

    def outbox_page(self, *, offset: int = 0, limit: int = PAGE_SIZE) -> list[OutboxEntry]:
        """One page of the outbox, newest first."""
        with self._work("list the outbox") as uow:
            return uow.outbox.page(offset, limit)

    def count_outbox(self, states: Collection[OutboxState] | None = None) -> int:
        """Messages in the outbox, or those in one of `states`."""
        with self._work("count the outbox") as uow:
            return uow.outbox.count(states)

    def record_references(self, record_ids: Iterable[str]) -> dict[str, str]:
        """The references of these records and core group minutes (those still held), by id:
        the outbox holds messages of both."""
        wanted = set(record_ids)
        with self._work("read the records' references") as uow:
            found = ListIndex(uow.session).references(wanted)
            found.update(uow.minutes.references(wanted - found.keys()))
            return found

    def find_families(
        self, text: str = "", *, offset: int = 0, limit: int = PAGE_SIZE
    ) -> list[ListedFamily]:
        """One page of the families list, by name: those whose name or a child's name holds
        every word of `text`, accents ignored (all of them for ""). `get_family` reads one whole."""
        with self._work("search your families") as uow:
            return uow.families.page(text, offset, limit)

    def find_children(
        self, text: str = "", *, offset: int = 0, limit: int = PAGE_SIZE
    ) -> list[ListedChild]:
        """One page of the children of the families `find_families(text)` finds, in its order
        (a child picker: part of a name or a child's local identifier, accents ignored)."""
        with self._work("find a child") as uow:
            return uow.families.children_page(text, offset, limit)

    def find_child(self, child_id: str) -> ListedChild | None:
        """The child as a picker lists it; None once no family holds it."""
        with self._work("read the child chosen") as uow:
            return uow.families.listed_child(child_id)

    def count_children(self, text: str = "") -> int:
        with self._work("count the children found") as uow:
            return uow.families.children_count(text)

    def count_families(self, text: str = "") -> int:
        with self._work("count your families") as uow:
            return uow.families.count(text)
