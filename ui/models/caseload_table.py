"""The caseload as a table: one row per child, one column per rule of the profile.

Lazy: cells are worded only when the view asks for them, and rows reach the view in batches.
Sorting and filtering work on the computed rows (the due dates exist only once computed), so the
view never sorts text such as "Overdue — Mon 14 Dec".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from coreform.caseload import CaseloadRow, urgency
from coreform.policies import Profile, RuleId
from coreform.records import PlanType
from coreform.timescales import RuleStatus, State
from ui.formatting import day_text, working_days_text
from ui.models.rows_table import BatchedRowsModel, Index

FIXED_COLUMNS = ("Child", "Family", "Plan", "Key worker", "Team", "Most urgent")
_FAR_FUTURE = dt.date.max

# Words first; the colour only repeats them (never colour alone).
STATE_WORDS = {
    State.OVERDUE: "Overdue",
    State.DUE_SOON: "Due soon",
    State.MET: "Met",
    State.NO_DATE: "No date",
    State.SENT_LATE: "Sent late",
}
STATE_COLOURS = {
    State.OVERDUE: "#fde8e8",
    State.DUE_SOON: "#fff4d6",
    State.MET: "#e6f4ea",
    State.NO_DATE: "#eeeeee",
    State.SENT_LATE: "#fde3cc",
}


def short_day(day: dt.date) -> str:
    """'Mon 14 Dec': short enough for a column per rule; the tooltip has the year."""
    return f"{day:%a} {day.day} {day:%b}"


def status_cell(status: RuleStatus | None) -> str:
    """The table cell: "Overdue · Mon 14 Dec"; the tooltip and screen reader get status_text."""
    if status is None:
        return "—"
    if status.due is None:
        return STATE_WORDS[status.state]
    if status.state is State.SENT_LATE:
        return f"Sent {working_days_text(status.working_days_late)} late"
    return f"{STATE_WORDS[status.state]} · {short_day(status.due)}"


def status_text(status: RuleStatus | None) -> str:
    """ "Overdue — due Mon 14 Dec 2026", "Met — next by Fri 8 Jan 2027", "—" when not open."""
    if status is None:
        return "—"
    words = STATE_WORDS[status.state]
    if status.due is None:
        # Nothing open (every minutes distributed) is met; a missing review date is not.
        return f"{words} — book the review conference" if status.state is State.NO_DATE else words
    if status.state is State.MET:
        return f"{words} — next by {day_text(status.due)}"
    if status.state is State.SENT_LATE:
        late = working_days_text(status.working_days_late)
        return f"{words} — {late} after the due date, {day_text(status.due)}"
    return f"{words} — due {day_text(status.due)}"


@dataclass(frozen=True)
class CaseloadFilter:
    state: State | None = None  # children with at least one rule in this state
    key_worker: str = ""
    team: str = ""
    plan_type: PlanType | None = None

    def keeps(self, row: CaseloadRow) -> bool:
        child = row.child
        return (
            (self.state is None or any(s.state is self.state for s in row.statuses))
            and (not self.key_worker or child.key_worker == self.key_worker)
            and (not self.team or child.team == self.team)
            and (self.plan_type is None or child.plan.plan_type is self.plan_type)
        )


class CaseloadTableModel(BatchedRowsModel[CaseloadRow]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rules: tuple[RuleId, ...] = ()
        self._all: list[CaseloadRow] = []
        self._filter = CaseloadFilter()
        self._sort: tuple[int, Qt.SortOrder] = (len(FIXED_COLUMNS) - 1, Qt.SortOrder.AscendingOrder)

    # ---- content ------------------------------------------------------------------------------

    def set_caseload(self, profile: Profile, rows: Sequence[CaseloadRow]) -> None:
        self.beginResetModel()
        self._rules = tuple(profile.rules)
        self._all = list(rows)
        self._apply()
        self.endResetModel()

    def clear(self) -> None:
        self.beginResetModel()
        self._all = []
        self._hold([])
        self.endResetModel()

    def set_filter(self, chosen: CaseloadFilter) -> None:
        self.beginResetModel()
        self._filter = chosen
        self._apply()
        self.endResetModel()

    @property
    def rules(self) -> tuple[RuleId, ...]:
        return self._rules

    def find(self, child_id: str) -> CaseloadRow | None:
        """The child's row, whether or not the filter shows it."""
        return next((row for row in self._all if row.child.child_id == child_id), None)

    def _apply(self) -> None:
        column, order = self._sort
        kept = [row for row in self._all if self._filter.keeps(row)]
        kept.sort(key=self._sort_key(column), reverse=order is Qt.SortOrder.DescendingOrder)
        self._hold(kept)

    def _sort_key(self, column: int) -> Callable[[CaseloadRow], Any]:
        texts: dict[int, Callable[[CaseloadRow], str]] = {
            0: lambda row: row.child.name.casefold(),
            1: lambda row: row.child.family_name.casefold(),
            2: lambda row: row.child.plan.plan_type.value,
            3: lambda row: row.child.key_worker.casefold(),
            4: lambda row: row.child.team.casefold(),
        }
        if column in texts:
            return texts[column]
        if column == len(FIXED_COLUMNS) - 1:
            return lambda row: (urgency(row.state), _earliest_due(row.statuses))
        rule = self._rules[column - len(FIXED_COLUMNS)]

        def by_rule(row: CaseloadRow) -> tuple[int, dt.date]:
            status = row.status(rule)
            if status is None:
                return (len(STATE_WORDS), _FAR_FUTURE)
            return (urgency(status.state), status.due or _FAR_FUTURE)

        return by_rule

    # ---- Qt -----------------------------------------------------------------------------------

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._apply()
        self.layoutChanged.emit()

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIXED_COLUMNS) + len(self._rules)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is not Qt.Orientation.Horizontal or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        if section < len(FIXED_COLUMNS):
            return FIXED_COLUMNS[section]
        return self._rules[section - len(FIXED_COLUMNS)].label

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        column = index.column()
        state = self._state(row, column)
        if role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(STATE_COLOURS[state])) if state is not None else None
        if role == Qt.ItemDataRole.ForegroundRole and state is not None:
            return QBrush(QColor("#1a1a1a"))  # dark text on the light state colours
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        if role == Qt.ItemDataRole.DisplayRole and column >= len(FIXED_COLUMNS):
            return status_cell(row.status(self._rules[column - len(FIXED_COLUMNS)]))
        return self._text(row, column)

    def _state(self, row: CaseloadRow, column: int) -> State | None:
        if column == len(FIXED_COLUMNS) - 1:
            return row.state
        if column < len(FIXED_COLUMNS):
            return None
        status = row.status(self._rules[column - len(FIXED_COLUMNS)])
        return status.state if status is not None else None

    def _text(self, row: CaseloadRow, column: int) -> str:
        child = row.child
        if column >= len(FIXED_COLUMNS):
            return status_text(row.status(self._rules[column - len(FIXED_COLUMNS)]))
        return (
            child.name or "—",
            child.family_name or "—",
            child.plan.plan_type.value,
            child.key_worker or "—",
            child.team or "—",
            STATE_WORDS[row.state],
        )[column]


def _earliest_due(statuses: Sequence[RuleStatus]) -> dt.date:
    return min((status.due for status in statuses if status.due is not None), default=_FAR_FUTURE)
