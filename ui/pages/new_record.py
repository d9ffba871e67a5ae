"""New record: choose the family (remembered ones prefill children and key worker) or a new one."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from coreform.records import ListedFamily
from coreform.services import CoreformError, Services
from ui.accessibility import MessageLabel
from ui.models.paged_table import PagedTableModel
from ui.pages.banner import heading_label
from ui.pages.list_table import list_table, open_on_enter


def family_line(family: ListedFamily) -> str:
    children = ", ".join(name for name in family.child_names if name) or "no children"
    worker = f" — key worker {family.key_worker_name}" if family.key_worker_name else ""
    return f"{family.name or 'Family not named'}: {children}{worker}"


class NewRecordPage(QWidget):
    """Emits `start_requested` with a family id, or None for a family not yet remembered."""

    start_requested = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        layout = QVBoxLayout(self)
        heading = heading_label("New record: which family did you see?", self)
        layout.addWidget(heading)
        search_label = QLabel("Find a family by name or child's name", self)
        search_label.setWordWrap(True)
        layout.addWidget(search_label)
        self.search = QLineEdit(self)
        self.search.setAccessibleName("Find a family by name or child's name")
        search_label.setBuddy(self.search)
        self.search.textChanged.connect(self.refresh)
        self.search.returnPressed.connect(self._start_selected)
        layout.addWidget(self.search)
        list_label = QLabel("Families you have recorded visits for", self)
        layout.addWidget(list_label)
        # Every family, read a page at a time as the list scrolls (issue 15).
        self.model: PagedTableModel[ListedFamily] = PagedTableModel(
            ("Family",), lambda family: (family_line(family),), self
        )
        self.families = list_table(
            self, self.model, "Families you have recorded visits for", fit_contents=False
        )
        self.families.horizontalHeader().hide()
        list_label.setBuddy(self.families)
        self.families.doubleClicked.connect(lambda _index: self._start_selected())
        open_on_enter(self.families, lambda _index: self._start_selected())
        layout.addWidget(self.families, 1)
        self.message = MessageLabel(self)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.start_button = QPushButton("Start a record for this family", self)
        self.start_button.clicked.connect(self._start_selected)
        buttons.addWidget(self.start_button)
        self.new_family_button = QPushButton("Record a visit to a new family", self)
        self.new_family_button.clicked.connect(lambda: self.start_requested.emit(None))
        buttons.addWidget(self.new_family_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def refresh(self) -> None:
        text = self.search.text().strip()
        try:
            total = self._services.count_families(text)
        except CoreformError as error:
            self.message.setText(str(error))
            return
        self.model.reset(lambda offset, limit: self._page(text, offset, limit), total)
        if total:
            self.families.selectRow(0)
            self.message.setText(
                "Select the family and press Enter: its children and key worker are filled in."
            )
        else:
            self.message.setText(
                "No family found. Choose “Record a visit to a new family”; it is remembered "
                "when you submit."
            )
        self.start_button.setEnabled(bool(total))

    def _page(self, text: str, offset: int, limit: int) -> list[ListedFamily]:
        try:
            return self._services.find_families(text, offset=offset, limit=limit)
        except CoreformError as error:
            self.message.setText(str(error))
            return []

    def _start_selected(self) -> None:
        index = self.families.currentIndex()
        if index.isValid():
            self.start_requested.emit(self.model.row(index.row()).id)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()
