"""The fillable monitoring form (issue 13): which questions it asks, and reading a filled-in one
back. Its field values and the details the key worker put inside it (family, children, key
worker) become a record, checked like any other.

The questions, labels and choices are `MONITORING_FORM`'s; a field's name is the record path it
fills (`visit_date`, `completed_by.email`, `children[0].seen`) with ":" for ".", since PDF field
names use "." for their own hierarchy.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from coreform.errors import IntakeError
from coreform.forms.model import Field, Kind, Section, write_path
from coreform.forms.monitoring import MONITORING_FORM
from coreform.intake import decode_json
from coreform.records import (
    LONDON,
    Child,
    ChildObservation,
    Family,
    KeyWorker,
    MonitoringRecord,
    RecordState,
    SendMethod,
    family_from_dict,
    family_to_dict,
)
from coreform.validation import Problem, Severity

FORM_SCHEMA_NAME = "coreform.fillable-form"
FORM_SCHEMA_VERSION = 1
# A received form's reference: it was never numbered by a coreform installation.
FORM_REFERENCE_PREFIX = "CGF"
# Filled in by the key worker (printed on the form) or by coreform, never by the practitioner.
PREFILLED = frozenset(
    {
        "family_name",
        "child.name",
        "child.date_of_birth",
        "child.plan_type",
        "child.local_identifier",
    }
)
NOT_ASKED_SECTIONS = frozenset({"key_worker"})
NOT_ASKED = frozenset({"date_sent", "send_method"})
# Hints the form shows beside a typed date or time (any PDF reader, no pickers).
KIND_HINTS = {Kind.DATE: "dd/mm/yyyy", Kind.TIME: "hh:mm", Kind.DATETIME: "dd/mm/yyyy hh:mm"}


@dataclass
class FormContext:
    """Who a blank form is for: put in by the key worker, carried inside the PDF."""

    form_id: str
    family: Family = field(default_factory=Family)


def context_json(context: FormContext) -> bytes:
    data = {
        "schema": FORM_SCHEMA_NAME,
        "schema_version": FORM_SCHEMA_VERSION,
        "form_id": context.form_id,
        "family": family_to_dict(context.family),
    }
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


def read_context(raw: bytes) -> FormContext:
    data = decode_json(raw, "form's details")
    if not isinstance(data, dict) or data.get("schema") != FORM_SCHEMA_NAME:
        raise IntakeError("This PDF is not a coreform fillable form. Ask the sender what it is.")
    version = data.get("schema_version")
    if not isinstance(version, int) or version > FORM_SCHEMA_VERSION:
        raise IntakeError("This form was made by a newer coreform. Update coreform to import it.")
    try:
        return FormContext(str(data["form_id"]), family_from_dict(data["family"]))
    except (KeyError, TypeError, ValueError, AssertionError) as error:
        raise IntakeError(
            "The details inside this form cannot be read. Send the practitioner a new form."
        ) from error


def field_name(path: str) -> str:
    return path.replace(".", ":")


@dataclass(frozen=True)
class Question:
    """One field of the fillable form: the record path it fills and the form's question."""

    path: str
    spec: Field
    section: Section
    item: int | None = None  # the child's position for a child's question


def questions(children: int) -> Iterator[Question]:
    """The form's questions in order, each child's in turn; prefilled details are left out."""
    for section in MONITORING_FORM.sections:
        if section.key in NOT_ASKED_SECTIONS:
            continue
        for spec in section.fields:
            if spec.key not in PREFILLED and spec.key not in NOT_ASKED:
                yield Question(spec.key, spec, section)
        if section.items is not None:
            for index in range(children):
                for spec in section.items.fields:
                    if spec.key not in PREFILLED:
                        path = f"{section.items.key}[{index}].{spec.key}"
                        yield Question(path, spec, section, index)


def record_from_form(
    raw_context: bytes, values: Mapping[str, str]
) -> tuple[MonitoringRecord, list[Problem]]:
    """The record a filled-in form describes, and the answers that could not be read.

    Its id comes from the form and the answers, so the same filled-in file is filed once.
    """
    context = read_context(raw_context)
    family = context.family
    record = MonitoringRecord(
        state=RecordState.SUBMITTED,
        family_id=family.id,
        family_name=family.name,
        key_worker=KeyWorker(**dataclasses.asdict(family.key_worker)),
        children=[ChildObservation(child=Child(**dataclasses.asdict(c))) for c in family.children],
        send_method=SendMethod.EMAIL,
    )
    problems: list[Problem] = []
    answered: dict[str, str] = {}
    for question in questions(len(family.children)):
        text = values.get(field_name(question.path), "").strip()
        if not text:
            continue
        answered[question.path] = text
        try:
            write_path(record, question.path, _parse(question.spec, text))
        except ValueError as error:
            label = question.spec.label
            problems.append(Problem(question.path, f"{label}: “{text}” {error}", Severity.ERROR))
    canonical = json.dumps(sorted(answered.items()), ensure_ascii=False)
    digest = hashlib.sha256(f"{context.form_id}\n{canonical}".encode()).hexdigest()
    record.id = digest[:32]
    record.reference = f"{FORM_REFERENCE_PREFIX}-{digest[:8].upper()}"
    return record, problems


def _parse(spec: Field, text: str) -> Any:
    if spec.kind in (Kind.TEXT, Kind.LONG_TEXT):
        return text
    if spec.kind is Kind.DATE:
        return _date(text)
    if spec.kind is Kind.TIME:
        return _time(text)
    if spec.kind is Kind.DATETIME:
        day, _, time = text.partition(" ")
        return dt.datetime.combine(_date(day), _time(time.strip() or "00:00"), tzinfo=LONDON)
    for label, value in spec.options():
        # A check box says its export name ("/Yes"); a list says the label chosen.
        if text.lstrip("/").casefold() == label.casefold():
            return value
    raise ValueError("is not one of the answers the form offers.")


def _date(text: str) -> dt.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError("is not a date: write it as day/month/year, for example 03/03/2026.")


def _time(text: str) -> dt.time:
    for pattern in ("%H:%M", "%H.%M", "%H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    raise ValueError("is not a time: write it as hours:minutes, for example 14:15.")
