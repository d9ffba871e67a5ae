"""The rules kept once in the core: the deadline (000) and the age rules (002 §2)."""

from __future__ import annotations

import datetime as dt

from coreform.ages import age_text, is_baby, seen_alone_expected
from coreform.deadlines import DeadlineState, deadline
from coreform.workdays import Nation, WorkingCalendar

ENGLAND = WorkingCalendar(Nation.ENG)
CHRISTMAS_EVE = dt.date(2026, 12, 24)


def test_000_deadline_names_the_bank_holidays_it_skips() -> None:
    found = deadline(CHRISTMAS_EVE, ENGLAND, today=CHRISTMAS_EVE)
    assert found is not None
    assert found.due == dt.date(2026, 12, 30)
    assert found.holidays_skipped == ("Christmas Day", "Boxing Day (observed)")
    assert found.state is DeadlineState.IN_TIME and not found.late


def test_000_completed_and_sent_by_the_due_date_stays_in_time_later() -> None:
    found = deadline(
        CHRISTMAS_EVE,
        ENGLAND,
        today=dt.date(2027, 2, 1),
        completed_on=dt.date(2026, 12, 30),
        sent_on=dt.date(2026, 12, 30),
    )
    assert found is not None and found.done and found.state is DeadlineState.IN_TIME


def test_000_the_later_of_completing_and_sending_decides() -> None:
    # 000: "no later than 2 working days after the visit/Interaction" for both.
    found = deadline(
        dt.date(2026, 3, 2),
        ENGLAND,
        today=dt.date(2026, 3, 20),
        completed_on=dt.date(2026, 3, 3),
        sent_on=dt.date(2026, 3, 12),
    )
    assert found is not None and found.late
    assert found.due == dt.date(2026, 3, 4) and found.working_days_late == 6


def test_000_an_unsent_record_is_judged_on_today() -> None:
    found = deadline(
        dt.date(2026, 3, 2), ENGLAND, today=dt.date(2026, 3, 5), completed_on=dt.date(2026, 3, 3)
    )
    assert found is not None and found.late and found.working_days_late == 1


def test_000_a_weekend_day_after_a_friday_deadline_is_late() -> None:
    found = deadline(dt.date(2026, 3, 11), ENGLAND, today=dt.date(2026, 3, 14))  # due Fri 13
    assert found is not None and found.late and found.working_days_late == 1


def test_no_deadline_without_a_visit_date_or_before_the_visit() -> None:
    assert deadline(None, ENGLAND, today=CHRISTMAS_EVE) is None
    assert deadline(dt.date(2026, 12, 28), ENGLAND, today=CHRISTMAS_EVE) is None


def test_002_a_baby_is_under_18_months_on_the_visit_date() -> None:
    # 002 §2: "For this purpose, a child under 18 months is a baby".
    born = dt.date(2025, 6, 15)
    assert is_baby(born, dt.date(2026, 12, 14))  # 17 months
    assert not is_baby(born, dt.date(2026, 12, 15))  # 18 months
    assert not is_baby(born, dt.date(2025, 6, 1))  # before birth
    assert not is_baby("15/06/2025", dt.date(2026, 1, 1))  # not a date: no answer, no error
    assert not is_baby(born, None)


def test_002_children_aged_four_and_over_are_seen_alone_regularly() -> None:
    # 002 §2: "all children aged 4 above should be seen alone regularly".
    born = dt.date(2022, 9, 1)
    assert not seen_alone_expected(born, dt.date(2026, 8, 31))
    assert seen_alone_expected(born, dt.date(2026, 9, 1))


def test_age_text() -> None:
    assert age_text(dt.date(2026, 3, 10), CHRISTMAS_EVE) == "9 months"
    assert age_text(dt.date(2019, 5, 3), CHRISTMAS_EVE) == "7 years"
    assert age_text(dt.date(2027, 1, 1), CHRISTMAS_EVE) == ""
