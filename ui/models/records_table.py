"""Records as a table model over RecordSummary, read from the database a page at a time."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTableView

from coreform.deadlines import DeadlineState
from coreform.record_query import RecordSort
from coreform.records import RecordState
from coreform.services import RecordSummary
from ui.formatting import day_text
from ui.models.paged_table import PagedTableModel
from ui.sending_text import list_state_text

COLUMNS = ("Reference", "Family", "Children", "Visit", "Deadline", "State")


def deadline_text(summary: RecordSummary) -> str:
    """Words, not colour: "Due Tue 1 Dec 2026", "Due today", "Overdue: was due Wed 2 Dec 2026"."""
    if summary.state is not RecordState.DRAFT:
        return list_state_text(summary.sending, summary.sent_at, summary.deadline)
    deadline = summary.deadline
    if deadline is None:
        return "No visit date yet" if summary.visit_date is None else "Visit date in the future"
    if deadline.state is DeadlineState.DUE_TODAY:
        return f"Due today ({day_text(deadline.due)})"
    if deadline.state is DeadlineState.LATE:
        return f"Overdue: was due {day_text(deadline.due)}"
    return f"Due {day_text(deadline.due)}"


STATE_TEXT = {
    RecordState.DRAFT: "Draft",
    RecordState.SUBMITTED: "Submitted (locked)",
    RecordState.AMENDED: "Amended (locked)",
}


def size_record_columns(table: QTableView, widths: dict[int, int]) -> None:
    """`widths` for the columns named; the state fits its longest wording and the children's
    names (elided) take the spare width, so a narrow window never cuts "Submitted (lock…"."""
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    for column, width in widths.items():
        table.setColumnWidth(column, width)
    header.setSectionResizeMode(COLUMNS.index("Children"), QHeaderView.ResizeMode.Stretch)
    longest = max(table.fontMetrics().horizontalAdvance(text) for text in STATE_TEXT.values())
    table.setColumnWidth(COLUMNS.index("State"), longest + 24)  # the cell's margins


# The order each column sorts by; the deadline grows with the visit date.
COLUMN_SORTS = (
    RecordSort.REFERENCE,
    RecordSort.FAMILY,
    RecordSort.CHILDREN,
    RecordSort.VISIT,
    RecordSort.VISIT,
    RecordSort.STATE,
)


class RecordsTableModel(PagedTableModel[RecordSummary]):
    """Records read a page at a time; `sort` (a header click) asks for another order."""

    sort_requested = Signal(object, bool)  # RecordSort, descending

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, self._summary_cells, parent)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Column -1 (no sort indicator) is the default order: urgency."""
        chosen = COLUMN_SORTS[column] if 0 <= column < len(COLUMN_SORTS) else RecordSort.URGENCY
        self.sort_requested.emit(chosen, order is Qt.SortOrder.DescendingOrder)

    def _summary_cells(self, summary: RecordSummary) -> tuple[str, ...]:
        return (
            summary.reference,
            summary.family_name or "—",
            ", ".join(name for name in summary.child_names if name) or "—",
            day_text(summary.visit_date) if summary.visit_date else "—",
            deadline_text(summary),
            STATE_TEXT[summary.state],
        )
