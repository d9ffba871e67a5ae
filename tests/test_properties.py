"""Hypothesis: any value in any field of any form gives a typed error at worst, never a crash;
saved records come back unchanged through the database and the PDF; random or damaged PDF and
JSON imports fail only with their typed errors (issue 5, acceptance 4)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from coreform.records import (
    LONDON,
    Amendment,
    Child,
    ChildObservation,
    CoreGroupMember,
    Family,
    KeyWorker,
    MonitoringRecord,
    ParentCarer,
    PlanType,
    Practitioner,
    RecordFormatError,
    RecordState,
    SendMethod,
    Setting,
    record_from_dict,
    record_to_dict,
)
from coreform.services import CoreformError, Services
from reports.pdf import PdfImportError, build_monitoring_pdf, read_record_from_pdf
from tests.conftest import FIXED_NOW

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# Any Unicode a keyboard, a paste or an import can bring, except lone surrogates (not valid
# UTF-8 anywhere, so no input can carry them).
text = st.text(st.characters(exclude_categories=["Cs"]), max_size=30)
yes_no = st.none() | st.booleans()
dates = st.none() | st.dates(dt.date(1900, 1, 1), dt.date(2100, 12, 31))
# A clock never reads a time in the hour skipped when the clocks go forward ("imaginary").
moments = st.datetimes(
    dt.datetime(1990, 1, 1),
    dt.datetime(2090, 12, 31),
    timezones=st.just(LONDON),
    allow_imaginary=False,
)
times = st.none() | st.times()

children = st.builds(
    Child,
    name=text,
    date_of_birth=dates,
    plan_type=st.sampled_from(PlanType),
    local_identifier=text,
)
observations = st.builds(
    ChildObservation,
    child=children,
    seen=yes_no,
    not_seen_reason=text,
    spoken_with=yes_no,
    seen_alone=yes_no,
    not_seen_alone_reason=text,
    seen_awake=yes_no,
    bedroom_seen=yes_no,
    presentation=text,
    wishes_and_feelings=text,
)
key_workers = st.builds(KeyWorker, name=text, email=text, team=text, phone=text)
practitioners = st.builds(Practitioner, name=text, role=text, agency=text, email=text, phone=text)
amendments = st.none() | st.builds(
    Amendment,
    reason=text,
    amended_at=moments,
    amended_by=text,
    previous_version=st.integers(1, 50),
)
drafts = st.builds(
    MonitoringRecord,
    family_name=text,
    children=st.lists(observations, max_size=3),
    key_worker=key_workers,
    completed_by=practitioners,
    visit_date=dates,
    visit_time=times,
    setting=st.none() | st.sampled_from(Setting),
    setting_other=text,
    announced=yes_no,
    purpose=text,
    others_present=text,
    observations=text,
    home_conditions=text,
    family_circumstances=text,
    incidents_injuries=text,
    immediate_concerns=yes_no,
    concerns_told_who=text,
    concerns_told_at=st.none() | moments,
    cp_procedures_considered=yes_no,
    parents_informed=yes_no,
    parents_not_informed_reason=text,
    copy_to_parents=yes_no,
    no_copy_reason=text,
    date_completed=dates,
    date_sent=dates,
    send_method=st.sampled_from(SendMethod),
    lateness_reason=text,
    next_contact=dates,
    next_contact_note=text,
    created_at=moments,
    updated_at=moments,
    amendment=amendments,
)
families = st.builds(
    Family,
    name=text,
    children=st.lists(children, max_size=3),
    key_worker=key_workers,
    parents_carers=st.lists(
        st.builds(ParentCarer, name=text, relationship=text, email=text, phone=text),
        max_size=2,
    ),
    core_group=st.lists(
        st.builds(CoreGroupMember, name=text, role=text, agency=text, email=text, phone=text),
        max_size=2,
    ),
    address=text,
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


@pytest.fixture(scope="module")
def shared(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Services]:
    """One database for all examples: opening (and migrating) per example would be slow."""
    folder: Path = tmp_path_factory.mktemp("properties")
    opened = Services.open(f"sqlite:///{folder / 'coreform.db'}", clock=lambda: FIXED_NOW)
    yield opened
    opened.close()


@SETTINGS
@given(record=drafts)
def test_any_record_saves_validates_and_submits_or_says_why(
    shared: Services, record: MonitoringRecord
) -> None:
    stored = shared.save_draft(record)
    shared.validate(stored)
    try:
        shared.submit_record(stored)
    except CoreformError as error:
        assert str(error)  # a message for the user, never an empty one


@SETTINGS
@given(family=families)
def test_any_family_saves_and_reads_back(shared: Services, family: Family) -> None:
    try:
        stored = shared.save_family(family)
    except CoreformError as error:
        assert str(error)
        return
    assert shared.get_family(stored.id) == stored


@SETTINGS
@given(record=drafts)
def test_saved_records_round_trip_through_the_database_and_the_pdf(
    shared: Services, record: MonitoringRecord
) -> None:
    stored = shared.save_draft(record)
    loaded = shared.get_record(stored.id)
    assert loaded == stored
    pdf = build_monitoring_pdf(loaded, generated_at=FIXED_NOW)
    assert read_record_from_pdf(pdf) == loaded
    assert record_from_dict(json.loads(json.dumps(record_to_dict(loaded)))) == loaded


@SETTINGS
@given(data=st.binary(max_size=2000))
def test_random_bytes_are_refused_as_a_pdf_with_a_typed_error(data: bytes) -> None:
    with pytest.raises(PdfImportError):
        read_record_from_pdf(data)


@pytest.fixture(scope="module")
def real_pdf() -> bytes:
    record = MonitoringRecord(family_name="Okafor", state=RecordState.SUBMITTED)
    return build_monitoring_pdf(record, generated_at=FIXED_NOW)


@SETTINGS
@given(cuts=st.lists(st.tuples(st.integers(0, 10**7), st.binary(max_size=8)), max_size=6))
def test_damaged_pdfs_fail_only_with_typed_errors(
    real_pdf: bytes, cuts: list[tuple[int, bytes]]
) -> None:
    damaged = bytearray(real_pdf)
    for position, replacement in cuts:
        at = position % len(damaged)
        damaged[at : at + len(replacement)] = replacement
    try:
        read_record_from_pdf(bytes(damaged))
    except PdfImportError as error:
        assert str(error)


@SETTINGS
@given(value=json_values)
def test_random_json_is_refused_with_a_typed_error(value: Any) -> None:
    with pytest.raises(RecordFormatError):
        record_from_dict(value)


@SETTINGS
@given(value=json_values, key=st.sampled_from(sorted(record_to_dict(MonitoringRecord())["record"])))
def test_a_damaged_field_in_good_json_is_refused_with_a_typed_error(key: str, value: Any) -> None:
    document = record_to_dict(MonitoringRecord())
    document["record"][key] = value
    try:
        record_from_dict(json.loads(json.dumps(document)))
    except RecordFormatError as error:
        assert str(error)


def test_a_moment_in_the_repeated_autumn_hour_survives_the_json_form() -> None:
    """01:30 happens twice in London on the last Sunday of October; both must read back equal."""
    first = dt.datetime(2026, 10, 25, 1, 30, tzinfo=LONDON)
    second = first.replace(fold=1)
    for moment in (first, second):
        record = MonitoringRecord(updated_at=moment, concerns_told_at=moment)
        back = record_from_dict(json.loads(json.dumps(record_to_dict(record))))
        assert back.updated_at == moment
        assert back.updated_at.utcoffset() == moment.utcoffset()
