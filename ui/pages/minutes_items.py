"""The parts of the minutes editor drawn from `coreform.forms.minutes`: a fact shown read-only,
a panel per repeated item (an attendee, a child, a safety goal, a next step) and the area that
holds a section's panels.

Keys are relative to the item (`chair`, `scaling.parents.this_meeting`); the editor prefixes
them (`attendees[0].chair`) as `Problem.field` does.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coreform.forms.model import NOT_ANSWERED, Field, Grid, Items, Kind, read_path, write_path
from ui.accessibility import describe
from ui.pages.flow_layout import FlowLayout
from ui.pages.form_fields import FieldRow, labelled_column, typed_values
from ui.pages.record_view import value_text


def goal_label(goals: Sequence[Any], goal_id: str) -> str:
    """How a next step names its safety goal: "Safety goal 2: Amira sleeps in her own bed"."""
    for number, goal in enumerate(goals, start=1):
        if goal.id == goal_id:
            text = goal.goal.strip()
            line = text.splitlines()[0] if text else "(not written yet)"
            return f"Safety goal {number}: {line if len(line) <= 60 else line[:59] + '…'}"
    return NOT_ANSWERED


def goal_choices(goals: Sequence[Any]) -> list[tuple[str, str]]:
    """A next step's "For the safety goal" choices: none yet, then the meeting's goals."""
    return [(NOT_ANSWERED, ""), *((goal_label(goals, goal.id), goal.id) for goal in goals)]


class FactRow(QWidget):
    """Something coreform recorded or worked out (the due date, "seen in timescales"): its label
    and its value in words, never an input."""

    def __init__(self, spec: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        layout, self.label = labelled_column(self, spec.label)
        self.value = QLabel(self)
        self.value.setWordWrap(True)
        self.value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        describe(self.value, f"{spec.label} (filled in by coreform)")
        layout.addWidget(self.value)
        self._shown = ""

    def set_value(self, value: Any) -> None:
        self._shown = "" if value is None or value == "" else value_text(self.spec, value)
        self.value.setText(self._shown or "—")

    def has_value(self) -> bool:
        return bool(self._shown)


def place(layout: QGridLayout, widgets: Sequence[QWidget], columns: int) -> None:
    """Row by row, `columns` to a line (so Tab, which follows the layout, reads left to right)."""
    for index, widget in enumerate(widgets):
        layout.addWidget(widget, index // columns, index % columns, Qt.AlignmentFlag.AlignTop)
    for column in range(columns):
        layout.setColumnStretch(column, 1)


class ItemPanel(QGroupBox):
    """One item's questions (FieldRows), facts (FactRows) and, for a child's scaling, the grid.

    A table's item (an attendee) sets its answers side by side, in two lines."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(
        self,
        items: Items,
        item: Any,
        *,
        remove_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.items = items
        self._item = copy.deepcopy(item)
        self._index = 0
        self.rows: dict[str, FieldRow] = {}
        self.facts: dict[str, FactRow] = {}
        layout = QVBoxLayout(self)
        widgets: list[QWidget] = []
        for spec in items.fields:
            if spec.listed and items.fixed:
                continue  # the child's name is the panel's title
            if spec.fact:
                fact = FactRow(spec, self)
                fact.set_value(spec.value_in(self._item))
                self.facts[spec.key] = fact
                widgets.append(fact)
            else:
                row = FieldRow(spec, self)
                row.set_value(read_path(self._item, spec.key))
                row.changed.connect(self._on_changed)
                self.rows[spec.key] = row
                widgets.append(row)
        self.remove_button: QPushButton | None = None
        if remove_text:
            self.remove_button = QPushButton(remove_text, self)
            self.remove_button.clicked.connect(lambda: self.remove_requested.emit(self))
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        if items.table:
            self._table_lines(grid, widgets)
        else:
            place(grid, widgets, 1)
        layout.addLayout(grid)
        if items.grid is not None:
            layout.addLayout(self._scale_grid(items.grid))
        if self.remove_button is not None and not items.table:
            buttons = QHBoxLayout()
            buttons.addWidget(self.remove_button)
            buttons.addStretch(1)
            layout.addLayout(buttons)

    def _table_lines(self, grid: QGridLayout, widgets: list[QWidget]) -> None:
        """A row of the attendees table in two flowing lines: who they are (the text answers,
        sharing the width) and the Remove button, then the other answers at their own width.
        Each line wraps where the width runs out (200% text), never needing a scrollbar."""
        texts = [w for w in widgets if isinstance(w, FieldRow) and w.spec.kind is Kind.TEXT]
        first, second = FlowLayout(fill=True), FlowLayout()
        for text in texts:
            # An agency or an email address is longer than a name or a role.
            first.add(text, 4 if text.spec.key in ("agency", "email") else 3)
        for answer in (w for w in widgets if w not in texts):
            second.add(answer)
            for combo in answer.findChildren(QComboBox):
                # Long choices ("Other (interpreter, advocate, supporter)") show whole when open.
                combo.setSizeAdjustPolicy(
                    QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
                )
                combo.setMinimumContentsLength(10)
        if self.remove_button is not None:
            first.add(self.remove_button)
        grid.addLayout(first, 0, 0)
        grid.addLayout(second, 1, 0)

    def _scale_grid(self, grid: Grid) -> QLayout:
        """Who scaled (rows) by when (columns); each cell is named "Amira: Scaling: Parents,
        This Meeting" for a screen reader, the headings show it to the eye."""
        table = QGridLayout()
        table.setHorizontalSpacing(16)
        for column, (_key, label) in enumerate(grid.columns, start=1):
            heading = QLabel(label, self)
            heading.setStyleSheet("font-weight: bold;")
            heading.setWordWrap(True)  # "Initial Conference" in two lines at 200% text
            table.addWidget(heading, 0, column, Qt.AlignmentFlag.AlignBottom)
        for row_number, (row_key, row_label) in enumerate(grid.rows, start=1):
            caption = QLabel(row_label, self)
            caption.setStyleSheet("font-weight: bold;")
            table.addWidget(caption, row_number, 0)
            for column, (column_key, _label) in enumerate(grid.columns, start=1):
                spec = grid.cell(row_key, column_key)
                cell = FieldRow(spec, self)
                cell.label.hide()  # the row and column headings are its visible label
                cell.set_value(read_path(self._item, spec.key))
                cell.changed.connect(self._on_changed)
                self.rows[spec.key] = cell
                table.addWidget(cell, row_number, column)
                if column == 1:
                    caption.setBuddy(cell.inputs[0])
        table.setColumnStretch(len(grid.columns) + 1, 1)
        return table

    # ---- naming -----------------------------------------------------------------------------

    def title_text(self) -> str:
        """ "Amira Haddad" for a child, else "Attendee 2: Li Wei", "Safety goal 1"."""
        listed = next((spec for spec in self.items.fields if spec.listed), None)
        name = ""
        if listed is not None:
            source = self.rows.get(listed.key)
            value = source.safe_value("") if source else listed.value_in(self._item)
            name = str(value or "").strip().splitlines()[0] if str(value or "").strip() else ""
        number = f"{self.items.title} {self._index + 1}"
        if self.items.fixed:
            return name or number
        if self.items.table and name:
            return f"{number}: {name}"
        return number

    def set_index(self, index: int) -> None:
        self._index = index
        self._update_title()

    def _update_title(self) -> None:
        title = self.title_text()
        self.setTitle(title)
        prefix = f"{title}: " if self.items.fixed else f"{self.items.title} {self._index + 1}: "
        for row in self.rows.values():
            row.set_name_prefix(prefix)
        if self.remove_button is not None:
            self.remove_button.setAccessibleName(f"Remove {title[:1].lower()}{title[1:]}")

    # ---- values -----------------------------------------------------------------------------

    def item(self) -> Any:
        """The item as typed (an unreadable date keeps its last readable value)."""
        return typed_values(self.rows, self._item)

    def write_into(self, item: Any) -> None:
        """Puts the typed answers into `item` (a child's part, shared by two sections)."""
        for key, row in self.rows.items():
            write_path(item, key, row.safe_value(read_path(item, key)))

    def item_id(self) -> str:
        return str(getattr(self._item, "id", ""))

    def set_context(self, minutes: Any) -> None:
        """Shows the questions that apply given the other answers (an absent professional's
        written report, a goal's change reason once agreed)."""
        item = self.item()
        for row in self.rows.values():
            row.setVisible(row.spec.applies_to(minutes, item))
        for fact in self.facts.values():
            fact.setVisible(fact.has_value())
        self._update_title()

    def _on_changed(self) -> None:
        self._update_title()
        self.changed.emit()


