"""Completeness and timeliness checks on a monitoring record.

`validate_record` returns every problem at once, as `Problem(field, message, severity)`, so the
editor can show them beside the fields while the user types. ERRORs block submitting; WARNINGs are
advice. It never raises, whatever the record's fields hold: a value of the wrong type is reported
as a problem, because records also arrive from imports and half-typed drafts.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from coreform.records import (
    BABY_UNDER_MONTHS,
    LONDON,
    MonitoringRecord,
    Setting,
    months_between,
    now_london,
)
from coreform.workdays import WorkingCalendar

# 000: the record is completed and sent to the key worker no later than 2 working days after.
COMPLETION_WORKING_DAYS = 2

# Longer than any real answer; stops a mistaken paste of a whole document (tens of MB) being saved.
MAX_TEXT_CHARS = 20_000

# Years before this are typing slips (0225 for 2025); the calendar has no holidays for them.
_EARLIEST_YEAR = 1900

# 004 §9.4.10: non-specific labels to avoid in a child's presentation and behaviour.
_VAGUE_LABELS = re.compile(r"\b(disturbed|acting\s+out|unkempt|unhappy)\b", re.IGNORECASE)

# A valid-looking address: something@domain.tld, no spaces; the mail server decides the rest.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")

# Names in messages are cut to this length so a pasted paragraph does not flood the message.
_NAME_IN_MESSAGE_CHARS = 40


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing to fix (ERROR) or consider (WARNING); `field` is a path like `children[0].seen`."""

    field: str
    message: str
    severity: Severity


class DeadlineState(StrEnum):
    IN_TIME = "in_time"
    DUE_TODAY = "due_today"
    LATE = "late"


def completion_deadline(visit_date: dt.date, calendar: WorkingCalendar) -> dt.date:
    """000: the last day to complete and send the record, 2 working days after the visit."""
    return calendar.add_working_days(visit_date, COMPLETION_WORKING_DAYS)


def deadline_state(deadline: dt.date, today: dt.date) -> DeadlineState:
    if today < deadline:
        return DeadlineState.IN_TIME
    if today == deadline:
        return DeadlineState.DUE_TODAY
    return DeadlineState.LATE


def validate_record(
    record: MonitoringRecord,
    *,
    calendar: WorkingCalendar,
    today: dt.date,
    now: dt.datetime | None = None,
) -> list[Problem]:
    """Every problem with `record`, errors and warnings, section by section. Never raises.

    `now` decides whether a visit today has started yet; without it the clock is read, and only
    when `today` is the clock's date (so tests with a fixed `today` stay repeatable).
    """
    if now is None:
        clock = now_london()
        now = clock if clock.date() == today else None
    elif now.tzinfo is None:
        now = now.replace(tzinfo=LONDON)
    return _Checker(record, calendar, today, now).run()


def format_date(day: dt.date) -> str:
    """A date as people write it: Wednesday 30 December 2026."""
    return f"{day:%A} {day.day} {day:%B} {day.year}"


