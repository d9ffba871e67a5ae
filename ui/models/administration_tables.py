"""Accounts and records past retention as table models over plain rows (Administration)."""

from __future__ import annotations

from typing import Any

from coreform.records import LONDON, Role
from coreform.services import Account, RetentionCandidate
from ui.models.rows_table import RowsTableModel

ROLE_TEXT = {
    Role.PRACTITIONER: "Practitioner",
    Role.KEY_WORKER: "Key worker",
    Role.MANAGER: "Manager",
    Role.ADMINISTRATOR: "Administrator",
}


def _account_cells(row: Account) -> tuple[str, ...]:
    status = "Active"
    if row.locked_at is not None:
        status = f"Locked since {row.locked_at.astimezone(LONDON):%d %b %Y %H:%M}"
    return (row.user_name, row.display_name or "—", ROLE_TEXT[row.role], status)


def _retention_cells(row: RetentionCandidate) -> tuple[str, ...]:
    visit = f"{row.visit_date:%d %b %Y}" if row.visit_date else "—"
    hold = f"On hold: {row.hold_reason}" if row.legal_hold else "No"
    return (row.reference, row.what, visit, hold, row.reason)


def accounts_model(parent: Any = None) -> RowsTableModel[Account]:
    return RowsTableModel(("User name", "Name", "Role", "Status"), _account_cells, parent)


def retention_model(parent: Any = None) -> RowsTableModel[RetentionCandidate]:
    columns = ("Reference", "What", "Visit or meeting", "Legal hold", "Why it is listed")
    return RowsTableModel(columns, _retention_cells, parent)
