"""What the record editor's banners say: the deadline, an amendment, a submit under way."""

from __future__ import annotations

from datetime import date

from coreform.deadlines import COMPLETION_WORKING_DAYS, DeadlineState
from coreform.records import Amendment
from coreform.services import Services
from ui.formatting import day_text
from ui.pages.banner import Banner, Level

SUBMITTING = "Submitting: making the PDF and queueing the messages…"


def show_deadline(banner: Banner, services: Services, visit_date: date | None) -> None:
    """The due date counted by the core; a visit still to come has no deadline yet."""
    days = f"{COMPLETION_WORKING_DAYS} working days"
    due = services.deadline(visit_date)
    if due is None and visit_date is not None:
        banner.show_message(
            Level.WARNING,
            f"The visit date, {day_text(visit_date)}, is still to come: the deadline starts "
            "once the visit has happened. Please check the date.",
        )
        return
    if due is None:
        banner.show_message(
            Level.INFO,
            f"Enter the visit date: the record must be completed and sent to the key worker "
            f"within {days} of the visit.",
        )
        return
    text = f"Complete and send by {day_text(due.due)} — {days} after the visit"
    if due.holidays_skipped:
        text += f" (bank holidays not counted: {', '.join(due.holidays_skipped)})"
    state = due.state
    if state is DeadlineState.DUE_TODAY:
        banner.show_message(Level.WARNING, f"Due today. {text}")
    elif state is DeadlineState.LATE:
        banner.show_message(
            Level.ERROR, f"Late. {text}. Give the reason for lateness under Sending."
        )
    else:
        banner.show_message(Level.INFO, text)


def show_amendment(banner: Banner, amendment: Amendment | None) -> None:
    if amendment is None:
        banner.hide()
        return
    banner.show_message(
        Level.INFO,
        f"You are amending a submitted record (version {amendment.previous_version} stays as "
        f"it was). Reason: {amendment.reason}",
    )
