"""The audit trail as a lazy table model: newest first, fetched a page at a time as it scrolls."""

from __future__ import annotations

from typing import Any

from coreform.audit import AuditEntry
from coreform.records import LONDON
from ui.models.paged_table import PagedTableModel

COLUMNS = ("No.", "When (UK time)", "Who", "What", "Record")
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
    "sent": "Sent or handed over (recorded before coreform told them apart)",
    "draft_written": "Email draft written",
    "handed_over": "Handed to the email program",
    "confirmed_sent": "Confirmed sent from the email program",
    "accepted_by_server": "Sent: accepted by the mail server",
    "distributed": "Minutes queued to their recipients",
    "distribution_complete": "Minutes reached every recipient",
    "exported": "PDF saved",
    "imported": "Imported",
    "backed_up": "Backed up",
    "restored": "Restored",
    "deleted": "Deleted",
    "legal_hold_set": "Legal hold set",
    "legal_hold_released": "Legal hold released",
    "accepted": "Received record accepted",
    "issues_raised": "Sender asked to correct",
    "shared": "Shared with the core group",
    "child_matched": "Received child matched",
}


def _entry_cells(entry: AuditEntry) -> tuple[str, ...]:
    return (
        str(entry.seq),
        f"{entry.at_utc.astimezone(LONDON):%d %b %Y %H:%M:%S}",
        entry.user,
        _ACTION_TEXT.get(entry.action.value, entry.action.value),
        entry.record_reference or "—",
    )


class AuditTableModel(PagedTableModel[AuditEntry]):
    """Reads the trail from the database a page at a time, as the view scrolls to it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(COLUMNS, _entry_cells, parent)
