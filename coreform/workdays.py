"""Working days: Monday to Friday that is not a bank holiday of the user's UK nation.

The 2-working-day rule (000) and every "N working days" timescale in DOMAIN.md count these days.
Bank holidays come from the `holidays` package, which includes substitute days and one-off holidays
(2022 state funeral, 2023 coronation, Scotland 15 June 2026). Holidays are precomputed per year into
a frozenset, because membership tests on the holidays object are several times slower.

Loading the `holidays` UK module costs 1-2 s on a cold start, so the computed dates are kept in the
user's cache folder, keyed by the package's version; a new `holidays` release recomputes them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from enum import StrEnum
from functools import cache
from importlib.metadata import version
from pathlib import Path

# Years precomputed when a calendar is built; others are added on first use.
_FIRST_YEAR = 2015
_LAST_YEAR = 2035


class Nation(StrEnum):
    """The UK nations with their own bank holidays (Wales shares England's)."""

    ENG = "ENG"
    SCT = "SCT"
    NIR = "NIR"

    @property
    def label(self) -> str:
        return _NATION_LABELS[self]


_NATION_LABELS = {
    Nation.ENG: "England and Wales",
    Nation.SCT: "Scotland",
    Nation.NIR: "Northern Ireland",
}


@cache
def _bank_holidays(nation: Nation, first_year: int, last_year: int) -> dict[dt.date, str]:
    import holidays  # slow to load: only when neither memory nor the cache file has the dates

    years = range(first_year, last_year + 1)
    found = holidays.country_holidays("GB", subdiv=nation.value, years=years)
    return {day: str(name) for day, name in found.items() if first_year <= day.year <= last_year}


def _cache_file(nation: Nation) -> Path:
    folder = os.environ.get("COREFORM_CACHE_DIR")
    if folder is None:
        import platformdirs

        folder = platformdirs.user_cache_dir("coreform", appauthor=False)
    release = version("holidays")
    return Path(folder) / f"bank-holidays-{nation.value}-{_FIRST_YEAR}-{_LAST_YEAR}-{release}.json"


@cache
def _precomputed_bank_holidays(nation: Nation) -> dict[dt.date, str]:
    """The default years' holidays, from the cache file when it is there and readable."""
    path = _cache_file(nation)
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        return {dt.date.fromisoformat(day): str(name) for day, name in stored.items()}
    except (OSError, ValueError, AttributeError):
        pass  # missing or damaged: compute again and rewrite it
    names = _bank_holidays(nation, _FIRST_YEAR, _LAST_YEAR)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".tmp")
        partial.write_text(
            json.dumps({day.isoformat(): name for day, name in names.items()}), encoding="utf-8"
        )
        partial.replace(path)
    except OSError:
        pass  # a read-only cache folder only costs speed
    return names


class WorkingCalendar:
    """Counts working days for one nation. Cheap to create after the first one."""

    def __init__(self, nation: Nation | str = Nation.ENG) -> None:
        self.nation = Nation(nation)
        self._names = dict(_precomputed_bank_holidays(self.nation))
        self._years = set(range(_FIRST_YEAR, _LAST_YEAR + 1))
        self._holidays = frozenset(self._names)

    def _add_year(self, year: int) -> None:
        self._names.update(_bank_holidays(self.nation, year, year))
        self._years.add(year)
        self._holidays = frozenset(self._names)

    def holiday_name(self, day: dt.date) -> str | None:
        """The bank holiday's name on `day`, or None."""
        if day.year not in self._years:
            self._add_year(day.year)
        return self._names.get(day)

    def is_working_day(self, day: dt.date) -> bool:
        if day.weekday() >= 5:
            return False
        if day.year not in self._years:
            self._add_year(day.year)
        return day not in self._holidays

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The date `count` working days after `start`.

        From a weekend or holiday the count starts with the next working day, so a Saturday visit
        with count 2 gives the Tuesday (the Monday is day 1). With count 0 the date is `start`
        itself when it is a working day, else the next working day.
        """
        if count < 0:
            raise ValueError("count must be 0 or more")
        day = start
        if count == 0:
            while not self.is_working_day(day):
                day += dt.timedelta(days=1)
            return day
        remaining = count
        while remaining:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
        return day

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`; negative when `end` is earlier.

        So `working_days_between(d, add_working_days(d, n)) == n` for a working day `d`.
        """
        if end < start:
            return -self.working_days_between(end, start)
        count = 0
        day = start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count
