"""A child's age on the visit date and the rules that follow from it (002 §2).

Each takes whatever a record holds (a half-typed draft or an import may hold anything) and
answers False or "" rather than raise, so the editor, the checks and the PDF can all call them.
"""

from __future__ import annotations

import datetime as dt

# 002 §2: "For this purpose, a child under 18 months is a baby".
BABY_UNDER_MONTHS = 18
# 002 §2: "all children aged 4 above should be seen alone regularly and younger children may be
# seen alone (with parent's agreement)".
SEEN_ALONE_FROM_YEARS = 4


def months_old(born: object, on: object) -> int | None:
    """Whole months of age on `on` (negative before birth); None when either is not a date."""
    if not _is_day(born) or not _is_day(on):
        return None
    assert isinstance(born, dt.date) and isinstance(on, dt.date)
    months = (on.year - born.year) * 12 + (on.month - born.month)
    if on.day < born.day:
        months -= 1
    return months


def is_baby(born: object, visit_date: object) -> bool:
    """002 §2: under 18 months on the visit date (seen awake at every visit, not seen alone)."""
    months = months_old(born, visit_date)
    return months is not None and 0 <= months < BABY_UNDER_MONTHS


def seen_alone_expected(born: object, visit_date: object) -> bool:
    """002 §2: aged 4 or more on the visit date, so seen alone regularly."""
    months = months_old(born, visit_date)
    return months is not None and months >= SEEN_ALONE_FROM_YEARS * 12


def age_text(born: object, on: object) -> str:
    """'7 months', '6 years'; "" before birth or without dates."""
    months = months_old(born, on)
    if months is None or months < 0:
        return ""
    if months < 24:
        return f"{months} month{'s' if months != 1 else ''}"
    return f"{months // 12} years"


def _is_day(value: object) -> bool:
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def age_on_visit_text(born: object, visit_date: object) -> str:
    """The age the record shows beside the date of birth: '7 months (baby)', '6 years'."""
    text = age_text(born, visit_date)
    return f"{text} (baby)" if text and is_baby(born, visit_date) else text
