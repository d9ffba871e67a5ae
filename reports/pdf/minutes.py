"""The PDF of core group minutes: the Suffolk "Record of Core Group Meeting" (001, the template at
its end), CONFIDENTIAL on every page, with the minutes' data inside so a coreform reads them back.

Every label comes from the form definition (coreform.forms.minutes); the layout follows the
template: the attendees as a table, "Progress of Plan" as its three columns (safety goal, next
steps, how things have changed), and each child's scaling as the template's grid.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from typing import Any

from coreform.forms.minutes import (
    MINUTES_FORM,
    MINUTES_TITLE,
    NEXT_STEP,
    SAFETY_GOAL,
)
from coreform.forms.model import Field, Items, Kind, Need
from coreform.minutes import (
    SCALE_MAX,
    CoreGroupMinutes,
    MinutesState,
    NextStep,
    SafetyGoal,
    minutes_to_dict,
)
from reports.pdf.container import (
    MINUTES_ATTACHMENT_NAME,
    attach_data,
    decode_minutes,
    read_attachment,
)
from reports.pdf.layout import (
    MUTED,
    FormStory,
    fits_grid,
    moment_text,
    not_recorded,
    shorten,
    value_text,
    yes_no,
)
from reports.pdf.page import PageSetup, pdf_name, render_form
from reports.pdf.text import Span

# 001 template: the form's name, marked confidential on every page as the records' PDFs are.
MINUTES_PDF_TITLE = f"{MINUTES_TITLE} CONFIDENTIAL"

_HEADING_NAME_CHARS = 120
# A "Progress of Plan" row longer than this is set as blocks: a table row cannot split pages.
_PROGRESS_ROW_CHARS = 1500
_PROGRESS_WIDTHS = (0.34, 0.36, 0.30)
_STEP_WIDTHS = (0.40, 0.20, 0.14, 0.12, 0.14)
_SCALING_WIDTHS = (0.28, 0.24, 0.24, 0.24)
_STATES = {
    MinutesState.DRAFT: "draft, not finalised",
    MinutesState.FINAL: "final",
    MinutesState.AMENDED: "amended",
}


def minutes_pdf_file_name(minutes: CoreGroupMinutes) -> str:
    """`CGM-2026-00003-v1.pdf`: the reference and version, never a child's name."""
    return pdf_name(minutes.reference, minutes.version, fallback="coreform-minutes", id_=minutes.id)


def minutes_json(minutes: CoreGroupMinutes) -> bytes:
    """The attachment's bytes: the versioned JSON form of the minutes, UTF-8."""
    return json.dumps(minutes_to_dict(minutes), ensure_ascii=False, indent=2).encode("utf-8")


def build_minutes_pdf(
    minutes: CoreGroupMinutes, *, generated_at: dt.datetime, password: str | None = None
) -> bytes:
    """The minutes' PDF with their data attached; AES-256 encrypted when a password is given."""
    reference = minutes.reference or "not yet given"
    setup = PageSetup(
        running_title=MINUTES_PDF_TITLE,
        metadata_title=f"{MINUTES_PDF_TITLE} – {minutes.reference or 'no reference'}",
        subject=MINUTES_TITLE,
        footer=(
            f"Reference {reference} · version {minutes.version} · "
            f"generated {moment_text(generated_at)}"
        ),
    )
    pdf = render_form(setup, lambda form: _write_minutes(form, minutes))
    return attach_data(
        pdf,
        name=MINUTES_ATTACHMENT_NAME,
        data=minutes_json(minutes),
        description="coreform core group minutes (JSON)",
        password=password,
    )


def read_minutes_from_pdf(data: bytes, password: str | None = None) -> CoreGroupMinutes:
    """The minutes a coreform minutes PDF carries; raises only PdfImportError subclasses."""
    return decode_minutes(read_attachment(data, MINUTES_ATTACHMENT_NAME, password))


# ---- the minutes ---------------------------------------------------------------------------


def _write_minutes(form: FormStory, minutes: CoreGroupMinutes) -> None:
    """The template's sections in the form's order, every field with the form's label."""
    draft = minutes.state is MinutesState.DRAFT
    draft_mark = "DRAFT – not finalised" if draft else None
    form.heading(
        MINUTES_PDF_TITLE,
        minutes.reference,
        _minutes_details(minutes),
        minutes.amendment,
        draft_mark,
    )
    for section in MINUTES_FORM.sections:
        form.section(section.title)
        items = section.items
        if items is not None and items.table:
            _write_attendees(form, minutes, items)  # the table first, as in the template
        for spec in section.fields:
            if spec.shown_in(minutes, minutes):
                form.answer(spec, spec.value_in(minutes))
        if items is None or items.table:
            continue
        if items.key == SAFETY_GOAL.key:
            _write_progress(form, minutes)
        elif items.key == NEXT_STEP.key:
            _write_unlinked_steps(form, minutes)
        else:
            _write_each(form, minutes, items)


