"""Whatever the minutes hold (odd Unicode, empty rows, scales out of range, dates in any order),
the checks answer with problems and never raise, and the minutes survive their JSON form."""

from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings, strategies as st

from coreform.minutes import (
    Attendee,
    AttendeeKind,
    ChildMinutes,
    CoreGroupMinutes,
    NextStep,
    SafetyGoal,
    ScaleRow,
    Scaling,
    minutes_from_dict,
    minutes_to_dict,
)
from coreform.minutes_checks import check_minutes
from coreform.workdays import WorkingCalendar

ENGLAND = WorkingCalendar("ENG")
_days = st.none() | st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31))
_answers = st.none() | st.booleans()
_text = st.text(max_size=40)
_scale = st.none() | st.integers(-3, 13)
_row = st.builds(ScaleRow, _scale, _scale, _scale)
_minutes = st.builds(
    CoreGroupMinutes,
    worker_name=_text,
    actual_date=_days,
    planned_date=_days,
    due_date=_days,
    next_date=_days,
    key_worker_updated_on=_days,
    dissent_noted=_answers,
    last_before_review=st.booleans(),
    attendees=st.lists(
        st.builds(
            Attendee,
            name=_text,
            kind=st.none() | st.sampled_from(AttendeeKind),
            attended=_answers,
            chair=_answers,
            written_report=_answers,
        ),
        max_size=5,
    ),
    children=st.lists(
        st.builds(ChildMinutes, name=_text, scaling=st.builds(Scaling, _row, _row, _row)),
        max_size=3,
    ),
    safety_goals=st.lists(st.builds(SafetyGoal, goal=_text, agreed_on=_days), max_size=3),
    next_steps=st.lists(
        st.builds(NextStep, action=_text, who=_text, by_when=_days, achieved=_answers), max_size=3
    ),
)


@settings(max_examples=60, deadline=None)
@given(minutes=_minutes, previous=st.none() | _minutes)
def test_the_checks_never_raise_and_the_json_round_trips(
    minutes: CoreGroupMinutes, previous: CoreGroupMinutes | None
) -> None:
    problems = check_minutes(
        minutes, calendar=ENGLAND, today=dt.date(2026, 12, 1), previous=previous
    )
    assert all(problem.message and problem.field for problem in problems)
    assert minutes_from_dict(json.loads(json.dumps(minutes_to_dict(minutes)))) == minutes
