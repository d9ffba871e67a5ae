"""The caseload dashboard: every child on a plan, each timescale's due date and state, the
escalations on top with who must be told. The key worker's and the manager's home page."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coreform.caseload import CaseloadRow
from coreform.policies import RuleId
from coreform.records import PlanType
from coreform.services import Caseload, Services
from coreform.timescales import RuleStatus, State
from ui.accessibility import let_tab_leave
from ui.formatting import day_text
from ui.models.caseload_table import (
    FIXED_COLUMNS,
    STATE_WORDS,
    CaseloadFilter,
    CaseloadTableModel,
)
from ui.pages.banner import heading_label
from ui.pages.list_table import open_on_enter
from ui.workers import BackgroundJobs

ALL = "All"
MEETING_RULES = frozenset(
    {
        RuleId.FIRST_CORE_GROUP,
        RuleId.CORE_GROUP,
        RuleId.LAST_CORE_GROUP_BEFORE_REVIEW,
        RuleId.MINUTES_DISTRIBUTED,
    }
)
_EARLIEST = dt.date.min


def escalation_text(row: CaseloadRow, status: RuleStatus) -> str:
    """Who must be told, about which child and since when (words, never colour alone)."""
    when = f"due {day_text(status.due)}" if status.due else "now"
    return (
        f"{row.child.name} ({row.child.family_name}): {status.rule.label} — "
        f"{STATE_WORDS[status.state].lower()}, {when}. Tell: {status.notify}."
    )


class CaseloadPage(QWidget):
    """Enter or double-click on a row (or an escalation) emits `open_child` with the child id;
    on a core group's column, `open_meetings`."""

    open_child = Signal(str)
    open_meetings = Signal(str)  # from a core group's column: the child's meetings and minutes
    add_plan_requested = Signal()
    computed = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._jobs = BackgroundJobs(self)
        self._again = False
        layout = QVBoxLayout(self)
        layout.addWidget(heading_label("Caseload", self))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.escalations_label = QLabel("Tell now (escalations):", self)
        layout.addWidget(self.escalations_label)
        self.escalations = QListWidget(self)
        self.escalations.setAccessibleName("Escalations: who must be told about which child")
        self.escalations.setMaximumHeight(self.fontMetrics().height() * 7)
        self.escalations.itemActivated.connect(self._open_escalation)
        self.escalations_label.setBuddy(self.escalations)
        layout.addWidget(self.escalations)
        layout.addLayout(self._filters())
        self.model = CaseloadTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("Children on a plan, one column per timescale")
        let_tab_leave(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(5, Qt.SortOrder.AscendingOrder)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.doubleClicked.connect(self._open_index)
        open_on_enter(self.table, self._open_index)
        layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        self.refresh_button = QPushButton("&Refresh", self)
        self.refresh_button.clicked.connect(self.refresh)
        self.add_button = QPushButton("&Add or edit a child's plan…", self)
        self.add_button.clicked.connect(self.add_plan_requested)
        actions.addWidget(self.refresh_button)
        actions.addWidget(self.add_button)
        actions.addStretch(1)
        layout.addLayout(actions)

    def _filters(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.state_filter = self._combo(row, "&State", [ALL, *STATE_WORDS.values()])
        self.key_worker_filter = self._combo(row, "&Key worker", [ALL])
        self.team_filter = self._combo(row, "&Team", [ALL])
        self.plan_filter = self._combo(row, "&Plan", [ALL, *(plan.value for plan in PlanType)])
        row.addStretch(1)
        return row

    def _combo(self, row: QHBoxLayout, label: str, items: list[str]) -> QComboBox:
        caption = QLabel(label, self)
        combo = QComboBox(self)
        combo.addItems(items)
        combo.setAccessibleName(f"Show only: {label.replace('&', '')}")
        combo.currentIndexChanged.connect(self._filter_changed)
        caption.setBuddy(combo)
        row.addWidget(caption)
        row.addWidget(combo)
        return combo

    # ---- computing ----------------------------------------------------------------------------

    def refresh(self) -> None:
        """Recomputes in the background; a refresh asked for meanwhile runs once it ends."""
        if self._jobs.busy:
            self._again = True
            return
        self.refresh_button.setEnabled(False)
        self.summary.setText("Working out every child's timescales…")
        self._jobs.run(
            self._services.caseload,
            done=self._show,
            failed=lambda error: self._show(str(error)),
            what="Working out the caseload",
        )

    def wait(self) -> None:
        self._again = False
        self._jobs.wait()

    def _show(self, result: Caseload | str) -> None:
        self.refresh_button.setEnabled(True)
        if self._again:
            self._again = False
            self.refresh()
            return
        if isinstance(result, str):
            self.summary.setText(result)
            self.model.clear()
            self.escalations.clear()
            self.computed.emit()
            return
        self._fill_choices(self.key_worker_filter, {row.child.key_worker for row in result.rows})
        self._fill_choices(self.team_filter, {row.child.team for row in result.rows})
        self.model.set_caseload(result.profile, result.rows)
        self.table.resizeColumnsToContents()
        self._summarise(result)
        self._list_escalations(result.rows)
        self.computed.emit()

    def _summarise(self, caseload: Caseload) -> None:
        rows = caseload.rows
        if not rows:
            self.summary.setText(
                f"No children on a plan yet ({caseload.profile.title}). Choose “Add or edit a "
                "child's plan” to enter one."
            )
            return
        by_child = {state: sum(row.state is state for row in rows) for state in STATE_WORDS}
        counts = ", ".join(
            f"{STATE_WORDS[state].lower()} {count}" for state, count in by_child.items()
        )
        self.summary.setText(
            f"{len(rows)} child{'ren' if len(rows) != 1 else ''} on a plan, by their most urgent "
            f"timescale: {counts}. Timescales of {caseload.profile.title}, on "
            f"{day_text(caseload.today)}."
        )

    def _list_escalations(self, rows: list[CaseloadRow]) -> None:
        self.escalations.clear()
        found = [(row, status) for row in rows for status in row.escalations]
        # Overdue first, then by the day it fell due.
        found.sort(key=lambda pair: (pair[1].state is not State.OVERDUE, pair[1].due or _EARLIEST))
        for row, status in found:
            item = QListWidgetItem(escalation_text(row, status), self.escalations)
            item.setData(Qt.ItemDataRole.UserRole, row.child.child_id)
        self.escalations_label.setText(
            f"Tell now (escalations): {len(found)}" if found else "Tell now (escalations): none"
        )

    def _fill_choices(self, combo: QComboBox, values: set[str]) -> None:
        current = combo.currentText()
        combo.blockSignals(True)
        combo.clear()
        combo.addItems([ALL, *sorted(value for value in values if value)])
        combo.setCurrentText(current if combo.findText(current) >= 0 else ALL)
        combo.blockSignals(False)

    def _filter_changed(self) -> None:
        words = {text: state for state, text in STATE_WORDS.items()}
        plan = self.plan_filter.currentText()
        self.model.set_filter(
            CaseloadFilter(
                state=words.get(self.state_filter.currentText()),
                key_worker=_chosen(self.key_worker_filter),
                team=_chosen(self.team_filter),
                plan_type=PlanType(plan) if plan != ALL else None,
            )
        )

    # ---- opening a child ----------------------------------------------------------------------

    def child_name(self, child_id: str) -> str:
        row = self.model.find(child_id)
        return row.child.name if row else ""

    def _open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        child_id = self.model.row(index.row()).child.child_id
        rule = index.column() - len(FIXED_COLUMNS)
        if 0 <= rule < len(self.model.rules) and self.model.rules[rule] in MEETING_RULES:
            self.open_meetings.emit(child_id)  # a core group or its minutes: the meetings
        else:
            self.open_child.emit(child_id)

    def _open_escalation(self, item: QListWidgetItem) -> None:
        self.open_child.emit(item.data(Qt.ItemDataRole.UserRole))


def _chosen(combo: QComboBox) -> str:
    text = combo.currentText()
    return "" if text == ALL else text
