"""Labelled inputs for a form described by `coreform.forms`, each bound to a field's key.

A `FieldRow` is a visible label above its input (so long labels wrap at 200% text), a hint, and an
inline problem marker that states the problem in words with an icon, never by colour alone.
Keys follow `coreform.validation.Problem.field`: `visit_date`, `key_worker.email`,
`children[0].seen`, `children[1].child.date_of_birth`.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from coreform.forms.model import Field, Kind, Need, read_path, write_path
from coreform.records import LONDON
from coreform.validation import Problem, Severity
from ui.accessibility import name_input
from ui.formatting import (
    DATE_HINT,
    TIME_HINT,
    date_entry_text,
    parse_date,
    parse_time,
    time_entry_text,
)
from ui.pages.field_inputs import ChoiceCombo, LongTextEdit

Owner = TypeVar("Owner")


class TypedEntryError(ValueError):
    """What the user typed cannot be read (a date like 31/02/2026); the message says what to do."""


class ProblemMarker(QWidget):
    """An icon and the problem in words ("Error: …"), shown under the field it is about."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._icon = QLabel(self)
        self._text = QLabel(self)
        self._text.setWordWrap(True)
        self._text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self._text, 1)
        self.hide()

    def show_problems(self, problems: Sequence[Problem]) -> None:
        if not problems:
            self.hide()
            return
        worst = (
            Severity.ERROR
            if any(p.severity is Severity.ERROR for p in problems)
            else Severity.WARNING
        )
        icon = (
            QStyle.StandardPixmap.SP_MessageBoxCritical
            if worst is Severity.ERROR
            else QStyle.StandardPixmap.SP_MessageBoxWarning
        )
        size = self.fontMetrics().height()
        self._icon.setPixmap(self.style().standardIcon(icon).pixmap(size, size))
        self._text.setText("\n".join(problem_text(p) for p in problems))
        colour = "#a30000" if worst is Severity.ERROR else "#7a4b00"
        self._text.setStyleSheet(f"color: {colour}; font-weight: bold;")
        self.show()

    def text(self) -> str:
        return "" if self.isHidden() else self._text.text()


def problem_text(problem: Problem) -> str:
    prefix = "Error" if problem.severity is Severity.ERROR else "Warning"
    return f"{prefix}: {problem.message}"


