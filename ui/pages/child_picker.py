"""Choosing a child among every family on file: type part of a name, the family's name or the
child's local identifier (accents and case ignored); the children found are read from the
database a page at a time as the list scrolls, through the families list's own search."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from coreform.records import ListedChild
from coreform.services import CoreformError, Services
from ui.accessibility import MessageLabel
from ui.models.paged_table import PagedTableModel
from ui.pages.list_table import SEARCH_DELAY_MS, list_table, open_on_enter

VISIBLE_ROWS = 5


def child_line(child: ListedChild) -> str:
    """ "Zoë Ødegård-Nguyễn, born 02/03/2019 (Ødegård-Nguyễn family)"."""
    born = f", born {child.date_of_birth:%d/%m/%Y}" if child.date_of_birth else ""
    return f"{child.name or 'Child not named'}{born} ({child.family_name or 'no'} family)"


class ChildPicker(QWidget):
    """`chosen` carries the ListedChild picked with Enter or a click; `select` shows one chosen
    elsewhere (the caseload) without emitting."""

    chosen = Signal(object)

    def __init__(self, services: Services, label: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.child: ListedChild | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(label, self)
        layout.addWidget(self.label)
        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText("Type part of a name, a family's name or a reference")
        self.search.setAccessibleName("Find a child by name, family or reference")
        self.search.setAccessibleDescription(
            "Down arrow moves to the children found; Enter chooses one."
        )
        self.label.setBuddy(self.search)
        layout.addWidget(self.search)
        self.model: PagedTableModel[ListedChild] = PagedTableModel(
            ("Child",), lambda child: (child_line(child),), self
        )
        self.table = list_table(
            self, self.model, "Children found: Enter chooses one", fit_contents=False
        )
        self.table.horizontalHeader().hide()
        self.table.setFixedHeight(
            self.table.verticalHeader().defaultSectionSize() * VISIBLE_ROWS
            + 2 * self.table.frameWidth()
        )
        self.table.clicked.connect(self.choose)
        open_on_enter(self.table, self.choose)
        layout.addWidget(self.table)
        self.summary = MessageLabel(self)
        layout.addWidget(self.summary)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._timer.start)
        self.search.returnPressed.connect(self._choose_from_search)
        _DownToList(self.search, self._to_list)

    def refresh(self) -> None:
        """The children the typed text finds, first page; the rest as the list scrolls."""
        self._timer.stop()
        text = self.search.text()
        try:
            total = self._services.count_children(text)
        except CoreformError as error:
            self.summary.setText(str(error))
            return
        self.model.reset(lambda offset, limit: self._page(text, offset, limit), total)
        self._mark_chosen()
        if total:
            found = f"{total} child{'ren' if total != 1 else ''} found"
            self.summary.setText(f"{found}{self._chosen_text()}.")
        elif text.strip():
            self.summary.setText(f"No child found for “{text.strip()}”{self._chosen_text()}.")
        else:
            self.summary.setText("No child is on file yet: add a family first.")

    def select(self, child_id: str) -> None:
        """Shows `child_id` as the child chosen, without emitting `chosen`."""
        try:
            self.child = self._services.find_child(child_id)
        except CoreformError as error:
            self.summary.setText(str(error))
            return
        self.refresh()

    def _mark_chosen(self) -> None:
        """Selects the chosen child's row when it is among the rows read (no `chosen` signal)."""
        for row in range(self.model.rowCount()):
            if self.child is not None and self.model.row(row).id == self.child.id:
                self.table.selectRow(row)
                return

    def child_id(self) -> str | None:
        return self.child.id if self.child is not None else None

    def _chosen_text(self) -> str:
        return f"; chosen: {child_line(self.child)}" if self.child is not None else ""

    def _page(self, text: str, offset: int, limit: int) -> list[ListedChild]:
        try:
            return self._services.find_children(text, offset=offset, limit=limit)
        except CoreformError as error:
            self.summary.setText(str(error))
            return []

    def _to_list(self) -> None:
        if self._timer.isActive():
            self.refresh()  # what was typed, even within the search delay
        if self.model.rowCount():
            self.table.setFocus()
            if not self.table.currentIndex().isValid():
                self.table.selectRow(0)

    def _choose_from_search(self) -> None:
        self.refresh()  # what was typed, even within the search delay
        index = self.table.currentIndex()
        self.choose(index if index.isValid() else self.model.index(0, 0))

    def choose(self, index: QModelIndex) -> None:
        """Chooses the child on the list's row `index`, as Enter or a click there does."""
        if not index.isValid():
            return
        self.child = self.model.row(index.row())
        self.summary.setText(f"Chosen: {child_line(self.child)}.")
        self.chosen.emit(self.child)


class _DownToList(QObject):
    """Down arrow in the search field moves to the list of children found."""

    def __init__(self, field: QLineEdit, to_list: Callable[[], None]) -> None:
        super().__init__(field)
        self._to_list = to_list
        field.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Down
        ):
            self._to_list()
            return True
        return super().eventFilter(watched, event)
