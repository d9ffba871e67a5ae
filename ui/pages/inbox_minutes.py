"""The inbox's core group minutes: minutes other key workers distributed, newest received first,
each opened read only; their children matched to children here as received records' are."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from coreform.inbox import ReceivedMinutesEntry
from coreform.records import LONDON
from coreform.services import CoreformError, Services
from ui.formatting import day_text
from ui.models.paged_table import PagedTableModel
from ui.pages.banner import Banner, Level
from ui.pages.received_list import (
    Received,
    child_to_show,
    connect_buttons,
    match_children,
    not_on_file_line,
    received_table,
    select_entry,
    selected_entry,
)

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
        self.table, self.details = received_table(
            self,
            layout,
            self.model,
            "Core group minutes received, newest first",
            "The selected minutes",
            self._selection_changed,
            self.open_selected,
        )
        bar = QHBoxLayout()
        self.open_button = QPushButton("&Open minutes", self)
        self.match_button = QPushButton("&Match child…", self)
        self.file_button = QPushButton("Child's &file", self)
        connect_buttons(
            (
                (self.open_button, self.open_selected),
                (self.match_button, self.match_children),
                (self.file_button, self.show_file),
            ),
            bar.addWidget,
        )
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
        select_entry(
            self.table,
            self.model,
            lambda entry: (entry.minutes_id, entry.version),
            (minutes_id, version),
        )

    def selected(self) -> ReceivedMinutesEntry | None:
        return selected_entry(self.table, self.model)

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
            lines.append(not_on_file_line(unknown))
        return "\n".join(lines)

    def open_selected(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.open_requested.emit(entry.minutes_id, entry.version)

    def _received(self, entry: ReceivedMinutesEntry) -> Received:
        minutes_id, version = entry.minutes_id, entry.version
        return Received(
            unknown_children=lambda: self._services.unknown_children_in_minutes(
                minutes_id, version
            ),
            add_family=lambda ids: self._services.add_family_from_minutes(minutes_id, version, ids),
            child_on_file=lambda: self._services.child_on_file_for_minutes(minutes_id, version),
            what="minutes",
            where="in these minutes",
            filed="The minutes are",
        )

    def match_children(self) -> None:
        entry = self.selected()
        if entry is not None and match_children(
            self._services, self._received(entry), self._banner, self
        ):
            self._selection_changed()

    def show_file(self) -> None:
        entry = self.selected()
        child_id = child_to_show(self._received(entry), self._banner) if entry else None
        if child_id is not None:
            self.chronology_requested.emit(child_id)
