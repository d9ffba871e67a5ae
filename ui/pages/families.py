"""Families & contacts: the remembered families, their children, key worker and parents/carers,
and each family's and child's records, newest first (issue 10). Families are found by their name or
a child's, ignoring accents and case, and read from the database a page at a time (issue 15)."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from coreform.forms.model import Field, Kind
from coreform.forms.monitoring import CHILD, MONITORING_FORM
from coreform.record_query import RecordQuery, RecordSort
from coreform.records import Child, Family, ListedFamily, ParentCarer
from coreform.services import CoreformError, RecordSummary, Services
from ui.accessibility import MessageLabel, form_scroll_area
from ui.formatting import day_text
from ui.models.paged_table import PagedTableModel
from ui.models.records_table import RecordsTableModel, size_record_columns
from ui.pages.banner import heading_label
from ui.pages.form_fields import FieldRow, show_values, typed_values
from ui.pages.list_table import SEARCH_DELAY_MS, list_table
from ui.pages.new_record import family_line

_FAMILY_FIELDS = (
    Field("name", "Family name"),
    Field("address", "Address", Kind.LONG_TEXT),
    # The key worker as the monitoring form asks for them (a Family has the same keys).
    *(replace(spec, missing="") for spec in MONITORING_FORM.section("key_worker").fields),
)
_CHILD_FIELDS = (
    # Who the child is, as the monitoring form asks it (keys relative to the Child).
    *(
        replace(spec, key=spec.key.removeprefix("child."), missing="")
        for spec in CHILD.fields
        if spec.listed
    ),
)
_CARER_FIELDS = (
    Field("name", "Name"),
    Field("relationship", "Relationship to the children"),
    Field("email", "Email", hint="Records go to this address when a copy is allowed."),
    Field("phone", "Phone"),
)


NEWEST_FIRST = RecordQuery(sort=RecordSort.VISIT, descending=True)


class FamiliesPage(QWidget):
    """Enter or double-click on one of the family's records emits `open_requested` with its id."""

    open_requested = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._family = Family()
        self._saved_children: list[Child] = []  # the family's children as stored
        self._namesakes_told: list[str] = []
        self.rows: dict[str, FieldRow] = {}
        layout = QVBoxLayout(self)
        heading = heading_label("Families & contacts", self)
        layout.addWidget(heading)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(self.splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        find_label = QLabel("&Find a family (its name or a child's):", left)
        left_layout.addWidget(find_label)
        self.search_box = QLineEdit(left)
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Find a family by its name or a child's name")
        find_label.setBuddy(self.search_box)
        left_layout.addWidget(self.search_box)
        self.family_model: PagedTableModel[ListedFamily] = PagedTableModel(
            ("Family",), lambda family: (family_line(family),), left
        )
        self.family_table = list_table(left, self.family_model, "Families", fit_contents=False)
        self.family_table.horizontalHeader().hide()
        self.family_table.selectionModel().currentRowChanged.connect(self._on_selected)
        left_layout.addWidget(self.family_table, 1)
        self.new_button = QPushButton("Add a family", left)
        self.new_button.clicked.connect(self._new_family)
        left_layout.addWidget(self.new_button)
        right = QSplitter(Qt.Orientation.Vertical, self.splitter)
        self.scroll_area = form_scroll_area(right)
        right.addWidget(self.scroll_area)
        right.addWidget(self._build_records(right))
        right.setStretchFactor(0, 2)  # room for half a dozen records under the details
        right.setStretchFactor(1, 3)
        self.splitter.addWidget(left)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        bar = QHBoxLayout()
        self.status = MessageLabel(self)
        bar.addWidget(self.status, 1)
        self.save_button = QPushButton("Save family", self)
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(self._search_timer.start)
        self._build_form()

    def _build_records(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Records, newest first", parent)
        box_layout = QVBoxLayout(box)
        row = QHBoxLayout()
        child_label = QLabel("&Whose:", box)
        self.child_filter = QComboBox(box)
        self.child_filter.setAccessibleName("Show the records of the whole family or one child")
        child_label.setBuddy(self.child_filter)
        self.child_filter.currentIndexChanged.connect(self._show_records)
        row.addWidget(child_label)
        row.addWidget(self.child_filter, 1)
        box_layout.addLayout(row)
        self.records_summary = QLabel(box)
        self.records_summary.setWordWrap(True)
        box_layout.addWidget(self.records_summary)
        self.records_model = RecordsTableModel(box)
        self.records_table = list_table(
            box,
            self.records_model,
            "The family's records, newest first: Enter opens one",
            fit_contents=False,
        )
        self.records_table.setColumnHidden(1, True)  # the family: the one chosen on the left
        size_record_columns(self.records_table, {0: 120, 3: 110, 4: 200})
        self.records_table.doubleClicked.connect(self._open_record)
        self.records_table.activated.connect(self._open_record)
        box_layout.addWidget(self.records_table, 1)
        return box

    def refresh(self) -> None:
        self._search_timer.stop()
        text = self.search_box.text()
        try:
            total = self._services.count_families(text)
        except CoreformError as error:
            self.status.setText(str(error))
            return
        self.family_model.reset(lambda offset, limit: self._families(text, offset, limit), total)
        if total and not self.family_table.currentIndex().isValid():
            self.family_table.selectRow(0)
        elif not total:
            self.status.setText("No family found." if text.strip() else "")

    def _families(self, text: str, offset: int, limit: int) -> list[ListedFamily]:
        try:
            return self._services.find_families(text, offset=offset, limit=limit)
        except CoreformError as error:
            self.status.setText(str(error))
            return []

    def _on_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        try:
            self._family = self._services.get_family(self.family_model.row(current.row()).id)
        except CoreformError as error:
            self.status.setText(str(error))
            return
        self._saved_children, self._namesakes_told = list(self._family.children), []
        self.status.clear()
        self._build_form()
        self._list_children()

    def _list_children(self) -> None:
        self.child_filter.blockSignals(True)
        self.child_filter.clear()
        self.child_filter.addItem("The whole family", None)
        for child in self._family.children:
            self.child_filter.addItem(child.name or "Child not named", child.id)
        self.child_filter.blockSignals(False)
        self._show_records()

    def _show_records(self) -> None:
        child_id = self.child_filter.currentData()
        query = (
            replace(NEWEST_FIRST, child_id=child_id)
            if child_id
            else replace(NEWEST_FIRST, family_id=self._family.id)
        )
        try:
            total = self._services.count_records(query)
        except CoreformError as error:
            self.records_summary.setText(f"The records could not be listed: {error}")
            return
        self.records_model.reset(lambda offset, limit: self._records(query, offset, limit), total)
        self.records_summary.setText(
            f"{total} record{'s' if total != 1 else ''}. Press Enter or double-click to open one."
            if total
            else "No records yet."
        )

    def _records(self, query: RecordQuery, offset: int, limit: int) -> list[RecordSummary]:
        try:
            return self._services.list_records(query, offset=offset, limit=limit)
        except CoreformError as error:
            self.records_summary.setText(f"More records could not be listed: {error}")
            return []

    def _open_record(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.records_model.row(index.row()).id)

    def _new_family(self) -> None:
        self.family_table.clearSelection()
        self._family = Family(children=[Child()])
        self._saved_children, self._namesakes_told = [], []
        self.status.setText("New family: fill it in and choose “Save family”.")
        self._build_form()
        self.rows["name"].focus_input()

    def _build_form(self) -> None:
        form = QWidget()
        layout = QVBoxLayout(form)
        self.rows = {}
        details = QGroupBox("Family and key worker", form)
        details_layout = QVBoxLayout(details)
        for spec in _FAMILY_FIELDS:
            details_layout.addWidget(self._row(spec, details))
        layout.addWidget(details)
        for index in range(len(self._family.children)):
            layout.addWidget(self._group("children", index, f"Child {index + 1}", _CHILD_FIELDS))
        layout.addWidget(self._add_button("Add a child", self._add_child))
        for index in range(len(self._family.parents_carers)):
            layout.addWidget(
                self._group("parents_carers", index, f"Parent or carer {index + 1}", _CARER_FIELDS)
            )
        layout.addWidget(self._add_button("Add a parent or carer", self._add_carer))
        layout.addStretch(1)
        show_values(self.rows, self._family)
        self.scroll_area.setWidget(form)

    def _row(self, spec: Field, parent: QWidget) -> FieldRow:
        row = FieldRow(spec, parent)
        self.rows[spec.key] = row
        return row

    def _group(self, owner: str, index: int, title: str, specs: tuple[Field, ...]) -> QGroupBox:
        box = QGroupBox(title)
        box_layout = QVBoxLayout(box)
        for spec in specs:
            path = f"{owner}[{index}].{spec.key}"
            box_layout.addWidget(self._row(replace(spec, key=path), box))
        remove = QPushButton(f"Remove {title.lower()}", box)
        remove.clicked.connect(lambda: self._remove(owner, index))
        box_layout.addWidget(remove, 0, Qt.AlignmentFlag.AlignLeft)
        return box

    def _on_file_elsewhere(self, family: Family) -> list[str]:
        """Children new to this family with the name and birthday of a child on file in
        another, in words: asked about once, never refused (ui.pages.known_child says why)."""
        kept = {child.id for child in self._saved_children}
        found = []
        for child in (c for c in family.children if c.id not in kept):
            try:
                known = self._services.children_like(child.name, child.date_of_birth)
            except CoreformError:
                continue  # the question only helps: a failed look-up must not stop the save
            for other in (k for k in known if k.family_id != family.id):
                born = other.child.date_of_birth
                found.append(
                    f"{child.name}{f', born {day_text(born)},' if born else ''} is already on "
                    f"file in the {other.family_name or 'unnamed'} family."
                )
        return found

    def _add_button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        return button

    def _collect(self) -> Family:
        return typed_values(self.rows, self._family)

    def _add_child(self) -> None:
        self._family = self._collect()
        self._family.children.append(Child())
        self._build_form()

    def _add_carer(self) -> None:
        self._family = self._collect()
        self._family.parents_carers.append(ParentCarer())
        self._build_form()

    def _remove(self, owner: str, index: int) -> None:
        self._family = self._collect()
        getattr(self._family, owner).pop(index)
        self._build_form()

    def save(self) -> None:
        unreadable = [row.entry_error() for row in self.rows.values() if row.entry_error()]
        if unreadable:
            self.status.setText(f"Not saved: {unreadable[0]}")
            return
        typed = self._collect()
        namesakes = self._on_file_elsewhere(typed)
        if namesakes and namesakes != self._namesakes_told:
            self._namesakes_told = namesakes
            self.status.setText(
                f"Not saved yet: {namesakes[0]} If it is the same child, remove them here and "
                "record their visits under that family, so they keep one history. If it is a "
                "different child, choose “Save family” again."
            )
            return
        try:
            self._family = self._services.save_family(typed)
        except CoreformError as error:
            self.status.setText(f"Not saved: {error}")
            return
        self._saved_children, self._namesakes_told = list(self._family.children), []
        selected = self._family.id
        self.refresh()
        shown = [
            r
            for r in range(self.family_model.rowCount())
            if self.family_model.row(r).id == selected
        ]
        if shown:
            self.family_table.selectRow(shown[0])
        self.status.setText(f"Saved {self._family.name or 'the family'}.")
