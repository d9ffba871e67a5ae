"""My records: drafts by the urgency of their deadline, then submitted records; find and sort.

The list reads a page at a time from the database (issue 15); the search box, state and visit
dates filter there too, ignoring accents and case (issue 10). A draft started by mistake can be
discarded after a confirmation; a submitted record never can.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coreform.record_query import RecordQuery, RecordSort
from coreform.records import RecordState
from coreform.services import CoreformError, RecordSummary, Services
from ui.dialogs.modal import confirm_destructive
from ui.models.records_table import STATE_TEXT, RecordsTableModel, size_record_columns
from ui.pages.banner import heading_label
from ui.pages.flow_layout import FlowLayout, kept_together
from ui.pages.list_table import SEARCH_DELAY_MS, list_table, open_on_enter

# Typing pauses this long before the list is asked again, so each keystroke does not query.
_NO_DATE = QDate(2000, 1, 1)  # shown as "any": the date filters start empty
DRAFTS = RecordQuery(state=RecordState.DRAFT)


def _date_filter(parent: QWidget, name: str) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    edit.setMinimumDate(_NO_DATE)
    edit.setSpecialValueText("any")
    edit.setDate(_NO_DATE)
    edit.setAccessibleName(name)
    return edit


def _chosen_day(edit: QDateEdit) -> dt.date | None:
    day = edit.date()
    return None if day == _NO_DATE else dt.date(day.year(), day.month(), day.day())


class MyRecordsPage(QWidget):
    """Double-click or Enter on a row emits `open_requested` with the record id."""

    open_requested = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._sort = RecordSort.URGENCY
        self._descending = False
        layout = QVBoxLayout(self)
        heading = heading_label("My records", self)
        layout.addWidget(heading)
        layout.addLayout(self._build_filters(layout.spacing()))
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = RecordsTableModel(self)
        self.table = list_table(
            self,
            self.model,
            "My records: drafts by deadline, then submitted records",
            fit_contents=False,  # the widths below; fitting would measure every loaded row
        )
        heading.setBuddy(self.table)
        header = self.table.horizontalHeader()
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # urgency until a click
        self.table.setSortingEnabled(True)
        self.model.sort_requested.connect(self._sort_by)  # after: enabling sorts once
        size_record_columns(self.table, {0: 130, 1: 200, 3: 120, 4: 230})
        self.table.doubleClicked.connect(self._open)
        open_on_enter(self.table, self._open)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        actions = QHBoxLayout()
        actions.addStretch(1)
        self.discard_button = QPushButton("&Discard draft…", self)
        self.discard_button.setAccessibleName("Discard the selected draft")
        self.discard_button.clicked.connect(self.discard_selected)
        actions.addWidget(self.discard_button)
        layout.addLayout(actions)
        self._selection_changed()

    def _build_filters(self, spacing: int) -> FlowLayout:
        """Find, state and the visit dates on one line; at 200% text they wrap, each label
        with its field, Clear keeping to the right."""
        row = FlowLayout(spacing=spacing, fill=True)
        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText("Reference, family, child or key worker")
        self.search_box.setAccessibleName("Find records by reference, family, child or key worker")
        self.search_box.setClearButtonEnabled(True)
        self.state_filter = QComboBox(self)
        self.state_filter.setAccessibleName("Show records in this state")
        self.state_filter.addItem("Any state", None)
        for state in RecordState:
            self.state_filter.addItem(STATE_TEXT[state], state)
        self.visit_from = _date_filter(self, "Visits from this date")
        self.visit_to = _date_filter(self, "Visits up to this date")
        self.clear_button = QPushButton("C&lear", self)
        self.clear_button.setAccessibleName("Clear the search and show every record")
        fields = (self.search_box, self.state_filter, self.visit_from, self.visit_to)
        labels = [QLabel(text, self) for text in ("&Find:", "S&tate:", "Visit f&rom:", "t&o:")]
        for label, field in zip(labels, fields, strict=True):
            label.setBuddy(field)
        find, state_label, visit_from, visit_to = labels
        row.add(kept_together(self, find, self.search_box, stretch=3), 3)
        row.add(kept_together(self, state_label, self.state_filter))
        # The dates wrap as one: "from" is never parted from "to".
        row.add(kept_together(self, visit_from, self.visit_from, visit_to, self.visit_to))
        row.add(self.clear_button)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(self._search_timer.start)
        self.state_filter.currentIndexChanged.connect(self.refresh)
        self.visit_from.dateChanged.connect(self.refresh)
        self.visit_to.dateChanged.connect(self.refresh)
        self.clear_button.clicked.connect(self.clear_filters)
        return row

    def query(self) -> RecordQuery:
        """What the filters and the sorted column ask for."""
        return RecordQuery(
            text=self.search_box.text(),
            state=self.state_filter.currentData(),
            visit_from=_chosen_day(self.visit_from),
            visit_to=_chosen_day(self.visit_to),
            sort=self._sort,
            descending=self._descending,
        )

    def clear_filters(self) -> None:
        for widget in (self.search_box, self.state_filter, self.visit_from, self.visit_to):
            widget.blockSignals(True)
        self.search_box.clear()
        self.state_filter.setCurrentIndex(0)
        self.visit_from.setDate(_NO_DATE)
        self.visit_to.setDate(_NO_DATE)
        for widget in (self.search_box, self.state_filter, self.visit_from, self.visit_to):
            widget.blockSignals(False)
        self.table.horizontalHeader().setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        self._sort, self._descending = RecordSort.URGENCY, False
        self.refresh()

    def _sort_by(self, sort: RecordSort, descending: bool) -> None:
        self._sort, self._descending = sort, descending
        self.refresh()

    def refresh(self) -> None:
        self._search_timer.stop()
        query = self.query()
        try:
            total = self._services.count_records(query)
            filtered = query != RecordQuery(sort=query.sort, descending=query.descending)
            drafts = 0 if filtered else self._services.count_records(DRAFTS)
        except CoreformError as error:
            self.summary.setText(f"Your records could not be listed: {error}")
            return
        self.model.reset(lambda offset, limit: self._page(query, offset, limit), total)
        if filtered:
            self.summary.setText(
                f"{total} record{'s' if total != 1 else ''} found. "
                "Press Enter or double-click to open one; “Clear” shows every record."
            )
        elif total:
            self.summary.setText(
                f"{drafts} draft{'s' if drafts != 1 else ''} to finish (most urgent first), "
                f"then {total - drafts} submitted. Press Enter or double-click to open one; "
                "click a column heading to sort by it."
            )
        else:
            self.summary.setText("No records yet. Choose “New record” (Ctrl+N) after a visit.")
        self._selection_changed()

    def _page(self, query: RecordQuery, offset: int, limit: int) -> list[RecordSummary]:
        try:
            return self._services.list_records(query, offset=offset, limit=limit)
        except CoreformError as error:
            self.summary.setText(f"More records could not be listed: {error}")
            return []

    def selected(self) -> RecordSummary | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        return self.model.row(index.row())

    def _selection_changed(self, *_: object) -> None:
        chosen = self.selected()
        self.discard_button.setEnabled(chosen is not None and not chosen.state.locked)

    def discard_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen.state.locked:
            return
        kept = (
            " The submitted version before this amendment stays as it is."
            if chosen.version > 1
            else ""
        )
        confirmed = confirm_destructive(
            self,
            "Discard draft",
            f"Discard draft {chosen.reference}?{kept}\n\nThis cannot be undone. The discarding "
            "is written to the audit trail.",
            "Discard draft",
        )
        if not confirmed:
            return
        try:
            self._services.discard_draft(chosen.id)
        except CoreformError as error:
            self.summary.setText(f"Not discarded: {error}")
            return
        self.refresh()
        self.summary.setText(f"Draft {chosen.reference} discarded. {self.summary.text()}")

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.row(index.row()).id)