class ItemsArea(QWidget):
    """A section's panels, one per item, with "Add…" unless the items are fixed (the children).

    `remove_requested` carries the panel; the editor asks the core whether it may go (an agreed
    safety goal may not, 001 §2.3)."""

    changed = Signal()
    remove_requested = Signal(object)

    def __init__(
        self,
        items: Items,
        *,
        add_text: str = "",
        remove_text: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.items = items
        self._remove_text = remove_text
        self.panels: list[ItemPanel] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._panel_layout = QVBoxLayout()
        layout.addLayout(self._panel_layout)
        self.add_button: QPushButton | None = None
        if add_text and not items.fixed:
            self.add_button = QPushButton(add_text, self)
            row = QHBoxLayout()
            row.addWidget(self.add_button)
            row.addStretch(1)
            layout.addLayout(row)

    def load(self, values: Sequence[Any]) -> None:
        for panel in list(self.panels):
            self.drop(panel)
        for value in values:
            self.add(value)

    def add(self, value: Any) -> ItemPanel:
        panel = ItemPanel(
            self.items,
            value,
            remove_text=self._remove_text,
            parent=self,
        )
        panel.set_index(len(self.panels))
        panel.changed.connect(self.changed)
        panel.remove_requested.connect(self.remove_requested)
        self._panel_layout.addWidget(panel)
        panel.setVisible(self.isVisible())  # now, so Tab can reach it at once
        self.panels.append(panel)
        return panel

    def drop(self, panel: ItemPanel) -> None:
        # Blocked so the inputs it destroys later do not report an edit.
        panel.blockSignals(True)
        self.panels.remove(panel)
        self._panel_layout.removeWidget(panel)
        panel.deleteLater()
        for index, remaining in enumerate(self.panels):
            remaining.set_index(index)

    def write_into(self, minutes: Any) -> None:
        """Fixed items are answered in place; the others are the panels' items, in order."""
        if self.items.fixed:
            for panel, item in zip(self.panels, read_path(minutes, self.items.key), strict=False):
                panel.write_into(item)
        else:
            write_path(minutes, self.items.key, [panel.item() for panel in self.panels])

    def row_for(self, index: int, key: str) -> FieldRow | None:
        return self.panels[index].rows.get(key) if index < len(self.panels) else None
