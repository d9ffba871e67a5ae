"""My records as a table model over RecordSummary, handing rows to the view in batches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from coreform.records import LONDON, RecordState
from coreform.services import RecordSummary
from ui.formatting import day_text

BATCH = 200
COLUMNS = ("Reference", "Family", "Children", "Visit", "Deadline", "State")

_Index = QModelIndex | QPersistentModelIndex


def deadline_text(summary: RecordSummary, today: dt.date) -> str:
    """Words, not colour: "Due Tue 1 Dec 2026", "Due today", "Overdue since Wed 2 Dec 2026"."""
    if summary.state is not RecordState.DRAFT:
        sent = summary.submitted_at.astimezone(LONDON).date() if summary.submitted_at else None
        return f"Sent {day_text(sent)}" if sent else "Sent"
    if summary.deadline is None:
        return "No visit date yet"
    if summary.deadline == today:
        return f"Due today ({day_text(summary.deadline)})"
    if summary.deadline < today:
        return f"Overdue since {day_text(summary.deadline + dt.timedelta(days=1))}"
    return f"Due {day_text(summary.deadline)}"


_STATE_TEXT = {
    RecordState.DRAFT: "Draft",
    RecordState.SUBMITTED: "Submitted (locked)",
    RecordState.AMENDED: "Amended (locked)",
}


class RecordsTableModel(QAbstractTableModel):
    def __init__(self, today: dt.date, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[RecordSummary] = []
        self._shown = 0
        self._today = today

    def set_records(self, summaries: Sequence[RecordSummary], today: dt.date) -> None:
        self.beginResetModel()
        self._all = list(summaries)
        self._today = today
        self._shown = min(BATCH, len(self._all))
        self.endResetModel()

    def summary(self, row: int) -> RecordSummary:
        return self._all[row]

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._shown

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: _Index) -> bool:
        return not parent.isValid() and self._shown < len(self._all)

    def fetchMore(self, parent: _Index) -> None:
        if parent.isValid():
            return
        more = min(BATCH, len(self._all) - self._shown)
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + more - 1)
        self._shown += more
        self.endInsertRows()

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
        summary = self._all[index.row()]
        column = index.column()
        if column == 0:
            return summary.reference
        if column == 1:
            return summary.family_name or "—"
        if column == 2:
            return ", ".join(name for name in summary.child_names if name) or "—"
        if column == 3:
            return day_text(summary.visit_date) if summary.visit_date else "—"
        if column == 4:
            return deadline_text(summary, self._today)
        return _STATE_TEXT[summary.state]
