"""The fillable monitoring form (issue 13) read back: its AcroForm field values and the details the
key worker put inside it (family, children, key worker) become a record, checked like any other.

A field's name is the record path it fills (`visit_date`, `completed_by.email`,
`children[0].seen`), so reading needs no table of its own: each value is parsed by the type of
the record attribute the path names.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from coreform.errors import IntakeError
from coreform.intake import decode_json
from coreform.records import (
    LONDON,
    Child,
    ChildObservation,
    Family,
    KeyWorker,
    MonitoringRecord,
    PlanType,
    Practitioner,
    RecordState,
    SendMethod,
    Setting,
    family_from_dict,
    family_to_dict,
)
from coreform.validation import Problem, Severity

FORM_SCHEMA_NAME = "coreform.fillable-form"
FORM_SCHEMA_VERSION = 1
# A received form's reference: it was never numbered by a coreform installation.
FORM_REFERENCE_PREFIX = "CGF"
# What check boxes and yes/no lists say in the common PDF readers.
_YES = frozenset({"yes", "y", "true", "on", "1"})
_NO = frozenset({"no", "n", "false", "off", "0"})
# Record keys a practitioner fills on the form; identity, sending and history are coreform's.
NOT_ON_FORM = frozenset(
    {
        "id",
        "reference",
        "version",
        "state",
        "family_id",
        "family_name",
        "children",
        "key_worker",
        "completed_by",
        "send_method",
        "date_sent",
        "created_at",
        "updated_at",
        "submitted_at",
        "amendment",
    }
)
_CHILD_PATH = re.compile(r"children\[(\d+)\]\.(child\.)?([a-z_]+)")


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


def form_fields(children: int) -> list[str]:
    """Every field name a blank form for `children` children has (what the PDF shows)."""
    names = [f.name for f in dataclasses.fields(MonitoringRecord) if f.name not in NOT_ON_FORM]
    names += [f"completed_by.{f.name}" for f in dataclasses.fields(Practitioner)]
    for index in range(children):
        names += [f"children[{index}].child.{n}" for n in ("name", "date_of_birth", "plan_type")]
        names += [
            f"children[{index}].{f.name}"
            for f in dataclasses.fields(ChildObservation)
            if f.name != "child"
        ]
    return names


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
    for name, text in sorted(values.items()):
        target, attribute = _target(record, name)
        if target is None or not text.strip():
            continue
        kind = next(f.type for f in dataclasses.fields(target) if f.name == attribute)
        try:
            setattr(target, attribute, _parse(str(kind), text.strip()))
        except ValueError as error:
            problems.append(Problem(name, f"“{text.strip()}” {error}", Severity.ERROR))
    canonical = json.dumps(sorted(values.items()), ensure_ascii=False)
    digest = hashlib.sha256(f"{context.form_id}\n{canonical}".encode()).hexdigest()
    record.id = digest[:32]
    record.reference = f"{FORM_REFERENCE_PREFIX}-{digest[:8].upper()}"
    return record, problems


def _target(record: MonitoringRecord, name: str) -> tuple[Any, str]:
    """The object and attribute a field name fills; (None, "") for names not on the form."""
    match = _CHILD_PATH.fullmatch(name)
    if match is not None:
        index, on_child, attribute = int(match.group(1)), match.group(2), match.group(3)
        if index >= len(record.children):
            return None, ""
        owner: Any = record.children[index].child if on_child else record.children[index]
        if attribute in ("child", "id") or attribute not in _names(owner):
            return None, ""
        return owner, attribute
    head, _, attribute = name.partition(".")
    if head == "completed_by" and attribute in _names(record.completed_by):
        return record.completed_by, attribute
    if not attribute and head not in NOT_ON_FORM and head in _names(record):
        return record, head
    return None, ""


def _names(owner: Any) -> set[str]:
    return {f.name for f in dataclasses.fields(owner)}


def _parse(kind: str, text: str) -> Any:
    base = kind.removesuffix(" | None")
    if base == "str":
        return text
    if base == "bool":
        if text.lower().lstrip("/") in _YES:
            return True
        if text.lower().lstrip("/") in _NO:
            return False
        raise ValueError("is not Yes or No.")
    if base == "dt.date":
        return _date(text)
    if base == "dt.time":
        return _time(text)
    if base == "dt.datetime":
        day, _, time = text.partition(" ")
        return dt.datetime.combine(_date(day), _time(time or "00:00"), tzinfo=LONDON)
    for enum in (Setting, PlanType):
        if base == enum.__name__:
            for member in enum:
                if text.casefold() in (member.value.casefold(), member.label.casefold()):
                    return member
            raise ValueError("is not one of the choices on the form.")
    raise ValueError("cannot be read.")


def _date(text: str) -> dt.date:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError("is not a date: write it as day/month/year, e.g. 03/03/2026.")


def _time(text: str) -> dt.time:
    for pattern in ("%H:%M", "%H.%M", "%H:%M:%S"):
        try:
            return dt.datetime.strptime(text, pattern).time()
        except ValueError:
            continue
    raise ValueError("is not a time: write it as hours:minutes, e.g. 14:15.")
