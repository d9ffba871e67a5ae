"""A read-only table over plain rows, shown as text and handed to the view in batches.

Every list in the window (records, outbox, audit trail, accounts, retention) is one of these, so a
caseload of thousands scrolls at once and every cell is text (read by screen readers, never colour).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

BATCH = 200

Index = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")

_TEXT_ROLES = (
    Qt.ItemDataRole.DisplayRole,
    Qt.ItemDataRole.ToolTipRole,  # a cell cut short by its column shows in full on hover
    Qt.ItemDataRole.AccessibleTextRole,
)


class BatchedRowsModel(QAbstractTableModel, Generic[Row]):
    """Rows handed to the view `BATCH` at a time as it scrolls (`fetchMore`); subclasses say
    what the columns and cells are."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Row] = []
        self._shown = 0

    def _hold(self, rows: Sequence[Row]) -> None:
        """The rows from now on, the first batch shown (inside a model reset or layout change)."""
        self._rows = list(rows)
        self._shown = min(BATCH, len(self._rows))

    def row(self, index: int) -> Row:
        return self._rows[index]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._shown < len(self._rows)

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self.canFetchMore():
            return
        more = min(BATCH, len(self._rows) - self._shown)
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()


class RowsTableModel(BatchedRowsModel[Row]):
    """Rows, each shown as the texts `cells` gives for it; `fetchMore` reveals a batch at a time."""

    def __init__(
        self,
        columns: tuple[str, ...],
        cells: Callable[[Row], tuple[str, ...]],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = columns
        self._cells = cells

    def set_rows(self, rows: Sequence[Row]) -> None:
        self.beginResetModel()
        self._hold(rows)
        self.endResetModel()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in _TEXT_ROLES:
            return None
        return self._cells(self._rows[index.row()])[index.column()]
