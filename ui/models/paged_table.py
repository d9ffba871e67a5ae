"""A table that reads its rows from the database a page at a time, as the view scrolls to them
(lists never load a whole table)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex

from ui.models.rows_table import Index, RowsTableModel

PAGE_SIZE = 200
Row = TypeVar("Row")


class PagedTableModel(RowsTableModel[Row]):
    """`reset(read, total)` starts over; `read(offset, limit)` returns the next rows and may
    raise CoreformError, which the page showing the table catches when it resets."""

    def __init__(
        self, columns: tuple[str, ...], cells: Callable[[Row], tuple[str, ...]], parent: Any = None
    ) -> None:
        super().__init__(columns, cells, parent)
        self._total = 0
        self._read: Callable[[int, int], list[Row]] = lambda _offset, _limit: []

    @property
    def total(self) -> int:
        return self._total

    def reset(self, read: Callable[[int, int], list[Row]], total: int) -> None:
        self._read = read
        self._total = total
        self.set_rows([])
        self.fetchMore()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._shown < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self.canFetchMore():
            return
        page = self._read(self._shown, PAGE_SIZE)
        if not page:
            self._total = self._shown  # fewer rows than counted: stop asking
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + len(page) - 1)
        self._rows.extend(page)
        self._shown = len(self._rows)
        self.endInsertRows()
