"""Any submitted version saved as a PDF or printed, at any time, and where those copies went."""

from __future__ import annotations

from pathlib import Path

import pytest

from coreform.audit import AuditAction
from coreform.records import MonitoringRecord
from coreform.services import CopyKind, RecordLockedError, Services
from reports.pdf import PdfImportError, read_record_from_pdf


@pytest.fixture
def copying(mailing_services: Services) -> Services:
    return mailing_services


@pytest.fixture
def amended(copying: Services, full_record: MonitoringRecord) -> MonitoringRecord:
    """Version 1 submitted, version 2 an amendment submitted, version 3 being written."""
    full_record.family_name = "Al-Hashimi"
    first = copying.submit_record(copying.save_draft(full_record))
    draft = copying.amend_record(first.id, "The visit time was wrong.")
    draft.purpose = "Plan task 3, checked again."
    second = copying.submit_record(draft)
    copying.amend_record(second.id, "A third look.")
    return second


def test_each_submitted_version_saves_as_a_pdf_that_reads_back(
    copying: Services, amended: MonitoringRecord, tmp_path: Path
) -> None:
    first = copying.export_pdf(amended.id, tmp_path / "v1.pdf", version=1)
    newest = copying.export_pdf(amended.id, tmp_path / "newest.pdf")
    old = read_record_from_pdf(first.read_bytes())
    new = read_record_from_pdf(newest.read_bytes())
    assert (old.id, old.version, old.purpose) == (
        amended.id,
        1,
        "Plan task 3: check sleeping arrangements.",
    )
    # With no version named, the newest submitted one: the amendment being written is no copy.
    assert (new.version, new.purpose, new.family_name) == (
        2,
        "Plan task 3, checked again.",
        "Al-Hashimi",
    )
    made = copying.copies_made(amended.id)
    assert [(c.version, c.kind) for c in made] == [
        (1, CopyKind.SAVED_AS_PDF),
        (2, CopyKind.SAVED_AS_PDF),
    ]
    assert made[0].by == copying.current_user


def test_a_saved_pdf_with_a_password_opens_only_with_it(
    copying: Services, amended: MonitoringRecord, tmp_path: Path
) -> None:
    path = copying.export_pdf(amended.id, tmp_path / "locked.pdf", password="Zażółć-gęślą")
    with pytest.raises(PdfImportError):
        read_record_from_pdf(path.read_bytes())
    assert read_record_from_pdf(path.read_bytes(), "Zażółć-gęślą").version == 2


def test_printing_is_audited_with_its_version(copying: Services, amended: MonitoringRecord) -> None:
    pdf = copying.record_pdf(amended.id, 1)
    assert read_record_from_pdf(pdf).version == 1
    assert copying.copies_made(amended.id) == []  # rendering alone makes no copy
    copying.record_printed(amended.id, 1)
    (printed,) = copying.copies_made(amended.id)
    assert (printed.version, printed.kind) == (1, CopyKind.PRINTED)
    newest = copying.audit_page(0, 1)[0]
    assert (newest.action, newest.record_reference) == (
        AuditAction.PRINTED,
        f"{amended.reference} v1",
    )


def test_a_draft_has_no_copy(
    copying: Services, full_record: MonitoringRecord, tmp_path: Path
) -> None:
    draft = copying.save_draft(full_record)
    with pytest.raises(RecordLockedError):
        copying.export_pdf(draft.id, tmp_path / "draft.pdf")
    with pytest.raises(RecordLockedError):
        copying.record_pdf(draft.id)
    assert not (tmp_path / "draft.pdf").exists()
