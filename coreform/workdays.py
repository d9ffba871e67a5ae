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
import importlib.util
import json
import os
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy.typing as npt

from coreform.safe_files import write_atomically

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
    release = _holidays_release()
    return Path(folder) / f"bank-holidays-{nation.value}-{_FIRST_YEAR}-{_LAST_YEAR}-{release}.json"


def _holidays_release() -> str:
    """The installed `holidays` version, read from its dist-info folder's name: importlib.metadata
    costs 20-40 ms at every start (issue 15), so it is asked only where there is no such folder."""
    spec = importlib.util.find_spec("holidays")
    if spec is not None and spec.origin:
        for info in Path(spec.origin).parent.parent.glob("holidays-*.dist-info"):
            return info.name.removeprefix("holidays-").removesuffix(".dist-info")
    from importlib.metadata import version

    return version("holidays")


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
        text = json.dumps({day.isoformat(): name for day, name in names.items()})
        write_atomically(path, text.encode("utf-8"))
    except OSError:
        pass  # a read-only cache folder only costs speed
    return names


class WorkingCalendar:
    """Counts working days for one nation. Cheap to create after the first one.

    Counting uses an ordinal table (the running count of working days up to each day, and the
    list of working days), so `add_working_days` is two lookups whatever the count, and the
    batch path (`add_working_days_batch`) is two numpy indexing operations for a million dates.
    """

    def __init__(self, nation: Nation | str = Nation.ENG) -> None:
        self.nation = Nation(nation)
        self._names = dict(_precomputed_bank_holidays(self.nation))
        self._years = set(range(_FIRST_YEAR, _LAST_YEAR + 1))
        self._holidays = frozenset(self._names)
        self._table: _OrdinalTable | None = None

    def _add_year(self, year: int) -> None:
        self._names.update(_bank_holidays(self.nation, year, year))
        self._years.add(year)
        self._holidays = frozenset(self._names)
        self._table = None

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

    def _covering(self, first: int, last: int) -> _OrdinalTable:
        """The table, grown to whole years so that it holds ordinals `first` to `last`."""
        table = self._table
        if table is None or first < table.first or last > table.last:
            low = dt.date.fromordinal(max(first, 1)).year
            high = dt.date.fromordinal(last).year
            low, high = min(low, *self._years), max(high, *self._years)
            for year in range(low, high + 1):
                if year not in self._years:
                    self._add_year(year)
            table = self._table = _OrdinalTable(self, low, high)
        return table

    def add_working_days(self, start: dt.date, count: int) -> dt.date:
        """The date `count` working days after `start`.

        From a weekend or holiday the count starts with the next working day, so a Saturday visit
        with count 2 gives the Tuesday (the Monday is day 1). With count 0 the date is `start`
        itself when it is a working day, else the next working day.
        """
        if count < 0:
            raise ValueError("count must be 0 or more")
        ordinal = start.toordinal()
        # A week has at least one working day, so count + 1 weeks always reach the answer.
        table = self._covering(ordinal, ordinal + 7 * (count + 1))
        return dt.date.fromordinal(table.working[table.nth_after(ordinal, count)])

    def add_working_days_batch(self, days: npt.NDArray[Any], count: int) -> npt.NDArray[Any]:
        """`add_working_days` for a numpy array of `datetime64[D]` days, as another such array.

        For dashboards and lists over whole caseloads (issue 15): numpy is imported only here.
        """
        import numpy as np

        if count < 0:
            raise ValueError("count must be 0 or more")
        ordinals = days.astype("datetime64[D]").astype(np.int64) + _EPOCH_ORDINAL
        if ordinals.size == 0:
            return ordinals.astype("datetime64[D]")
        table = self._covering(int(ordinals.min()), int(ordinals.max()) + 7 * (count + 1))
        before, working = table.arrays()
        up_to = before[ordinals - table.first + (1 if count else 0)]
        found = working[up_to + (count - 1 if count else 0)]
        result: npt.NDArray[Any] = (found - _EPOCH_ORDINAL).astype("datetime64[D]")
        return result

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after `start` up to and including `end`; negative when `end` is earlier.

        So `working_days_between(d, add_working_days(d, n)) == n` for a working day `d`.
        """
        if end < start:
            return -self.working_days_between(end, start)
        first, last = start.toordinal(), end.toordinal()
        table = self._covering(first, last)
        return table.up_to(last) - table.up_to(first)


# datetime64[D] counts days from 1970-01-01; date ordinals count from 0001-01-01 as day 1.
_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()


class _OrdinalTable:
    """Working days of whole years `first_year` to `last_year`, by date ordinal."""

    def __init__(self, calendar: WorkingCalendar, first_year: int, last_year: int) -> None:
        self.first = dt.date(first_year, 1, 1).toordinal()
        self.last = dt.date(last_year, 12, 31).toordinal()
        # before[i]: working days strictly before ordinal first + i (one entry past the end).
        self.before: list[int] = []
        self.working: list[int] = []
        for ordinal in range(self.first, self.last + 1):
            self.before.append(len(self.working))
            if calendar.is_working_day(dt.date.fromordinal(ordinal)):
                self.working.append(ordinal)
        self.before.append(len(self.working))
        self._arrays: tuple[npt.NDArray[Any], npt.NDArray[Any]] | None = None

    def up_to(self, ordinal: int) -> int:
        """Working days on or before `ordinal`, counted from the table's first day."""
        return self.before[ordinal - self.first + 1]

    def nth_after(self, ordinal: int, count: int) -> int:
        """Index in `working` of the count-th working day after `ordinal` (0: on or after)."""
        if count == 0:
            return self.before[ordinal - self.first]
        return self.up_to(ordinal) + count - 1

    def arrays(self) -> tuple[npt.NDArray[Any], npt.NDArray[Any]]:
        if self._arrays is None:
            import numpy as np

            self._arrays = (np.array(self.before, np.int64), np.array(self.working, np.int64))
        return self._arrays
