"""The outbox: every message with its state in words; Send now, Retry now and Cancel."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coreform.outbox import OutboxEntry, OutboxItem, OutboxState
from coreform.services import CoreformError, Services
from ui.accessibility import MessageLabel
from ui.models.outbox_table import COLUMNS, OutboxTableModel
from ui.pages.banner import heading_label
from ui.pages.list_table import list_table
from ui.workers import OutboxSender

WAITING = (OutboxState.QUEUED, OutboxState.FAILED, OutboxState.SENDING)


class OutboxPage(QWidget):
    def __init__(
        self, services: Services, sender: OutboxSender, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._sender = sender
        layout = QVBoxLayout(self)
        heading = heading_label("Outbox", self)
        layout.addWidget(heading)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model = OutboxTableModel(self)
        self.table = list_table(self, self.model, "Outbox: every message and what happened to it")
        heading.setBuddy(self.table)
        self.table.horizontalHeader().setSectionResizeMode(
            len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch
        )
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        layout.addWidget(self.table, 1)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Sending progress")
        self.progress.setFormat("Sending %v of %m")
        self.progress.hide()
        layout.addWidget(self.progress)
        bar = QHBoxLayout()
        self.status = MessageLabel(self)
        bar.addWidget(self.status, 1)
        self.send_button = QPushButton("&Send waiting messages now", self)
        self.retry_button = QPushButton("&Retry now", self)
        self.cancel_button = QPushButton("&Cancel sending", self)
        for button, slot in (
            (self.send_button, sender.send_due),
            (self.retry_button, self.retry),
            (self.cancel_button, self.cancel),
        ):
            button.setAccessibleName(button.text().replace("&", ""))
            button.clicked.connect(slot)
            bar.addWidget(button)
        layout.addLayout(bar)
        sender.started.connect(self._started)
        sender.progress.connect(self._progress)
        sender.finished.connect(self._finished)
        self._selection_changed()

    def refresh(self) -> None:
        current = self._selected_item()
        selected = current.id if current is not None else None
        try:
            total = self._services.count_outbox()
            waiting = self._services.count_outbox(WAITING)
        except CoreformError as error:
            self.summary.setText(f"The outbox could not be listed: {error}")
            return
        self.model.reset(self._page, total)
        self.summary.setText(
            f"{waiting} message{'s' if waiting != 1 else ''} waiting to go; newest first. "
            "A message is marked sent only when the mail server has accepted it."
            if total
            else "Nothing has been sent yet. Submitted records appear here."
        )
        rows = [i for i in range(self.model.rowCount()) if self.model.row(i).id == selected]
        if rows:
            self.table.selectRow(rows[0])
        self._selection_changed()

    def _page(self, offset: int, limit: int) -> list[OutboxEntry]:
        try:
            items = self._services.outbox_page(offset=offset, limit=limit)
            self.model.add_references(
                self._services.record_references({item.record_id for item in items})
            )
        except CoreformError as error:
            self.summary.setText(f"More of the outbox could not be listed: {error}")
            return []
        return items

    def _selected_item(self) -> OutboxEntry | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        return self.model.row(index.row())

    def _selection_changed(self, *_: QItemSelection) -> None:
        item = self._selected_item()
        state = item.state if item is not None else None
        self.retry_button.setEnabled(
            state in (OutboxState.QUEUED, OutboxState.FAILED, OutboxState.CANCELLED)
        )
        self.cancel_button.setEnabled(state in (OutboxState.QUEUED, OutboxState.FAILED))

    def retry(self) -> None:
        item = self._selected_item()
        if item is None or item.id is None:
            return
        try:
            self._services.retry_outbox_item(item.id)
        except CoreformError as error:
            self.status.setText(f"Not retried: {error}")
            return
        self.refresh()
        self._sender.send_due()

    def cancel(self) -> None:
        item = self._selected_item()
        if item is None or item.id is None:
            return
        try:
            self._services.cancel_outbox_item(item.id)
        except CoreformError as error:
            self.status.setText(f"Not cancelled: {error}")
            return
        self.status.setText(f"The message to {item.recipient} will not be sent.")
        self.refresh()

    def _started(self) -> None:
        self.progress.setRange(0, 0)  # busy until the first count arrives
        self.progress.show()
        self.status.setText("Sending…")

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.refresh()

    def _finished(self, settled: list[OutboxItem], error: str) -> None:
        self.progress.hide()
        self.refresh()
        if error:
            self.status.setText(f"Sending stopped: {error}")
            return
        sent = sum(item.state is OutboxState.SENT for item in settled)
        waiting = len(settled) - sent
        self.status.setText(
            f"{sent} sent, {waiting} not sent yet (see Last error)."
            if waiting
            else f"{sent} sent."
            if settled
            else "Nothing was due to send."
        )
