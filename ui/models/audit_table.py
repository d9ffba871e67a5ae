"""The audit trail as a lazy table model: newest first, fetched a page at a time as it scrolls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from coreform.audit import AuditEntry
from coreform.records import LONDON

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

_Index = QModelIndex | QPersistentModelIndex
# (offset, limit) -> entries, newest first; raises CoreformError.
PageReader = Callable[[int, int], list[AuditEntry]]


class AuditTableModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._entries: list[AuditEntry] = []
        self._total = 0
        self._read: PageReader = lambda _offset, _limit: []

    def reset(self, read: PageReader, total: int) -> None:
        self.beginResetModel()
        self._read = read
        self._total = total
        self._entries = []
        self.endResetModel()
        self.fetchMore()

    def entry(self, row: int) -> AuditEntry:
        return self._entries[row]

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._entries) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self.canFetchMore():
            return
        page = self._read(len(self._entries), PAGE_SIZE)
        if not page:
            self._total = len(self._entries)
            return
        start = len(self._entries)
        self.beginInsertRows(QModelIndex(), start, start + len(page) - 1)
        self._entries.extend(page)
        self.endInsertRows()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.AccessibleTextRole,
        ):
            return None
        entry = self._entries[index.row()]
        return (
            str(entry.seq),
            f"{entry.at_utc.astimezone(LONDON):%d %b %Y %H:%M:%S}",
            entry.user,
            _ACTION_TEXT.get(entry.action.value, entry.action.value),
            entry.record_reference or "—",
        )[index.column()]
