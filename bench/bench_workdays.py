"""Prints how long working-day calendars take to build and use (not run by the tests)."""

from __future__ import annotations

import datetime as dt
import time

from coreform.deadlines import due_date
from coreform.workdays import Nation, WorkingCalendar


def timed(label: str, action: object, repeat: int = 1) -> None:
    assert callable(action)
    started = time.perf_counter()
    for _ in range(repeat):
        action()
    each = (time.perf_counter() - started) / repeat
    print(f"{label:<45} {each * 1000:9.3f} ms")


def main() -> None:
    timed("first calendar (loads holidays)", lambda: WorkingCalendar(Nation.ENG))
    timed("another calendar, same nation", lambda: WorkingCalendar(Nation.ENG), repeat=100)
    timed("first Scotland calendar", lambda: WorkingCalendar(Nation.SCT))
    calendar = WorkingCalendar(Nation.ENG)
    visit = dt.date(2026, 12, 24)
    timed("due_date", lambda: due_date(visit, calendar), repeat=10_000)
    far = dt.date(2028, 12, 31)
    timed(
        "working_days_between over 2 years", lambda: calendar.working_days_between(visit, far), 100
    )


if __name__ == "__main__":
    main()
