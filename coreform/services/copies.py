"""Copies of a submitted record made after it was submitted (issue 10): any version saved as a
PDF or printed, at any time, and where each of those copies went, from the audit trail."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from coreform.audit import AuditAction
from coreform.errors import CoreformError, NotFoundError, RecordLockedError
from coreform.record_versions import audit_name
from coreform.records import MonitoringRecord, RecordState
from coreform.safe_files import write_atomically
from coreform.services.context import missing_message
from coreform.services.submission import SubmissionServices
from coreform.storage.audit_log import record_audit
from coreform.storage.unit_of_work import UnitOfWork


class CopyKind(StrEnum):
    SAVED_AS_PDF = "saved as a PDF"
    PRINTED = "printed"


_ACTION = {CopyKind.SAVED_AS_PDF: AuditAction.EXPORTED, CopyKind.PRINTED: AuditAction.PRINTED}


@dataclass(frozen=True)
class CopyMade:
    """One copy made outside the outbox: which version, how, when and by whom (the audit's
    user). Where a saved file went is not kept: a file name may name the child."""

    version: int
    kind: CopyKind
    at: dt.datetime
    by: str


class CopyServices(SubmissionServices):
    def submitted_versions(self, record_id: str) -> list[MonitoringRecord]:
        """Every version that was submitted (an amendment still being written is not one)."""
        versions = [v for v in self.record_versions(record_id) if v.state is not RecordState.DRAFT]
        if not versions:
            raise RecordLockedError("This record has not been submitted yet: there is no copy.")
        return versions

    def record_pdf(
        self, record_id: str, version: int | None = None, *, password: str | None = None
    ) -> bytes:
        """The PDF of a submitted version (the latest when None), rendered now; not audited:
        say what became of it with `export_pdf` or `record_printed`."""
        dispatcher = self._require_dispatcher()
        with self._work("make the PDF") as uow:
            record = _submitted(uow, record_id, version)
        return dispatcher.render_pdf(record, password=password, generated_at=self._now())

    def export_pdf(
        self,
        record_id: str,
        path: Path,
        *,
        version: int | None = None,
        password: str | None = None,
    ) -> Path:
        """Saves a submitted version (the latest when None) as a PDF at `path`, protected as the
        organisation's rule says (`password`, else its own); audited in the same transaction, so a
        saved PDF always has its audit entry."""
        dispatcher = self._require_dispatcher()
        password = self._pdf_password(self.get_settings(), password)
        written = False
        try:
            with self._work("save the PDF") as uow:
                record = _submitted(uow, record_id, version)
                pdf = dispatcher.render_pdf(record, password=password, generated_at=self._now())
                self._audit(uow, AuditAction.EXPORTED, audit_name(record), record=record)
                write_atomically(path, pdf)
                written = True
        except CoreformError:
            if written:
                path.unlink(missing_ok=True)
            raise
        return path

    def record_printed(self, record_id: str, version: int) -> None:
        """The user printed this version (the print dialog was accepted and the pages drawn)."""
        with self._work("record the printing") as uow:
            record = _submitted(uow, record_id, version)
            self._audit(uow, AuditAction.PRINTED, audit_name(record), record=record)

    def copies_made(self, record_id: str) -> list[CopyMade]:
        """Saved and printed copies of the record, oldest first (emailed ones are its outbox
        history: `sending_status`)."""
        kinds = {action: kind for kind, action in _ACTION.items()}
        with self._work("read where the copies went") as uow:
            entries = record_audit(uow.session, record_id, list(kinds))
        return [
            CopyMade(entry.record.version, kinds[entry.action], entry.at_utc, entry.user)
            for entry in entries
            if entry.record is not None
        ]


def _submitted(uow: UnitOfWork, record_id: str, version: int | None) -> MonitoringRecord:
    """The version asked for, or the newest submitted one (an amendment may be in progress)."""
    if version is None:
        versions = uow.records.versions(record_id)
        submitted = [v for v in versions if v.state is not RecordState.DRAFT]
        record = submitted[-1] if submitted else (versions[-1] if versions else None)
    else:
        record = uow.records.get(record_id, version)
    if record is None:
        raise NotFoundError(missing_message())
    if record.state is RecordState.DRAFT:
        raise RecordLockedError(
            "This version has not been submitted yet: submit it first, then save or print it."
        )
    return record
