"""Completeness and timeliness checks on a monitoring record.

`validate_record` returns every problem at once, as `Problem(field, message, severity)`, so the
editor can show them beside the fields while the user types. ERRORs block submitting; WARNINGs are
advice. It never raises, whatever the record's fields hold: a value of the wrong type is reported
as a problem, because records also arrive from imports and half-typed drafts.

What every question needs (its kind, when it applies, the message when it is missing) comes from
`coreform.forms.monitoring`; the rules between answers (dates in order, the deadline, factual
wording) are below, each naming the seed it follows. (Longer than 400 lines because reading
every kind of answer defensively belongs with the checks that use it.)
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coreform import checks
from coreform.checks import Rule, Severity
from coreform.deadlines import COMPLETION_WORKING_DAYS, deadline
from coreform.forms.model import Field, Kind, Need
from coreform.forms.monitoring import MONITORING_FORM
from coreform.records import (
    LONDON,
    MonitoringRecord,
    RecordState,
    SendMethod,
    date_in_range,
    now_london,
    out_of_range_message,
)
from coreform.workdays import WorkingCalendar

# Longer than any real answer; stops a mistaken paste of a whole document (tens of MB) being saved.
MAX_TEXT_CHARS = 20_000

# Years before this are typing slips (0225 for 2025); the calendar has no holidays for them.

# 004 §9.4.10: "avoiding non-specific labels such as 'disturbed / acting out / unkempt, unhappy'".
_VAGUE_LABELS = re.compile(r"\b(disturbed|acting\s+out|unkempt|unhappy)\b", re.IGNORECASE)
# 004 §9.4.10: "(distinguishing between fact and opinion)": words that mark a view, and words
# that show the writer already said it is one.
_OPINION = re.compile(
    r"\b(I think|I feel|I believe|seem(s|ed)?|appear(s|ed)? to|probably|obviously)\b",
    re.IGNORECASE,
)
_OPINION_SAID = re.compile(r"\b(opinion|my view|I think|I feel|I believe)\b", re.IGNORECASE)

# A valid-looking address: something@domain.tld, no spaces; the mail server decides the rest.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")

# Names in messages are cut to this length so a pasted paragraph does not flood the message.
_NAME_IN_MESSAGE_CHARS = 40

_MISSING = object()


@dataclass(frozen=True)
class Problem:
    """One thing to fix (ERROR) or consider (WARNING); `field` is a path like `children[0].seen`."""

    field: str
    message: str
    severity: Severity


def validate_record(
    record: MonitoringRecord,
    *,
    calendar: WorkingCalendar,
    today: dt.date,
    now: dt.datetime | None = None,
    parent_emails: Sequence[str] | None = None,
) -> list[Problem]:
    """Every problem with `record`, errors and warnings, section by section. Never raises.

    `now` decides whether a visit today has started yet; without it the clock is read, and only
    when `today` is the clock's date (so tests with a fixed `today` stay repeatable).
    `parent_emails` are the family's parents' and carers' addresses, when known.
    """
    if now is None:
        clock = now_london()
        now = clock if clock.date() == today else None
    elif now.tzinfo is None:
        now = now.replace(tzinfo=LONDON)
    return _Checker(record, calendar, today, now, parent_emails).run()


def format_date(day: dt.date) -> str:
    """A date as people write it: Wednesday 30 December 2026."""
    return f"{day:%A} {day.day} {day:%B} {day.year}"


class _Checker:
    """Collects problems for one record: each question as the form defines it, then the rules."""

    def __init__(
        self,
        record: MonitoringRecord,
        calendar: WorkingCalendar,
        today: dt.date,
        now: dt.datetime | None,
        parent_emails: Sequence[str] | None = None,
    ) -> None:
        self.record = record
        self.parent_emails = parent_emails
        self.calendar = calendar
        self.today = today
        self.now = now
        self.problems: list[Problem] = []
        # The readable value of every question, by path (`visit_date`, `children[0].seen`).
        self.values: dict[str, Any] = {}
        self.visit_date: dt.date | None = None
        self.visit_start: dt.datetime | None = None

    def run(self) -> list[Problem]:
        for section in MONITORING_FORM.sections:
            for spec in section.fields:
                self._question(spec, self.record, spec.key, self.record, "")
            if section.key == "visit":
                self._check_visit()
            if section.items is not None:
                self._check_items(section.items.key, section.items.fields)
        self._check_people()
        self._check_observations()
        self._check_concerns()
        self._check_parents()
        self._check_sending()
        self._check_next()
        return self.problems

    # ---- one question, as the form defines it -----------------------------------------------

    def _add(self, path: str, message: str, severity: Severity = Severity.ERROR) -> None:
        self.problems.append(Problem(path, message, severity))

    def _break(self, rule: Rule, path: str, message: str) -> None:
        """A rule between answers is broken: the message names the seed it follows."""
        self._add(path, f"{message} ({rule.source})", rule.severity)

    def _question(self, spec: Field, owner: Any, path: str, item: Any, who: str) -> None:
        """Reads one answer, reporting what cannot be read, and what is missing where it applies."""
        raw = _read(owner, spec.key)
        value = raw if raw is not _MISSING else None
        name = f"“{spec.label}”" + (f" for {who}" if who else "")
        readable = self._readable(spec, value, path, name)
        self.values[path] = readable
        empty = value is None or (isinstance(value, str) and is_blank(value))
        need = spec.need_in(self.record, item) if empty else Need.OPTIONAL
        if need is not Need.OPTIONAL:
            severity = Severity.ERROR if need is Need.REQUIRED else Severity.WARNING
            message = spec.missing.format(who=who or "the child")
            self._add(path, f"{message} ({spec.source})" if spec.source else message, severity)

    def _readable(self, spec: Field, value: Any, path: str, name: str) -> Any:
        """The value when it is of the question's kind, else None (and a problem saying so)."""
        if value is None:
            return None
        kind = spec.kind
        if kind in (Kind.TEXT, Kind.LONG_TEXT):
            return self._text(value, path, name)
        if kind is Kind.YES_NO or kind is Kind.CHOICE:
            if spec.choice_label(value) is None:
                self._add(path, f"The answer to {name} could not be read. Please answer it again.")
                return None
            return value
        if kind is Kind.WORKING_DAYS:
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                self._add(path, f"{name} could not be read.")
                return None
            return value
        if kind is Kind.TIME:
            if not isinstance(value, dt.time):
                self._add(path, f"{name} could not be read. Please enter it again.")
                return None
            return value
        moment = kind is Kind.DATETIME
        if isinstance(value, dt.datetime) and not moment:
            value = value.date()
        if not isinstance(value, dt.datetime if moment else dt.date):
            self._add(path, f"{name} could not be read. Please enter it again.")
            return None
        day = value.date() if isinstance(value, dt.datetime) else value
        if not date_in_range(day):
            self._add(path, f"{name}: {out_of_range_message(day)}")
            return None
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            return value.replace(tzinfo=LONDON)
        return value

    def _text(self, value: Any, path: str, name: str) -> str:
        """The field's text ("" when unusable), reporting wrong types, NULs and huge pastes."""
        if not isinstance(value, str):
            self._add(path, f"{name} could not be read. Please type it again.")
            return ""
        if len(value) > MAX_TEXT_CHARS:
            self._add(
                path,
                f"{name} is too long ({len(value):,} characters). "
                f"Please shorten it to {MAX_TEXT_CHARS:,} characters or fewer.",
            )
        if "\x00" in value:
            # PostgreSQL cannot store NUL characters in text, and they show as nothing on screen.
            self._add(
                path,
                f"{name} contains a hidden character from a paste. "
                "Please delete it and type or paste it again as plain text.",
            )
        return value

    def _not_future(self, path: str, message: str) -> None:
        day = self.values.get(path)
        if day is not None and day > self.today:
            self._add(path, message)

    def _not_before_visit(self, path: str, label: str) -> None:
        day = self.values.get(path)
        if day is not None and self.visit_date is not None and day < self.visit_date:
            self._add(
                path,
                f"{label} ({format_date(day)}) is before the visit "
                f"({format_date(self.visit_date)}). Please check both dates.",
            )

    # ---- rules between answers ----------------------------------------------------------------

    def _check_visit(self) -> None:
        # 000: the date of the visit or interaction starts every timescale.
        visit_date = self.values.get("visit_date")
        visit_time = self.values.get("visit_time")
        if visit_date is None:
            return
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

    def _check_items(self, key: str, fields: tuple[Field, ...]) -> None:
        items = _read(self.record, key)
        if items is not _MISSING and items is not None and not isinstance(items, list | tuple):
            self._add(key, "The list of children could not be read. Please add them again.")
            return
        if not isinstance(items, list | tuple) or not items:
            # 000: one record is about one or more children of the family.
            self._add(key, "Add at least one child.")
            return
        for index, item in enumerate(items):
            path = f"{key}[{index}]"
            name = _read(item, "child.name")
            who = _display_name(name if isinstance(name, str) else "") or f"child {index + 1}"
            for spec in fields:
                self._question(spec, item, f"{path}.{spec.key}", item, who)
            self._check_child(path, who)

    def _check_child(self, path: str, who: str) -> None:
        if self.values.get(f"{path}.child.unborn") is True:
            expected = self.values.get(f"{path}.child.expected_date")
            if expected is not None and self.visit_date is not None and expected < self.visit_date:
                self._break(
                    checks.BORN_BEFORE_EXPECTED,
                    f"{path}.child.expected_date",
                    f"{who} was expected before the visit. If the baby has been born, choose "
                    "“Born” and enter the date of birth.",
                )
        else:
            self._check_birth(path, who)
        labels = _vague_labels(self.values.get(f"{path}.presentation") or "")
        if labels:
            quoted = ", ".join(f"“{label}”" for label in labels)
            self._break(
                checks.VAGUE_LABELS,
                f"{path}.presentation",
                f"Instead of {quoted}, describe what {who} did, said and looked like.",
            )
        if self.values.get(f"{path}.parent_agreed_alone") is False:
            self._break(
                checks.PARENT_REFUSED_ALONE,
                f"{path}.parent_agreed_alone",
                f"The parent or carer refused to let {who} be seen alone: tell your manager "
                "(the social care manager must be informed) and the key worker.",
            )

    def _check_birth(self, path: str, who: str) -> None:
        born = self.values.get(f"{path}.child.date_of_birth")
        if born is not None and born > self.today:
            self._add(
                f"{path}.child.date_of_birth",
                f"{who}'s date of birth is in the future. Please check it, or choose “Unborn” "
                "for a pre-birth plan.",
            )
        elif born is not None and self.visit_date is not None and self.visit_date < born:
            self._add(
                f"{path}.child.date_of_birth",
                f"{who}'s date of birth is after the visit date. Please check both dates.",
            )

    def _check_people(self) -> None:
        email = self.values.get("key_worker.email") or ""
        if not is_blank(email) and not _EMAIL.fullmatch(email.strip()):
            self._break(
                checks.KEY_WORKER_EMAIL,
                "key_worker.email",
                "The key worker's email address does not look right. It should look like "
                "name@example.gov.uk.",
            )

    def _check_observations(self) -> None:
        if (
            self.values.get("new_incidents") is True
            and self.values.get("immediate_concerns") is not True
        ):
            self._break(
                checks.INCIDENTS_NEED_ENQUIRIES,
                "new_incidents",
                "New incidents or injuries must be looked into under child protection "
                "procedures. Tell the key worker now, and answer yes to “immediate concerns”.",
            )
        if self.values.get("risks_worsened") is True:
            self._break(
                checks.RISKS_WORSENED,
                "risks_worsened",
                "The risks have worsened greatly: discuss this with a manager as soon as possible.",
            )
        for path in ("observations", "family_circumstances"):
            text = self.values.get(path) or ""
            if _OPINION.search(text) and not _OPINION_SAID.search(text):
                self._break(
                    checks.FACT_AND_OPINION,
                    path,
                    "Part of this reads as opinion (for example “seems” or “probably”). Keep fact "
                    "and opinion apart: say which is your view (“In my opinion …”).",
                )

    def _check_concerns(self) -> None:
        told_at = self.values.get("concerns_told_at")
        if told_at is None:
            return
        if self.visit_start is not None and told_at < self.visit_start:
            self._add(
                "concerns_told_at",
                "You told them before the visit started. Please check the date and time.",
            )
        elif (self.now is not None and told_at > self.now) or told_at.date() > self.today:
            self._add("concerns_told_at", "When you told them is in the future. Please check it.")

    def _check_parents(self) -> None:
        # The sender's coreform sends the copy when submitting: a received record is not asked.
        if self.record.state is not RecordState.DRAFT or self.parent_emails is None:
            return
        if self.values.get("copy_to_parents") is not True:
            return
        has_address = any(not is_blank(email) for email in self.parent_emails)
        if not has_address and is_blank(self.values.get("parents_copy_note") or ""):
            self._break(
                checks.COPY_WITHOUT_ADDRESS,
                "parents_copy_note",
                "No parent or carer has an email address for their copy. Add one under Families "
                "& contacts, or say how the copy reaches them (by hand or by post).",
            )

    def _check_sending(self) -> None:
        completed = self.values.get("date_completed")
        sent = self.values.get("date_sent")
        self._not_future("date_completed", "The date completed is in the future. Please check it.")
        self._not_future("date_sent", "The date sent is in the future. Please check it.")
        self._not_before_visit("date_completed", "The date completed")
        self._not_before_visit("date_sent", "The date sent")
        if completed is not None and sent is not None and sent < completed:
            self._add("date_sent", "The date sent is before the date completed. Please check both.")
        if (
            self.record.state is RecordState.DRAFT
            and self.values.get("send_method") is SendMethod.FAX
        ):
            self._break(
                checks.FAX_FOR_NEW_RECORD,
                "send_method",
                "Fax is kept only for old records that are imported. A new record is sent by "
                "email when you submit it.",
            )
        due = deadline(
            self.visit_date,
            self.calendar,
            today=self.today,
            completed_on=completed,
            sent_on=sent,
        )
        if due is not None and due.late and is_blank(self.values.get("lateness_reason") or ""):
            self._break(
                checks.LATE_WITHOUT_REASON,
                "lateness_reason",
                f"This record was due by {format_date(due.due)}, {COMPLETION_WORKING_DAYS} "
                "working days after the visit. Say why it was completed or sent late.",
            )

    def _check_next(self) -> None:
        self._not_before_visit("next_contact", "The next contact")


def _read(owner: Any, key: str) -> Any:
    """The value at a dotted key, or _MISSING when the owner does not have it."""
    value = owner
    for name in key.split("."):
        value = getattr(value, name, _MISSING)
        if value is _MISSING:
            return _MISSING
    return value


def is_blank(text: str) -> bool:
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


def _display_name(name: str) -> str:
    """The child's name for a message: one line, no control characters, not too long."""
    head = name[: _NAME_IN_MESSAGE_CHARS * 4]
    one_line = " ".join(head.split())
    short = "".join(char for char in one_line if unicodedata.category(char) != "Cc")
    if len(short) > _NAME_IN_MESSAGE_CHARS:
        return short[: _NAME_IN_MESSAGE_CHARS - 1] + "…"
    return short


def looks_like_email(text: str) -> bool:
    """Something@domain.tld with no spaces, the one test every email field uses."""
    return _EMAIL.fullmatch(text.strip()) is not None


__all__ = [
    "MAX_TEXT_CHARS",
    "Problem",
    "Severity",
    "format_date",
    "is_blank",
    "looks_like_email",
    "validate_record",
]
