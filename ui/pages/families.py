"""Families & contacts: the remembered families, their children, key worker and parents/carers."""

from __future__ import annotations

import copy
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from coreform.forms.model import Field, Kind, read_path, write_path
from coreform.forms.monitoring import CHILD, MONITORING_FORM
from coreform.records import Child, Family, ParentCarer
from coreform.services import CoreformError, Services
from ui.pages.banner import heading_label
from ui.pages.form_fields import FieldRow
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


class FamiliesPage(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._family = Family()
        self.rows: dict[str, FieldRow] = {}
        layout = QVBoxLayout(self)
        heading = heading_label("Families & contacts", self)
        layout.addWidget(heading)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        left = QWidget(self.splitter)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        list_label = QLabel("Families", left)
        left_layout.addWidget(list_label)
        self.list = QListWidget(left)
        self.list.setWordWrap(True)
        self.list.setAccessibleName("Families")
        list_label.setBuddy(self.list)
        self.list.currentItemChanged.connect(self._on_selected)
        left_layout.addWidget(self.list, 1)
        self.new_button = QPushButton("Add a family", left)
        self.new_button.clicked.connect(self._new_family)
        left_layout.addWidget(self.new_button)
        self.scroll_area = QScrollArea(self.splitter)
        self.scroll_area.setWidgetResizable(True)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.scroll_area)
        self.splitter.setStretchFactor(1, 2)
        layout.addWidget(self.splitter, 1)
        bar = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        bar.addWidget(self.status, 1)
        self.save_button = QPushButton("Save family", self)
        self.save_button.clicked.connect(self.save)
        bar.addWidget(self.save_button)
        layout.addLayout(bar)
        self._build_form()

    def refresh(self) -> None:
        try:
            families = self._services.list_families()
        except CoreformError as error:
            self.status.setText(str(error))
            return
        self.list.blockSignals(True)
        self.list.clear()
        for family in families:
            item = QListWidgetItem(family_line(family))
            item.setData(Qt.ItemDataRole.UserRole, family.id)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if families and self.list.currentRow() < 0:
            self.list.setCurrentRow(0)

    def _on_selected(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        try:
            self._family = self._services.get_family(str(item.data(Qt.ItemDataRole.UserRole)))
        except CoreformError as error:
            self.status.setText(str(error))
            return
        self.status.clear()
        self._build_form()

    def _new_family(self) -> None:
        self.list.clearSelection()
        self._family = Family(children=[Child()])
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
        self.scroll_area.setWidget(form)

    def _row(self, spec: Field, parent: QWidget) -> FieldRow:
        row = FieldRow(spec, parent)
        row.set_value(read_path(self._family, spec.key))
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

    def _add_button(self, text: str, slot: object) -> QPushButton:
        button = QPushButton(text)
        button.clicked.connect(slot)
        return button

    def _collect(self) -> Family:
        family = copy.deepcopy(self._family)
        for path, row in self.rows.items():
            write_path(family, path, row.safe_value(read_path(self._family, path)))
        return family

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
        try:
            self._family = self._services.save_family(self._collect())
        except CoreformError as error:
            self.status.setText(f"Not saved: {error}")
            return
        selected = self._family.id
        self.refresh()
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == selected:
                self.list.setCurrentRow(row)
        self.status.setText(f"Saved {self._family.name or 'the family'}.")