class FieldRow(QWidget):
    """One labelled input bound to `spec.key`; emits `changed` on every edit."""

    changed = Signal()

    def __init__(self, spec: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self._problems: list[Problem] = []
        self._entry_error = ""
        self._name_prefix = ""
        self._setting_value = False
        self.touched = False  # edited by the user (not just filled in from the record)
        # Says why typed text is refused when the core knows better than "not a date" ("ASAP").
        self.explain_entry: Callable[[str], str | None] | None = None
        layout, self.label = labelled_column(self, spec.label)
        self.hint: QLabel | None = None
        self.aside: QLabel | None = None  # a fact beside a short input, see set_aside
        hint = spec.hint or {Kind.DATE: DATE_HINT, Kind.TIME: TIME_HINT}.get(spec.kind, "")
        if spec.kind is Kind.DATETIME:
            hint = spec.hint or f"{DATE_HINT}; time on the {TIME_HINT}"
        if hint:
            self.hint = QLabel(hint, self)
            self.hint.setWordWrap(True)
            self.hint.setStyleSheet("color: palette(placeholder-text);")
            layout.addWidget(self.hint)
        self.inputs: list[QWidget] = self._build_inputs()
        self.marker = ProblemMarker(self)
        layout.addWidget(self.marker)
        self.label.setBuddy(self.inputs[0])
        self._describe()

    # ---- building ---------------------------------------------------------------------------

    def _build_inputs(self) -> list[QWidget]:
        kind = self.spec.kind
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        inputs: list[QWidget] = []
        if kind is Kind.LONG_TEXT:
            text = LongTextEdit(self)
            text.textChanged.connect(self._on_edit)
            inputs.append(text)
        elif kind in (Kind.YES_NO, Kind.CHOICE, Kind.SCALE):
            # A yes/no or a scale offers "Not answered" first, so an unanswered question shows.
            combo = ChoiceCombo(self.spec.options(), self)
            combo.currentIndexChanged.connect(self._on_edit)
            inputs.append(combo)
        else:
            parts = {
                Kind.TEXT: [("", "")],
                Kind.DATE: [("", "dd/mm/yyyy")],
                Kind.TIME: [("", "hh:mm")],
                Kind.DATETIME: [(" (date)", "dd/mm/yyyy"), (" (time)", "hh:mm")],
            }[kind]
            for suffix, placeholder in parts:
                line = QLineEdit(self)
                line.setPlaceholderText(placeholder)
                line.setProperty("name_suffix", suffix)
                line.textChanged.connect(self._on_text_changed)
                if kind is not Kind.TEXT:
                    # Dates and times are short; a narrow box reads as "type a date here".
                    line.setMaximumWidth(line.fontMetrics().horizontalAdvance("00/00/00000") + 24)
                inputs.append(line)
        for widget in inputs:
            row.addWidget(widget, 1 if kind in (Kind.TEXT, Kind.LONG_TEXT) else 0)
        if kind not in (Kind.TEXT, Kind.LONG_TEXT):
            self.aside = QLabel(self)
            self.aside.setContentsMargins(8, 0, 0, 0)
            self.aside.hide()
            row.addWidget(self.aside)
            row.addStretch(1)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(row)
        return inputs

    def _describe(self) -> None:
        """Named by its question ("Child 2: Date of birth" in a child's panel); the description
        says whether it is required, what is wrong, any warning, then the hint."""
        errors = [self._entry_error] if self._entry_error else []
        errors += [p.message for p in self._problems if p.severity is Severity.ERROR]
        warnings = [problem_text(p) for p in self._problems if p.severity is Severity.WARNING]
        hint = [self.hint.text()] if self.hint is not None else []
        if self.aside is not None and self.aside.text():
            hint.append(self.aside.text())
        # Always required (an error when empty); a need that depends on other answers is not.
        required = bool(self.spec.missing) and self.spec.need is Need.REQUIRED
        for widget in self.inputs:
            suffix = widget.property("name_suffix") or ""
            name_input(
                widget,
                f"{self._name_prefix}{self.spec.label}{suffix}",
                hint=" ".join(warnings + hint),
                required=required,
                invalid=" ".join(errors),
            )
            widget.setToolTip("\n".join([f"Error: {error}" for error in errors] + warnings))

    def set_aside(self, text: str) -> None:
        """A fact the core computed, shown beside the input and read with it ("" hides it)."""
        if self.aside is None or text == self.aside.text():
            return
        self.aside.setText(text)
        self.aside.setVisible(bool(text))
        self._describe()

    def set_name_prefix(self, prefix: str) -> None:
        """Tells apart the same question asked again, as in "Child 2: "."""
        if prefix != self._name_prefix:
            self._name_prefix = prefix
            self._describe()

    # ---- values -----------------------------------------------------------------------------

    def _on_text_changed(self) -> None:
        self._check_entry()
        self._on_edit()

    def _on_edit(self) -> None:
        if not self._setting_value:
            self.touched = True
        self.changed.emit()

    def _check_entry(self) -> None:
        try:
            self.value()
            error = ""
        except TypedEntryError as problem:
            error = str(problem)
            if self.explain_entry is not None:
                error = self.explain_entry(self._typed_text()) or error
        if error != self._entry_error:
            self._entry_error = error
            self._show_marks()

    def _typed_text(self) -> str:
        return " ".join(w.text() for w in self.inputs if isinstance(w, QLineEdit))

    def entry_error(self) -> str:
        """A message when what is typed cannot be read; such text is kept, never replaced."""
        return self._entry_error

    def value(self) -> Any:
        """The field's value; raises TypedEntryError when a typed date or time is unreadable."""
        kind = self.spec.kind
        first = self.inputs[0]
        if isinstance(first, LongTextEdit):
            return first.toPlainText()
        if isinstance(first, ChoiceCombo):
            return first.value()
        assert isinstance(first, QLineEdit)
        try:
            if kind is Kind.TEXT:
                return first.text()
            if kind is Kind.DATE:
                return parse_date(first.text())
            if kind is Kind.TIME:
                return parse_time(first.text())
            second = self.inputs[1]
            assert isinstance(second, QLineEdit)
            day, moment = parse_date(first.text()), parse_time(second.text())
        except ValueError as error:
            raise TypedEntryError(str(error)) from None
        if day is None and moment is None:
            return None
        if day is None or moment is None:
            raise TypedEntryError("Enter both the date and the time.")
        return dt.datetime.combine(day, moment, LONDON)

    def safe_value(self, fallback: Any) -> Any:
        try:
            return self.value()
        except TypedEntryError:
            return fallback

    def set_value(self, value: Any) -> None:
        self._setting_value = True
        try:
            self._set_value(value)
        finally:
            self._setting_value = False

    def _set_value(self, value: Any) -> None:
        first = self.inputs[0]
        if isinstance(first, LongTextEdit):
            if first.toPlainText() != (value or ""):
                first.setPlainText(value or "")
        elif isinstance(first, ChoiceCombo):
            first.set_value(value)
        else:
            assert isinstance(first, QLineEdit)
            kind = self.spec.kind
            if kind is Kind.TEXT:
                texts = [value or ""]
            elif kind is Kind.DATE:
                texts = [date_entry_text(value)]
            elif kind is Kind.TIME:
                texts = [time_entry_text(value)]
            else:
                local = value.astimezone(LONDON) if value is not None else None
                texts = [
                    date_entry_text(local.date() if local else None),
                    time_entry_text(local.time() if local else None),
                ]
            for line, text in zip(self.inputs, texts, strict=True):
                assert isinstance(line, QLineEdit)
                if line.text() != text:
                    line.setText(text)
        self._check_entry()

    def set_read_only(self, read_only: bool) -> None:
        for widget in self.inputs:
            if isinstance(widget, QLineEdit | QPlainTextEdit):
                widget.setReadOnly(read_only)
            else:
                widget.setEnabled(not read_only)

    # ---- problems ---------------------------------------------------------------------------

    def set_problems(self, problems: Sequence[Problem]) -> None:
        if list(problems) == self._problems:
            return
        self._problems = list(problems)
        self._show_marks()

    def problems(self) -> list[Problem]:
        return list(self._problems)

    def _show_marks(self) -> None:
        shown = list(self._problems)
        if self._entry_error:
            shown.insert(0, Problem(self.spec.key, self._entry_error, Severity.ERROR))
        self.marker.show_problems(shown)
        self._describe()

    def focus_input(self) -> None:
        self.inputs[0].setFocus(Qt.FocusReason.OtherFocusReason)


def labelled_column(row: QWidget, label: str) -> tuple[QVBoxLayout, QLabel]:
    """A field's column, its label in bold on top: what is typed or shown goes below."""
    layout = QVBoxLayout(row)
    layout.setContentsMargins(0, 4, 0, 4)
    layout.setSpacing(2)
    label_widget = QLabel(label, row)
    label_widget.setWordWrap(True)
    label_widget.setStyleSheet("font-weight: bold;")
    layout.addWidget(label_widget)
    return layout, label_widget


def show_values(rows: Mapping[str, FieldRow], owner: object) -> None:
    """Fills each row from `owner` at its field's path."""
    for path, row in rows.items():
        row.set_value(read_path(owner, path))


def typed_values(rows: Mapping[str, FieldRow], owner: Owner) -> Owner:
    """A copy of `owner` holding what is typed in `rows`; a row that cannot be read keeps
    `owner`'s value."""
    result = copy.deepcopy(owner)
    for path, row in rows.items():
        write_path(result, path, row.safe_value(read_path(owner, path)))
    return result


def mark_problems(rows: Mapping[str, FieldRow], problems: Sequence[Problem]) -> QWidget | None:
    """Marks beside each row the problems about its field (clearing the rest); the first
    input with one, to take the focus."""
    first: QWidget | None = None
    for path, row in rows.items():
        own = [p for p in problems if p.field == path]
        row.set_problems(own)
        if own and first is None:
            first = row.inputs[0]
    return first
