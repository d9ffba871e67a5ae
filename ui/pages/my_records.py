"""My records: drafts by the urgency of their deadline, then submitted records."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coreform.services import CoreformError, Services
from ui.models.records_table import RecordsTableModel
from ui.pages.banner import heading_label


class MyRecordsPage(QWidget):
    """Double-click or Enter on a row emits `open_requested` with the record id."""

    open_requested = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        layout = QVBoxLayout(self)
        heading = heading_label("My records", self)
        layout.addWidget(heading)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = RecordsTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName("My records: drafts by deadline, then submitted records")
        heading.setBuddy(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(self._open)
        self.table.installEventFilter(self)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        try:
            summaries = self._services.list_records()
        except CoreformError as error:
            self.summary.setText(f"Your records could not be listed: {error}")
            return
        self.model.set_rows(summaries)
        drafts = sum(not s.state.locked for s in summaries)
        self.summary.setText(
            f"{drafts} draft{'s' if drafts != 1 else ''} to finish (most urgent first), then "
            f"{len(summaries) - drafts} submitted. Press Enter or double-click to open one."
            if summaries
            else "No records yet. Choose “New record” (Ctrl+N) after a visit."
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._open(self.table.currentIndex())
            return True
        return super().eventFilter(watched, event)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.row(index.row()).id)
