"""The history file `coreform timescales --history` reads: one child's plan and contacts as JSON.

```json
{"date_of_birth": "2025-09-01",
 "conferences": [{"kind": "initial", "date": "2026-10-05"}, {"kind": "review", "date": "..."}],
 "core_groups": [{"date": "2026-10-16"}],
 "contacts": [{"date": "2026-10-20", "by": "key worker", "setting": "home", "seen": true,
               "seen_alone": false, "baby_awake": true, "bedroom_seen": true}]}
```
A review conference dated after `today` is the one booked. Errors are `HistoryError`, one line
saying where and what.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coreform.contact_facts import Contact, ContactBy
from coreform.plans import ChildPlan

SETTINGS = ("home", "school", "nursery", "health", "other")
_CONTACT_FLAGS = ("seen_alone", "baby_awake", "bedroom_seen")


class HistoryError(ValueError):
    """A history file that cannot be read; the message says where and what."""


@dataclass(frozen=True)
class History:
    plan: ChildPlan
    contacts: list[Contact]
    core_groups: list[dt.date]
    date_of_birth: dt.date | None


def read_history(path: Path, today: dt.date) -> History:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise HistoryError(f"{path}: cannot be read ({error.strerror or error})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HistoryError(f"{path}: is not JSON ({error})") from None
    return history_from_dict(data, today, where=str(path))


def history_from_dict(data: Any, today: dt.date, *, where: str = "history") -> History:
    if not isinstance(data, dict):
        raise HistoryError(f"{where}: must be a JSON object with conferences and contacts")
    unknown = set(data) - {"date_of_birth", "conferences", "core_groups", "contacts"}
    if unknown:
        raise HistoryError(f"{where}: unknown key {sorted(unknown)[0]!r}")
    born = data.get("date_of_birth")
    date_of_birth = None if born is None else _date(born, f"{where}: date_of_birth")
    initial: list[dt.date] = []
    reviews: list[dt.date] = []
    for index, item in enumerate(_list(data, "conferences", where)):
        at = f"{where}: conferences[{index}]"
        kind = _object(item, at).get("kind")
        if kind not in ("initial", "review"):
            raise HistoryError(f"{at}: kind must be 'initial' or 'review', not {kind!r}")
        (initial if kind == "initial" else reviews).append(_date(item.get("date"), f"{at}.date"))
    if len(initial) != 1:
        raise HistoryError(f"{where}: conferences must hold exactly one 'initial' conference")
    held = tuple(sorted(day for day in reviews if day <= today))
    booked = sorted(day for day in reviews if day > today)
    plan = ChildPlan(
        child_id="history",
        initial_conference=initial[0],
        reviews=held,
        next_review=booked[0] if booked else None,
    )
    core_groups = [
        _date(
            _object(item, f"{where}: core_groups[{i}]").get("date"),
            f"{where}: core_groups[{i}].date",
        )
        for i, item in enumerate(_list(data, "core_groups", where))
    ]
    contacts = [
        _contact(item, f"{where}: contacts[{index}]")
        for index, item in enumerate(_list(data, "contacts", where))
    ]
    return History(plan, contacts, core_groups, date_of_birth)


def _contact(item: Any, at: str) -> Contact:
    fields = _object(item, at)
    unknown = set(fields) - {"date", "by", "setting", "seen", *_CONTACT_FLAGS}
    if unknown:
        raise HistoryError(f"{at}: unknown key {sorted(unknown)[0]!r}")
    try:
        by = ContactBy(str(fields.get("by")))
    except ValueError:
        raise HistoryError(
            f"{at}.by must be 'key worker' or 'core group member', not {fields.get('by')!r}"
        ) from None
    setting = fields.get("setting")
    if setting not in SETTINGS:
        raise HistoryError(f"{at}.setting must be one of {', '.join(SETTINGS)}, not {setting!r}")
    return Contact(
        date=_date(fields.get("date"), f"{at}.date"),
        by=by,
        at_home=setting == "home",
        seen=_flag(fields, "seen", at),
        seen_alone=_flag(fields, "seen_alone", at),
        baby_awake=_flag(fields, "baby_awake", at),
        bedroom_seen=_flag(fields, "bedroom_seen", at),
        reference=at.rsplit(": ", 1)[-1],
    )


def _flag(fields: dict[str, Any], name: str, at: str) -> bool:
    value = fields.get(name, False)
    if not isinstance(value, bool):
        raise HistoryError(f"{at}.{name} must be true or false, not {value!r}")
    return value


def _list(data: dict[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise HistoryError(f"{where}: {key} must be a list")
    return value


def _object(item: Any, at: str) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise HistoryError(f"{at}: must be an object")
    return item


def _date(value: Any, at: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise HistoryError(f"{at}: {value!r} is not a date; write YYYY-MM-DD") from None
