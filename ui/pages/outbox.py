"""The outbox: every message with its state in words; Send now, Retry now and Cancel; for a draft
in the user's email program, I have sent it, Open again, Show the file and Send through the mail
server instead (issue 10)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coreform.outbox import AWAITING_CONFIRMATION, OutboxEntry, OutboxItem, OutboxState
from coreform.services import CoreformError, MailServerNotSetError, Services
from ui.accessibility import MessageLabel
from ui.models.outbox_table import COLUMNS, OutboxTableModel
from ui.pages.banner import heading_label
from ui.pages.flow_layout import FlowLayout
from ui.pages.list_table import list_table
from ui.sending_text import I_HAVE_SENT_IT, confirm_name, confirmed_text
from ui.workers import OutboxSender

WAITING = (OutboxState.QUEUED, OutboxState.FAILED, OutboxState.SENDING)
CONFIRM_NAME = f"{I_HAVE_SENT_IT} from my email program"


class OutboxPage(QWidget):
    """`settings_requested` (what to do there) when sending by the server needs its settings."""

    settings_requested = Signal(str)

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
        # At 200% text the buttons wrap under the status, keeping to the right.
        bar = FlowLayout(spacing=layout.spacing(), fill=True)
        self.status = MessageLabel(self)
        bar.add(self.status, 1)
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
            bar.add(button)
        # A line's widgets meet at the bottom: as tall as a button, the text sits beside theirs.
        self.status.setMinimumHeight(self.send_button.sizeHint().height())
        layout.addLayout(bar)
        layout.addLayout(self._draft_actions(layout.spacing()))
        sender.started.connect(self._started)
        sender.progress.connect(self._progress)
        sender.finished.connect(self._finished)
        self._selection_changed()

    def _draft_actions(self, spacing: int) -> FlowLayout:
        """What the user can do with a draft handed to their email program, or that none could
        open."""
        row = FlowLayout(spacing=spacing, fill=True)
        label = QLabel("A draft for your email program:", self)
        label.setWordWrap(True)
        row.add(label, 1)
        self.confirm_button = QPushButton("I ha&ve sent it", self)
        self.open_again_button = QPushButton("&Open again", self)
        self.show_file_button = QPushButton("Show the fi&le", self)
        self.by_server_button = QPushButton("Send through the &mail server instead", self)
        for button, slot, name in (
            (self.confirm_button, self.confirm_sent, CONFIRM_NAME),
            (self.open_again_button, self.retry, "Open the draft again in my email program"),
            (self.show_file_button, self.show_file, "Show the draft's folder"),
            (self.by_server_button, self.send_by_server, "Send through the mail server instead"),
        ):
            button.setAccessibleName(name)
            button.clicked.connect(slot)
            row.add(button)
        label.setMinimumHeight(self.confirm_button.sizeHint().height())  # as the status's
        return row

    def refresh(self) -> None:
        current = self._selected_item()
        selected = current.id if current is not None else None
        try:
            total = self._services.count_outbox()
            waiting = self._services.count_outbox(WAITING)
            awaiting = self._services.count_outbox(AWAITING_CONFIRMATION)
        except CoreformError as error:
            self.summary.setText(f"The outbox could not be listed: {error}")
            return
        self.model.reset(self._page, total)
        in_program = (
            f" {awaiting} draft{'s' if awaiting != 1 else ''} for your email program not "
            f"confirmed as sent: once you have sent one, choose “{I_HAVE_SENT_IT}”."
            if awaiting
            else ""
        )
        self.summary.setText(
            f"{waiting} message{'s' if waiting != 1 else ''} waiting to go; newest first."
            f"{in_program} A message is marked sent only when the mail server has accepted it, "
            "or you confirm you sent it."
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
        awaiting = state in AWAITING_CONFIRMATION
        for button in (self.confirm_button, self.open_again_button, self.by_server_button):
            button.setEnabled(awaiting)
        self.confirm_button.setAccessibleName(
            confirm_name(item) if item is not None and awaiting else CONFIRM_NAME
        )
        self.show_file_button.setEnabled(
            awaiting and item is not None and Path(item.draft_path).is_file()
        )

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

    def confirm_sent(self) -> None:
        item = self._selected_item()
        if item is None or item.id is None:
            return
        try:
            self._services.confirm_sent([item.id])
        except CoreformError as error:
            self.status.setText(f"Not recorded: {error}")
            return
        self.status.setText(confirmed_text(item))
        self.refresh()

    def show_file(self) -> None:
        """Opens the draft's folder, so the user can open or attach the draft themselves."""
        item = self._selected_item()
        if item is None or not item.draft_path:
            return
        folder = Path(item.draft_path).parent
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder))):
            self.status.setText(f"The draft is {Path(item.draft_path).name} in the folder shown.")
        else:
            self.status.setText(
                f"The folder could not be shown here. The draft is saved as {item.draft_path}"
            )

    def send_by_server(self) -> None:
        item = self._selected_item()
        if item is None or item.id is None:
            return
        try:
            self._services.send_by_server_instead(item.id)
        except MailServerNotSetError as error:
            self.status.setText(str(error))
            self.settings_requested.emit(str(error))
            return
        except CoreformError as error:
            self.status.setText(f"Not sent: {error}")
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
        if not settled:
            self.status.setText("Nothing was due to send.")
            return
        counts = {
            state: sum(item.state is state for item in settled)
            for state in (OutboxState.SENT, OutboxState.HANDED_OVER, OutboxState.NOT_OPENED)
        }
        waiting = len(settled) - sum(counts.values())
        parts = [
            f"{count} {words}"
            for count, words in (
                (counts[OutboxState.SENT], "sent"),
                (counts[OutboxState.HANDED_OVER], "handed to your email program"),
                (counts[OutboxState.NOT_OPENED], "not opened by any email program"),
                (waiting, "not sent yet (see Last error)"),
            )
            if count
        ]
        self.status.setText(", ".join(parts) + ".")
