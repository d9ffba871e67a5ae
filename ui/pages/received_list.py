"""What the inbox's two lists, received records and received core group minutes, do alike: the
table with the selected one's details under it, and for the selected one, matching its children to
children here and opening a child's file. Each list passes its services' calls and its words."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from PySide6.QtCore import QItemSelection
from PySide6.QtWidgets import QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from coreform.inbox import ChildMatch
from coreform.records import Family
from coreform.services import CoreformError, Services
from ui.accessibility import describe
from ui.dialogs.child_match import LATER, NEW_FAMILY, ChildMatchDialog
from ui.models.paged_table import PagedTableModel
from ui.pages.banner import Banner, Level
from ui.pages.list_table import list_table, open_on_enter

Entry = TypeVar("Entry")


@dataclass(frozen=True)
class Received:
    """The selected record or minutes version: the services' calls about it and its words."""

    unknown_children: Callable[[], tuple[ChildMatch, ...]]
    add_family: Callable[[Sequence[str]], Family]
    child_on_file: Callable[[], str | None]
    what: str  # the match dialog's word: "record", "minutes"
    where: str  # "on this record", "in these minutes"
    filed: str  # "The record is", "The minutes are"


def received_table(
    parent: QWidget,
    layout: QVBoxLayout,
    model: PagedTableModel[Entry],
    name: str,
    details_name: str,
    selection_changed: Callable[[QItemSelection], None],
    open_selected: Callable[[], None],
) -> tuple[QTableView, QLabel]:
    """The list, opening its row on a double click or Enter, and the wrapped details under it."""
    table = list_table(parent, model, name)
    table.selectionModel().selectionChanged.connect(selection_changed)
    table.doubleClicked.connect(lambda _index: open_selected())
    open_on_enter(table, lambda _index: open_selected())
    layout.addWidget(table, 1)
    details = QLabel(parent)
    details.setWordWrap(True)
    describe(details, details_name)
    layout.addWidget(details)
    return table, details


def connect_buttons(
    buttons: Sequence[tuple[QPushButton, Callable[[], None]]], add: Callable[[QWidget], None]
) -> None:
    """Each button named for a screen reader as it reads, calling its action, added in order."""
    for button, slot in buttons:
        button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
        button.clicked.connect(slot)
        add(button)


def selected_entry(table: QTableView, model: PagedTableModel[Entry]) -> Entry | None:
    index = table.currentIndex()
    if not index.isValid() or not table.selectionModel().hasSelection():
        return None
    return model.row(index.row())


def select_entry(
    table: QTableView,
    model: PagedTableModel[Entry],
    key: Callable[[Entry], tuple[str, int]],
    wanted: tuple[str, int],
) -> None:
    """Selects the row whose (id, version) is `wanted`, if it is listed."""
    for row in range(model.rowCount()):
        if key(model.row(row)) == wanted:
            table.selectRow(row)
            return


def not_on_file_line(unknown: Sequence[ChildMatch]) -> str:
    return f"Not on file yet: {', '.join(match.name for match in unknown)}. Choose Match child…."


def match_children(services: Services, received: Received, banner: Banner, parent: QWidget) -> bool:
    """Asks which child here each unknown child is (or a new family, or later) and files the
    answers, saying how it went; True when something was filed."""
    try:
        unknown = received.unknown_children()
    except CoreformError as error:
        banner.show_message(Level.ERROR, str(error))
        return False
    if not unknown:
        banner.show_message(Level.SUCCESS, f"Every child {received.where} is on file.")
        return False
    try:
        choices = ChildMatchDialog.ask(unknown, parent, received.what)
        if choices is None:
            return False
        new = [received_id for received_id, choice in choices.items() if choice == NEW_FAMILY]
        for received_id, choice in choices.items():
            if choice not in (LATER, NEW_FAMILY):
                services.match_child(received_id, choice)
        if new:
            received.add_family(new)
    except CoreformError as error:
        banner.show_message(Level.ERROR, f"Not matched: {error}")
        return False
    banner.show_message(Level.SUCCESS, f"{received.filed} on the children's files.")
    return True


def child_to_show(received: Received, banner: Banner) -> str | None:
    """The id here of a child the record or minutes name, or None, having said why not."""
    try:
        child_id = received.child_on_file()
    except CoreformError as error:
        banner.show_message(Level.ERROR, str(error))
        return None
    if child_id is None:
        banner.show_message(
            Level.ERROR, f"No child {received.where} is on file yet: choose Match child… first."
        )
    return child_id
