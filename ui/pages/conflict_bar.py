"""What the editor offers when someone else changed the draft being typed (issue 9): keep mine
as a new version, or show theirs. Nothing typed is ever thrown away."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coreform.intake import changed_fields
from coreform.records import MonitoringRecord, record_to_dict
from coreform.services import ConflictError, CoreformError, Services


class ConflictBar(QWidget):
    """Hidden until `show_conflict`; emits `kept` with my copy stored as a new draft."""

    kept = Signal(object)

    def __init__(
        self, services: Services, mine: Callable[[], MonitoringRecord], parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._mine = mine
        self._record_id = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.keep_button = QPushButton("Keep mine as a new version", self)
        self.keep_button.clicked.connect(self._keep_mine)
        buttons.addWidget(self.keep_button)
        self.theirs_button = QPushButton("Show theirs", self)
        self.theirs_button.clicked.connect(self._show_theirs)
        buttons.addWidget(self.theirs_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.theirs = QPlainTextEdit(self)
        self.theirs.setReadOnly(True)
        self.theirs.setAccessibleName("Their copy: what differs from yours")
        self.theirs.hide()
        layout.addWidget(self.theirs)
        self.hide()

    def show_conflict(self, error: ConflictError) -> None:
        self._record_id = error.record_id or ""
        self.message.setText(str(error))
        self.theirs.hide()
        self.show()
        self.keep_button.setFocus()

    def _keep_mine(self) -> None:
        try:
            stored = self._services.keep_mine_as_new_version(self._mine())
        except CoreformError as error:
            self.message.setText(f"Not kept: {error}")
            return
        self.hide()
        self.kept.emit(stored)

    def _show_theirs(self) -> None:
        try:
            theirs = self._services.get_record(self._record_id)
        except CoreformError as error:
            self.theirs.setPlainText(str(error))
            self.theirs.show()
            return
        values = record_to_dict(theirs)["record"]
        differing = changed_fields(self._mine(), theirs)
        lines = [f"{key.replace('_', ' ').capitalize()}: {values[key]}" for key in differing]
        self.theirs.setPlainText(
            f"Their copy of {theirs.reference}, saved "
            f"{theirs.updated_at:%d/%m/%Y %H:%M}, differs from yours in:\n\n" + "\n".join(lines)
            if lines
            else f"Their copy of {theirs.reference} says the same as yours."
        )
        self.theirs.show()
