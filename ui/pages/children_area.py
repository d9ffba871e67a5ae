"""The record's children: one panel each, and the button that adds another."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from coreform.records import ChildObservation, MonitoringRecord
from coreform.services import KnownChild
from ui.pages.child_panel import ChildPanel, FindKnown


class ChildrenArea(QWidget):
    """`changed` when the user edits a child or adds or removes one; `panels_changed` whenever
    the panels change (so Tab can follow them)."""

    changed = Signal()
    panels_changed = Signal()

    def __init__(
        self,
        context: Callable[[], MonitoringRecord],
        parent: QWidget,
        *,
        find_known: FindKnown | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._find_known = find_known
        self._panels: list[ChildPanel] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._panel_layout = QVBoxLayout()
        layout.addLayout(self._panel_layout)
        self.add_child_button = QPushButton("Add another child", self)
        self.add_child_button.setAccessibleName("Add another child to this record")
        self.add_child_button.clicked.connect(lambda: self.add(ChildObservation(), user=True))
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_child_button)
        add_row.addStretch(1)
        layout.addLayout(add_row)

    def panels(self) -> list[ChildPanel]:
        return list(self._panels)

    def observations(self) -> list[ChildObservation]:
        """Each child's answers as typed."""
        return [panel.observation() for panel in self._panels]

    def show_children(self, observations: list[ChildObservation]) -> None:
        """Replaces the panels with one per child of a record being loaded."""
        for panel in list(self._panels):
            self._drop(panel)
        for observation in observations:
            self.add(observation)

    def set_context(self, record: MonitoringRecord) -> None:
        for panel in self._panels:
            panel.set_context(record)

    def add(self, observation: ChildObservation, user: bool = False) -> ChildPanel:
        panel = ChildPanel(observation, self, find_known=self._known_elsewhere)
        panel.set_index(len(self._panels))
        panel.changed.connect(self.changed)
        panel.remove_requested.connect(self._remove)
        self._panel_layout.addWidget(panel)
        # Shown now, not when the layout gets round to it, so Tab can reach it at once.
        panel.setVisible(self.isVisible())
        self._panels.append(panel)
        panel.set_context(self._context())
        self.panels_changed.emit()
        if user:
            panel.rows["child.name"].focus_input()
            self.changed.emit()
        return panel

    def _known_elsewhere(self, name: str, born: dt.date | None) -> list[KnownChild]:
        """Children on file like this one, but not one already on this record."""
        if self._find_known is None:
            return []
        here = {panel.child_id() for panel in self._panels}
        return [known for known in self._find_known(name, born) if known.child.id not in here]

    def _drop(self, panel: ChildPanel) -> None:
        # Blocked so the text boxes it destroys later do not report an edit to the record.
        panel.blockSignals(True)
        self._panels.remove(panel)
        self._panel_layout.removeWidget(panel)
        panel.deleteLater()

    def _remove(self, panel: ChildPanel) -> None:
        self._drop(panel)
        for index, remaining in enumerate(self._panels):
            remaining.set_index(index)
        self.panels_changed.emit()
        self.add_child_button.setFocus()
        self.changed.emit()
