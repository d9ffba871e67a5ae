"""Policy profiles: which timescales a safeguarding partnership's procedures set, as data.

One TOML file per source in `resources/policies/` (DOMAIN.md, "Timescales, by source"). Each file
lists only the rules its source states, each with the seed reference and its wording; this module
reads and checks them. A broken file raises `PolicyError` naming the file, the rule and what is
wrong. The engine that applies a profile is `coreform.timescales`.
"""

from __future__ import annotations

import calendar as month_calendar
import datetime as dt
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path
from typing import Any

from coreform.resources import resource_path
from coreform.workdays import WorkingCalendar

POLICY_FOLDER = "policies"


class PolicyError(ValueError):
    """A profile that cannot be used; the message names the file, the rule and what is wrong."""


class RuleId(StrEnum):
    """Every rule a profile may state; the order is the dashboard's column order."""

    SEEN = "seen"
    KEY_WORKER_SEEN = "key_worker_seen"
    HOME_VISIT = "home_visit"
    SEEN_ALONE = "seen_alone"
    BEDROOM_SEEN = "bedroom_seen"
    FIRST_CORE_GROUP = "first_core_group"
    CORE_GROUP = "core_group"
    LAST_CORE_GROUP_BEFORE_REVIEW = "last_core_group_before_review"
    REVIEW_CONFERENCE = "review_conference"
    MINUTES_DISTRIBUTED = "minutes_distributed"
    NOT_SEEN_BY_KEY_WORKER = "not_seen_by_key_worker"
    NOT_SEEN_BY_ANY_AGENCY = "not_seen_by_any_agency"
    FAILED_VISIT_FOLLOW_UP = "failed_visit_follow_up"
    CONSECUTIVE_FAILED_VISITS = "consecutive_failed_visits"

    @property
    def label(self) -> str:
        return _RULE_LABELS[self]

    @property
    def conference_may_set(self) -> bool:
        """A frequency a conference may set for the child's plan (000, 004 §9.3.30); the
        minutes' deadline is the partnership's, not the plan's (001 §4.3, 004 §9.3.26)."""
        return self is not RuleId.MINUTES_DISTRIBUTED

    @property
    def is_alert(self) -> bool:
        """Raised by an event (a failed visit) rather than due on a cadence."""
        return self in (RuleId.FAILED_VISIT_FOLLOW_UP, RuleId.CONSECUTIVE_FAILED_VISITS)


_RULE_LABELS = {
    RuleId.SEEN: "Seen",
    RuleId.KEY_WORKER_SEEN: "Seen by key worker",
    RuleId.HOME_VISIT: "Home visit",
    RuleId.SEEN_ALONE: "Seen alone / baby awake",
    RuleId.BEDROOM_SEEN: "Bedroom seen",
    RuleId.FIRST_CORE_GROUP: "First core group",
    RuleId.CORE_GROUP: "Core group",
    RuleId.LAST_CORE_GROUP_BEFORE_REVIEW: "Last core group before review",
    RuleId.REVIEW_CONFERENCE: "Review conference",
    RuleId.MINUTES_DISTRIBUTED: "Core group minutes distributed",
    RuleId.NOT_SEEN_BY_KEY_WORKER: "Not seen by key worker",
    RuleId.NOT_SEEN_BY_ANY_AGENCY: "Not seen by any agency",
    RuleId.FAILED_VISIT_FOLLOW_UP: "Failed visit: follow-up",
    RuleId.CONSECUTIVE_FAILED_VISITS: "Two failed visits in a row",
}


class Unit(StrEnum):
    WORKING_DAYS = "working days"
    CALENDAR_DAYS = "calendar days"
    WEEKS = "weeks"
    MONTHS = "months"


_DURATION = re.compile(r"(\d{1,3}) (working day|calendar day|week|month)s?")


@dataclass(frozen=True)
class Interval:
    """A timescale as a source words it: "10 working days", "6 weeks", "3 months"."""

    count: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Interval:
        """Raises ValueError saying how to write one."""
        match = _DURATION.fullmatch(text.strip())
        if match is None:
            raise ValueError(
                f"{text!r} is not a timescale; write a number and a unit, for example "
                "'10 working days', '20 calendar days', '6 weeks' or '3 months'"
            )
        return cls(int(match[1]), Unit(match[2] + "s"))

    def __str__(self) -> str:
        return f"{self.count} {self.unit.value}"

    def after(self, start: dt.date, calendar: WorkingCalendar) -> dt.date:
        """The last day of the timescale counted from `start`.

        Six weeks = 42 calendar days (DOMAIN.md); N months = the same day N months later, or that
        month's last day when it has no such day.
        """
        if self.unit is Unit.WORKING_DAYS:
            return calendar.add_working_days(start, self.count)
        if self.unit is Unit.CALENDAR_DAYS:
            return start + dt.timedelta(days=self.count)
        if self.unit is Unit.WEEKS:
            return start + dt.timedelta(days=7 * self.count)
        return add_months(start, self.count)

    def before(self, end: dt.date, calendar: WorkingCalendar) -> dt.date:
        """The day the timescale ends `end` on, counted backwards (for "N working days before")."""
        if self.unit is Unit.WORKING_DAYS:
            day, remaining = end, self.count
            while remaining:
                day -= dt.timedelta(days=1)
                if calendar.is_working_day(day):
                    remaining -= 1
            return day
        if self.unit is Unit.MONTHS:
            return add_months(end, -self.count)
        days = self.count * (7 if self.unit is Unit.WEEKS else 1)
        return end - dt.timedelta(days=days)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier), or that month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = month_calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


