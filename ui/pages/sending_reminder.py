"""The start-up reminder (issue 10): drafts handed to the email program that the user has not yet
confirmed sending. Ticked ones are recorded as sent on "I have sent the ticked ones"; the rest
stay in the Outbox. It never blocks the window."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coreform.outbox import AWAITING_CONFIRMATION, OutboxEntry
from coreform.services import CoreformError, Services
from ui.accessibility import MessageLabel
from ui.sending_text import RECIPIENT_TEXT, moment_text

_ITEM_ID = Qt.ItemDataRole.UserRole


class SendingReminder(QFrame):
    """Hidden unless something awaits confirmation; `outbox_requested` opens the Outbox."""

    outbox_requested = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.setObjectName("sending_reminder")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self.heading = QLabel(self)
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)
        self.items = QListWidget(self)
        self.items.setAccessibleName("Drafts waiting for you to confirm you sent them")
        self.items.setWordWrap(True)
        self.items.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.heading.setBuddy(self.items)
        layout.addWidget(self.items)
        bar = QHBoxLayout()
        self.status = MessageLabel(self)
        bar.addWidget(self.status, 1)
        self.confirm_button = QPushButton("I have sent the tic&ked ones", self)
        self.outbox_button = QPushButton("Open the Out&box", self)
        self.later_button = QPushButton("Remind me later", self)
        for button, slot in (
            (self.confirm_button, self.confirm_ticked),
            (self.outbox_button, self.outbox_requested.emit),
            (self.later_button, self.hide),
        ):
            button.setAccessibleName(button.text().replace("&", ""))
            button.clicked.connect(slot)
            bar.addWidget(button)
        layout.addLayout(bar)
        self.hide()

    def refresh(self) -> None:
        """Lists what awaits confirmation now; hides itself when nothing does."""
        try:
            waiting = self._services.awaiting_confirmation()
            # Nothing waiting (most starts): no count and no references to read.
            count = self._services.count_outbox(AWAITING_CONFIRMATION) if waiting else 0
            references = (
                self._services.record_references({i.record_id for i in waiting}) if waiting else {}
            )
        except CoreformError as error:
            self.heading.setText(f"The drafts waiting to be sent could not be listed: {error}")
            self.show()
            return
        self.items.clear()
        for item in waiting:
            self.items.addItem(self._row(item, references.get(item.record_id, "—")))
        more = (
            f" The first {len(waiting)} are listed; the Outbox has them all."
            if count > len(waiting)
            else ""
        )
        self.heading.setText(
            f"{count} draft{'s' if count != 1 else ''} went to your email program but "
            f"{'are' if count != 1 else 'is'} not confirmed as sent. Nothing counts as sent "
            f"until you say so. Untick any you have not sent.{more}"
        )
        # A few rows show without scrolling; more scroll inside the list.
        row_height = self.items.fontMetrics().lineSpacing() + 8
        rows = min(len(waiting), 4)
        self.items.setFixedHeight(row_height * rows + 2 * self.items.frameWidth())
        self.setVisible(bool(waiting))

    def _row(self, item: OutboxEntry, reference: str) -> QListWidgetItem:
        submitted = f" (submitted {moment_text(item.created_at)})" if item.created_at else ""
        row = QListWidgetItem(
            f"{reference} v{item.record_version} to the "
            f"{RECIPIENT_TEXT[item.recipient_kind].lower()} {item.recipient}{submitted}"
        )
        row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        row.setCheckState(Qt.CheckState.Checked)
        row.setData(_ITEM_ID, item.id)
        return row

    def ticked(self) -> list[int]:
        return [
            self.items.item(row).data(_ITEM_ID)
            for row in range(self.items.count())
            if self.items.item(row).checkState() is Qt.CheckState.Checked
        ]

    def confirm_ticked(self) -> None:
        ticked = self.ticked()
        if not ticked:
            self.status.setText("Tick the drafts you have sent first.")
            return
        try:
            self._services.confirm_sent(ticked)
        except CoreformError as error:
            self.refresh()  # confirmed meanwhile in the Outbox or the record
            self.status.setText(f"Not recorded: {error}")
            return
        self.status.setText(f"{len(ticked)} recorded as sent.")
        self.refresh()
