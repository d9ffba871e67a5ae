"""A child's timeline: contacts by agency, marked seen / seen alone / bedroom seen / not seen,
the conferences and core groups, and each timescale's due date.

Drawn with pyqtgraph (a plotting library for Qt: date axis, hover tooltips and click signals per
mark; QtCharts is not in PySide6-Essentials). It loads numpy, so it is imported only when a
timeline is first shown. The same facts are listed beside the chart as text for keyboards and
screen readers; Enter on a contact there opens its record, as a click on its mark does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QSplitter, QVBoxLayout, QWidget

from coreform.contact_facts import Contact, ContactBy
from coreform.records import LONDON
from coreform.services import ChildTimeline
from ui.formatting import day_text
from ui.models.caseload_table import STATE_COLOURS, status_text

MEETINGS_ROW, DUE_ROW = "Conferences and core groups", "Timescales due"
# Mark shape and fill per fact, so seen / alone / bedroom / not seen differ without colour.
_MARKS = {
    "not seen": ("x", "#a4262c"),
    "bedroom seen": ("s", "#1d4f91"),
    "seen alone": ("star", "#1e5e2f"),
    "seen": ("o", "#1e5e2f"),
}


def contact_fact(contact: Contact) -> str:
    if not contact.seen:
        return "not seen"
    if contact.bedroom_seen:
        return "bedroom seen"
    if contact.seen_alone or contact.baby_awake:
        return "seen alone"
    return "seen"


def contact_text(contact: Contact) -> str:
    """What hovering a mark (or reading the list) says: the record and what it showed."""
    where = "home visit" if contact.at_home else "contact away from home"
    by = "key worker" if contact.by is ContactBy.KEY_WORKER else (contact.agency or "core group")
    return (
        f"{contact.reference or 'record'} — {day_text(contact.date)}, {where} by {by}: "
        f"{contact_fact(contact)}"
    )


def contact_row(contact: Contact) -> str:
    """The timeline row: the key worker, else the agency that completed the record."""
    if contact.by is ContactBy.KEY_WORKER:
        return "Key worker"
    return contact.agency or "Core group"


def _x(day: dt.date) -> float:
    return dt.datetime.combine(day, dt.time(12), LONDON).timestamp()


class TimelineView(QWidget):
    """`record_opened` carries the record id of the contact clicked or chosen."""

    record_opened = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.facts = QListWidget(self.splitter)
        self.facts.setAccessibleName("Timeline as a list: contacts, meetings and due dates")
        self.facts.setWordWrap(True)
        self.facts.itemActivated.connect(self._open_item)
        self.plot: Any = None  # pyqtgraph.PlotWidget, made on first use
        self._marks: Any = None
        layout.addWidget(self.splitter)

    def _ensure_plot(self) -> Any:
        if self.plot is None:
            import pyqtgraph as pg  # numpy behind it: loaded only when a timeline is shown

            pg.setConfigOptions(background="w", foreground="#1a1a1a", antialias=True)
            self.plot = pg.PlotWidget(axisItems={"bottom": pg.DateAxisItem()})
            self.plot.setAccessibleName("Timeline chart")
            self.plot.setMouseEnabled(y=False)
            self.plot.showGrid(x=True, y=False, alpha=0.2)
            self.plot.addLegend(offset=(-10, 10))  # top right, clear of the row names
            self.splitter.insertWidget(0, self.plot)
            self.splitter.setStretchFactor(0, 3)
            self.splitter.setStretchFactor(1, 1)
        return self.plot

    def show_timeline(self, timeline: ChildTimeline) -> None:
        import pyqtgraph as pg

        plot = self._ensure_plot()
        plot.clear()
        self.facts.clear()
        agencies = sorted({contact_row(contact) for contact in timeline.contacts})
        rows = [DUE_ROW, MEETINGS_ROW, *agencies]
        height = {name: float(index) for index, name in enumerate(rows)}
        plot.getAxis("left").setTicks([[(height[name], name) for name in rows]])
        plot.setYRange(-0.7, len(rows) - 0.3, padding=0)
        spots: dict[str, list[dict[str, Any]]] = {fact: [] for fact in _MARKS}
        for contact in timeline.contacts:
            spots[contact_fact(contact)].append(
                {"pos": (_x(contact.date), height[contact_row(contact)]), "data": contact}
            )
            self._list(contact_text(contact), contact.record_id)
        self._marks = []
        for fact, (symbol, colour) in _MARKS.items():
            item = pg.ScatterPlotItem(
                spots=spots[fact],
                symbol=symbol,
                size=13,
                brush=pg.mkBrush(colour),
                pen=pg.mkPen("#1a1a1a", width=0.5),
                hoverable=True,
                hoverSize=17,
                tip=lambda x, y, data: contact_text(data),
                name=fact,
            )
            item.sigClicked.connect(self._clicked)
            plot.addItem(item)
            self._marks.append(item)
        self._meetings(plot, pg, timeline, height[MEETINGS_ROW])
        self._dues(plot, pg, timeline, height[DUE_ROW])
        dashed = pg.mkPen("#555555", style=Qt.PenStyle.DashLine)
        plot.addItem(pg.InfiniteLine(pos=_x(timeline.today), angle=90, pen=dashed, label="today"))

    def _meetings(self, plot: Any, pg: Any, timeline: ChildTimeline, y: float) -> None:
        plan = timeline.child.plan
        meetings = [(plan.initial_conference, "Initial conference")]
        meetings += [(day, "Review conference") for day in plan.reviews]
        meetings += [(day, "Core group") for day in plan.core_groups]
        if plan.next_review is not None:
            meetings.append((plan.next_review, "Review conference booked"))
        spots = [
            {"pos": (_x(day), y), "data": f"{name} — {day_text(day)}"} for day, name in meetings
        ]
        plot.addItem(
            pg.ScatterPlotItem(
                spots=spots,
                symbol="d",
                size=13,
                brush=pg.mkBrush("#6b4500"),
                hoverable=True,
                tip=lambda x, y, data: data,
                name="meeting",
            )
        )
        for day, name in sorted(meetings):
            self._list(f"{name} — {day_text(day)}", "")

    def _dues(self, plot: Any, pg: Any, timeline: ChildTimeline, y: float) -> None:
        spots = [
            {
                "pos": (_x(status.due), y),
                "data": f"{status.rule.label}: {status_text(status)}",
                "brush": pg.mkBrush(STATE_COLOURS[status.state]),
            }
            for status in timeline.statuses
            if status.due is not None
        ]
        plot.addItem(
            pg.ScatterPlotItem(
                spots=spots,
                symbol="t1",
                size=14,
                pen=pg.mkPen("#1a1a1a"),
                hoverable=True,
                tip=lambda x, y, data: data,
                name="due date",
            )
        )
        for status in timeline.statuses:
            self._list(f"{status.rule.label}: {status_text(status)}", "")

    def _list(self, text: str, record_id: str) -> None:
        item = QListWidgetItem(text, self.facts)
        item.setData(Qt.ItemDataRole.UserRole, record_id)

    def _clicked(self, _item: Any, points: Any, _event: Any) -> None:
        if len(points):
            contact: Contact = points[0].data()
            if contact.record_id:
                self.record_opened.emit(contact.record_id)

    def _open_item(self, item: QListWidgetItem) -> None:
        record_id = item.data(Qt.ItemDataRole.UserRole)
        if record_id:
            self.record_opened.emit(record_id)