class Basis(StrEnum):
    """What an `every` that is not a timescale means."""

    HOME_VISIT = "home visit"  # at each home visit: the home visit's timescale (002 §2)
    SECOND_HOME_VISIT = "second home visit"  # at least alternate home visits (002 §2)
    CONFERENCE = "conference"  # at least once between conferences (000, 004 §9.4.6)


@dataclass(frozen=True)
class Rule:
    """One timescale as a source states it. Which fields are set depends on the rule."""

    id: RuleId
    source: str  # the seed and section, e.g. "002 §4"
    wording: str  # the source's sentence
    every: Interval | None = None  # cadence, or the primary timescale (see _KEYS)
    basis: Basis | None = None  # for an `every` counted in visits or conferences
    after_first_review: Interval | None = None  # core_group cadence once a review is held
    after_review: Interval | None = None  # review_conference after a review
    visits: int = 0  # consecutive_failed_visits
    notify: str = ""  # who must be told (escalations and alerts)


# Per rule: the keys its table must have and may have beside id/source/wording. The primary
# timescale is written under the word the sources use ("every", "within", "after", "before").
_KEYS: dict[RuleId, tuple[frozenset[str], frozenset[str]]] = {
    RuleId.SEEN: (frozenset({"every"}), frozenset()),
    RuleId.KEY_WORKER_SEEN: (frozenset({"every"}), frozenset()),
    RuleId.HOME_VISIT: (frozenset({"every"}), frozenset()),
    RuleId.SEEN_ALONE: (frozenset({"every"}), frozenset()),
    RuleId.BEDROOM_SEEN: (frozenset({"every"}), frozenset()),
    RuleId.FIRST_CORE_GROUP: (frozenset({"within"}), frozenset()),
    RuleId.CORE_GROUP: (frozenset({"every"}), frozenset({"after_first_review"})),
    RuleId.LAST_CORE_GROUP_BEFORE_REVIEW: (frozenset({"before"}), frozenset()),
    RuleId.REVIEW_CONFERENCE: (frozenset({"within", "after_review"}), frozenset()),
    RuleId.MINUTES_DISTRIBUTED: (frozenset({"within"}), frozenset()),
    RuleId.NOT_SEEN_BY_KEY_WORKER: (frozenset({"after", "notify"}), frozenset()),
    RuleId.NOT_SEEN_BY_ANY_AGENCY: (frozenset({"after", "notify"}), frozenset()),
    RuleId.FAILED_VISIT_FOLLOW_UP: (frozenset({"within", "notify"}), frozenset()),
    RuleId.CONSECUTIVE_FAILED_VISITS: (frozenset({"visits", "notify"}), frozenset()),
}
_PRIMARY = ("every", "within", "after", "before")
# Which rules may count in visits or conferences instead of a timescale.
_BASES: dict[RuleId, frozenset[Basis]] = {
    RuleId.SEEN_ALONE: frozenset({Basis.HOME_VISIT}),
    RuleId.BEDROOM_SEEN: frozenset({Basis.SECOND_HOME_VISIT, Basis.CONFERENCE}),
}


@dataclass(frozen=True)
class Profile:
    id: str
    title: str
    rules: Mapping[RuleId, Rule] = field(default_factory=dict)  # in RuleId order

    def rule(self, rule_id: RuleId) -> Rule | None:
        return self.rules.get(rule_id)


def profile_ids() -> list[str]:
    """The ids of the shipped profiles, alphabetically."""
    return sorted(path.stem for path in resource_path(POLICY_FOLDER).glob("*.toml"))


@cache
def load_profile(profile_id: str) -> Profile:
    """The shipped profile `profile_id`; PolicyError for an unknown id or a broken file."""
    if profile_id not in profile_ids():
        raise PolicyError(
            f"there is no policy profile {profile_id!r}; choose one of {', '.join(profile_ids())}"
        )
    return read_profile(resource_path(POLICY_FOLDER, f"{profile_id}.toml"))


