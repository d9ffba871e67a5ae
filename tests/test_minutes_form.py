"""The Record of Core Group Meeting (001 template), described once: every heading of the template
is a label of the form, every key is an attribute of the minutes, and the minutes survive JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from coreform.forms.minutes import (
    ATTENDEE,
    CHILD_VIEWS,
    MINUTES_FORM,
    NEXT_STEP,
    SAFETY_GOAL,
    SCALING_GRID,
)
from coreform.forms.model import Kind, read_path
from coreform.minutes import (
    Attendee,
    AttendeeKind,
    ChildMinutes,
    CoreGroupMinutes,
    NextStep,
    SafetyGoal,
    minutes_from_dict,
    minutes_to_dict,
)
from coreform.records import RecordFormatError


def _sample() -> CoreGroupMinutes:
    minutes = CoreGroupMinutes(
        family_name="Rahman",
        worker_name="Agnieszka Kowalczyk",
        actual_date=dt.date(2026, 12, 3),
        attendees=[
            Attendee(name="Nguyễn Thị Lan", role="Health visitor", kind=AttendeeKind.PROFESSIONAL),
            Attendee(name="Fatima Rahman", role="Mother", kind=AttendeeKind.PARENT_CARER),
        ],
        children=[ChildMinutes(child_id="c1", name="Ayaan Rahman")],
        safety_goals=[SafetyGoal(goal="Ayaan sleeps in his own cot every night")],
    )
    minutes.next_steps = [
        NextStep(
            action="Health visitor sees Ayaan at home",
            who="Nguyễn Thị Lan",
            by_when=dt.date(2026, 12, 10),
            goal_id=minutes.safety_goals[0].id,
        )
    ]
    minutes.children[0].scaling.parents.this_meeting = 6
    return minutes


def test_every_heading_of_the_template_is_a_label_of_the_form() -> None:
    labels = {spec.label for _section, spec in MINUTES_FORM.fields()}
    labels |= {section.title for section in MINUTES_FORM.sections}
    for section in MINUTES_FORM.sections:
        if section.items is not None:
            labels |= {spec.label for spec in section.items.fields}
    labels |= {label for _key, label in SCALING_GRID.columns}
    # The template's headings, word for word (001, "Core Group Minutes Template").
    headings = [
        "Form Start Date",
        "Worker Name",
        "Date of Initial Child Protection Conference",
        "Meeting Due Date",
        "Meeting Planned Date",
        "Meeting Actual Date",
        "Venue",
        "Core Group Meeting Notes / Minutes Completed",
        "Attendee",
        "Role",
        "Consulted",
        "Invited",
        "Attended",
        "Chair",
        "What does the child say about how things are going?",
        "What does the family say about how things are going?",
        "Has the child been seen in timescales?",
        "Does the child understand their right to have an advocate support them during conference?",
        "Progress of Plan",
        "Next Steps",
        "Initial Conference",
        "The last meeting",
        "This Meeting",
        "Summary of progress made and scaling discussion",
        "WHAT'S WORKING WELL?",
        "WHAT ARE WE WORRIED ABOUT?",
        "WHAT NEEDS TO HAPPEN?",
        "Review next Core group:",
    ]
    for heading in headings:
        assert heading in labels, heading


def test_every_key_of_the_form_reads_an_answer_of_the_minutes() -> None:
    minutes = _sample()
    for _section, spec in MINUTES_FORM.fields():
        read_path(minutes, spec.key)
    for section in MINUTES_FORM.sections:
        if section.items is None:
            continue
        for item in read_path(minutes, section.items.key):
            for spec in section.items.all_fields():
                read_path(item, spec.key)
    cell = MINUTES_FORM.field("children[0].scaling.parents.this_meeting")
    assert cell.kind is Kind.SCALE
    assert cell.label == "Scaling: Parents, This Meeting"
    assert read_path(minutes, "children[0].scaling.parents.this_meeting") == 6


def test_every_question_cites_its_source_and_the_rows_are_marked() -> None:
    for _section, spec in MINUTES_FORM.fields():
        assert spec.source.startswith("001"), spec.key
    assert MINUTES_FORM.section("attendees").items is ATTENDEE and ATTENDEE.table
    assert MINUTES_FORM.section("safety_goals").items is SAFETY_GOAL and SAFETY_GOAL.append_only
    assert MINUTES_FORM.section("next_steps").items is NEXT_STEP and NEXT_STEP.append_only
    assert MINUTES_FORM.section("views").items is CHILD_VIEWS and CHILD_VIEWS.fixed
    assert MINUTES_FORM.field("children[0].seen_in_timescales").fact  # answered, never typed


def test_the_minutes_survive_json_and_a_stranger_is_refused() -> None:
    minutes = _sample()
    text = json.dumps(minutes_to_dict(minutes), ensure_ascii=False)
    assert minutes_from_dict(json.loads(text)) == minutes
    with pytest.raises(RecordFormatError, match="not coreform core group minutes"):
        minutes_from_dict({"schema": "coreform.monitoring-record"})
    newer = {**minutes_to_dict(minutes), "schema_version": 99}
    with pytest.raises(RecordFormatError, match="newer coreform"):
        minutes_from_dict(newer)
    broken = minutes_to_dict(minutes)
    broken["minutes"]["children"][0]["scaling"]["child"]["this_meeting"] = "ten"
    with pytest.raises(RecordFormatError, match="whole number"):
        minutes_from_dict(broken)
    assert dataclasses.replace(minutes, venue="Children's Centre").venue == "Children's Centre"
