"""One child's part of the record: who the child is and what was seen of them at the visit."""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from coreform.ages import age_on_visit_text
from coreform.forms.monitoring import CHILD
from coreform.records import ChildObservation, MonitoringRecord
from coreform.services import KnownChild
from ui.pages.form_fields import FieldRow, show_values, typed_values
from ui.pages.known_child import KnownChildOffer

# Children on file with this name and date of birth (not those already on the record).
FindKnown = Callable[[str, dt.date | None], list[KnownChild]]


class ChildPanel(QGroupBox):
    """A child's fields; keys are relative to the ChildObservation (`seen`, `child.name`)."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(
        self,
        observation: ChildObservation,
        parent: QWidget | None = None,
        *,
        find_known: FindKnown | None = None,
    ) -> None:
        super().__init__(parent)
        self._observation = copy.deepcopy(observation)
        self._index = 0
        self._record = MonitoringRecord()
        self._find_known = find_known
        self._looked_for: tuple[str, dt.date | None] = ("", None)
        layout = QVBoxLayout(self)
        self.rows: dict[str, FieldRow] = {}
        self.known = KnownChildOffer(self)
        self.known.use_requested.connect(self.use_known)
        for spec in CHILD.fields:
            row = FieldRow(spec, self)
            layout.addWidget(row)
            self.rows[spec.key] = row
            if spec.key == "child.date_of_birth":  # the offer follows what it is about
                layout.addWidget(self.known)
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
        self._look_for_known()
        self.changed.emit()

    def _look_for_known(self) -> None:
        """Once a name and date of birth are typed: the same child may be on file already,
        perhaps under another family (ui.pages.known_child says what is offered, and why)."""
        child = self.observation().child
        wanted = (" ".join(child.name.split()).casefold(), child.date_of_birth)
        if self._find_known is None or wanted == self._looked_for:
            return
        self._looked_for = wanted
        found = self._find_known(child.name, child.date_of_birth) if child.date_of_birth else []
        self.known.offer(child.name, [k for k in found if k.child.id != child.id])

    def child_id(self) -> str:
        return self._observation.child.id

    def use_known(self, known: KnownChild) -> None:
        """This is that child: the record goes into their history, filed under their family."""
        self._observation = self.observation()
        self._observation.child = copy.deepcopy(known.child)
        show_values(
            {key: row for key, row in self.rows.items() if key.startswith("child.")},
            self._observation,
        )
        self.known.show_used(known)
        self._on_changed()

    def _update(self) -> None:
        """Shows the questions the form asks of this child now (coreform.forms.monitoring)."""
        self._update_title()
        observation = self.observation()
        for spec in CHILD.fields:
            self.rows[spec.key].setVisible(spec.applies_to(self._record, observation))
        age = age_on_visit_text(observation.child.date_of_birth, self._record.visit_date)
        self.rows["child.date_of_birth"].set_aside(f"Age on the visit date: {age}" if age else "")
