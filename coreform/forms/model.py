"""What a form is made of: a Form of Sections of Fields, described once as data.

A field's `key` is the dataclass attribute path that the JSON form, `Problem.field` and the
widgets share (`visit_date`, `key_worker.email`, and for a repeated item `seen` or `child.name`,
which becomes `children[0].seen`). The editor, the read-only view, the PDF and the checks all read
the same description, so a label or a condition is changed in one place.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

# (record, item) -> does the field apply? `item` is the repeated item (a child), or the record
# itself for a field outside the items.
Condition = Callable[[Any, Any], bool]


def always(_record: Any, _item: Any) -> bool:
    return True


NOT_ANSWERED = "Not answered"
_YES_NO = (("Yes", True), ("No", False))


class Need(StrEnum):
    """How much an empty answer matters where the question applies."""

    REQUIRED = "required"  # an error: the record cannot be submitted without it
    ADVISED = "advised"  # a warning: the seed asks for it, the practitioner decides
    OPTIONAL = "optional"


# (record, item) -> how much the answer is needed there.
NeedRule = Callable[[Any, Any], Need]


class Kind(StrEnum):
    TEXT = "text"
    LONG_TEXT = "long_text"
    DATE = "date"
    TIME = "time"
    DATETIME = "datetime"
    YES_NO = "yes_no"
    CHOICE = "choice"
    WORKING_DAYS = "working_days"  # a count of working days (a fact, never typed)
    SCALE = "scale"  # a whole number from 0 to 10 (001 template: scaling)


@dataclass(frozen=True)
class Field:
    """One question. `missing` is what to say when it applies, is needed (`need`) and is left
    empty; it may name the item as `{who}`. `source` names the seed the question comes from and
    `quote` the sentence of it the question follows."""

    key: str
    label: str
    kind: Kind = Kind.TEXT
    hint: str = ""
    source: str = ""
    # (label, value) pairs for CHOICE (a None value is the explicit "Not answered" entry), or
    # for YES_NO the values that "Yes" and "No" stand for, when not True and False.
    choices: tuple[tuple[str, Any], ...] = ()
    applies: Condition = always
    missing: str = ""
    need: Need | NeedRule = Need.OPTIONAL
    quote: str = ""
    # Identifies an item in a list of them (the PDF's table of children).
    listed: bool = False
    # A fact coreform records (when it was completed, sent, how): shown, never typed.
    fact: bool = False

    def applies_to(self, record: Any, item: Any) -> bool:
        """Whether the question is asked; False when the record is too broken to tell."""
        try:
            return bool(self.applies(record, item))
        except (AttributeError, TypeError, ValueError):
            return False

    def need_in(self, record: Any, item: Any) -> Need:
        """How much an empty answer matters for this record (OPTIONAL when it does not apply)."""
        if not self.missing or not self.applies_to(record, item):
            return Need.OPTIONAL
        if isinstance(self.need, Need):
            return self.need
        try:
            return self.need(record, item)
        except (AttributeError, TypeError, ValueError):
            return Need.OPTIONAL

    def value_in(self, owner: Any) -> Any:
        """The answer inside `owner` (the record, or the item for an item's field)."""
        try:
            return read_path(owner, self.key)
        except (AttributeError, KeyError, IndexError, TypeError):
            return None

    def shown_in(self, record: Any, item: Any) -> bool:
        """In a finished record: where the question applies, and wherever an answer was kept."""
        value = self.value_in(item)
        blank = isinstance(value, str) and not value.strip()
        answered = (
            value is not None and not blank and not (self.kind is Kind.WORKING_DAYS and not value)
        )
        return answered or self.applies_to(record, item)

    def options(self) -> tuple[tuple[str, Any], ...]:
        """What the user picks from: a yes/no offers "Not answered" first."""
        if self.kind is Kind.YES_NO:
            return ((NOT_ANSWERED, None), *(self.choices or _YES_NO))
        return self.choices

    def is_yes(self, value: Any) -> bool | None:
        """A yes/no answer as the form asks it (True for "Yes"); None when unanswered."""
        labels = [label for label, known in self.options() if _same(known, value)]
        return {"Yes": True, "No": False}.get(labels[0]) if labels else None

    def choice_label(self, value: Any) -> str | None:
        """The label of a CHOICE or YES_NO value; None when the value is not one of them."""
        return next((label for label, known in self.options() if _same(known, value)), None)


@dataclass(frozen=True)
class Grid:
    """A table of cells inside each item, one field per (row, column): the scaling grid.

    The cell at row `child` and column `this_meeting` of grid `scaling` has the key
    `scaling.child.this_meeting` (relative to the item, like any item field).
    """

    key: str
    label: str
    rows: tuple[tuple[str, str], ...]  # (key, label)
    columns: tuple[tuple[str, str], ...]  # (key, label)
    kind: Kind = Kind.SCALE
    source: str = ""
    quote: str = ""
    choices: tuple[tuple[str, Any], ...] = ()  # what each cell offers (a scale's 0-10)

    def cell(self, row: str, column: str) -> Field:
        row_label = dict(self.rows)[row]
        column_label = dict(self.columns)[column]
        return Field(
            f"{self.key}.{row}.{column}",
            f"{self.label}: {row_label}, {column_label}",
            self.kind,
            source=self.source,
            quote=self.quote,
            choices=self.choices,
        )

    def cells(self) -> tuple[Field, ...]:
        return tuple(self.cell(row, column) for row, _ in self.rows for column, _ in self.columns)


@dataclass(frozen=True)
class Items:
    """A repeated group of fields, one per element of the record's list attribute `key`.

    `table`: shown as a table, one row per item and one column per field (the attendees), rather
    than a block of questions per item (a child). `fixed`: the items come from elsewhere (the
    family's children) and are not added or removed in the editor. `append_only`: an item once
    agreed can never be removed (001 §2.3, §3.4). `grid`: a table of cells inside each item.
    """

    key: str
    title: str  # "Child" -> "Child 1", "Child 2"
    fields: tuple[Field, ...]
    table: bool = False
    fixed: bool = False
    append_only: bool = False
    grid: Grid | None = None

    def all_fields(self) -> tuple[Field, ...]:
        """The item's fields, then its grid's cells."""
        return self.fields + (self.grid.cells() if self.grid else ())


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    fields: tuple[Field, ...] = ()
    items: Items | None = None


@dataclass(frozen=True)
class Form:
    title: str
    sections: tuple[Section, ...]

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    def fields(self) -> Iterator[tuple[Section, Field]]:
        """Every field outside the repeated items, section by section."""
        for section in self.sections:
            for spec in section.fields:
                yield section, spec

    def field(self, path: str) -> Field:
        """The field a path names: `others_present`, `children[1].seen`, `children.seen`,
        `children[0].scaling.child.this_meeting`."""
        head, _, rest = _ITEM_INDEX.sub("", path).partition(".")
        for section in self.sections:
            if section.items is not None and section.items.key == head:
                found = [f for f in section.items.all_fields() if f.key == rest]
                if found:
                    return found[0]
        return next(spec for _section, spec in self.fields() if spec.key == path)

    def label(self, path: str) -> str:
        return self.field(path).label


def _same(known: Any, value: Any) -> bool:
    """Equal and of the same type: `True == 1` must not pick an answer."""
    return type(known) is type(value) and known == value


_ITEM_INDEX = re.compile(r"\[\d+\]")
_PART = re.compile(r"([a-z_]+)(?:\[(\d+)\])?")


def read_path(owner: Any, path: str) -> Any:
    """The value at `path` (`children[0].child.name`) inside `owner`."""
    value = owner
    for part in path.split("."):
        match = _PART.fullmatch(part)
        if match is None:
            raise KeyError(path)
        value = getattr(value, match.group(1))
        if match.group(2) is not None:
            value = value[int(match.group(2))]
    return value


def write_path(owner: Any, path: str, value: Any) -> None:
    head, _, last = path.rpartition(".")
    target = read_path(owner, head) if head else owner
    setattr(target, last, value)
