"""The inbox's core group minutes: minutes other key workers distributed, newest received first,
each opened read only; their children matched to children here as received records' are."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from coreform.inbox import ChildMatch, ReceivedMinutesEntry
from coreform.records import LONDON, Family
from coreform.services import CoreformError, Services
from ui.accessibility import describe
from ui.dialogs.child_match import LATER, NEW_FAMILY, ChildMatchDialog
from ui.formatting import day_text
from ui.models.paged_table import PagedTableModel
from ui.pages.banner import Banner, Level
from ui.pages.list_table import list_table, open_on_enter

COLUMNS = ("Received", "Reference", "From", "Family", "Children", "Meeting")


def _cells(entry: ReceivedMinutesEntry) -> tuple[str, ...]:
    meeting = f"Core group {entry.sequence}"
    if entry.meeting_date is not None:
        meeting += f", {entry.meeting_date:%d/%m/%Y}"
    later = f" (v{entry.latest_version} received)" if entry.superseded else ""
    return (
        f"{entry.received_at.astimezone(LONDON):%d %b %Y %H:%M}",
        f"{entry.reference} v{entry.version}{later}",
        entry.sender,
        entry.family_name,
        ", ".join(entry.child_names),
        meeting,
    )


def superseded_text(entry: ReceivedMinutesEntry) -> str:
    return (
        f"Version {entry.latest_version} of these minutes was received later and replaces this "
        "one: open that version."
    )


def match_children(
    services: Services,
    unknown: tuple[ChildMatch, ...],
    add_family: Callable[[Sequence[str]], Family],
    parent: QWidget,
    what: str = "record",
) -> bool | None:
    """Asks which child here each unknown child is (or a new family, or later) and files the
    answers; True when done, None when cancelled. Raises CoreformError."""
    choices = ChildMatchDialog.ask(unknown, parent, what)
    if choices is None:
        return None
    new = [received_id for received_id, choice in choices.items() if choice == NEW_FAMILY]
    for received_id, choice in choices.items():
        if choice not in (LATER, NEW_FAMILY):
            services.match_child(received_id, choice)
    if new:
        add_family(new)
    return True


class ReceivedMinutesPanel(QWidget):
    open_requested = Signal(str, int)  # minutes id, version
    chronology_requested = Signal(str)  # a child's id here

    def __init__(self, services: Services, banner: Banner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._banner = banner
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.model: PagedTableModel[ReceivedMinutesEntry] = PagedTableModel(COLUMNS, _cells, self)
        self.table = list_table(self, self.model, "Core group minutes received, newest first")
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _index: self.open_selected())
        open_on_enter(self.table, lambda _index: self.open_selected())
        layout.addWidget(self.table, 1)
        self.details = QLabel(self)
        self.details.setWordWrap(True)
        describe(self.details, "The selected minutes")
        layout.addWidget(self.details)
        bar = QHBoxLayout()
        self.open_button = QPushButton("&Open minutes", self)
        self.match_button = QPushButton("&Match child…", self)
        self.file_button = QPushButton("Child's &file", self)
        for button, slot in (
            (self.open_button, self.open_selected),
            (self.match_button, self.match_children),
            (self.file_button, self.show_file),
        ):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            button.clicked.connect(slot)
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self._selection_changed()

    def refresh(self) -> None:
        current = self.selected()
        try:
            total = self._services.received_minutes_count()
            self.model.reset(self._services.received_minutes_page, total)
        except CoreformError as error:
            self._banner.show_message(Level.ERROR, f"The minutes could not be listed: {error}")
            return
        if current is not None:
            self.select(current.minutes_id, current.version)
        self._selection_changed()

    def select(self, minutes_id: str, version: int) -> None:
        for row in range(self.model.rowCount()):
            entry = self.model.row(row)
            if (entry.minutes_id, entry.version) == (minutes_id, version):
                self.table.selectRow(row)
                return

    def selected(self) -> ReceivedMinutesEntry | None:
        index = self.table.currentIndex()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        return self.model.row(index.row())

    def _selection_changed(self, *_: QItemSelection) -> None:
        entry = self.selected()
        for button in (self.open_button, self.match_button, self.file_button):
            button.setEnabled(entry is not None)
        self.details.setText(self._details(entry) if entry is not None else "Select minutes.")

    def _details(self, entry: ReceivedMinutesEntry) -> str:
        address = f" ({entry.sender_email})" if entry.sender_email != entry.sender else ""
        received = entry.received_at.astimezone(LONDON)
        lines = [
            f"{entry.reference} version {entry.version}, from {entry.sender}{address}, received "
            f"{day_text(received.date())} at {received:%H:%M}. Read only: the key worker who "
            "wrote them amends them and sends the new version."
        ]
        if entry.superseded:
            lines.append(superseded_text(entry))
        try:
            unknown = self._services.unknown_children_in_minutes(entry.minutes_id, entry.version)
        except CoreformError as error:
            return "\n".join([*lines, str(error)])
        if unknown:
            names = ", ".join(match.name for match in unknown)
            lines.append(f"Not on file yet: {names}. Choose Match child….")
        return "\n".join(lines)

    def open_selected(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.open_requested.emit(entry.minutes_id, entry.version)

    def match_children(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        try:
            unknown = self._services.unknown_children_in_minutes(entry.minutes_id, entry.version)
            if not unknown:
                self._banner.show_message(Level.SUCCESS, "Every child in these minutes is on file.")
                return
            done = match_children(
                self._services,
                unknown,
                lambda ids: self._services.add_family_from_minutes(
                    entry.minutes_id, entry.version, ids
                ),
                self,
                "minutes",
            )
        except CoreformError as error:
            self._banner.show_message(Level.ERROR, f"Not matched: {error}")
            return
        if done:
            self._banner.show_message(Level.SUCCESS, "The minutes are on the children's files.")
            self._selection_changed()

    def show_file(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        try:
            child_id = self._services.child_on_file_for_minutes(entry.minutes_id, entry.version)
        except CoreformError as error:
            self._banner.show_message(Level.ERROR, str(error))
            return
        if child_id is None:
            self._banner.show_message(
                Level.ERROR, "No child in these minutes is on file yet: choose Match child… first."
            )
            return
        self.chronology_requested.emit(child_id)
