"""The outbox as a table model over plain OutboxItem rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from coreform.outbox import OutboxItem
from ui.models.rows_table import RowsTableModel
from ui.sending_text import RECIPIENT_TEXT, next_try_text, state_text

# The long error text comes last, so it stretches and every short column stays in view.
COLUMNS = ("Recipient", "Address", "Record", "State", "Attempts", "Next try", "Last error")


class OutboxTableModel(RowsTableModel[OutboxItem]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, self._item_cells, parent)
        self._references: Mapping[str, str] = {}

    def set_items(self, items: Sequence[OutboxItem], references: Mapping[str, str]) -> None:
        """`references` maps record ids to their references (CG-2026-00042)."""
        self._references = dict(references)
        self.set_rows(items)

    def _item_cells(self, item: OutboxItem) -> tuple[str, ...]:
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