class _Checker:
    """Collects problems for one record; each `_check_*` method is one section of the form."""

    def __init__(
        self,
        record: MonitoringRecord,
        calendar: WorkingCalendar,
        today: dt.date,
        now: dt.datetime | None,
    ) -> None:
        self.record = record
        self.calendar = calendar
        self.today = today
        self.now = now
        self.problems: list[Problem] = []
        self.visit_date: dt.date | None = None
        self.visit_start: dt.datetime | None = None
        self.setting: Setting | None = None

    def run(self) -> list[Problem]:
        self._check_contact()
        self._check_children()
        self._check_people()
        self._check_observations()
        self._check_concerns()
        self._check_parents()
        self._check_sending()
        self._check_next()
        return self.problems

    # ---- reading values safely --------------------------------------------------------------

    def _value(self, owner: object, name: str) -> object:
        return getattr(owner, name, None)

    def _add(self, path: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(path, message, severity))

    def _text(self, owner: object, name: str, path: str, label: str) -> str:
        """The field's text ("" when unusable), reporting wrong types, NULs and huge pastes."""
        value = self._value(owner, name)
        if value is None:
            return ""
        if not isinstance(value, str):
            self._add(path, f"{label} could not be read. Please type it again.")
            return ""
        if len(value) > MAX_TEXT_CHARS:
            self._add(
                path,
                f"{label} is too long ({len(value):,} characters). "
                f"Please shorten it to {MAX_TEXT_CHARS:,} characters or fewer.",
            )
        if "\x00" in value:
            # PostgreSQL cannot store NUL characters in text, and they show as nothing on screen.
            self._add(
                path,
                f"{label} contains a hidden character from a paste. "
                "Please delete it and type or paste it again as plain text.",
            )
        return value

    def _required_text(self, owner: object, name: str, path: str, label: str, missing: str) -> str:
        text = self._text(owner, name, path, label)
        if _is_blank(text) and isinstance(self._value(owner, name), str | None):
            self._add(path, missing)
        return text

    def _answer(self, owner: object, name: str, path: str, missing: str | None) -> bool | None:
        """A yes/no answer; None when unanswered (reported as `missing` if given) or unreadable."""
        value = self._value(owner, name)
        if isinstance(value, bool):
            return value
        if value is None:
            if missing is not None:
                self._add(path, missing)
            return None
        self._add(path, "This yes/no answer could not be read. Please answer it again.")
        return None

    def _date(self, owner: object, name: str, path: str, label: str) -> dt.date | None:
        value = self._value(owner, name)
        if value is None:
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if not isinstance(value, dt.date):
            self._add(path, f"{label} could not be read. Please enter the date again.")
            return None
        if value.year < _EARLIEST_YEAR:
            self._add(path, f"{label} ({value.isoformat()}) looks wrong. Please check the year.")
            return None
        return value

    def _moment(self, owner: object, name: str, label: str) -> dt.datetime | None:
        """A date and time, made aware (Europe/London when none is given)."""
        value = self._value(owner, name)
        if value is None:
            return None
        if not isinstance(value, dt.datetime):
            self._add(name, f"{label} could not be read. Please enter it again.")
            return None
        if value.year < _EARLIEST_YEAR:
            self._add(
                name, f"{label} ({value.date().isoformat()}) looks wrong. Please check the year."
            )
            return None
        return value if value.tzinfo else value.replace(tzinfo=LONDON)

    def _not_future(self, day: dt.date | None, path: str, message: str) -> None:
        if day is not None and day > self.today:
            self._add(path, message)

    def _not_before_visit(self, day: dt.date | None, path: str, label: str) -> None:
        if day is not None and self.visit_date is not None and day < self.visit_date:
            self._add(
                path,
                f"{label} ({format_date(day)}) is before the visit "
                f"({format_date(self.visit_date)}). Please check both dates.",
            )

    # ---- sections of the form ---------------------------------------------------------------

    def _check_contact(self) -> None:
        record = self.record
        # 000: the date of the visit or interaction starts every timescale.
        visit_date = self._date(record, "visit_date", "visit_date", "The visit date")
        if visit_date is None and self._value(record, "visit_date") is None:
            self._add("visit_date", "Enter the date of the visit or contact.")
        visit_time = self._value(record, "visit_time")
        if visit_time is not None and not isinstance(visit_time, dt.time):
            self._add("visit_time", "The start time could not be read. Please enter it again.")
            visit_time = None
        if visit_date is not None:
            self.visit_date = visit_date
            start = visit_time.replace(tzinfo=None) if visit_time else dt.time(0)
            self.visit_start = dt.datetime.combine(visit_date, start, LONDON)
            # Sane dates: a record describes a visit that has happened.
            if visit_date > self.today:
                self._add("visit_date", "The visit date is in the future. Please check it.")
            elif (
                visit_time is not None
                and visit_date == self.today
                and self.now is not None
                and self.visit_start > self.now
            ):
                self._add("visit_time", "The start time is later than now. Please check it.")

        # 000: where the contact took place.
        setting = self._value(record, "setting")
        self.setting = _setting(setting)
        if setting is None:
            self._add("setting", "Say where the visit or contact took place.")
        elif self.setting is None:
            self._add(
                "setting", "The place of the visit could not be read. Please choose it again."
            )
        other = self._text(record, "setting_other", "setting_other", "The place")
        if self.setting is Setting.OTHER and _is_blank(other):
            self._add("setting_other", "Say where the visit took place.")

        self._answer(record, "announced", "announced", None)
        # 000: the task of the plan this contact served.
        self._required_text(
            record,
            "purpose",
            "purpose",
            "The purpose",
            "Say what the visit was for: which task of the plan it served.",
        )
        self._text(record, "others_present", "others_present", "Who else was present")
        self._text(record, "family_name", "family_name", "The family name")

    def _check_children(self) -> None:
        children = self._value(self.record, "children")
        if children is not None and not isinstance(children, list | tuple):
            self._add("children", "The list of children could not be read. Please add them again.")
            return
        if not children:
            # 000: one record is about one or more children of the family.
            self._add("children", "Add at least one child.")
            return
        for index, observation in enumerate(children):
            self._check_child(index, observation)

    def _check_child(self, index: int, observation: object) -> None:
        path = f"children[{index}]"
        child = self._value(observation, "child")
        name = self._required_text(
            child,
            "name",
            f"{path}.child.name",
            "The child's name",
            f"Enter child {index + 1}'s name.",
        )
        who = _display_name(name) or f"child {index + 1}"

        born = self._date(
            child, "date_of_birth", f"{path}.child.date_of_birth", f"{who}'s date of birth"
        )
        if born is None and self._value(child, "date_of_birth") is None:
            self._add(f"{path}.child.date_of_birth", f"Enter {who}'s date of birth.")
        baby = False
        if born is not None and born > self.today:
            self._add(
                f"{path}.child.date_of_birth",
                f"{who}'s date of birth is in the future. Please check it.",
            )
        elif born is not None and self.visit_date is not None:
            if self.visit_date < born:
                self._add(
                    f"{path}.child.date_of_birth",
                    f"{who}'s date of birth is after the visit date. Please check both dates.",
                )
            # 002 §2: a child under 18 months is a baby, seen awake rather than seen alone.
            baby = 0 <= months_between(born, self.visit_date) < BABY_UNDER_MONTHS

        # 000: whether each child was seen, and why not.
        seen = self._answer(observation, "seen", f"{path}.seen", f"Say whether {who} was seen.")
        reason = self._text(observation, "not_seen_reason", f"{path}.not_seen_reason", "The reason")
        if seen is False and _is_blank(reason):
            self._add(f"{path}.not_seen_reason", f"Say why {who} was not seen.")

        self._answer(observation, "spoken_with", f"{path}.spoken_with", None)
        alone = self._answer(observation, "seen_alone", f"{path}.seen_alone", None)
        awake = self._answer(observation, "seen_awake", f"{path}.seen_awake", None)
        alone_reason = self._text(
            observation, "not_seen_alone_reason", f"{path}.not_seen_alone_reason", "The reason"
        )
        if seen is True and baby and awake is None:
            # 002 §2: babies are seen awake at every visit.
            self._add(f"{path}.seen_awake", f"Say whether {who} was seen awake.", Severity.WARNING)
        if seen is True and not baby:
            # 000, 004 §9.4.6: seen alone with the parent's agreement; a reason when not.
            if alone is None:
                self._add(
                    f"{path}.seen_alone", f"Say whether {who} was seen alone.", Severity.WARNING
                )
            elif alone is False and _is_blank(alone_reason):
                self._add(f"{path}.not_seen_alone_reason", f"Say why {who} was not seen alone.")

        bedroom = self._answer(observation, "bedroom_seen", f"{path}.bedroom_seen", None)
        if self.setting is Setting.HOME and bedroom is None:
            # 000, 004 §9.4.6: the bedroom is seen at least once between conferences.
            self._add(
                f"{path}.bedroom_seen",
                f"Say whether {who}'s bedroom was seen on this home visit.",
                Severity.WARNING,
            )

        presentation = self._text(
            observation, "presentation", f"{path}.presentation", f"{who}'s presentation"
        )
        labels = _vague_labels(presentation)
        if labels:
            # 004 §9.4.10: factual reports, not labels such as "disturbed" or "unkempt".
            quoted = ", ".join(f"“{label}”" for label in labels)
            self._add(
                f"{path}.presentation",
                f"Instead of {quoted}, describe what {who} did, said and looked like.",
                Severity.WARNING,
            )
        self._text(
            observation,
            "wishes_and_feelings",
            f"{path}.wishes_and_feelings",
            f"{who}'s wishes and feelings",
        )
        self._text(child, "local_identifier", f"{path}.child.local_identifier", "The identifier")

    def _check_people(self) -> None:
        key_worker = self._value(self.record, "key_worker")
        # 000: the record goes to the key worker, by email.
        self._required_text(
            key_worker,
            "name",
            "key_worker.name",
            "The key worker's name",
            "Enter the key worker's name.",
        )
        email = self._required_text(
            key_worker,
            "email",
            "key_worker.email",
            "The key worker's email",
            "Enter the key worker's email address, so the record can be sent to them.",
        )
        if not _is_blank(email) and not _EMAIL.fullmatch(email.strip()):
            self._add(
                "key_worker.email",
                "The key worker's email address does not look right. It should look like "
                "name@example.gov.uk.",
            )
        self._text(key_worker, "team", "key_worker.team", "The key worker's team")
        self._text(key_worker, "phone", "key_worker.phone", "The key worker's phone number")

        completed_by = self._value(self.record, "completed_by")
        # 000: who completed the record, so the key worker knows who saw the child.
        for name, label, missing in (
            ("name", "Your name", "Enter your name."),
            ("role", "Your role", "Enter your role (for example class teacher, health visitor)."),
            ("agency", "Your agency", "Enter your agency or organisation."),
        ):
            self._required_text(completed_by, name, f"completed_by.{name}", label, missing)
        self._text(completed_by, "email", "completed_by.email", "Your email")
        self._text(completed_by, "phone", "completed_by.phone", "Your phone number")

    def _check_observations(self) -> None:
        record = self.record
        for name, label in (
            ("observations", "The observations"),
            ("home_conditions", "The home conditions"),
            ("family_circumstances", "The family circumstances"),
        ):
            self._text(record, name, name, label)
        incidents = self._text(
            record, "incidents_injuries", "incidents_injuries", "The incidents or injuries"
        )
        if not _is_blank(incidents) and self._value(record, "immediate_concerns") is not True:
            # 002 §6: any new incident or injury must be subject to full child protection enquiries.
            self._add(
                "incidents_injuries",
                "New incidents or injuries must be looked into under child protection procedures. "
                "Tell the key worker now, and answer yes to “immediate concerns”.",
                Severity.WARNING,
            )

    def _check_concerns(self) -> None:
        record = self.record
        # 000: immediate concerns are told at once to the key worker or another social worker.
        concerns = self._answer(
            record,
            "immediate_concerns",
            "immediate_concerns",
            "Say whether you have immediate concerns about the child's safety.",
        )
        who = self._text(record, "concerns_told_who", "concerns_told_who", "Who was told")
        told_at = self._moment(record, "concerns_told_at", "When you told them")
        if concerns is True:
            if _is_blank(who):
                self._add(
                    "concerns_told_who",
                    "Say who you told about your concerns (the key worker, or another social "
                    "worker if they were not available).",
                )
            if self._value(record, "concerns_told_at") is None:
                self._add("concerns_told_at", "Say when you told them about your concerns.")
        self._answer(
            record,
            "cp_procedures_considered",
            "cp_procedures_considered",
            "Say whether child protection procedures were considered." if concerns else None,
        )
        if told_at is not None:
            if self.visit_start is not None and told_at < self.visit_start:
                self._add(
                    "concerns_told_at",
                    "You told them before the visit started. Please check the date and time.",
                )
            elif (self.now is not None and told_at > self.now) or told_at.date() > self.today:
                self._add(
                    "concerns_told_at", "When you told them is in the future. Please check it."
                )

    def _check_parents(self) -> None:
        record = self.record
        # 000: tell parents/carers of the observations unless that puts the child or you at risk.
        informed = self._answer(
            record,
            "parents_informed",
            "parents_informed",
            "Say whether the parents or carers were told what you saw.",
        )
        reason = self._text(
            record, "parents_not_informed_reason", "parents_not_informed_reason", "The reason"
        )
        if informed is False and _is_blank(reason):
            self._add(
                "parents_not_informed_reason",
                "Say why the parents or carers were not told (for example, it would put the "
                "child or you at immediate risk).",
            )
        # 000: a copy goes to the parents/carers unless that puts the child at risk of harm.
        copy = self._answer(
            record,
            "copy_to_parents",
            "copy_to_parents",
            "Say whether the parents or carers will get a copy of this record.",
        )
        no_copy = self._text(record, "no_copy_reason", "no_copy_reason", "The reason")
        if copy is False and _is_blank(no_copy):
            self._add(
                "no_copy_reason",
                "Say why the parents or carers will not get a copy (for example, it would put "
                "the child at risk of harm).",
            )

    def _check_sending(self) -> None:
        record = self.record
        completed = self._date(record, "date_completed", "date_completed", "The date completed")
        sent = self._date(record, "date_sent", "date_sent", "The date sent")
        self._not_future(
            completed, "date_completed", "The date completed is in the future. Please check it."
        )
        self._not_future(sent, "date_sent", "The date sent is in the future. Please check it.")
        self._not_before_visit(completed, "date_completed", "The date completed")
        self._not_before_visit(sent, "date_sent", "The date sent")
        if completed is not None and sent is not None and sent < completed:
            self._add("date_sent", "The date sent is before the date completed. Please check both.")
        lateness = self._text(
            record, "lateness_reason", "lateness_reason", "The reason for lateness"
        )

        visit = self.visit_date
        if visit is None or visit > self.today:
            return
        # 000: completed and sent to the key worker no later than 2 working days after the visit.
        deadline = completion_deadline(visit, self.calendar)
        finished = completed if completed is not None else self.today
        late = finished > deadline or (sent is not None and sent > deadline)
        if late and _is_blank(lateness):
            self._add(
                "lateness_reason",
                f"This record was due by {format_date(deadline)}, {COMPLETION_WORKING_DAYS} "
                "working days after the visit. Say why it was completed or sent late.",
            )

    def _check_next(self) -> None:
        record = self.record
        upcoming = self._date(record, "next_contact", "next_contact", "The next contact date")
        self._not_before_visit(upcoming, "next_contact", "The next contact")
        self._text(record, "next_contact_note", "next_contact_note", "The note on the next contact")


def _is_blank(text: str) -> bool:
    """True when nothing visible was typed: spaces, zero-width and control characters only."""
    stripped = text.strip()
    if len(stripped) > MAX_TEXT_CHARS:
        return False  # already an error for its length; not worth scanning character by character
    return not any(unicodedata.category(char)[0] not in "CZ" for char in stripped)


def _vague_labels(text: str) -> list[str]:
    found: list[str] = []
    for match in _VAGUE_LABELS.finditer(text):
        label = " ".join(match.group(1).lower().split())
        if label not in found:
            found.append(label)
    return found


def _setting(value: object) -> Setting | None:
    if isinstance(value, str) and value in _SETTING_VALUES:
        return Setting(value)
    return None


_SETTING_VALUES = frozenset(setting.value for setting in Setting)


def _display_name(name: str) -> str:
    """The child's name for a message: one line, no control characters, not too long."""
    head = name[: _NAME_IN_MESSAGE_CHARS * 4]
    one_line = " ".join(head.split())
    short = "".join(char for char in one_line if unicodedata.category(char) != "Cc")
    if len(short) > _NAME_IN_MESSAGE_CHARS:
        return short[: _NAME_IN_MESSAGE_CHARS - 1] + "…"
    return short
