"""Working days for England and Wales, Scotland and Northern Ireland, 2025–2028 (issue 2).

Dates checked against the published UK bank holidays; the 2-working-day rule is 000's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import assume, given, settings, strategies as st

from coreform.workdays import Nation, WorkingCalendar

D = dt.date
CALENDARS = {nation: WorkingCalendar(nation) for nation in Nation}
ALL = tuple(Nation)


def working(nation: Nation, day: dt.date) -> bool:
    return CALENDARS[nation].is_working_day(day)


@pytest.mark.parametrize("nation", ALL)
@pytest.mark.parametrize(
    "day",
    [
        D(2026, 12, 25),  # Christmas, Friday
        D(2026, 12, 28),  # Boxing Day falls on Saturday: substitute Monday
        D(2027, 12, 27),  # Christmas on Saturday: substitute Monday
        D(2027, 12, 28),  # Boxing Day on Sunday: substitute Tuesday
    ],
)
def test_christmas_substitute_days_2026_and_2027(nation: Nation, day: dt.date) -> None:
    assert not working(nation, day)


@pytest.mark.parametrize("nation", ALL)
def test_days_between_christmas_and_new_year_are_working_days(nation: Nation) -> None:
    assert working(nation, D(2026, 12, 29))
    assert working(nation, D(2027, 12, 29))


@pytest.mark.parametrize("nation", ALL)
@pytest.mark.parametrize(
    "good_friday", [D(2025, 4, 18), D(2026, 4, 3), D(2027, 3, 26), D(2028, 4, 14)]
)
def test_good_friday_everywhere_easter_monday_not_in_scotland(
    nation: Nation, good_friday: dt.date
) -> None:
    easter_monday = good_friday + dt.timedelta(days=3)
    assert not working(nation, good_friday)
    assert working(nation, easter_monday) is (nation is Nation.SCT)


def test_scotland_one_off_holiday_15_june_2026() -> None:
    assert not working(Nation.SCT, D(2026, 6, 15))
    assert working(Nation.ENG, D(2026, 6, 15))
    assert working(Nation.NIR, D(2026, 6, 15))


def test_st_andrews_day_2026_monday_30_november_scotland_only() -> None:
    assert not working(Nation.SCT, D(2026, 11, 30))
    assert working(Nation.ENG, D(2026, 11, 30))
    assert working(Nation.NIR, D(2026, 11, 30))


def test_st_andrews_day_2025_on_sunday_moves_to_monday_in_scotland() -> None:
    assert not working(Nation.SCT, D(2025, 12, 1))
    assert working(Nation.ENG, D(2025, 12, 1))


def test_st_patricks_day_2027_northern_ireland_only() -> None:
    assert not working(Nation.NIR, D(2027, 3, 17))
    assert working(Nation.ENG, D(2027, 3, 17))
    assert working(Nation.SCT, D(2027, 3, 17))


def test_battle_of_the_boyne_2026_on_sunday_moves_to_monday_in_northern_ireland() -> None:
    assert not working(Nation.NIR, D(2026, 7, 13))
    assert working(Nation.ENG, D(2026, 7, 13))


def test_scotland_new_year_holiday_2027_and_2028_substitutes() -> None:
    assert not working(Nation.SCT, D(2027, 1, 4))  # 2 January on Saturday
    assert working(Nation.ENG, D(2027, 1, 4))
    assert not working(Nation.SCT, D(2028, 1, 4))
    assert not working(Nation.ENG, D(2028, 1, 3))
    assert working(Nation.ENG, D(2028, 1, 4))


def test_summer_bank_holiday_differs_between_scotland_and_england() -> None:
    assert not working(Nation.SCT, D(2026, 8, 3))
    assert working(Nation.SCT, D(2026, 8, 31))
    assert not working(Nation.ENG, D(2026, 8, 31))
    assert working(Nation.ENG, D(2026, 8, 3))


def test_holiday_name() -> None:
    assert CALENDARS[Nation.SCT].holiday_name(D(2026, 11, 30)) == "Saint Andrew's Day"
    assert CALENDARS[Nation.ENG].holiday_name(D(2026, 11, 30)) is None


def test_000_england_visit_thursday_24_december_2026_is_due_wednesday_30_december() -> None:
    assert CALENDARS[Nation.ENG].add_working_days(D(2026, 12, 24), 2) == D(2026, 12, 30)


@pytest.mark.parametrize(
    ("nation", "visit", "due"),
    [
        (Nation.SCT, D(2026, 12, 31), D(2027, 1, 6)),  # 1, 2 (Sat), 4 Jan substitute
        (Nation.ENG, D(2026, 12, 31), D(2027, 1, 5)),
        (Nation.SCT, D(2026, 4, 2), D(2026, 4, 7)),  # Good Friday only
        (Nation.ENG, D(2026, 4, 2), D(2026, 4, 8)),  # Good Friday and Easter Monday
        (Nation.NIR, D(2027, 3, 16), D(2027, 3, 19)),  # St Patrick's Day
        (Nation.SCT, D(2026, 6, 12), D(2026, 6, 17)),  # Friday before 15 June 2026
        (Nation.SCT, D(2026, 11, 27), D(2026, 12, 2)),  # Friday before St Andrew's Day
    ],
)
def test_000_two_working_days_across_holidays(nation: Nation, visit: dt.date, due: dt.date) -> None:
    assert CALENDARS[nation].add_working_days(visit, 2) == due


@pytest.mark.parametrize("nation", ALL)
def test_weekend_start_counts_from_the_next_working_day(nation: Nation) -> None:
    calendar = CALENDARS[nation]
    assert calendar.add_working_days(D(2026, 3, 7), 2) == D(2026, 3, 10)  # Saturday -> Tuesday
    assert calendar.add_working_days(D(2026, 3, 8), 1) == D(2026, 3, 9)  # Sunday -> Monday


@pytest.mark.parametrize("nation", ALL)
def test_zero_days_is_the_day_itself_or_the_next_working_day(nation: Nation) -> None:
    calendar = CALENDARS[nation]
    assert calendar.add_working_days(D(2026, 3, 11), 0) == D(2026, 3, 11)
    assert calendar.add_working_days(D(2026, 3, 14), 0) == D(2026, 3, 16)
    assert calendar.add_working_days(D(2027, 12, 25), 0) == D(2027, 12, 29)


def test_negative_count_is_refused() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        CALENDARS[Nation.ENG].add_working_days(D(2026, 3, 11), -1)


def test_working_days_between() -> None:
    calendar = CALENDARS[Nation.ENG]
    assert calendar.working_days_between(D(2026, 12, 24), D(2026, 12, 30)) == 2
    assert calendar.working_days_between(D(2026, 12, 30), D(2026, 12, 24)) == -2
    assert calendar.working_days_between(D(2026, 3, 11), D(2026, 3, 11)) == 0


def test_years_beyond_the_precomputed_range() -> None:
    calendar = WorkingCalendar(Nation.ENG)
    assert not calendar.is_working_day(D(2040, 12, 25))
    assert calendar.holiday_name(D(2040, 12, 25)) == "Christmas Day"
    assert calendar.is_working_day(D(2040, 12, 27))


def test_nation_accepts_its_code_and_defaults_to_england() -> None:
    assert WorkingCalendar("SCT").nation is Nation.SCT
    assert WorkingCalendar().nation is Nation.ENG


DAYS = st.dates(min_value=D(2024, 1, 1), max_value=D(2029, 12, 31))


@settings(max_examples=200, deadline=None)
@given(nation=st.sampled_from(Nation), start=DAYS, count=st.integers(0, 60))
def test_between_undoes_add_from_a_working_day(nation: Nation, start: dt.date, count: int) -> None:
    calendar = CALENDARS[nation]
    assume(calendar.is_working_day(start))
    end = calendar.add_working_days(start, count)
    assert calendar.is_working_day(end)
    assert calendar.working_days_between(start, end) == count


@settings(max_examples=200, deadline=None)
@given(nation=st.sampled_from(Nation), start=DAYS, count=st.integers(1, 60))
def test_add_from_any_day_lands_on_a_working_day_count_days_later(
    nation: Nation, start: dt.date, count: int
) -> None:
    calendar = CALENDARS[nation]
    end = calendar.add_working_days(start, count)
    assert calendar.is_working_day(end)
    assert calendar.working_days_between(start, end) == count
    assert calendar.working_days_between(end, start) == -count


def test_bank_holidays_come_back_from_a_damaged_cache_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A damaged cache file is recomputed from the holidays package, never trusted."""
    from coreform import workdays

    monkeypatch.setenv("COREFORM_CACHE_DIR", str(tmp_path))
    workdays._precomputed_bank_holidays.cache_clear()
    try:
        path = workdays._cache_file(workdays.Nation.SCT)
        path.write_text("{not json", encoding="utf-8")
        calendar = WorkingCalendar("SCT")
        assert not calendar.is_working_day(dt.date(2026, 11, 30))  # St Andrew's Day
        assert "2026-11-30" in path.read_text(encoding="utf-8")
    finally:
        workdays._precomputed_bank_holidays.cache_clear()


