"""Reading received files without storage: coreform PDFs, .eml messages carrying them, and the
files that are neither, read back through the real PDF reader."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage

import pytest

from coreform.errors import IntakeError
from coreform.intake import (
    Origin,
    ReceivedRecord,
    changed_fields,
    content_digest,
    pdfs_in_message,
    read_received_file,
)
from coreform.records import LONDON, MonitoringRecord, RecordState
from reports.dispatch import MailDispatcher
from reports.pdf import build_monitoring_pdf

GENERATED = dt.datetime(2026, 3, 4, 10, 30, tzinfo=LONDON)


@pytest.fixture
def submitted(full_record: MonitoringRecord) -> MonitoringRecord:
    full_record.reference = "CG-2026-00042"
    full_record.state = RecordState.SUBMITTED
    full_record.submitted_at = GENERATED
    return full_record


def mail_with(*attachments: tuple[str, bytes, str]) -> bytes:
    message = EmailMessage()
    message["Subject"] = "Core Group Monitoring Form CONFIDENTIAL"
    message["From"] = "jo.patel@nhs.example"
    message.set_content("Attached.")
    for name, data, subtype in attachments:
        maintype, _, sub = subtype.partition("/")
        message.add_attachment(data, maintype=maintype, subtype=sub, filename=name)
    return message.as_bytes()


def test_a_message_with_two_records_and_a_letter_gives_the_two_records(
    submitted: MonitoringRecord, tmp_path: object
) -> None:
    reader = MailDispatcher(tmp_path)  # type: ignore[arg-type]
    pdf = build_monitoring_pdf(submitted, generated_at=GENERATED)
    second = MonitoringRecord(**{**submitted.__dict__, "id": "b" * 32, "version": 1})
    other = build_monitoring_pdf(second, generated_at=GENERATED)
    data = mail_with(
        ("CG-1.pdf", pdf, "application/pdf"),
        ("letter.txt", b"Dear Sam", "text/plain"),
        ("CG-2.pdf", other, "application/octet-stream"),  # some mail programs lose the type
    )
    found = [
        r for r in read_received_file("message.eml", data, reader) if isinstance(r, ReceivedRecord)
    ]
    assert [(r.source, r.record.id, r.origin) for r in found] == [
        ("message.eml → CG-1.pdf", submitted.id, Origin.COREFORM),
        ("message.eml → CG-2.pdf", "b" * 32, Origin.COREFORM),
    ]


def test_a_message_without_a_record_and_a_text_file_are_refused_in_words(tmp_path: object) -> None:
    reader = MailDispatcher(tmp_path)  # type: ignore[arg-type]
    with pytest.raises(IntakeError, match="has no coreform PDF attached"):
        read_received_file("hello.eml", mail_with(("a.txt", b"x", "text/plain")), reader)
    with pytest.raises(IntakeError, match="neither a PDF nor an email"):
        read_received_file("notes.txt", "Ünïcode notes\n\x00".encode(), reader)
    assert pdfs_in_message(b"\x89PNG\r\n") is None


def test_the_digest_ignores_bookkeeping_and_changes_name_the_keys(
    submitted: MonitoringRecord,
) -> None:
    later = MonitoringRecord(**{**submitted.__dict__, "updated_at": GENERATED})
    assert content_digest(later) == content_digest(submitted)
    later.observations = "Changed."
    later.version = 2
    assert content_digest(later) != content_digest(submitted)
    assert changed_fields(submitted, later) == ["observations"]
