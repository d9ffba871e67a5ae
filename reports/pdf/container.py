"""The record's data inside the PDF: attach it, encrypt it, read it back.

The key worker's coreform imports a received PDF without retyping, so the PDF carries
`record_to_dict(record)` as an embedded file. pypdf is imported inside the functions because it
takes about half a second to import and the app must start fast.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

from coreform.errors import FilePasswordError, IntakeError
from coreform.intake import FORM_CONTEXT_ATTACHMENT_NAME, ReceivedPdf
from coreform.minutes import CoreGroupMinutes, minutes_from_dict
from coreform.records import MonitoringRecord, RecordFormatError, record_from_dict, record_to_dict

RECORD_ATTACHMENT_NAME = "coreform-record.json"
MINUTES_ATTACHMENT_NAME = "coreform-minutes.json"
_ATTACHMENT_NAMES = (RECORD_ATTACHMENT_NAME, MINUTES_ATTACHMENT_NAME, FORM_CONTEXT_ATTACHMENT_NAME)


class PdfImportError(IntakeError):
    """A PDF coreform cannot import; str(error) tells the user what to do."""


class PdfUnreadable(PdfImportError):  # noqa: N818  # names agreed with the UI
    def __init__(self) -> None:
        super().__init__(
            "This file is not a PDF coreform can read, or it is damaged. "
            "Ask the sender to send the record again."
        )


class NotACoreformPdf(PdfImportError):  # noqa: N818  # names agreed with the UI
    def __init__(self) -> None:
        super().__init__(
            "This PDF does not contain a coreform record or core group minutes. Only PDFs "
            "made by coreform can be imported; file this one on the child's record by hand."
        )


class PdfRecordDamaged(PdfImportError):  # noqa: N818  # names agreed with the UI
    """The PDF carries a record's (or minutes') attachment, but its data cannot be read."""

    def __init__(self, detail: str, what: str = "record") -> None:
        super().__init__(
            f"The {what} inside this PDF cannot be read ({detail}). "
            f"Ask the sender to send the {what} again."
        )


class PdfPasswordRequired(PdfImportError, FilePasswordError):  # noqa: N818  # agreed names
    def __init__(self) -> None:
        FilePasswordError.__init__(
            self,
            "This PDF is protected with a password. Type the password the sender gave you "
            "by phone or another channel.",
            wrong=False,
        )


class PdfWrongPassword(PdfImportError, FilePasswordError):  # noqa: N818  # agreed names
    def __init__(self) -> None:
        FilePasswordError.__init__(
            self,
            "That password does not open this PDF. Check it with the sender and try again.",
            wrong=True,
        )


def record_json(record: MonitoringRecord) -> bytes:
    """The attachment's bytes: the versioned JSON form of the record, UTF-8."""
    return json.dumps(record_to_dict(record), ensure_ascii=False, indent=2).encode("utf-8")


def attach_record(pdf: bytes, record: MonitoringRecord, password: str | None) -> bytes:
    """Returns `pdf` with the record attached, AES-256 encrypted when a password is given."""
    return attach_data(
        pdf,
        name=RECORD_ATTACHMENT_NAME,
        data=record_json(record),
        description="coreform monitoring record (JSON)",
        password=password,
    )


