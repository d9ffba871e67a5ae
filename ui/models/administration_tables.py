"""Accounts and records past retention as table models over plain rows (Administration)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from coreform.records import LONDON, Role
from coreform.services import Account, RetentionCandidate

_Index = QModelIndex | QPersistentModelIndex
_Row = TypeVar("_Row")

ROLE_TEXT = {
    Role.PRACTITIONER: "Practitioner",
    Role.KEY_WORKER: "Key worker",
    Role.MANAGER: "Manager",
    Role.ADMINISTRATOR: "Administrator",
}


class RowsTableModel(QAbstractTableModel, Generic[_Row]):
    """Read-only rows, each shown as the texts `cells` gives for it."""

    def __init__(
        self,
        columns: tuple[str, ...],
        cells: Callable[[_Row], tuple[str, ...]],
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.columns = columns
        self._cells = cells
        self._rows: list[_Row] = []

    def set_rows(self, rows: Sequence[_Row]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> _Row:
        return self._rows[index]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        return self._cells(self._rows[index.row()])[index.column()]


def _account_cells(row: Account) -> tuple[str, ...]:
    status = "Active"
    if row.locked_at is not None:
        status = f"Locked since {row.locked_at.astimezone(LONDON):%d %b %Y %H:%M}"
    return (row.user_name, row.display_name or "—", ROLE_TEXT[row.role], status)


def _retention_cells(row: RetentionCandidate) -> tuple[str, ...]:
    visit = f"{row.visit_date:%d %b %Y}" if row.visit_date else "—"
    hold = f"On hold: {row.hold_reason}" if row.legal_hold else "No"
    return (row.reference, visit, hold, row.reason)


def accounts_model(parent: Any = None) -> RowsTableModel[Account]:
    return RowsTableModel(("User name", "Name", "Role", "Status"), _account_cells, parent)


def retention_model(parent: Any = None) -> RowsTableModel[RetentionCandidate]:
    columns = ("Record", "Visit date", "Legal hold", "Why it is listed")
    return RowsTableModel(columns, _retention_cells, parent)
