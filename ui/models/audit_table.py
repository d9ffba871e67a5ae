"""The audit trail as a lazy table model: newest first, fetched a page at a time as it scrolls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QModelIndex

from coreform.audit import AuditEntry
from coreform.records import LONDON
from ui.models.rows_table import Index, RowsTableModel

COLUMNS = ("No.", "When (UK time)", "Who", "What", "Record")
PAGE_SIZE = 200
_ACTION_TEXT = {
    "sign_in": "Signed in",
    "sign_in_failed": "Failed sign-in",
    "account_created": "Account created",
    "account_locked": "Account locked",
    "account_unlocked": "Account unlocked",
    "role_changed": "Role changed",
    "password_reset": "Password reset",
    "setting_changed": "Setting changed",
    "viewed": "Viewed",
    "created": "Created",
    "edited": "Edited",
    "submitted": "Submitted",
    "amended": "Amended",
    "printed": "Printed",
    "sent": "Sent",
    "exported": "PDF saved",
    "imported": "Imported",
    "backed_up": "Backed up",
    "restored": "Restored",
    "deleted": "Deleted",
    "legal_hold_set": "Legal hold set",
    "legal_hold_released": "Legal hold released",
}

# (offset, limit) -> entries, newest first; raises CoreformError.
PageReader = Callable[[int, int], list[AuditEntry]]


def _entry_cells(entry: AuditEntry) -> tuple[str, ...]:
    return (
        str(entry.seq),
        f"{entry.at_utc.astimezone(LONDON):%d %b %Y %H:%M:%S}",
        entry.user,
        _ACTION_TEXT.get(entry.action.value, entry.action.value),
        entry.record_reference or "—",
    )


class AuditTableModel(RowsTableModel[AuditEntry]):
    """Reads the trail from the database a page at a time, as the view scrolls to it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, _entry_cells, parent)
        self._total = 0
        self._read: PageReader = lambda _offset, _limit: []

    def reset(self, read: PageReader, total: int) -> None:
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
            self._total = self._shown  # the trail is shorter than counted: stop asking
            return
        self.beginInsertRows(QModelIndex(), self._shown, self._shown + len(page) - 1)
        self._rows.extend(page)
        self._shown = len(self._rows)
        self.endInsertRows()
