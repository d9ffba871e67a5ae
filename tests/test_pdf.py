"""The monitoring record's PDF, read back with pypdf: text, pages, embedded data, encryption."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pypdf import PasswordType, PdfReader, PdfWriter

from coreform.records import (
    LONDON,
    RECORD_SCHEMA_VERSION,
    Amendment,
    Child,
    ChildObservation,
    KeyWorker,
    MonitoringRecord,
    PlanType,
    Practitioner,
    RecordState,
    Setting,
    record_to_dict,
)
from reports.pdf import (
    FORM_TITLE,
    RECORD_ATTACHMENT_NAME,
    NotACoreformPdf,
    PdfImportError,
    PdfPasswordRequired,
    PdfRecordDamaged,
    PdfUnreadable,
    PdfWrongPassword,
    build_monitoring_pdf,
    is_encrypted_pdf,
    pdf_file_name,
    read_record_from_pdf,
)

GENERATED = dt.datetime(2026, 3, 4, 10, 30, tzinfo=LONDON)
LATIN = "Zoë Łukasiewicz-Ñúñez"
GREEK = "Αθηνά Παπαδοπούλου"
CYRILLIC = "Анастасия Кузнецова"
FILLER = "The kitchen had food in the fridge and the uniforms were clean and hung up. "


def make_record(filler_sentences: int = 0) -> MonitoringRecord:
    visit = dt.date(2026, 3, 2)
    return MonitoringRecord(
        reference="CG-2026-00042",
        state=RecordState.SUBMITTED,
        family_name="Łukasiewicz-Ñúñez",
        children=[
            ChildObservation(
                child=Child(LATIN, dt.date(2017, 5, 9), PlanType.CP, "LC-1"),
                seen=True,
                spoken_with=True,
                seen_alone=True,
                bedroom_seen=True,
                presentation="Chatty and clean.\n" + FILLER * filler_sentences,
                wishes_and_feelings="“I like school.”",
            ),
            ChildObservation(
                child=Child(GREEK, dt.date(2025, 6, 1), PlanType.CIN),
                seen=True,
                seen_awake=True,
            ),
            ChildObservation(
                child=Child(CYRILLIC, dt.date(2012, 1, 30)),
                seen=False,
                not_seen_reason="At her grandmother's.",
            ),
        ],
        key_worker=KeyWorker("Sam Okafor", "sam.okafor@example.org", "Children's Social Care"),
        completed_by=Practitioner("Jo Bright", "School nurse", "NHS", "jo@example.org"),
        visit_date=visit,
        visit_time=dt.time(15, 30),
        setting=Setting.HOME,
        announced=False,
        purpose="Unannounced visit, plan task 3.",
        observations=FILLER * filler_sentences,
        immediate_concerns=False,
        parents_informed=True,
        copy_to_parents=True,
        date_completed=visit,
        date_sent=visit,
        submitted_at=dt.datetime(2026, 3, 3, 9, 12, tzinfo=LONDON),
    )


def page_texts(data: bytes, password: str | None = None) -> list[str]:
    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        reader.decrypt(password)
    return [page.extract_text() for page in reader.pages]


@pytest.fixture(scope="module")
def long_record() -> MonitoringRecord:
    return make_record(filler_sentences=120)


@pytest.fixture(scope="module")
def long_pdf(long_record: MonitoringRecord) -> bytes:
    return build_monitoring_pdf(long_record, generated_at=GENERATED)


def test_every_page_has_the_heading_and_numbered_footer(long_pdf: bytes) -> None:
    texts = page_texts(long_pdf)
    assert len(texts) >= 3
    for number, text in enumerate(texts, start=1):
        assert FORM_TITLE in text
        assert f"Page {number} of {len(texts)}" in text
        assert "Reference CG-2026-00042" in text
        assert "generated 4 March 2026 at 10:30" in text


def test_names_in_three_scripts_extract_exactly(long_pdf: bytes) -> None:
    text = "\n".join(page_texts(long_pdf))
    for name in (LATIN, GREEK, CYRILLIC):
        assert name in text


def test_yes_no_are_ticks_with_words(long_pdf: bytes) -> None:
    text = "\n".join(page_texts(long_pdf))
    assert "✓ Yes" in text
    assert "✗ No" in text


def test_embedded_json_is_the_record(long_record: MonitoringRecord, long_pdf: bytes) -> None:
    attachments = PdfReader(io.BytesIO(long_pdf)).attachments
    assert list(attachments) == [RECORD_ATTACHMENT_NAME]
    assert json.loads(attachments[RECORD_ATTACHMENT_NAME][0]) == record_to_dict(long_record)
    read_back = read_record_from_pdf(long_pdf)
    assert record_to_dict(read_back) == record_to_dict(long_record)


def test_metadata_title_names_no_child(long_pdf: bytes) -> None:
    metadata = PdfReader(io.BytesIO(long_pdf)).metadata
    assert metadata is not None
    assert metadata.title == f"{FORM_TITLE} – CG-2026-00042"
    everything = " ".join(str(value) for value in metadata.values())
    for name in ("Zoë", "Αθηνά", "Анастасия", "Łukasiewicz"):
        assert name not in everything


def test_file_name_carries_the_reference_only() -> None:
    record = make_record()
    assert pdf_file_name(record) == "CG-2026-00042-v1.pdf"
    record.reference, record.version = "CG/2026 00042", 3
    assert pdf_file_name(record) == "CG-2026-00042-v3.pdf"
    record.reference = ""
    assert pdf_file_name(record) == f"coreform-record-{record.id[:12]}-v3.pdf"


def test_user_text_is_never_markup_and_keeps_its_lines() -> None:
    record = make_record()
    record.purpose = 'Line one <b>not bold</b> & <font size="40">big</font>\nLine two'
    record.others_present = "<para>broken & unclosed <i>"
    text = "\n".join(page_texts(build_monitoring_pdf(record, generated_at=GENERATED)))
    assert 'Line one <b>not bold</b> & <font size="40">big</font>\nLine two' in text
    assert "<para>broken & unclosed <i>" in text


def test_amended_record_says_so_with_reason_and_date() -> None:
    record = make_record()
    record.state, record.version = RecordState.AMENDED, 2
    record.amendment = Amendment(
        reason="Start time corrected to 15:30.",
        amended_at=dt.datetime(2026, 3, 4, 9, 5, tzinfo=LONDON),
        amended_by="Jo Bright",
    )
    first_page = page_texts(build_monitoring_pdf(record, generated_at=GENERATED))[0]
    assert "AMENDED" in first_page
    assert "Start time corrected to 15:30." in first_page
    assert "Amended on 4 March 2026 at 09:05 by Jo Bright" in first_page


def test_a_megabyte_of_text_flows_across_pages() -> None:
    record = make_record()
    record.observations = FILLER * (500_000 // len(FILLER))
    record.home_conditions = "x" * 500_000  # one word with no space to break at
    data = build_monitoring_pdf(record, generated_at=GENERATED)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) > 100
    assert record_to_dict(read_record_from_pdf(data)) == record_to_dict(record)


def test_encrypted_pdf_opens_only_with_its_password() -> None:
    record = make_record()
    data = build_monitoring_pdf(record, generated_at=GENERATED, password="correct horse")
    assert is_encrypted_pdf(data)
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    assert reader.decrypt("wrong") == PasswordType.NOT_DECRYPTED
    with pytest.raises(PdfPasswordRequired):
        read_record_from_pdf(data)
    with pytest.raises(PdfWrongPassword):
        read_record_from_pdf(data, "wrong")
    assert record_to_dict(read_record_from_pdf(data, "correct horse")) == record_to_dict(record)
    assert LATIN in "\n".join(page_texts(data, "correct horse"))
    assert not is_encrypted_pdf(build_monitoring_pdf(record, generated_at=GENERATED))


def test_empty_password_is_refused() -> None:
    with pytest.raises(ValueError, match="empty password"):
        build_monitoring_pdf(make_record(), generated_at=GENERATED, password="")


def _pdf_with_attachment(content: bytes | None) -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if content is not None:
        writer.add_attachment(RECORD_ATTACHMENT_NAME, content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_without_the_record_is_not_a_coreform_pdf() -> None:
    with pytest.raises(NotACoreformPdf, match="does not contain a coreform record"):
        read_record_from_pdf(_pdf_with_attachment(None))


@pytest.mark.parametrize(
    ("content", "detail"),
    [
        (b"{not json", "not valid JSON"),
        (b"\xff\xfe", "not valid JSON"),
        (json.dumps({"schema": "other"}).encode(), "not a coreform monitoring record"),
        (
            json.dumps(
                {"schema": "coreform.monitoring-record", "schema_version": 99, "record": {}}
            ).encode(),
            "newer coreform",
        ),
        (b"[" * 100_000, "not valid JSON"),
    ],
)
def test_a_damaged_record_attachment_says_so(content: bytes, detail: str) -> None:
    with pytest.raises(PdfRecordDamaged, match=detail):
        read_record_from_pdf(_pdf_with_attachment(content))


def test_schema_version_is_the_current_one(long_pdf: bytes) -> None:
    data = json.loads(PdfReader(io.BytesIO(long_pdf)).attachments[RECORD_ATTACHMENT_NAME][0])
    assert data["schema"] == "coreform.monitoring-record"
    assert data["schema_version"] == RECORD_SCHEMA_VERSION == 2


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_raise_only_pdf_import_errors(data: bytes) -> None:
    with pytest.raises(PdfImportError):
        read_record_from_pdf(data)


@pytest.fixture(scope="module")
def small_pdf() -> bytes:
    return build_monitoring_pdf(make_record(), generated_at=GENERATED, password="pw")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_damaged_pdfs_raise_only_pdf_import_errors(small_pdf: bytes, data: st.DataObject) -> None:
    damaged = bytearray(small_pdf)
    for _ in range(data.draw(st.integers(1, 20))):
        position = data.draw(st.integers(0, len(damaged) - 1))
        damaged[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(0, len(damaged)))
    password = data.draw(st.sampled_from([None, "pw", "wrong"]))
    try:
        record = read_record_from_pdf(bytes(damaged[:cut]), password)
    except PdfImportError:
        return
    assert isinstance(record, MonitoringRecord)


def test_empty_and_text_files_are_unreadable() -> None:
    for data in (b"", b"Dear colleague, please see attached.", b"%PDF-1.7\n%%EOF"):
        with pytest.raises(PdfUnreadable):
            read_record_from_pdf(data)
