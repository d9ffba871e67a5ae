"""The table every list page shows its rows in, set up once."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from ui.accessibility import let_tab_leave

SEARCH_DELAY_MS = 250  # a search box waits this long after a key before it asks the database


def list_table(
    parent: QWidget, model: QAbstractItemModel | None, name: str, *, fit_contents: bool = True
) -> QTableView:
    """Read-only rows under the accessible `name`: a whole row selected at a time, Tab leaves
    the table (arrows move within), one line a row (a cell cut short shows in full on hover),
    the last column taking the spare width. `fit_contents` sizes the columns to what they show;
    a long list measures every loaded row for that, so it sets its widths instead."""
    table = QTableView(parent)
    if model is not None:
        table.setModel(model)
    table.setAccessibleName(name)
    let_tab_leave(table)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    if fit_contents:
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class _EnterOpens(QObject):
    def __init__(self, table: QTableView, open_row: Callable[[QModelIndex], None]) -> None:
        super().__init__(table)
        self._table = table
        self._open_row = open_row
        table.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._open_row(self._table.currentIndex())
            return True
        return super().eventFilter(watched, event)


def open_on_enter(table: QTableView, open_row: Callable[[QModelIndex], None]) -> None:
    """Enter or Return opens the current row, as a double click does (Qt's `activated` is not
    emitted for Enter on every platform)."""
    _EnterOpens(table, open_row)
