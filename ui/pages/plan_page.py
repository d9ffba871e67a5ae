"""One child's plan: conferences, core groups, members and the frequencies a conference set;
below it, the child's timescales now and the timeline. Every save is audited by the services."""

from __future__ import annotations

import copy
import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from coreform.plans import ChildPlan, PlanMember
from coreform.policies import Interval, Profile, RuleId
from coreform.records import PlanType
from coreform.services import CoreformError, NotFoundError, Services
from ui.accessibility import form_scroll_area, let_tab_leave
from ui.formatting import DATE_HINT, date_entry_text, parse_date
from ui.pages.banner import heading_label, problem_label
from ui.pages.child_picker import ChildPicker
from ui.pages.minutes_chart import ScalingChart
from ui.pages.minutes_list import MeetingsPanel
from ui.pages.timeline import TimelineView

MEMBER_COLUMNS = ("Name", "Role", "Agency", "Email", "From", "To")


def dates_text(days: tuple[dt.date, ...]) -> str:
    return ", ".join(date_entry_text(day) for day in days)


def parse_dates(text: str, what: str) -> tuple[dt.date, ...]:
    """Dates typed with commas between them; ValueError naming `what` when one is not a date."""
    found: list[dt.date] = []
    for part in text.split(","):
        try:
            day = parse_date(part)
        except ValueError as error:
            raise ValueError(f"{what}: {part.strip()!r} — {error}") from None
        if day is not None:
            found.append(day)
    return tuple(sorted(set(found)))


