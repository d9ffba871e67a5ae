"""A family's core group meetings on the child's plan page: each meeting's minutes (open with
Enter or a double-click) and "Write the minutes of a core group" for the next one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coreform.minutes import MinutesState
from coreform.services import CoreformError, Services
from ui.formatting import day_text
from ui.pages.banner import problem_label

START_TEXT = "&Write the minutes of a core group…"
STATE_WORDS = {
    MinutesState.DRAFT: "draft, not finalised",
    MinutesState.FINAL: "finalised",
    MinutesState.AMENDED: "amended and finalised",
}


def meeting_text(summary: Any) -> str:
    """ "Core group 2 — Mon 25 Jan 2027 — CG-2027-0002: finalised, sent Tue 26 Jan 2027"."""
    day = day_text(summary.meeting_date) if summary.meeting_date else "date not set"
    reference = f" — {summary.reference}" if summary.reference else ""
    state = STATE_WORDS[summary.state]
    if summary.distributed_on is not None:
        state += f", sent {day_text(summary.distributed_on)}"
    elif summary.state is not MinutesState.DRAFT:
        state += ", not sent yet"
    return f"Core group {summary.sequence} — {day}{reference}: {state}"


class MeetingsPanel(QWidget):
    """`start_requested` carries the family id, `open_requested` a minutes id."""

    start_requested = Signal(str)
    open_requested = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._family_id = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.caption = QLabel(
            "Th&e family's core group meetings, newest first (Enter opens the minutes):", self
        )
        self.caption.setWordWrap(True)
        layout.addWidget(self.caption)
        self.meetings = QListWidget(self)
        self.meetings.setAccessibleName("Core group meetings and their minutes")
        self.meetings.setWordWrap(True)
        self.caption.setBuddy(self.meetings)
        self.meetings.itemActivated.connect(self._open)
        layout.addWidget(self.meetings, 1)
        self.problem = problem_label(self)
        layout.addWidget(self.problem)
        actions = QHBoxLayout()
        self._draft: Any = None
        self.start_button = QPushButton(START_TEXT, self)
        self.start_button.clicked.connect(self._start)
        self.open_button = QPushButton("&Open the minutes", self)
        self.open_button.clicked.connect(lambda: self._open(self.meetings.currentItem()))
        actions.addWidget(self.start_button)
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        layout.addLayout(actions)

    def show_family(self, family_id: str) -> None:
        """Lists the family's meetings (one page, newest first)."""
        self._family_id = family_id
        self._draft = None
        self.start_button.setText(START_TEXT)
        self.meetings.clear()
        self.problem.clear()
        self.start_button.setEnabled(bool(family_id))
        if not family_id:
            return
        try:
            summaries = self._services.list_minutes(family_id=family_id)
        except CoreformError as error:
            self.problem.setText(str(error))
            return
        for summary in summaries:
            item = QListWidgetItem(meeting_text(summary), self.meetings)
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
        # A meeting being written is continued, never started twice.
        self._draft = next((s for s in summaries if s.state is MinutesState.DRAFT), None)
        self.start_button.setText(
            f"Contin&ue the minutes of core group {self._draft.sequence} (draft)…"
            if self._draft is not None
            else START_TEXT
        )
        if not summaries:
            QListWidgetItem("No core group minutes yet.", self.meetings).setFlags(
                Qt.ItemFlag.NoItemFlags
            )
        self.open_button.setEnabled(bool(summaries))

    def _start(self) -> None:
        if self._draft is not None:
            self.open_requested.emit(self._draft.id)
        else:
            self.start_requested.emit(self._family_id)

    def tell(self, message: str) -> None:
        """Why a meeting could not be started or opened (the plan has no initial conference…)."""
        self.problem.setText(message)

    def _open(self, item: QListWidgetItem | None) -> None:
        minutes_id = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if minutes_id:
            self.open_requested.emit(minutes_id)
