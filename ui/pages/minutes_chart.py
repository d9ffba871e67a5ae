"""The scaling chart: how the child, the parents and the professionals scaled the case's progress
(0-10) at the initial conference and at every core group of the plan (001, the template's scaling).

Drawn with pyqtgraph like the timeline (imported only when a chart is first shown). Each line has
its own symbol and dash as well as colour, and the same figures are in a table beside the chart
for keyboards and screen readers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coreform.records import LONDON
from ui.accessibility import describe, let_tab_leave
from ui.formatting import day_text

SCALE_TOP = 10


class ScalingPoint(Protocol):
    """One meeting's scaling, as the services computed it."""

    @property
    def day(self) -> dt.date | None: ...
    @property
    def label(self) -> str: ...  # "Initial conference", "Core group 2"
    @property
    def child(self) -> int | None: ...
    @property
    def parents(self) -> int | None: ...
    @property
    def professionals(self) -> int | None: ...


# Who scaled: (attribute, legend and column heading, colour, symbol, dash), so the three lines
# differ by shape and dash as well as by colour.
SERIES = (
    ("child", "Child", "#1d4f91", "o", Qt.PenStyle.SolidLine),
    ("parents", "Parents", "#8a1010", "s", Qt.PenStyle.DashLine),
    ("professionals", "Professionals", "#1e5e2f", "t", Qt.PenStyle.DotLine),
)


def score_text(value: int | None) -> str:
    return "not scaled" if value is None else f"{value} of {SCALE_TOP}"


def point_text(point: ScalingPoint) -> str:
    """One meeting in words: what the table row and a hover say."""
    scores = ", ".join(
        f"{label.lower()} {score_text(getattr(point, key))}" for key, label, *_ in SERIES
    )
    return f"{point.label}, {_when(point)}: {scores}"


def _when(point: ScalingPoint) -> str:
    return day_text(point.day) if point.day is not None else "date not recorded"


def _x(day: dt.date) -> float:
    return dt.datetime.combine(day, dt.time(12), LONDON).timestamp()


class ScalingChart(QWidget):
    """`show_scaling(child_name, points)`: the chart and its table, oldest meeting first."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(self)
        self.caption.setWordWrap(True)
        describe(self.caption, "Scaling chart")
        layout.addWidget(self.caption)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.table = QTableWidget(0, 1 + len(SERIES), self.splitter)
        self.table.setHorizontalHeaderLabels(["Meeting", *(label for _k, label, *_ in SERIES)])
        self.table.setAccessibleName("Scaling at each meeting, 0 to 10, as a table")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        let_tab_leave(self.table)
        self.plot: Any = None  # pyqtgraph.PlotWidget, made on first use
        layout.addWidget(self.splitter, 1)

    def _ensure_plot(self) -> Any:
        if self.plot is None:
            import pyqtgraph as pg  # numpy behind it: loaded only when a chart is shown

            pg.setConfigOptions(background="w", foreground="#1a1a1a", antialias=True)
            self.plot = pg.PlotWidget()  # the meetings' own dates mark the bottom axis
            self.plot.setAccessibleName("Scaling chart: the table beside it holds the same figures")
            self.plot.setMouseEnabled(x=False, y=False)
            self.plot.showGrid(x=False, y=True, alpha=0.25)
            self.plot.setYRange(0, SCALE_TOP, padding=0.05)
            self.plot.getAxis("left").setTicks([[(v, str(v)) for v in range(0, SCALE_TOP + 1, 2)]])
            self.plot.setLabel("left", "Scaling (0 to 10)")
            self.plot.addLegend(offset=(10, 10))
            self.plot.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 40)
            # Room for the axis label "Scaling (0 to 10)" and six ticks: never squeezed shut.
            self.plot.setMinimumHeight(self.fontMetrics().height() * 12)
            self.splitter.insertWidget(0, self.plot)
            self.splitter.setStretchFactor(0, 3)
            self.splitter.setStretchFactor(1, 2)
        return self.plot

    def show_scaling(self, child_name: str, points: Sequence[ScalingPoint]) -> None:
        import pyqtgraph as pg

        # Charted by date; a meeting without one is in the table only.
        dated = [(day, point) for point in points if (day := point.day) is not None]
        self.caption.setText(
            f"How {child_name or 'the child'}'s case is scaled (0 = no progress, "
            f"{SCALE_TOP} = safe), meeting by meeting"
            if points
            else f"No scaling recorded for {child_name or 'this child'} yet."
        )
        # With nothing scaled the sentence stands alone: no empty chart or table.
        self.splitter.setVisible(bool(points))
        self._fill_table(points)
        if not points:
            return
        plot = self._ensure_plot()
        plot.clear()
        for key, label, colour, symbol, dash in SERIES:
            scored = [(day, getattr(p, key)) for day, p in dated if getattr(p, key) is not None]
            plot.plot(
                [_x(day) for day, _value in scored],
                [float(value) for _p, value in scored],
                pen=pg.mkPen(colour, width=2, style=dash),
                symbol=symbol,
                symbolSize=11,
                symbolBrush=pg.mkBrush(colour),
                symbolPen=pg.mkPen("#1a1a1a", width=0.5),
                name=label,
            )
        plot.getAxis("bottom").setTicks(
            [[(_x(day), f"{day.day} {day:%b %Y}") for day, _point in dated]]
        )
        if dated:
            days = sorted(_x(day) for day, _point in dated)
            margin = max((days[-1] - days[0]) * 0.08, 4 * 86_400)
            plot.setXRange(days[0] - margin, days[-1] + margin, padding=0)
            plot.setYRange(0, SCALE_TOP, padding=0.05)

    def _fill_table(self, points: Sequence[ScalingPoint]) -> None:
        self.table.setRowCount(len(points))
        for row, point in enumerate(points):
            cells = [f"{point.label}\n{_when(point)}"]
            cells += [
                "—" if getattr(point, key) is None else str(getattr(point, key))
                for key, *_ in SERIES
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(point_text(point))
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)
        self.table.resizeColumnsToContents()
        self.table.resizeRowsToContents()
        frame = 2 * self.table.frameWidth() + self.table.verticalScrollBar().sizeHint().width()
        self.table.setMinimumWidth(self.table.horizontalHeader().length() + frame)

    def rows_text(self) -> list[str]:
        """What the table says, row by row (the text alternative, for tests and checks)."""
        items = (self.table.item(row, 0) for row in range(self.table.rowCount()))
        return [item.toolTip() for item in items if item is not None]