class PlanPage(QWidget):
    """`load(child_id, name)` shows one child; `saved` fires after each save."""

    saved = Signal()
    record_opened = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._plan: ChildPlan | None = None
        self._child_id = ""
        self._profile: Profile | None = None
        layout = QVBoxLayout(self)
        self.heading = heading_label("Plan", self)
        layout.addWidget(self.heading)
        self.form_area = scroll = form_scroll_area(self)
        body = QWidget(scroll)
        body_layout = QVBoxLayout(body)
        # Every family's children, found by typing and read a page at a time (issue 15).
        self.picker = ChildPicker(services, "Chi&ld whose plan this is:", body)
        self.picker.chosen.connect(lambda child: self.load(child.id, child.name))
        body_layout.addWidget(self.picker)
        form = QFormLayout()
        self.plan_type = QComboBox(body)
        for plan_type in PlanType:
            self.plan_type.addItem(plan_type.label, plan_type)
        self.initial = self._line(f"Day/month/year, e.g. {date_entry_text(dt.date(2026, 12, 7))}")
        self.reviews = self._line("Dates, separated by commas")
        self.next_review = self._line(DATE_HINT)
        self.core_groups = self._line("Dates, separated by commas")
        for label, widget in (
            ("&Plan type", self.plan_type),
            ("&Initial conference", self.initial),
            ("Review conferences hel&d", self.reviews),
            ("&Next review conference booked", self.next_review),
            ("&Core groups held", self.core_groups),
        ):
            form.addRow(self._label(label, widget), widget)
        body_layout.addLayout(form)
        body_layout.addWidget(QLabel("Core group members", body))
        self.members = QTableWidget(0, len(MEMBER_COLUMNS), body)
        let_tab_leave(self.members)  # Tab still moves on from a cell being edited
        self.members.setHorizontalHeaderLabels(list(MEMBER_COLUMNS))
        self.members.setAccessibleName("Core group members: name, role, agency, email, from, to")
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.horizontalHeader().setStretchLastSection(True)
        self.members.setMaximumHeight(self.fontMetrics().height() * 8)
        body_layout.addWidget(self.members)
        member_actions = QHBoxLayout()
        self.add_member = QPushButton("Add &member", body)
        self.add_member.clicked.connect(lambda: self.members.insertRow(self.members.rowCount()))
        self.remove_member = QPushButton("Remo&ve member", body)
        self.remove_member.clicked.connect(self._remove_member)
        member_actions.addWidget(self.add_member)
        member_actions.addWidget(self.remove_member)
        member_actions.addStretch(1)
        body_layout.addLayout(member_actions)
        self.overrides_label = QLabel(
            "Frequencies the conference set instead of the organisation's (leave blank to keep "
            "them; write e.g. “5 working days”, “4 weeks”, “2 months”):",
            body,
        )
        self.overrides_label.setWordWrap(True)
        body_layout.addWidget(self.overrides_label)
        self.overrides_form = QFormLayout()
        self.override_inputs: dict[RuleId, QLineEdit] = {}
        body_layout.addLayout(self.overrides_form)
        self.problem = problem_label(body)
        body_layout.addWidget(self.problem)
        actions = QHBoxLayout()
        self.status = QLabel(body)
        self.status.setWordWrap(True)
        self.save_button = QPushButton("&Save plan", body)
        self.save_button.clicked.connect(self.save)
        actions.addWidget(self.status, 1)
        actions.addWidget(self.save_button)
        body_layout.addLayout(actions)
        scroll.setWidget(body)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(scroll)
        self.below = QTabWidget(splitter)
        timeline_tab = QWidget(self.below)
        timeline_layout = QVBoxLayout(timeline_tab)
        hint = QLabel(
            "Hover a mark to name its record; click it, or Enter in the list, to open it.",
            timeline_tab,
        )
        hint.setWordWrap(True)  # one line at 200% text would widen the whole page
        timeline_layout.addWidget(hint)
        self.timeline = TimelineView(timeline_tab)
        self.timeline.record_opened.connect(self.record_opened)
        timeline_layout.addWidget(self.timeline, 1)
        self.below.addTab(timeline_tab, "&Timescales and timeline")
        # Issue 14: the family's core group minutes and the child's scaling across them.
        self.meetings = MeetingsPanel(services, self.below)
        self.below.addTab(self.meetings, "Core &group meetings")
        self.scaling = ScalingChart(self.below)
        self.below.addTab(self.scaling, "Scaling ch&art")
        below = self.below
        splitter.addWidget(below)
        splitter.setSizes([400, 400])
        layout.addWidget(splitter, 1)

    def _line(self, placeholder: str) -> QLineEdit:
        line = QLineEdit(self)
        line.setPlaceholderText(placeholder)
        return line

    def _label(self, text: str, buddy: QWidget) -> QLabel:
        label = QLabel(text, self)
        label.setBuddy(buddy)
        buddy.setAccessibleName(text.replace("&", ""))
        return label

    # ---- loading ------------------------------------------------------------------------------

    def refresh(self) -> None:
        """The children found again, to choose whose plan to enter (families change elsewhere)."""
        self.picker.refresh()

    def load(self, child_id: str, name: str) -> None:
        self._child_id = child_id
        if self.picker.child_id() != child_id:
            self.picker.select(child_id)  # chosen on the caseload
        self.heading.setText(f"Plan — {name}" if name else "Plan")
        self.problem.clear()
        self.status.clear()
        try:
            self._profile = self._services.policy()
        except CoreformError as error:
            self._profile = None
            self.status.setText(str(error))
        try:
            self._plan = self._services.get_plan(child_id)
        except CoreformError as error:
            self.problem.setText(str(error))
            return
        self._fill(self._plan)
        self._show_timeline()

    def _fill(self, plan: ChildPlan | None) -> None:
        plan_type = plan.plan_type if plan else PlanType.CP
        self.plan_type.setCurrentIndex(self.plan_type.findData(plan_type))
        self.initial.setText(date_entry_text(plan.initial_conference) if plan else "")
        self.reviews.setText(dates_text(plan.reviews) if plan else "")
        self.next_review.setText(date_entry_text(plan.next_review) if plan else "")
        self.core_groups.setText(dates_text(plan.core_groups) if plan else "")
        self.members.setRowCount(0)
        for member in plan.members if plan else []:
            row = self.members.rowCount()
            self.members.insertRow(row)
            values = (
                member.name,
                member.role,
                member.agency,
                member.email,
                date_entry_text(member.joined),
                date_entry_text(member.left),
            )
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column == 0:
                    item.setData(Qt.ItemDataRole.UserRole, member.id)
                self.members.setItem(row, column, item)
        while self.overrides_form.rowCount():
            self.overrides_form.removeRow(0)
        self.override_inputs = {}
        for rule in self._profile.rules.values() if self._profile else []:
            if rule.every is None or not rule.id.conference_may_set:
                continue  # counted in visits or conferences, an alert, or not the plan's to set
            line = self._line(f"{rule.every} ({rule.source})")
            chosen = plan.overrides.get(rule.id) if plan else None
            line.setText(str(chosen) if chosen else "")
            self.overrides_form.addRow(self._label(rule.id.label, line), line)
            self.override_inputs[rule.id] = line

    def show_below(self) -> None:
        """Timeline, meetings and scaling again (minutes were finalised or amended)."""
        if self._child_id:
            self._show_timeline()

    def _show_timeline(self) -> None:
        if self._plan is None or self._profile is None:
            return
        try:
            timeline = self._services.child_timeline(self._child_id)
        except NotFoundError:
            return  # the child left its family: the plan shows, the timeline cannot
        except CoreformError as error:
            self.status.setText(str(error))
            return
        self.timeline.show_timeline(timeline)
        self.meetings.show_family(timeline.child.family_id)
        try:
            points = self._services.scaling_history(self._child_id)
            self.scaling.show_scaling(timeline.child.name, points)
        except CoreformError as error:
            self.status.setText(str(error))

    # ---- saving -------------------------------------------------------------------------------

    def _read(self) -> ChildPlan:
        """The plan as typed; ValueError saying which field is wrong and how to write it."""
        if not self._child_id:
            raise ValueError("Choose the child first.")
        initial = parse_date(self.initial.text()) if self.initial.text().strip() else None
        if initial is None:
            raise ValueError(f"Enter the initial conference date ({DATE_HINT.lower()}).")
        plan = copy.deepcopy(self._plan) if self._plan else ChildPlan(self._child_id, initial)
        plan.initial_conference = initial
        plan.plan_type = PlanType(self.plan_type.currentData())
        plan.reviews = parse_dates(self.reviews.text(), "Review conferences held")
        plan.next_review = parse_date(self.next_review.text())
        plan.core_groups = parse_dates(self.core_groups.text(), "Core groups held")
        plan.members = [self._member(row) for row in range(self.members.rowCount())]
        plan.members = [member for member in plan.members if member.name or member.email]
        overrides: dict[RuleId, Interval] = {}
        for rule_id, line in self.override_inputs.items():
            if line.text().strip():
                try:
                    overrides[rule_id] = Interval.parse(line.text())
                except ValueError as error:
                    raise ValueError(f"{rule_id.label}: {error}") from None
        plan.overrides = overrides
        return plan

    def _member(self, row: int) -> PlanMember:
        def text(column: int) -> str:
            item = self.members.item(row, column)
            return item.text().strip() if item else ""

        first = self.members.item(row, 0)
        member = PlanMember(
            name=text(0),
            role=text(1),
            agency=text(2),
            email=text(3),
            joined=parse_date(text(4)),
            left=parse_date(text(5)),
        )
        if first is not None and first.data(Qt.ItemDataRole.UserRole):
            member.id = first.data(Qt.ItemDataRole.UserRole)
        return member

    def save(self) -> None:
        self.problem.clear()
        try:
            plan = self._read()
            self._plan = self._services.save_plan(plan)
        except (ValueError, CoreformError) as error:
            self.problem.setText(f"Not saved: {error}")
            return
        self.status.setText("Plan saved.")
        self._show_timeline()
        self.saved.emit()

    def _remove_member(self) -> None:
        row = self.members.currentRow()
        if row >= 0:
            self.members.removeRow(row)
