"""Reading received records (issue 13): coreform PDFs, `.eml` messages carrying them, and the
fillable form filled in by agencies without coreform; and core group minutes another coreform
distributed (their PDF carries the minutes' JSON as a record's carries the record's).

Pure reading, no storage: `coreform.services` files what this returns. PDFs are opened through
the `ReceivedPdfReader` port (`reports.pdf.read_received_pdf`), since coreform never imports
`reports`; messages are read with the standard library's `email` package.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import parseaddr
from enum import StrEnum
from typing import Protocol

from coreform.content_hash import content_hash
from coreform.errors import IntakeError
from coreform.minutes import CoreGroupMinutes, minutes_to_dict
from coreform.records import MonitoringRecord, record_to_dict
from coreform.validation import Problem

# The blank fillable form carries who it is for (family, children, key worker) under this name.
FORM_CONTEXT_ATTACHMENT_NAME = "coreform-form.json"
# What a received file may be; anything else is refused before it is parsed.
MAX_FILE_BYTES = 50 * 1024 * 1024
_PDF_MAGIC = b"%PDF-"
_NO_MOMENT = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class ReceivedPdf:
    """What a received PDF holds: a coreform record, core group minutes, or a filled-in form's
    context and fields."""

    record: MonitoringRecord | None = None
    minutes: CoreGroupMinutes | None = None
    form_context: bytes | None = None
    fields: Mapping[str, str] = field(default_factory=dict)


class ReceivedPdfReader(Protocol):
    def read_received_pdf(self, data: bytes, password: str | None) -> ReceivedPdf:
        """Raises IntakeError (FilePasswordError when a password is missing or wrong)."""
        ...


class Origin(StrEnum):
    """How a received record reached coreform."""

    COREFORM = "coreform"  # a PDF made by another coreform, its record inside
    FILLABLE_FORM = "form"  # the fillable PDF, filled in any PDF reader


@dataclass(frozen=True)
class ReceivedRecord:
    """One record read from a received file; `missing` lists the answers of a filled-in form
    that could not be read (the services add what it left empty)."""

    record: MonitoringRecord
    origin: Origin
    source: str
    missing: tuple[Problem, ...] = ()


@dataclass(frozen=True)
class ReceivedMinutes:
    """Core group minutes read from a received file, and who sent them: the email's sender,
    else the key worker who wrote them (a PDF saved on its own)."""

    minutes: CoreGroupMinutes
    source: str
    sender_name: str
    sender_email: str


Received = ReceivedRecord | ReceivedMinutes


class NotARecordFileError(IntakeError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"“{name}” is neither a PDF nor an email message (.eml). Import the PDF the sender "
            "attached, or the email it came in."
        )


class NoRecordInMessageError(IntakeError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"The email “{name}” has no coreform PDF attached. File it on the child's record "
            "by hand, or ask the sender to send the record from coreform."
        )


class FileTooLargeError(IntakeError):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"“{name}” is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, far more than any "
            "record. Check that it is the right file."
        )


def read_received_file(
    name: str, data: bytes, reader: ReceivedPdfReader, password: str | None = None
) -> list[Received]:
    """Every record and minutes in one received file, a PDF or an `.eml` carrying PDFs.

    Raises IntakeError (FilePasswordError for a protected PDF) and reads nothing partially:
    a message with one damaged PDF among good ones fails as a whole.
    """
    if len(data) > MAX_FILE_BYTES:
        raise FileTooLargeError(name)
    if data.lstrip()[:5] == _PDF_MAGIC:
        return [_read_pdf(name, data, reader, password, sender=None)]
    attachments = pdfs_in_message(data)
    if attachments is None:
        raise NotARecordFileError(name)
    if not attachments:
        raise NoRecordInMessageError(name)
    sender = _message_sender(data)
    return [
        _read_pdf(f"{name} → {attachment}", pdf, reader, password, sender=sender)
        for attachment, pdf in attachments
    ]


def _message_sender(data: bytes) -> tuple[str, str]:
    """The From of a message: (name, address)."""
    message = BytesParser(policy=policy.default).parsebytes(data, headersonly=True)
    return parseaddr(str(message.get("From", "")))


def pdfs_in_message(data: bytes) -> list[tuple[str, bytes]] | None:
    """The PDF attachments of an RFC 822 message (name, bytes); None when it is not a message."""
    message = BytesParser(policy=policy.default).parsebytes(data)
    # Real mail often has small defects (a missing closing boundary); only headers are required.
    if not isinstance(message, EmailMessage) or not message.keys():
        return None
    if message.get("From") is None and message.get("Subject") is None:
        return None
    found = []
    for part in message.iter_attachments():
        if not isinstance(part, EmailMessage):
            continue
        content = part.get_payload(decode=True)
        if not isinstance(content, bytes):
            continue
        filename = part.get_filename() or "attachment.pdf"
        if part.get_content_type() == "application/pdf" or content[:5] == _PDF_MAGIC:
            found.append((filename, content))
    return found


def _read_pdf(
    source: str,
    data: bytes,
    reader: ReceivedPdfReader,
    password: str | None,
    *,
    sender: tuple[str, str] | None,
) -> Received:
    contents = reader.read_received_pdf(data, password)
    if contents.minutes is not None:
        minutes = contents.minutes
        name, address = sender or (minutes.worker_name, minutes.worker_email)
        return ReceivedMinutes(minutes, source, name or address, address)
    if contents.record is not None:
        return ReceivedRecord(contents.record, Origin.COREFORM, source)
    from coreform.fillable import record_from_form  # only forms need the form definitions

    assert contents.form_context is not None  # the reader returns one or the other
    record, unreadable = record_from_form(contents.form_context, contents.fields)
    return ReceivedRecord(record, Origin.FILLABLE_FORM, source, tuple(unreadable))


def content_digest(record: MonitoringRecord) -> str:
    """The audit's content hash (`coreform.content_hash.content_hash`) without the bookkeeping
    moments, which differ between copies (a filled-in form is stamped when filed): it tells a
    resent copy from an altered one."""
    bare = dataclasses.replace(record, created_at=_NO_MOMENT, updated_at=_NO_MOMENT)
    bare.submitted_at = None
    return content_hash(bare)


# Bookkeeping keys an amendment's list of changes leaves out.
_BOOKKEEPING = {
    "version",
    "state",
    "created_at",
    "updated_at",
    "submitted_at",
    "finalised_at",
    "completed_on",
    "distributed_on",
    "amendment",
}


def changed_fields(
    before: MonitoringRecord | CoreGroupMinutes, after: MonitoringRecord | CoreGroupMinutes
) -> list[str]:
    """The top-level keys whose values differ between two versions of a record or of minutes
    (what an amendment changed), in their own order; bookkeeping keys are left out."""
    old, new = _as_dict(before), _as_dict(after)
    return [key for key in new if key not in _BOOKKEEPING and old.get(key) != new.get(key)]


def _as_dict(item: MonitoringRecord | CoreGroupMinutes) -> dict[str, object]:
    if isinstance(item, CoreGroupMinutes):
        found: dict[str, object] = minutes_to_dict(item)["minutes"]
        return found
    record: dict[str, object] = record_to_dict(item)["record"]
    return record


def decode_json(raw: bytes, what: str) -> object:
    """JSON from a received attachment; IntakeError when it is not JSON."""
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise IntakeError(
            f"The {what} inside this PDF cannot be read (not valid JSON). Ask the sender to "
            "send it again."
        ) from error
