"""What the minutes' banners say: when the meeting was due and by when the minutes must go out,
worded from what coreform.minutes_schedule computed."""

from __future__ import annotations

from coreform.deadlines import DeadlineState
from coreform.minutes import CoreGroupMinutes
from coreform.minutes_schedule import MinutesDeadline
from ui.formatting import day_text, working_days_text
from ui.pages.banner import Level


def schedule_message(
    minutes: CoreGroupMinutes, deadline: MinutesDeadline | None
) -> tuple[Level, str]:
    """The meeting's due date and rule, then the minutes' distribution deadline once held."""
    if minutes.due_date is None:
        due = "No due date yet: the plan's initial conference is needed (Child's plan page)."
    else:
        rule = f" — {minutes.due_rule}" if minutes.due_rule else ""
        due = f"Due date of this core group: {day_text(minutes.due_date)}{rule}."
    if deadline is None:
        return Level.INFO, due
    level, sentence = deadline_sentence(deadline)
    return level, f"{due} {sentence}"


def deadline_sentence(deadline: MinutesDeadline) -> tuple[Level, str]:
    """By when the minutes must be distributed (001 §4.3: 15 working days; 004 §9.3.26: 5)."""
    sent = deadline.deadline
    days = deadline.working_days
    what = f"{working_days_text(days)} after the meeting ({deadline.source})"
    if sent.done:
        return Level.INFO, f"Minutes distributed; they were due out by {day_text(sent.due)}."
    if sent.state is DeadlineState.LATE:
        late = working_days_text(sent.working_days_late)
        return Level.ERROR, (
            f"Late: the minutes were due out by {day_text(sent.due)}, {what}; {late} late."
        )
    level = Level.WARNING if sent.state is DeadlineState.DUE_TODAY else Level.INFO
    return level, f"Distribute the minutes by {day_text(sent.due)}, {what}."