def _minutes_details(minutes: CoreGroupMinutes) -> str:
    details = f" · version {minutes.version} · {_STATES[minutes.state]}"
    if minutes.finalised_at is not None:
        details += f" · finalised {moment_text(minutes.finalised_at)}"
    return details


def _cell(spec: Field, value: Any) -> list[Span]:
    """An answer in a table cell; empty when not answered (the grid says "Not recorded")."""
    if spec.kind is Kind.YES_NO:
        answer = spec.is_yes(value)
        return yes_no(answer) if answer is not None else []
    if spec.kind is Kind.SCALE and isinstance(value, int):
        return [Span(f"{value} of {SCALE_MAX}")]  # 001 template: scaling from 0 to 10
    text = value_text(spec, value)
    return [Span(text)] if text.strip() else []


# The attendees as the template's table: a column holds one field, or two stacked (the second
# in grey); a written report applies to absent professionals only and is listed under the table.
_ATTENDEE_COLUMNS = (
    ("name", "email"),
    ("role", "agency"),
    ("kind",),
    ("consulted",),
    ("invited",),
    ("attended",),
    ("chair",),
)
_ATTENDEE_WIDTHS = (0.26, 0.19, 0.13, 0.105, 0.105, 0.105, 0.105)


def _write_attendees(form: FormStory, minutes: CoreGroupMinutes, items: Items) -> None:
    """One row per attendee; a block each when a value is too long for a table."""
    fields = {spec.key: spec for spec in items.fields}
    attendees = _read_items(minutes, items)
    if not attendees:
        form.row(items.title, [Span("None recorded", color=MUTED)])
        return
    texts = [value_text(spec, spec.value_in(row)) for row in attendees for spec in items.fields]
    if not fits_grid(texts):
        _write_each(form, minutes, items)
        return
    lines = [
        [_stacked([fields[key] for key in keys], attendee) for keys in _ATTENDEE_COLUMNS]
        for attendee in attendees
    ]
    columns = [
        [
            Span(fields[keys[0]].label),
            *(Span(f"\n{fields[k].label}", color=MUTED) for k in keys[1:]),
        ]
        for keys in _ATTENDEE_COLUMNS
    ]
    form.grid(columns, lines, _ATTENDEE_WIDTHS)
    placed = {key for keys in _ATTENDEE_COLUMNS for key in keys}
    for spec in items.fields:
        for attendee in attendees:
            if spec.key not in placed and spec.shown_in(minutes, attendee):
                label = f"{spec.label}: {attendee.name.strip() or 'name not given'}"
                form.answer(replace(spec, label=label), spec.value_in(attendee))


def _stacked(specs: list[Field], owner: Any) -> list[Span]:
    """The first field's answer, the others' under it in grey (left out when blank)."""
    first, *others = specs
    spans = _cell(first, first.value_in(owner))
    for spec in others:
        answer = _cell(spec, spec.value_in(owner))
        if answer:
            spans += [Span("\n"), *(replace(span, color=span.color or MUTED) for span in answer)]
    return spans or not_recorded()


def _write_each(form: FormStory, minutes: CoreGroupMinutes, items: Items) -> None:
    """A block per item under its own heading (each child), its grid as a table."""
    if not _read_items(minutes, items):
        form.paragraph("None recorded.", form.note_style)
    for number, item in enumerate(_read_items(minutes, items), start=1):
        listed = [spec for spec in items.fields if spec.listed]
        name = value_text(listed[0], listed[0].value_in(item)).strip() if listed else ""
        heading = f"{items.title} {number}"
        form.subheading(f"{heading}: {shorten(name, _HEADING_NAME_CHARS)}" if name else heading)
        for spec in items.fields:
            if not spec.listed and spec.shown_in(minutes, item):
                form.answer(spec, spec.value_in(item))
        if items.grid is not None:
            grid = items.grid
            lines = [
                [
                    [Span(label)],
                    *(
                        _cell(grid.cell(row, col), grid.cell(row, col).value_in(item))
                        for col, _ in grid.columns
                    ),
                ]
                for row, label in grid.rows
            ]
            columns = [grid.label, *(label for _, label in grid.columns)]
            form.grid(columns, lines, _SCALING_WIDTHS, header_column=True)


def _read_items(minutes: CoreGroupMinutes, items: Items) -> list[Any]:
    found = getattr(minutes, items.key)
    return list(found) if isinstance(found, list) else []


# ---- Progress of Plan -----------------------------------------------------------------------

