"""What the window tells the user as it opens, above every page, without stopping them: drafts a
crashed run left, a backup that failed."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from coreform.services import RecordSummary
from ui.pages.banner import Banner, Level


def start_up_banner(parent: QWidget) -> Banner:
    """Hidden until there is something to say; the user dismisses it."""
    banner = Banner(parent, dismissable=True, name="recovered_banner")
    banner.hide()
    return banner


def recovered_text(recovered: list[RecordSummary]) -> str:
    count = len(recovered)
    drafts = "1 draft that was" if count == 1 else f"{count} drafts that were"
    return f"Recovered {drafts} not closed properly — nothing was lost"


def show_recovered(banner: Banner, recovered: list[RecordSummary]) -> None:
    """A non-modal notice that drafts from a run that crashed were kept."""
    if recovered:
        banner.show_message(Level.SUCCESS, recovered_text(recovered))


def show_backup_problem(banner: Banner, error: str) -> None:
    if error:
        banner.show_message(Level.WARNING, error)
