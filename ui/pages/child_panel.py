"""One child's part of the record: who the child is and what was seen of them at the visit."""

from __future__ import annotations

import copy
import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from coreform.records import ChildObservation, PlanType
from ui.pages.form_fields import FieldRow, FieldSpec, Kind, read_path, write_path

CHILD_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("child.name", "Child's name"),
    FieldSpec("child.date_of_birth", "Date of birth", Kind.DATE),
    FieldSpec(
        "child.plan_type",
        "Plan",
        Kind.CHOICE,
        choices=tuple((plan.label, plan) for plan in PlanType),
    ),
    FieldSpec("child.local_identifier", "Local identifier (optional)"),
    FieldSpec("seen", "Was the child seen?", Kind.YES_NO),
    FieldSpec("not_seen_reason", "Why was the child not seen?", Kind.LONG_TEXT),
    FieldSpec("spoken_with", "Did you speak with the child?", Kind.YES_NO),
    FieldSpec("seen_alone", "Was the child seen alone (with the parent's agreement)?", Kind.YES_NO),
    FieldSpec("not_seen_alone_reason", "Why was the child not seen alone?", Kind.LONG_TEXT),
    FieldSpec(
        "seen_awake",
        "Was the baby seen awake?",
        Kind.YES_NO,
        hint="Babies under 18 months are seen awake at every visit.",
    ),
    FieldSpec("bedroom_seen", "Did you see the child's bedroom?", Kind.YES_NO),
    FieldSpec(
        "presentation",
        "Presentation and behaviour",
        Kind.LONG_TEXT,
        hint="Facts: what the child did, said and looked like. Avoid labels such as "
        "“unkempt” or “acting out”.",
    ),
    FieldSpec(
        "wishes_and_feelings",
        "The child's wishes and feelings",
        Kind.LONG_TEXT,
        hint="In the child's own words where you can.",
    ),
)


class ChildPanel(QGroupBox):
    """A child's fields; paths are relative to the ChildObservation (`seen`, `child.name`)."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(self, observation: ChildObservation, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._observation = copy.deepcopy(observation)
        self._index = 0
        self._home_visit = False
        self._visit_date: dt.date | None = None
        layout = QVBoxLayout(self)
        self.rows: dict[str, FieldRow] = {}
        for spec in CHILD_FIELDS:
            row = FieldRow(spec, self)
            row.set_value(read_path(self._observation, spec.path))
            row.changed.connect(self._on_changed)
            layout.addWidget(row)
            self.rows[spec.path] = row
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
        title = f"Child {self._index + 1}" + (f": {name}" if name else "")
        self.setTitle(title)
        self.remove_button.setAccessibleName(f"Remove {name or title.lower()} from the record")

    def set_context(self, *, home_visit: bool, visit_date: dt.date | None) -> None:
        """The visit's setting and date decide which questions apply (bedroom; baby seen awake)."""
        self._home_visit = home_visit
        self._visit_date = visit_date
        self._update()

    def observation(self) -> ChildObservation:
        """The child's answers as typed (unreadable dates keep their last readable value)."""
        result = copy.deepcopy(self._observation)
        for path, row in self.rows.items():
            write_path(result, path, row.safe_value(read_path(self._observation, path)))
        return result

    def is_baby(self) -> bool:
        born = self.rows["child.date_of_birth"].safe_value(None)
        if born is None:
            return False
        on = self._visit_date or dt.date.today()
        probe = copy.deepcopy(self._observation.child)
        probe.date_of_birth = born
        return probe.is_baby_on(on)

    def _on_changed(self) -> None:
        self._update()
        self.changed.emit()

    def _update(self) -> None:
        self._update_title()
        seen = self.rows["seen"].safe_value(None)
        baby = self.is_baby()
        self.rows["not_seen_reason"].setVisible(seen is False)
        self.rows["seen_alone"].setVisible(not baby)
        alone = self.rows["seen_alone"].safe_value(None)
        self.rows["not_seen_alone_reason"].setVisible(not baby and alone is False)
        self.rows["seen_awake"].setVisible(baby)
        self.rows["bedroom_seen"].setVisible(self._home_visit)
