"""My records as a table model over RecordSummary, handing rows to the view in batches."""

from __future__ import annotations

from typing import Any

from coreform.deadlines import DeadlineState
from coreform.records import LONDON, RecordState
from coreform.services import RecordSummary
from ui.formatting import day_text
from ui.models.rows_table import RowsTableModel

COLUMNS = ("Reference", "Family", "Children", "Visit", "Deadline", "State")


def deadline_text(summary: RecordSummary) -> str:
    """Words, not colour: "Due Tue 1 Dec 2026", "Due today", "Overdue: was due Wed 2 Dec 2026"."""
    if summary.state is not RecordState.DRAFT:
        sent = summary.submitted_at.astimezone(LONDON).date() if summary.submitted_at else None
        return f"Sent {day_text(sent)}" if sent else "Sent"
    deadline = summary.deadline
    if deadline is None:
        return "No visit date yet" if summary.visit_date is None else "Visit date in the future"
    if deadline.state is DeadlineState.DUE_TODAY:
        return f"Due today ({day_text(deadline.due)})"
    if deadline.state is DeadlineState.LATE:
        return f"Overdue: was due {day_text(deadline.due)}"
    return f"Due {day_text(deadline.due)}"


_STATE_TEXT = {
    RecordState.DRAFT: "Draft",
    RecordState.SUBMITTED: "Submitted (locked)",
    RecordState.AMENDED: "Amended (locked)",
}


class RecordsTableModel(RowsTableModel[RecordSummary]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, self._summary_cells, parent)

    def _summary_cells(self, summary: RecordSummary) -> tuple[str, ...]:
        return (
            summary.reference,
            summary.family_name or "—",
            ", ".join(name for name in summary.child_names if name) or "—",
            day_text(summary.visit_date) if summary.visit_date else "—",
            deadline_text(summary),
            _STATE_TEXT[summary.state],
        )