def read_profile(path: Path) -> Profile:
    """Reads and checks one profile file."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise PolicyError(f"{path.name}: cannot be read ({error})") from None
    except tomllib.TOMLDecodeError as error:
        raise PolicyError(f"{path.name}: is not valid TOML ({error})") from None
    return _profile(path.name, path.stem, data)


def _profile(file: str, stem: str, data: dict[str, Any]) -> Profile:
    unknown = set(data) - {"id", "title", "rule"}
    if unknown:
        raise PolicyError(f"{file}: unknown key {sorted(unknown)[0]!r} at the top")
    if data.get("id") != stem:
        raise PolicyError(f"{file}: 'id' must be {stem!r}, the file's name")
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise PolicyError(f"{file}: 'title' must be a non-empty text")
    tables = data.get("rule")
    if not isinstance(tables, list) or not tables:
        raise PolicyError(f"{file}: it lists no rules; add [[rule]] tables")
    rules: dict[RuleId, Rule] = {}
    for position, table in enumerate(tables, start=1):
        rule = _rule(file, position, table)
        if rule.id in rules:
            raise PolicyError(f"{file}: rule {rule.id}: listed twice")
        rules[rule.id] = rule
    bedroom = rules.get(RuleId.BEDROOM_SEEN)
    if bedroom and bedroom.basis is not Basis.CONFERENCE and RuleId.HOME_VISIT not in rules:
        raise PolicyError(f"{file}: rule bedroom_seen: counts home visits but no home_visit rule")
    alone = rules.get(RuleId.SEEN_ALONE)
    if alone and alone.basis is Basis.HOME_VISIT and RuleId.HOME_VISIT not in rules:
        raise PolicyError(f"{file}: rule seen_alone: counts home visits but no home_visit rule")
    return Profile(
        stem, title.strip(), {rule_id: rules[rule_id] for rule_id in RuleId if rule_id in rules}
    )


def _rule(file: str, position: int, table: object) -> Rule:
    if not isinstance(table, dict):
        raise PolicyError(f"{file}: rule {position}: must be a [[rule]] table")
    try:
        rule_id = RuleId(str(table.get("id")))
    except ValueError:
        known = ", ".join(rule.value for rule in RuleId)
        raise PolicyError(
            f"{file}: rule {position}: id {table.get('id')!r} is not one of {known}"
        ) from None
    where = f"{file}: rule {rule_id}"
    required, optional = _KEYS[rule_id]
    allowed = required | optional | {"id", "source", "wording"}
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise PolicyError(
            f"{where}: key {unknown[0]!r} does not apply; it takes {sorted(required | optional)}"
        )
    for key in sorted(required | {"source", "wording"}):
        if key not in table:
            raise PolicyError(f"{where}: {key!r} is missing")
    text = {key: value for key, value in table.items() if key != "visits"}
    for key, value in text.items():
        if not isinstance(value, str) or not value.strip():
            raise PolicyError(f"{where}: {key!r} must be a non-empty text")
    primary = next(key for key in _PRIMARY if key in required) if "visits" not in required else ""
    basis: Basis | None = None
    every: Interval | None = None
    if primary:
        basis, every = _timescale(where, rule_id, primary, table[primary])
    visits = table.get("visits", 0)
    if "visits" in required and (not isinstance(visits, int) or visits < 2):
        raise PolicyError(f"{where}: 'visits' must be a whole number of 2 or more")
    if rule_id is RuleId.MINUTES_DISTRIBUTED and every and every.unit is not Unit.WORKING_DAYS:
        # 001 §4.3 and 004 §9.3.26 count working days; the deadline engine counts only those.
        raise PolicyError(f"{where}: 'within' must be in working days, e.g. '15 working days'")
    return Rule(
        id=rule_id,
        source=table["source"].strip(),
        wording=" ".join(table["wording"].split()),
        every=every,
        basis=basis,
        after_first_review=_interval(where, "after_first_review", table.get("after_first_review")),
        after_review=_interval(where, "after_review", table.get("after_review")),
        visits=visits,
        notify=table.get("notify", "").strip(),
    )


def _timescale(
    where: str, rule_id: RuleId, key: str, value: str
) -> tuple[Basis | None, Interval | None]:
    bases = _BASES.get(rule_id, frozenset())
    if value.strip() in {basis.value for basis in bases}:
        return Basis(value.strip()), None
    try:
        return None, Interval.parse(value)
    except ValueError as error:
        extra = f" or one of {sorted(basis.value for basis in bases)}" if bases else ""
        raise PolicyError(f"{where}: {key!r}: {error}{extra}") from None


def _interval(where: str, key: str, value: str | None) -> Interval | None:
    if value is None:
        return None
    try:
        return Interval.parse(value)
    except ValueError as error:
        raise PolicyError(f"{where}: {key!r}: {error}") from None