_GOAL = {spec.key: spec for spec in SAFETY_GOAL.fields}
_STEP = {spec.key: spec for spec in NEXT_STEP.fields}
# The template's three columns; the rest of a goal's answers go under the goal itself.
_GOAL_COLUMNS = ("goal", "how_changed")
_STEP_COLUMNS = ("action", "who", "by_when", "achieved", "agreed_on")


def _labelled(spec: Field, owner: Any) -> list[Span]:
    """`Label: answer` on a line of its own inside a cell; a blank optional answer is left out
    (a new step not yet done, a goal never changed)."""
    answer = _cell(spec, spec.value_in(owner))
    if not answer and spec.need is Need.OPTIONAL:
        return []
    return [Span("\n"), Span(f"{spec.label}: ", bold=True), *(answer or not_recorded())]


def _goal_cell(minutes: CoreGroupMinutes, goal: SafetyGoal) -> list[Span]:
    spans = _cell(_GOAL["goal"], goal.goal) or not_recorded()
    for spec in SAFETY_GOAL.fields:
        if spec.key not in _GOAL_COLUMNS and spec.shown_in(minutes, goal):
            spans += _labelled(spec, goal)
    return spans


def _steps_cell(minutes: CoreGroupMinutes, steps: list[NextStep]) -> list[Span]:
    spans: list[Span] = []
    for number, step in enumerate(steps, start=1):
        if spans:
            spans.append(Span("\n"))
        spans.append(Span(f"{number}. ", bold=True))
        spans += _cell(_STEP["action"], step.action) or not_recorded()
        for spec in NEXT_STEP.fields:
            if spec.key not in ("action", "goal_id") and spec.shown_in(minutes, step):
                spans += _labelled(spec, step)
    return spans


def _write_progress(form: FormStory, minutes: CoreGroupMinutes) -> None:
    """The template's table: each safety goal with the next steps that serve it."""
    goals = minutes.safety_goals
    if not goals:
        form.row(SAFETY_GOAL.title, [Span("None recorded", color=MUTED)])
        return
    lines = []
    for goal in goals:
        steps = [step for step in minutes.next_steps if step.goal_id == goal.id]
        lines.append(
            [
                _goal_cell(minutes, goal),
                _steps_cell(minutes, steps),
                _cell(_GOAL["how_changed"], goal.how_changed),
            ]
        )
    if all(
        sum(len(s.text) for cell in line for s in cell) <= _PROGRESS_ROW_CHARS for line in lines
    ):
        columns = [_GOAL["goal"].label, _STEP["action"].label, _GOAL["how_changed"].label]
        form.grid(columns, lines, _PROGRESS_WIDTHS)
        return
    for number, goal in enumerate(goals, start=1):
        form.subheading(f"{SAFETY_GOAL.title} {number}")
        for spec in SAFETY_GOAL.fields:
            if spec.shown_in(minutes, goal):
                form.answer(spec, spec.value_in(goal))
        steps = [step for step in minutes.next_steps if step.goal_id == goal.id]
        for step_number, step in enumerate(steps, start=1):
            form.paragraph(f"{NEXT_STEP.title} {step_number}", form.prose_label_style)
            _write_step_rows(form, minutes, step)


def _write_step_rows(form: FormStory, minutes: CoreGroupMinutes, step: NextStep) -> None:
    for spec in NEXT_STEP.fields:
        if spec.key != "goal_id" and spec.shown_in(minutes, step):
            form.answer(spec, spec.value_in(step))


def _write_unlinked_steps(form: FormStory, minutes: CoreGroupMinutes) -> None:
    """Next steps for no safety goal (those for one are in "Progress of Plan" above)."""
    goal_ids = {goal.id for goal in minutes.safety_goals}
    steps = [step for step in minutes.next_steps if step.goal_id not in goal_ids]
    if not steps:
        form.paragraph(
            "Every next step is listed with the safety goal it serves, under Progress of Plan."
            if minutes.next_steps
            else "None recorded.",
            form.note_style,
        )
        return
    if len(steps) < len(minutes.next_steps):
        form.paragraph(
            "Steps for no safety goal; the others are under Progress of Plan.", form.note_style
        )
    specs = [_STEP[key] for key in _STEP_COLUMNS]
    texts = [value_text(spec, spec.value_in(step)) for step in steps for spec in specs]
    # A change's reason has no column: steps with one are set as blocks.
    if fits_grid(texts) and not any(step.change_reason.strip() for step in steps):
        lines = [[_cell(spec, spec.value_in(step)) for spec in specs] for step in steps]
        form.grid([spec.label for spec in specs], lines, _STEP_WIDTHS)
        return
    for number, step in enumerate(steps, start=1):
        form.subheading(f"{NEXT_STEP.title} {number}")
        _write_step_rows(form, minutes, step)
