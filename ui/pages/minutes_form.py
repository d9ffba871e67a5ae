"""The minutes form itself: every section of `coreform.forms.minutes` in the template's order,
as FieldRows (answers), FactRows (what coreform filled in) and panels of repeated items.

Paths are `Problem.field`'s: `venue`, `attendees[0].chair`,
`children[1].scaling.child.this_meeting`.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QGroupBox, QLabel, QVBoxLayout, QWidget

from coreform.forms.minutes import MINUTES_FORM
from coreform.forms.model import Field, Section, read_path, write_path
from coreform.minutes import Attendee, CoreGroupMinutes, NextStep, SafetyGoal
from coreform.minutes_carry import remove_next_step, remove_safety_goal
from coreform.minutes_checks import vague_timescale
from coreform.services import CoreformError
from ui.accessibility import mark_heading
from ui.pages.editor_parts import nearest_row
from ui.pages.field_inputs import ChoiceCombo
from ui.pages.form_fields import FieldRow
from ui.pages.minutes_items import FactRow, ItemPanel, ItemsArea, goal_choices, place
from ui.pages.tab_order import fix_tab_order

_ITEM_PATH = re.compile(r"^([a-z_]+)\[(\d+)\]\.(.+)$")
# Sections of short answers are set two to a line.
_COLUMNS = {"header": 2, "next": 2}
# (add, remove) button texts per repeated item; the children come from the family, fixed.
_ITEM_BUTTONS = {
    "attendees": ("Add an attendee", "Remove"),  # in the attendee's row: short
    "safety_goals": ("Add a safety goal", "Remove this safety goal"),
    "next_steps": ("Add a next step", "Remove this next step"),
}
_NEW_ITEMS: dict[str, Callable[[], Any]] = {
    "attendees": Attendee,
    "safety_goals": SafetyGoal,
    "next_steps": NextStep,
}
# Agreed safety goals and next steps may never go (001 §2.3, §3.4): the core says so.
_REMOVERS: dict[str, Callable[[CoreGroupMinutes, str], Any]] = {
    "safety_goals": remove_safety_goal,
    "next_steps": remove_next_step,
}


def section_heading(title: str, box: QGroupBox) -> QLabel:
    """A section's title as a wrapped heading inside its box: a group box's own title never
    wraps, and the scaling section's long one held the whole form wider than the window at
    200% text. The box keeps the title as its name for a screen reader."""
    box.setAccessibleName(title)
    heading = QLabel()
    mark_heading(heading)  # before it has a parent or text (ui.accessibility)
    heading.setParent(box)
    heading.setText(title)
    heading.setWordWrap(True)
    heading.setStyleSheet("font-weight: bold;")
    return heading


class MinutesForm(QWidget):
    """`changed` on every edit; `refused` says why a row was not removed ("" clears it)."""

    changed = Signal()
    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("minutes_form")
        self._minutes = CoreGroupMinutes()
        self._build()

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        self.setStyleSheet("QGroupBox { font-weight: bold; }")  # an item's title ("Attendee 2")
        self.rows: dict[str, FieldRow] = {}
        self.facts: dict[str, FactRow] = {}
        self.areas: dict[str, ItemsArea] = {}  # by section key: two sections hold the children
        self.sections: dict[str, QGroupBox] = {}
        for section in MINUTES_FORM.sections:
            box = QGroupBox(self)
            self.sections[section.key] = box
            box_layout = QVBoxLayout(box)
            box_layout.addWidget(section_heading(section.title, box))
            grid = QGridLayout()
            grid.setHorizontalSpacing(16)
            place(grid, self._section_widgets(section, box), _COLUMNS.get(section.key, 1))
            box_layout.addLayout(grid)
            if section.items is not None:
                box_layout.addWidget(self._items_area(section, box))
            layout.addWidget(box)
        layout.addStretch(1)

    def _section_widgets(self, section: Section, box: QGroupBox) -> list[QWidget]:
        widgets: list[QWidget] = []
        for spec in section.fields:
            if spec.fact:
                fact = FactRow(spec, box)
                self.facts[spec.key] = fact
                widgets.append(fact)
            else:
                row = FieldRow(spec, box)
                row.changed.connect(self.changed.emit)
                self.rows[spec.key] = row
                widgets.append(row)
        return widgets

    def _items_area(self, section: Section, box: QGroupBox) -> ItemsArea:
        assert section.items is not None
        add_text, remove_text = _ITEM_BUTTONS.get(section.items.key, ("", ""))
        area = ItemsArea(
            section.items,
            add_text=add_text,
            remove_text=remove_text,
            parent=box,
        )
        area.changed.connect(self.changed.emit)
        area.remove_requested.connect(lambda panel, area=area: self._remove(area, panel))
        if area.add_button is not None:
            area.add_button.clicked.connect(lambda _=False, area=area: self._add(area))
        self.areas[section.key] = area
        return area

    def _add(self, area: ItemsArea) -> None:
        panel = area.add(_NEW_ITEMS[area.items.key]())
        self._after_panels_changed()
        next(iter(panel.rows.values())).focus_input()
        self.changed.emit()

    def _remove(self, area: ItemsArea, panel: ItemPanel) -> None:
        remover = _REMOVERS.get(area.items.key)
        if remover is None:
            area.drop(panel)
        else:
            minutes = self.current_minutes()
            try:
                remover(minutes, panel.item_id())  # a goal takes its new next steps with it
            except CoreformError as refusal:
                self.refused.emit(f"Not removed: {refusal}")
                if panel.remove_button is not None:
                    panel.remove_button.setFocus()
                return
            for kept in (self.areas["safety_goals"], self.areas["next_steps"]):
                kept.load(read_path(minutes, kept.items.key))
        self.refused.emit("")
        self._after_panels_changed()
        if area.add_button is not None:
            area.add_button.setFocus()
        self.changed.emit()

    def _after_panels_changed(self) -> None:
        self.update_visibility()
        fix_tab_order(self)

    def _fit_step(self, panel: ItemPanel) -> None:
        """A next step offers the meeting's safety goals to link it to, and "ASAP" typed as its
        date says why it is refused (003 §3)."""
        goals = [goal.item() for goal in self.areas["safety_goals"].panels]
        combo = panel.rows["goal_id"].inputs[0]
        assert isinstance(combo, ChoiceCombo)
        combo.set_choices(goal_choices(goals))
        by_when = panel.rows["by_when"]
        by_when.explain_entry = lambda text, spec=by_when.spec: _not_a_date(text, spec)

    # ---- showing and reading ----------------------------------------------------------------

    def show_minutes(self, minutes: CoreGroupMinutes) -> None:
        """Fills every part from `minutes` (a fresh copy is kept)."""
        self._minutes = copy.deepcopy(minutes)
        for path, row in self.rows.items():
            row.set_value(read_path(self._minutes, path))
        for path, fact in self.facts.items():
            fact.set_value(read_path(self._minutes, path))
        for area in self.areas.values():
            area.load(read_path(self._minutes, area.items.key))
        self._after_panels_changed()

    def stored(self) -> CoreGroupMinutes:
        """The minutes as last shown or saved (without what is typed since)."""
        return self._minutes

    def minutes_id(self) -> str:
        return self._minutes.id

    def current_minutes(self) -> CoreGroupMinutes:
        """A fresh copy of the minutes as typed (an unreadable date keeps its last readable
        value)."""
        minutes = copy.deepcopy(self._minutes)
        for path, row in self.rows.items():
            write_path(minutes, path, row.safe_value(read_path(self._minutes, path)))
        for area in self.areas.values():
            area.write_into(minutes)
        return minutes

    def all_rows(self) -> Iterator[tuple[str, FieldRow]]:
        """Every input row with its path as `Problem.field` names it (`attendees[0].chair`)."""
        yield from self.rows.items()
        for area in self.areas.values():
            for index, panel in enumerate(area.panels):
                for key, row in panel.rows.items():
                    yield f"{area.items.key}[{index}].{key}", row

    def row_for(self, path: str) -> FieldRow | None:
        if path in self.rows:
            return self.rows[path]
        match = _ITEM_PATH.match(path)
        if match is None:
            return None
        key, index, rest = match.group(1), int(match.group(2)), match.group(3)
        for area in self.areas.values():
            if area.items.key == key and (row := area.row_for(index, rest)) is not None:
                return row
        return None

    def place_of(self, path: str) -> str:
        """ "Attendee 3: Li Wei: " for a path inside a repeated item, else ""."""
        match = _ITEM_PATH.match(path)
        if match is None:
            return ""
        key, index = match.group(1), int(match.group(2))
        area = next((a for a in self.areas.values() if a.items.key == key), None)
        if area is None or index >= len(area.panels):
            return ""
        return f"{area.panels[index].title_text()}: "

    def update_visibility(self) -> None:
        """Shows the questions that apply given the answers so far, and keeps each next step's
        list of safety goals as they are typed."""
        minutes = self.current_minutes()
        for row in self.rows.values():
            row.setVisible(row.spec.applies_to(minutes, minutes))
        for fact in self.facts.values():
            fact.setVisible(fact.has_value())  # a fact not known yet says nothing
        for area in self.areas.values():
            for panel in area.panels:
                panel.set_context(minutes)
        for panel in self.areas["next_steps"].panels:
            self._fit_step(panel)

    def target_for(self, path: str) -> QWidget | None:
        """The widget a problem path leads to: its row, else the first answer of the list it is
        about (too few professionals attended), else the list's Add button."""
        row = nearest_row(path, self.row_for)
        if row is not None:
            row.setVisible(True)
            return row
        key = path.partition("[")[0].partition(".")[0]
        area = next((a for a in self.areas.values() if a.items.key == key), None)
        if area is not None and area.panels:
            return next(iter(area.panels[0].rows.values()))
        return area.add_button if area is not None else None


def _not_a_date(text: str, spec: Field) -> str | None:
    """ "ASAP" typed as a next step's date: why it is refused, in the form's words (003 §3)."""
    found = vague_timescale(text)
    return f"“{found}” is not a date. {spec.hint} ({spec.source})" if found else None
