"""My records as a table model over RecordSummary, handing rows to the view in batches."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from coreform.records import LONDON, RecordState
from coreform.services import RecordSummary
from ui.formatting import day_text
from ui.models.rows_table import RowsTableModel

COLUMNS = ("Reference", "Family", "Children", "Visit", "Deadline", "State")


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


class RecordsTableModel(RowsTableModel[RecordSummary]):
    def __init__(self, today: dt.date, parent: Any = None) -> None:
        super().__init__(COLUMNS, self._summary_cells, parent)
        self._today = today

    def set_records(self, summaries: Sequence[RecordSummary], today: dt.date) -> None:
        self._today = today
        self.set_rows(summaries)

    def _summary_cells(self, summary: RecordSummary) -> tuple[str, ...]:
        return (
            summary.reference,
            summary.family_name or "—",
            ", ".join(name for name in summary.child_names if name) or "—",
            day_text(summary.visit_date) if summary.visit_date else "—",
            deadline_text(summary, self._today),
            _STATE_TEXT[summary.state],
        )
