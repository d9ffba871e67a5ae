"""One child's part of the record: who the child is and what was seen of them at the visit."""

from __future__ import annotations

import copy

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from coreform.ages import age_on_visit_text
from coreform.forms.monitoring import CHILD
from coreform.records import ChildObservation, MonitoringRecord
from ui.pages.form_fields import FieldRow, show_values, typed_values


class ChildPanel(QGroupBox):
    """A child's fields; keys are relative to the ChildObservation (`seen`, `child.name`)."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, observation: ChildObservation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._observation = copy.deepcopy(observation)
        self._index = 0
        self._record = MonitoringRecord()
        layout = QVBoxLayout(self)
        self.rows: dict[str, FieldRow] = {}
        for spec in CHILD.fields:
            row = FieldRow(spec, self)
            layout.addWidget(row)
            self.rows[spec.key] = row
        show_values(self.rows, self._observation)
        for row in self.rows.values():
            row.changed.connect(self._on_changed)
        buttons = QHBoxLayout()
        self.remove_button = QPushButton("Remove this child from the record", self)
        self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._update()

    def set_index(self, index: int) -> None:
        self._index = index
        self._update_title()

    def _update_title(self) -> None:
        name = self.rows["child.name"].safe_value("").strip()
        title = f"{CHILD.title} {self._index + 1}" + (f": {name}" if name else "")
        self.setTitle(title)
        for row in self.rows.values():
            row.set_name_prefix(f"{CHILD.title} {self._index + 1}: ")
        self.remove_button.setAccessibleName(f"Remove {name or title.lower()} from the record")

    def set_context(self, record: MonitoringRecord) -> None:
        """The record's other answers (setting, visit date) decide which questions apply."""
        self._record = record
        self._update()

    def observation(self) -> ChildObservation:
        """The child's answers as typed (unreadable dates keep their last readable value)."""
        return typed_values(self.rows, self._observation)

    def _on_changed(self) -> None:
        self._update()
        self.changed.emit()

    def _update(self) -> None:
        """Shows the questions the form asks of this child now (coreform.forms.monitoring)."""
        self._update_title()
        observation = self.observation()
        for spec in CHILD.fields:
            self.rows[spec.key].setVisible(spec.applies_to(self._record, observation))
        age = age_on_visit_text(observation.child.date_of_birth, self._record.visit_date)
        self.rows["child.date_of_birth"].set_aside(f"Age on the visit date: {age}" if age else "")