def test_the_cache_file_is_named_by_the_installed_holidays_version() -> None:
    """A new `holidays` release recomputes the dates: the name carries its version."""
    from importlib.metadata import version

    from coreform import workdays

    release = version("holidays")
    assert workdays._cache_file(Nation.ENG).name.endswith(f"-{release}.json")


def _add_by_walking(calendar: WorkingCalendar, start: dt.date, count: int) -> dt.date:
    """The rule spelled out one day at a time: the table must agree with it everywhere."""
    day = start
    while count == 0 and not calendar.is_working_day(day):
        day += dt.timedelta(days=1)
    for _ in range(count):
        day += dt.timedelta(days=1)
        while not calendar.is_working_day(day):
            day += dt.timedelta(days=1)
    return day


@pytest.mark.parametrize("nation", ALL)
@pytest.mark.parametrize("count", [0, 1, 2, 10])
def test_table_and_batch_agree_with_walking_day_by_day(nation: Nation, count: int) -> None:
    import numpy as np

    calendar = WorkingCalendar(nation)
    # Every day of 2026-2027, and days just inside and beyond the precomputed years.
    days = [D(2026, 1, 1) + dt.timedelta(days=n) for n in range(730)]
    days += [D(2015, 1, 1), D(2035, 12, 30), D(2036, 12, 24), D(2012, 12, 25)]
    expected = [_add_by_walking(calendar, day, count) for day in days]
    assert [calendar.add_working_days(day, count) for day in days] == expected
    batch = calendar.add_working_days_batch(np.array(days, dtype="datetime64[D]"), count)
    assert batch.tolist() == expected


def test_batch_of_nothing_and_negative_counts() -> None:
    import numpy as np

    calendar = CALENDARS[Nation.ENG]
    assert calendar.add_working_days_batch(np.array([], dtype="datetime64[D]"), 2).size == 0
    with pytest.raises(ValueError, match="0 or more"):
        calendar.add_working_days_batch(np.array(["2026-12-24"], dtype="datetime64[D]"), -1)
