"""The PDF of a Multi-Agency Core Group Monitoring Form record (000): the form's sections in its
order, on the shared page (reports.pdf.page) and laid out by reports.pdf.layout. Text is laid out
by reports.pdf.text (any script, copied out as typed); nothing typed is ever read as markup.
"""

from __future__ import annotations

import datetime as dt

from coreform.ages import age_on_visit_text
from coreform.forms.model import Kind
from coreform.forms.monitoring import CHILD, MONITORING_FORM
from coreform.records import ChildObservation, MonitoringRecord, RecordState
from reports.pdf.container import attach_record
from reports.pdf.layout import (
    FormStory,
    date_text,
    fits_grid,
    moment_text,
    not_recorded,
    shorten,
)
from reports.pdf.page import PageSetup, pdf_name, render_form
from reports.pdf.text import Span

# 000: the form's name, marked confidential on every page as its emails are.
FORM_TITLE = f"{MONITORING_FORM.title} CONFIDENTIAL"

_HEADING_NAME_CHARS = 120


def pdf_file_name(record: MonitoringRecord) -> str:
    """`CG-2026-00042-v1.pdf`: the reference and version, never a child's name."""
    return pdf_name(record.reference, record.version, fallback="coreform-record", id_=record.id)


def pdf_title(record: MonitoringRecord) -> str:
    """The PDF's metadata title; it names the reference only (metadata is often indexed)."""
    return f"{FORM_TITLE} – {record.reference or 'no reference'}"


def build_monitoring_pdf(
    record: MonitoringRecord, *, generated_at: dt.datetime, password: str | None = None
) -> bytes:
    """The record's PDF with its data attached; AES-256 encrypted when a password is given."""
    setup = PageSetup(
        running_title=FORM_TITLE,
        metadata_title=pdf_title(record),
        subject=MONITORING_FORM.title,
        footer=(
            f"Reference {record.reference or 'not yet given'} · version {record.version} · "
            f"generated {moment_text(generated_at)}"
        ),
    )
    pdf = render_form(setup, lambda form: _write_record(form, record))
    return attach_record(pdf, record, password)


# The questions that say who each child is, with their age on the visit date after the birth date
# (an unborn child's expected date is shown in the birth date's place).
_BIRTH_ONLY = ("child.unborn", "child.expected_date")
_CHILD_LISTED = tuple(spec for spec in CHILD.fields if spec.listed and spec.key not in _BIRTH_ONLY)
_AGE_COLUMN = "Age at the visit"
_CHILD_COLUMNS = tuple(
    label
    for spec in _CHILD_LISTED
    for label in ((spec.label, _AGE_COLUMN) if spec.key == "child.date_of_birth" else (spec.label,))
)
_CHILD_WIDTHS = (0.34, 0.16, 0.16, 0.18, 0.16)


# ---- the record ----------------------------------------------------------------------------


def _write_record(form: FormStory, record: MonitoringRecord) -> None:
    """The form's sections in its order (coreform.forms.monitoring), with the questions shown."""
    draft = record.state is RecordState.DRAFT
    draft_mark = "DRAFT – not submitted" if draft else None
    form.heading(
        FORM_TITLE, record.reference, _record_details(record), record.amendment, draft_mark
    )
    for section in MONITORING_FORM.sections:
        form.section(section.title)
        for spec in section.fields:
            if spec.shown_in(record, record):
                form.answer(spec, spec.value_in(record))
        if section.items is not None:
            _write_children(form, record.children, record.visit_date)
            for number, observation in enumerate(record.children, start=1):
                _write_child(form, number, observation, record)


def _record_details(record: MonitoringRecord) -> str:
    details = f" · version {record.version}"
    if record.submitted_at is not None:
        details += f" · submitted {moment_text(record.submitted_at)}"
    return details


def _write_children(
    form: FormStory, children: list[ChildObservation], visit_date: dt.date | None
) -> None:
    """One line per child in a grid; a child with long details gets label/value rows."""
    lines = [_child_cells(child, visit_date) for child in children]
    if not lines:
        form.row("Children", not_recorded())
        return
    if not fits_grid(value for line in lines for value in line):
        for number, line in enumerate(lines, start=1):
            form.subheading(f"Child {number}")
            for label, value in zip(_CHILD_COLUMNS, line, strict=True):
                form.field(label, value)
        return
    cells = [[[Span(value)] if value else [] for value in line] for line in lines]
    form.grid(_CHILD_COLUMNS, cells, _CHILD_WIDTHS)


def _write_child(
    form: FormStory, number: int, observation: ChildObservation, record: MonitoringRecord
) -> None:
    """One child's observations; the questions that do not apply to this child are left out,
    and a child with none (an unborn child) is in the table of children only."""
    shown = [s for s in CHILD.fields if not s.listed and s.shown_in(record, observation)]
    if not shown:
        return
    name = shorten(observation.child.name.strip() or "name not given", _HEADING_NAME_CHARS)
    form.section(f"{CHILD.title} {number}: {name}")
    for spec in shown:
        form.answer(spec, spec.value_in(observation))


def _child_cells(observation: ChildObservation, visit_date: dt.date | None) -> list[str]:
    cells: list[str] = []
    for spec in _CHILD_LISTED:
        value = spec.value_in(observation)
        if spec.key == "child.date_of_birth" and observation.child.unborn:
            cells += [f"Unborn (expected {date_text(observation.child.expected_date)})", "unborn"]
        elif spec.key == "child.date_of_birth":
            cells += [date_text(value), _age(observation, visit_date)]
        elif spec.kind is Kind.CHOICE:
            cells.append(spec.choice_label(value) or "")
        else:
            cells.append(value if isinstance(value, str) else "")
    return cells


def _age(observation: ChildObservation, visit_date: dt.date | None) -> str:
    return age_on_visit_text(observation.child.date_of_birth, visit_date)
