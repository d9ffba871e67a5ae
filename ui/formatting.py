"""How dates and times read in the window: "Tue 1 Dec 2026", the way practitioners write them."""

from __future__ import annotations

import datetime as dt
import re

from coreform.records import date_in_range, out_of_range_message

DATE_HINT = "Day/month/year, for example 24/12/2026"
TIME_HINT = "24-hour clock, for example 14:30"

_DATE_PATTERN = re.compile(r"^\s*(\d{1,2})\s*[/.\- ]\s*(\d{1,2})\s*[/.\- ]\s*(\d{2}|\d{4})\s*$")
_ISO_PATTERN = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_TIME_PATTERN = re.compile(r"^\s*(\d{1,2})\s*[:.]?\s*(\d{2})\s*$")


def day_text(day: dt.date) -> str:
    """'Tue 1 Dec 2026': weekday included because working days are what the deadline counts."""
    return f"{day:%a} {day.day} {day:%b %Y}"


def working_days_text(count: int) -> str:
    """'1 working day', '3 working days'."""
    return f"{count} working day{'s' if count != 1 else ''}"


def date_entry_text(day: dt.date | None) -> str:
    return "" if day is None else f"{day:%d/%m/%Y}"


def time_entry_text(moment: dt.time | None) -> str:
    return "" if moment is None else f"{moment:%H:%M}"


def parse_date(text: str) -> dt.date | None:
    """A typed UK date (24/12/2026, 24.12.26, 2026-12-24); ValueError when it is not one."""
    if not text.strip():
        return None
    if match := _ISO_PATTERN.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DATE_PATTERN.match(text):
        day, month, year = (int(part) for part in match.groups())
        if year < 100:
            year += 2000
    else:
        raise ValueError(f"Enter the date as {DATE_HINT.lower()}")
    try:
        parsed = dt.date(year, month, day)
    except ValueError:
        raise ValueError(f"There is no such date: enter {DATE_HINT.lower()}") from None
    if not date_in_range(parsed):
        raise ValueError(out_of_range_message(parsed))
    return parsed


def parse_time(text: str) -> dt.time | None:
    """A typed time (14:30, 1430, 9.05); ValueError when it is not one."""
    if not text.strip():
        return None
    match = _TIME_PATTERN.match(text)
    if match is None:
        raise ValueError(f"Enter the time on the {TIME_HINT}")
    hour, minute = (int(part) for part in match.groups())
    if hour > 23 or minute > 59:
        raise ValueError(f"There is no such time: use the {TIME_HINT}")
    return dt.time(hour, minute)
