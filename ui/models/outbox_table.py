"""The outbox as a table model over plain OutboxEntry rows, newest first, read in pages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from coreform.outbox import OutboxEntry
from ui.models.paged_table import PagedTableModel
from ui.sending_text import RECIPIENT_TEXT, next_try_text, state_text

# The long error text comes last, so it stretches and every short column stays in view.
COLUMNS = ("Recipient", "Address", "Record", "State", "Attempts", "Next try", "Last error")


class OutboxTableModel(PagedTableModel[OutboxEntry]):
    """Messages read a page at a time; each page also brings its records' references."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, self._item_cells, parent)
        self._references: dict[str, str] = {}

    def add_references(self, references: Mapping[str, str]) -> None:
        """Record ids -> references (CG-2026-00042) for rows being loaded."""
        self._references.update(references)

    def _item_cells(self, item: OutboxEntry) -> tuple[str, ...]:
        record = self._references.get(item.record_id, "—")
        return (
            RECIPIENT_TEXT[item.recipient_kind],
            item.recipient,
            f"{record} v{item.record_version}",
            state_text(item),
            str(item.attempts),
            next_try_text(item),
            item.last_error or "—",
        )
