"""The completion deadline of a monitoring record and where a record stands against it (000).

One function, `deadline`, answers for the editor's banner, the lists, the record view, the late
flag and the checks alike, so they can never disagree about a date.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from coreform.workdays import WorkingCalendar

# 000: "record the information ... no later than 2 working days after the visit/Interaction";
# "The report must be forwarded to the key worker no later than 2 working days after the
# visit/Interaction."
COMPLETION_WORKING_DAYS = 2


class DeadlineState(StrEnum):
    IN_TIME = "in_time"
    DUE_TODAY = "due_today"
    LATE = "late"


@dataclass(frozen=True)
class Deadline:
    """The last day to complete and send a record, and how the record stands against it."""

    visit_date: dt.date
    due: dt.date
    state: DeadlineState
    # Bank holidays on weekdays after the visit up to `due`: the reason `due` is later than usual.
    holidays_skipped: tuple[str, ...]
    # Working days after `due`: on the day it was done, or today while it is not done yet.
    working_days_late: int
    # True once the record was both completed and sent: the state is then final.
    done: bool

    @property
    def late(self) -> bool:
        return self.state is DeadlineState.LATE


def due_date(
    visit_date: dt.date, calendar: WorkingCalendar, working_days: int = COMPLETION_WORKING_DAYS
) -> dt.date:
    """000: the last day to complete and send the record, 2 working days after the visit."""
    return calendar.add_working_days(visit_date, working_days)


def deadline(
    visit_date: dt.date | None,
    calendar: WorkingCalendar,
    *,
    today: dt.date,
    completed_on: dt.date | None = None,
    sent_on: dt.date | None = None,
    working_days: int = COMPLETION_WORKING_DAYS,
) -> Deadline | None:
    """The record's deadline; None without a visit date or for a visit still in the future.
    (Core group minutes use it too, from the meeting, with the profile's `working_days`.)

    000 asks for both completing and sending by the due date, so the later of the two facts
    decides; a step not yet taken counts as happening today (it can only get later).
    """
    if visit_date is None or visit_date > today:
        return None
    due = due_date(visit_date, calendar, working_days)
    done = completed_on is not None and sent_on is not None
    last = max(completed_on or today, sent_on or today)
    # A weekend day after the due date is late too: by one working day, the next one.
    late_by = max(calendar.working_days_between(due, last), 1) if last > due else 0
    if last > due:
        state = DeadlineState.LATE
    elif last == due and not done:
        state = DeadlineState.DUE_TODAY
    else:
        state = DeadlineState.IN_TIME
    return Deadline(
        visit_date=visit_date,
        due=due,
        state=state,
        holidays_skipped=_holidays_skipped(visit_date, due, calendar),
        working_days_late=late_by,
        done=done,
    )


def _holidays_skipped(start: dt.date, end: dt.date, calendar: WorkingCalendar) -> tuple[str, ...]:
    names: list[str] = []
    day = start + dt.timedelta(days=1)
    while day <= end:
        name = calendar.holiday_name(day)
        if name and day.weekday() < 5 and name not in names:
            names.append(name)
        day += dt.timedelta(days=1)
    return tuple(names)
