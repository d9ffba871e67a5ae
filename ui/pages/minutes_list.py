"""A family's core group meetings on the child's plan page: each meeting's minutes (open with
Enter or a double-click) and "Write the minutes of a core group" for the next one."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from coreform.minutes import CoreGroupMinutes, MinutesState
from coreform.services import CoreformError, Services
from ui.accessibility import MessageLabel
from ui.formatting import day_text
from ui.models.paged_table import PagedTableModel
from ui.pages.banner import problem_label
from ui.pages.list_table import list_table, open_on_enter

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
        # Read a page at a time as the list scrolls: a family's meetings over years (issue 15).
        self.model: PagedTableModel[CoreGroupMinutes] = PagedTableModel(
            ("Meeting",), lambda summary: (meeting_text(summary),), self
        )
        self.meetings = list_table(
            self, self.model, "Core group meetings and their minutes", fit_contents=False
        )
        self.meetings.horizontalHeader().hide()
        self.caption.setBuddy(self.meetings)
        self.meetings.doubleClicked.connect(self._open)
        open_on_enter(self.meetings, self._open)
        layout.addWidget(self.meetings, 1)
        self.summary = MessageLabel(self)
        layout.addWidget(self.summary)
        self.problem = problem_label(self)
        layout.addWidget(self.problem)
        actions = QHBoxLayout()
        self._draft: CoreGroupMinutes | None = None
        self.start_button = QPushButton(START_TEXT, self)
        self.start_button.clicked.connect(self._start)
        self.open_button = QPushButton("&Open the minutes", self)
        self.open_button.clicked.connect(lambda: self._open(self.meetings.currentIndex()))
        actions.addWidget(self.start_button)
        actions.addWidget(self.open_button)
        actions.addStretch(1)
        layout.addLayout(actions)

    def show_family(self, family_id: str) -> None:
        """Lists the family's meetings, newest first, a page at a time as the list scrolls."""
        self._family_id = family_id
        self._draft = None
        self.start_button.setText(START_TEXT)
        self.model.reset(lambda _offset, _limit: [], 0)
        self.problem.clear()
        self.summary.clear()
        self.start_button.setEnabled(bool(family_id))
        self.open_button.setEnabled(False)
        if not family_id:
            return
        try:
            total = self._services.count_minutes(family_id=family_id)
            # A meeting being written is continued, never started twice: asked for, as it may be
            # beyond the pages read (an amendment of an old meeting, a date typed long ago).
            self._draft = self._services.draft_minutes(family_id)
        except CoreformError as error:
            self.problem.setText(str(error))
            return
        self.model.reset(lambda offset, limit: self._page(family_id, offset, limit), total)
        self.start_button.setText(
            f"Contin&ue the minutes of core group {self._draft.sequence} (draft)…"
            if self._draft is not None
            else START_TEXT
        )
        self.summary.setText(
            f"{total} meeting{'s' if total != 1 else ''}."
            if total
            else "No core group minutes yet."
        )
        self.open_button.setEnabled(total > 0)

    def _page(self, family_id: str, offset: int, limit: int) -> list[CoreGroupMinutes]:
        try:
            return self._services.list_minutes(family_id=family_id, offset=offset, limit=limit)
        except CoreformError as error:
            self.problem.setText(str(error))
            return []

    def _start(self) -> None:
        if self._draft is not None:
            self.open_requested.emit(self._draft.id)
        else:
            self.start_requested.emit(self._family_id)

    def tell(self, message: str) -> None:
        """Why a meeting could not be started or opened (the plan has no initial conference…)."""
        self.problem.setText(message)

    def _open(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.row(index.row()).id)
