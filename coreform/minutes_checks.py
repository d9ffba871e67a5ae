"""The checks on core group minutes: each question as coreform.forms.minutes describes it, then
the rules between answers registered in coreform.checks (quorum, chair, absent professionals,
specific timescales, append-only goals and actions, the meeting's due date).

`check_minutes` returns every problem at once and never raises; ERRORs stop finalising.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from coreform import checks
from coreform.checks import Rule, Severity
from coreform.forms.minutes import MINUTES_FORM
from coreform.forms.model import Field, Kind, Need
from coreform.minutes import SCALE_MAX, SCALE_MIN, CoreGroupMinutes
from coreform.validation import MAX_TEXT_CHARS, Problem, format_date, is_blank
from coreform.workdays import WorkingCalendar

# 001 §4.2: the chair updates the lead social worker "within 3 working days".
CHAIR_UPDATE_WORKING_DAYS = 3
QUORUM = 2  # 001 §4.7: "at least two professional members attend"

# 003 §3: "never acceptable to use the term 'as soon as possible' or 'ongoing'", and the like.
VAGUE_TIMESCALES = re.compile(
    r"\b(a\.?s\.?a\.?p\.?|as soon as (?:is )?(?:possible|practicable)|on-?\s?going|"
    r"when(?:ever)? (?:possible|appropriate|needed|required)|as and when|if possible|"
    r"in due course|as required|as needed|t\.?b\.?[ac]\.?|to be (?:confirmed|arranged|agreed)|"
    r"soon)\b",
    re.IGNORECASE,
)


def vague_timescale(text: str) -> str | None:
    """The first vague timescale in `text` ("ASAP", "ongoing"...), as typed; None if none."""
    match = VAGUE_TIMESCALES.search(text or "")
    return match.group(0) if match else None


def check_minutes(
    minutes: CoreGroupMinutes,
    *,
    calendar: WorkingCalendar,
    today: dt.date,
    previous: CoreGroupMinutes | None = None,
) -> list[Problem]:
    """Every problem with `minutes`; `previous` is the meeting they carry forward from (its
    agreed goals and actions must all still be there, changed only with a reason)."""
    problems: list[Problem] = []
    for section in MINUTES_FORM.sections:
        for spec in section.fields:
            _question(problems, spec, minutes, spec.key, minutes)
        if section.items is None:
            continue
        for index, item in enumerate(getattr(minutes, section.items.key, [])):
            for spec in section.items.all_fields():
                path = f"{section.items.key}[{index}].{spec.key}"
                _question(problems, spec, item, path, minutes)
    _attendance(problems, minutes, calendar)
    _next_steps(problems, minutes)
    _dates(problems, minutes, today)
    if previous is not None:
        _append_only(problems, minutes, previous)
    return problems


def _add(problems: list[Problem], rule: Rule, path: str, message: str) -> None:
    problems.append(Problem(path, f"{message} ({rule.source})", rule.severity))


def _question(
    problems: list[Problem], spec: Field, owner: Any, path: str, minutes: CoreGroupMinutes
) -> None:
    value = _read(owner, spec.key)
    if isinstance(value, str) and len(value) > MAX_TEXT_CHARS:
        problems.append(
            Problem(
                path,
                f"“{spec.label}” is {len(value):,} characters long; shorten it to "
                f"{MAX_TEXT_CHARS:,} or fewer (attach long documents to the child's file).",
                Severity.ERROR,
            )
        )
    if spec.kind is Kind.SCALE and value is not None and not _on_scale(value):
        _add(
            problems,
            checks.SCALE_RANGE,
            path,
            f"“{spec.label}” must be a whole number from {SCALE_MIN} to {SCALE_MAX}",
        )
    empty = value is None or (isinstance(value, str) and is_blank(value))
    if not empty or spec.fact:
        return
    need = spec.need_in(minutes, owner)
    if need is Need.OPTIONAL:
        return
    severity = Severity.ERROR if need is Need.REQUIRED else Severity.WARNING
    problems.append(Problem(path, f"{spec.missing} ({spec.source})", severity))


def _on_scale(value: Any) -> bool:
    return (
        isinstance(value, int) and not isinstance(value, bool) and SCALE_MIN <= value <= SCALE_MAX
    )


def _read(owner: Any, key: str) -> Any:
    value = owner
    for name in key.split("."):
        value = getattr(value, name, None)
        if value is None:
            return None
    return value


def _attendance(
    problems: list[Problem], minutes: CoreGroupMinutes, calendar: WorkingCalendar
) -> None:
    attended = [a for a in minutes.attendees if a.professional and a.attended]
    if len(attended) < QUORUM:
        _add(
            problems,
            checks.INQUORATE,
            "attendees",
            f"Not quorate: {len(attended)} professional member"
            f"{'' if len(attended) == 1 else 's'} attended; a core group needs at least {QUORUM}. "
            "Mark who attended and which attendees are professionals",
        )
    chairs = [index for index, a in enumerate(minutes.attendees) if a.chair]
    if len(chairs) != 1:
        _add(
            problems,
            checks.ONE_CHAIR,
            "attendees",
            "No one is marked as chair: mark the one attendee who chaired"
            if not chairs
            else f"{len(chairs)} attendees are marked as chair: mark only the one who chaired",
        )
    for index, attendee in enumerate(minutes.attendees):
        if attendee.professional and attendee.attended is False and not attendee.written_report:
            _add(
                problems,
                checks.ABSENT_WITHOUT_REPORT,
                f"attendees[{index}].written_report",
                f"{attendee.name.strip() or 'A professional'} did not attend: record whether they "
                "sent a written report in advance, and ask for one if not",
            )
    _chair_update(problems, minutes, calendar)


def _chair_update(
    problems: list[Problem], minutes: CoreGroupMinutes, calendar: WorkingCalendar
) -> None:
    spec = MINUTES_FORM.field("key_worker_updated_on")
    if not spec.applies_to(minutes, minutes) or minutes.actual_date is None:
        return
    due = calendar.add_working_days(minutes.actual_date, CHAIR_UPDATE_WORKING_DAYS)
    updated = minutes.key_worker_updated_on
    if updated is None:
        _add(
            problems,
            checks.CHAIR_UPDATES_KEY_WORKER,
            "key_worker_updated_on",
            "The chair is not the lead social worker: they update the lead social worker by "
            f"{format_date(due)}; record the date they did",
        )
    elif updated > due:
        _add(
            problems,
            checks.CHAIR_UPDATES_KEY_WORKER,
            "key_worker_updated_on",
            f"The lead social worker was updated on {format_date(updated)}, after "
            f"{format_date(due)} ({CHAIR_UPDATE_WORKING_DAYS} working days after the meeting)",
        )


def _next_steps(problems: list[Problem], minutes: CoreGroupMinutes) -> None:
    held = minutes.actual_date
    for index, step in enumerate(minutes.next_steps):
        past = held is not None and step.by_when is not None and step.by_when < held
        if past and step.achieved is not True and step.by_when is not None:
            _add(
                problems,
                checks.STEP_OVERDUE,
                f"next_steps[{index}].achieved",
                f"“{_short(step.action)}” was due by {format_date(step.by_when)}, before this "
                "meeting: mark it done, or record why it changed and give a new date",
            )
        for key in ("action", "who"):
            found = vague_timescale(getattr(step, key) or "")
            if found:
                _add(
                    problems,
                    checks.VAGUE_TIMESCALE,
                    f"next_steps[{index}].{key}",
                    f"“{found}” is not a timescale: give the date this step is to be done by "
                    "under “By when”, and say who does it",
                )
                break


def _dates(problems: list[Problem], minutes: CoreGroupMinutes, today: dt.date) -> None:
    held = minutes.actual_date
    if held is not None and held > today:
        _add(
            problems,
            checks.MEETING_DATES,
            "actual_date",
            f"The meeting's actual date, {format_date(held)}, is in the future: enter it as the "
            "planned date until the meeting is held",
        )
    if held is not None and minutes.next_date is not None and minutes.next_date <= held:
        _add(
            problems,
            checks.MEETING_DATES,
            "next_date",
            "The next core group is on or before this one: check its date",
        )
    due = minutes.due_date
    if due is None:
        return
    for key, day, word in (
        ("planned_date", minutes.planned_date, "planned for"),
        ("actual_date", held, "held on"),
    ):
        if day is not None and day > due:
            _add(
                problems,
                checks.MEETING_LATE,
                key,
                f"The meeting is {word} {format_date(day)}, after it was due on "
                f"{format_date(due)} ({minutes.due_rule or 'the profile'})",
            )
            return


def _append_only(
    problems: list[Problem], minutes: CoreGroupMinutes, previous: CoreGroupMinutes
) -> None:
    for key, text_key, word in (
        ("safety_goals", "goal", "safety goal"),
        ("next_steps", "action", "agreed action"),
    ):
        now = {item.id: (index, item) for index, item in enumerate(getattr(minutes, key))}
        for before in getattr(previous, key):
            if before.agreed_on is None:
                continue
            if before.id not in now:
                _add(
                    problems,
                    checks.AGREED_REMOVED,
                    key,
                    f"The {word} “{_short(getattr(before, text_key))}” agreed on "
                    f"{format_date(before.agreed_on)} is missing: it cannot be removed; put it "
                    "back, then mark it achieved or record why it changed",
                )
                continue
            index, item = now[before.id]
            changed = getattr(item, text_key).strip() != getattr(before, text_key).strip()
            if changed and is_blank(item.change_reason):
                who = "the conference changed it" if key == "safety_goals" else "it changed"
                _add(
                    problems,
                    checks.CHANGED_WITHOUT_REASON,
                    f"{key}[{index}].change_reason",
                    f"The agreed {word} was changed: record the reason ({who})",
                )


def _short(text: str, limit: int = 60) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[: limit - 1] + "…"