def attach_data(
    pdf: bytes, *, name: str, data: bytes, description: str, password: str | None
) -> bytes:
    """Returns `pdf` with `data` (JSON) attached as `name`, AES-256 encrypted when a password is
    given, and with text maps that copy out what was typed."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    _repair_text_maps(writer)
    attachment = writer.add_attachment(name, data)
    attachment.subtype = NameObject("/application/json")
    attachment.description = TextStringObject(description)
    if password is not None:
        if not password:
            raise ValueError("An empty password would not protect the PDF.")
        writer.encrypt(user_password=password, owner_password=password, algorithm="AES-256")
    # AES-256 (revision 6) is PDF 2.0; ActualText and embedded files need 1.5 and 1.7 at most.
    writer.pdf_header = b"%PDF-2.0" if password is not None else b"%PDF-1.7"
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_CMAP_ENTRY = re.compile(rb"<([0-9A-F]{2})> <([0-9A-F]+)>")


def _repair_text_maps(writer: Any) -> None:
    """Rewrites each font's ToUnicode map so that copying text gives what was typed.

    reportlab writes the drawn glyph's own code: a joined Arabic letter as its presentation
    form, a ligature as U+FB01, a glyph without a code as a private-use one, and a character
    beyond U+FFFF (emoji) as an invalid five-digit entry. The text each glyph stood for when it
    was shaped (reports.pdf.shaping) replaces them, written in UTF-16 as the PDF format requires.
    """
    from reports.pdf.shaping import glyph_text

    seen: set[int] = set()
    for page in writer.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            cmap = font.get("/ToUnicode")
            if cmap is None or cmap.idnum in seen:
                continue
            seen.add(cmap.idnum)
            face = str(font.get("/BaseFont", "")).lstrip("/").partition("+")[2]
            texts = glyph_text(face)
            stream = cmap.get_object()

            def entry(match: re.Match[bytes], texts: dict[int, str] = texts) -> bytes:
                code = int(match.group(2), 16)
                text = texts.get(code) or chr(code)
                utf16 = text.encode("utf-16-be").hex().upper().encode()
                return b"<%s> <%s>" % (match.group(1), utf16)

            stream.set_data(_CMAP_ENTRY.sub(entry, stream.get_data()))


def is_encrypted_pdf(pdf: bytes) -> bool:
    """Whether a PDF built here needs a password (the email then says how it will come)."""
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(pdf)).is_encrypted


def read_record_from_pdf(data: bytes, password: str | None = None) -> MonitoringRecord:
    """The record a coreform PDF carries; raises only PdfImportError subclasses."""
    return _decode_record(read_attachment(data, RECORD_ATTACHMENT_NAME, password))


def read_attachment(data: bytes, name: str, password: str | None = None) -> bytes:
    """The file attached as `name` to a coreform PDF; raises only PdfImportError subclasses."""
    found = _attachments(_open(data, password), (name,)).get(name)
    if found is None:
        raise NotACoreformPdf()
    return found


def read_received_pdf(data: bytes, password: str | None = None) -> ReceivedPdf:
    """What a received PDF holds: a coreform record, core group minutes, or a filled-in
    fillable form's context and field values (`coreform.intake.ReceivedPdfReader`); raises only
    PdfImportError."""
    reader = _open(data, password)
    attachments = _attachments(reader)
    if RECORD_ATTACHMENT_NAME in attachments:
        return ReceivedPdf(record=_decode_record(attachments[RECORD_ATTACHMENT_NAME]))
    if MINUTES_ATTACHMENT_NAME in attachments:
        return ReceivedPdf(minutes=decode_minutes(attachments[MINUTES_ATTACHMENT_NAME]))
    context = attachments.get(FORM_CONTEXT_ATTACHMENT_NAME)
    if context is None:
        raise NotACoreformPdf()
    try:
        fields = reader.get_fields() or {}
    except Exception as error:  # a damaged AcroForm dictionary
        raise PdfUnreadable() from error
    values = {name: _field_text(field.get("/V")) for name, field in fields.items()}
    return ReceivedPdf(form_context=context, fields=values)


def _field_text(value: Any) -> str:
    """A field's value as text: check boxes give their export name ("/Yes", "/Off")."""
    if value is None:
        return ""
    text = str(value)
    return text[1:] if text.startswith("/") else text


def _decode_record(raw: bytes) -> MonitoringRecord:
    try:
        parsed: Any = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise PdfRecordDamaged("not valid JSON") from error
    try:
        return record_from_dict(parsed)
    except RecordFormatError as error:
        raise PdfRecordDamaged(str(error).rstrip(".")) from error
    except (TypeError, ValueError, KeyError, RecursionError) as error:
        raise PdfRecordDamaged("unexpected content") from error


def decode_minutes(raw: bytes) -> CoreGroupMinutes:
    """The minutes from their attachment's bytes; raises only PdfRecordDamaged."""
    try:
        return minutes_from_dict(json.loads(raw.decode("utf-8")))
    except RecordFormatError as error:
        raise PdfRecordDamaged(str(error).rstrip("."), "minutes") from error
    except (UnicodeDecodeError, TypeError, ValueError, KeyError, RecursionError) as error:
        raise PdfRecordDamaged("unexpected content", "minutes") from error


def _open(data: bytes, password: str | None) -> Any:
    from pypdf import PasswordType, PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        encrypted = reader.is_encrypted
    except Exception as error:  # pypdf raises many kinds on damaged input; all mean unreadable
        raise PdfUnreadable() from error
    if encrypted:
        if password is None:
            raise PdfPasswordRequired()
        try:
            opened = reader.decrypt(password)
        except Exception as error:  # damaged or unsupported encryption dictionary
            raise PdfUnreadable() from error
        if opened == PasswordType.NOT_DECRYPTED:
            raise PdfWrongPassword()
    return reader


def _attachments(reader: Any, names: tuple[str, ...] = _ATTACHMENT_NAMES) -> dict[str, bytes]:
    """The first file under each of `names`; other attachments are ignored."""
    try:
        found = {name: reader.attachments.get(name) for name in names}
    except Exception as error:  # a damaged name tree
        raise PdfUnreadable() from error
    return {
        name: content[0] if isinstance(content[0], bytes) else str(content[0]).encode("utf-8")
        for name, content in found.items()
        if content
    }
