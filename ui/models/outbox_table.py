"""The outbox as a table model over plain OutboxItem rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from coreform.outbox import OutboxItem
from ui.sending_text import RECIPIENT_TEXT, next_try_text, state_text

# The long error text comes last, so it stretches and every short column stays in view.
COLUMNS = ("Recipient", "Address", "Record", "State", "Attempts", "Next try", "Last error")

_Index = QModelIndex | QPersistentModelIndex


class OutboxTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._items: list[OutboxItem] = []
        self._references: Mapping[str, str] = {}

    def set_items(self, items: Sequence[OutboxItem], references: Mapping[str, str]) -> None:
        """`references` maps record ids to their references (CG-2026-00042)."""
        self.beginResetModel()
        self._items = list(items)
        self._references = dict(references)
        self.endResetModel()

    def item(self, row: int) -> OutboxItem:
        return self._items[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        item = self._items[index.row()]
        record = self._references.get(item.record_id, "—")
        return (
            RECIPIENT_TEXT[item.recipient_kind],
            item.recipient,
            f"{record} v{item.record_version}",
            state_text(item),
            str(item.attempts),
            next_try_text(item),
            item.last_error or "—",
        )[index.column()]
