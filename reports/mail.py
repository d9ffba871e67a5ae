"""The emails that carry a record's PDF: who gets which message, its headers, body and attachment.

Pure pieces only: the outbox table and its states belong to `coreform.services`, which stores
`OutgoingMessage.raw` before any attempt; `reports.smtp` sends it, `reports.drafts` writes it as a
draft for the user's own mail program. Headers and bodies can travel in plain text, so they name
no child and no family (000).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from enum import StrEnum

from coreform.forms.monitoring import EMAIL_SUBJECT
from coreform.records import MonitoringRecord, now_london
from reports.pdf import is_encrypted_pdf, pdf_file_name

SUBJECT = EMAIL_SUBJECT  # 000: the subject heading, defined with the form


class RecipientKind(StrEnum):
    KEY_WORKER = "key_worker"
    PARENTS = "parents"
    CORE_GROUP = "core_group"
    PRACTITIONER = "practitioner"
    MINUTES = "minutes"


class MessageBuildError(ValueError):
    """The record's addresses cannot make a message; str(error) says which to fix."""


@dataclass(frozen=True)
class OutgoingMessage:
    recipient_kind: RecipientKind
    recipient: str
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return str(self.message["Message-ID"])

    @property
    def raw(self) -> bytes:
        """The whole message as the outbox stores it and `deliver` reads it back."""
        return self.message.as_bytes(policy=policy.SMTP)


def message_id(record: MonitoringRecord, recipient: str, domain: str) -> str:
    """Stable per record version and recipient, so a retry after a crash reuses it."""
    key = f"{record.id}:{record.version}:{recipient.strip().lower()}"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}.coreform@{domain}>"


TEST_SUBJECT = "coreform test message"


def test_message(
    from_name: str, from_address: str, domain: str, to: str, date: dt.datetime
) -> EmailMessage:
    """A message that carries no record, to check the mail settings end to end."""
    message = EmailMessage()
    message["Subject"] = TEST_SUBJECT
    message["From"] = address(from_name, from_address, "your own email address")
    message["To"] = address("", to, "an address to send the test to")
    message["Date"] = format_datetime(date)
    message["Message-ID"] = make_msgid("coreform-test", domain=domain)
    message.set_content(
        "coreform sent this message to check its mail settings. It carries no record and needs "
        "no reply.\n"
    )
    return message


def build_messages(
    record: MonitoringRecord,
    pdf: bytes,
    *,
    sender: str,
    sender_name: str,
    domain: str,
    parent_emails: Sequence[str] = (),
    date: dt.datetime | None = None,
) -> list[OutgoingMessage]:
    """One message to the key worker, one to each of `parent_emails`.

    Who gets a copy is decided before, by `coreform.recipients.recipients` (000).
    """
    from_address = address(sender_name, sender, "your own email address (settings)")
    sent = format_datetime(date or now_london())
    key_worker = address(record.key_worker.name, record.key_worker.email, "the key worker's email")
    recipients = [(RecipientKind.KEY_WORKER, key_worker)]
    # No display name for a parent: a parent's name may be the family's name.
    recipients += [
        (RecipientKind.PARENTS, address("", email, "a parent's email")) for email in parent_emails
    ]
    return record_messages(
        record, pdf, recipients, from_address=from_address, sent=sent, domain=domain
    )


def record_messages(
    record: MonitoringRecord,
    pdf: bytes,
    recipients: Sequence[tuple[RecipientKind, Address]],
    *,
    from_address: Address,
    sent: str,
    domain: str,
) -> list[OutgoingMessage]:
    """One message per recipient, each with the record's PDF attached and the agreed subject."""
    encrypted = is_encrypted_pdf(pdf)
    messages = []
    for kind, to in recipients:
        message = EmailMessage()
        message["Subject"] = SUBJECT
        message["From"] = from_address
        message["To"] = to
        message["Date"] = sent
        message["Message-ID"] = message_id(record, to.addr_spec, domain)
        message.set_content(
            _body(record, kind, encrypted=encrypted, sender_name=from_address.display_name)
        )
        message.add_attachment(
            pdf, maintype="application", subtype="pdf", filename=pdf_file_name(record)
        )
        messages.append(OutgoingMessage(kind, to.addr_spec, message))
    return messages


def address(name: str, email: str, what: str) -> Address:
    """A checked address; MessageBuildError names `what` to fix."""
    email = email.strip()
    if "@" not in email:
        raise MessageBuildError(f"Add {what}: “{email}” is not an email address.")
    try:
        return Address(display_name=name.strip(), addr_spec=email)
    except (ValueError, IndexError) as error:  # the header parser's ways of saying "malformed"
        raise MessageBuildError(f"Check {what}: “{email}” is not an email address.") from error


def _body(
    record: MonitoringRecord, kind: RecipientKind, *, encrypted: bool, sender_name: str
) -> str:
    reference = record.reference or "(no reference)"
    lines = [
        f"Attached is the Core Group Monitoring Form for record {reference}, "
        f"version {record.version}.",
    ]
    if record.amendment is not None:
        lines.append(
            f"This is an amended record: it replaces version {record.amendment.previous_version}."
        )
    lines.append("")
    if kind is RecipientKind.CORE_GROUP:
        lines += [
            "The key worker passes this record on to you as a member of the child's core "
            "group. Please keep it on your file for the child.",
            "- If you use coreform, open the PDF in coreform (Import) to file it without "
            "retyping it.",
        ]
    elif kind is RecipientKind.KEY_WORKER:
        lines += [
            "What to do with the attachment:",
            "- If you use coreform, open the PDF in coreform (Import) to file the record "
            "without retyping it; the record's data is inside the PDF.",
            "- Forward it to the other members of the core group.",
            "- Keep it on the child's file.",
        ]
    else:
        lines += [
            "This is your copy of the record. Please keep it somewhere private. "
            "If anything in it is wrong or you have questions, contact the sender or your "
            "key worker.",
        ]
    lines += closing_lines(encrypted=encrypted, sender_name=sender_name)
    return "\n".join(lines) + "\n"


def closing_lines(*, encrypted: bool, sender_name: str) -> list[str]:
    """How every message ends, defined once: the password sentence when the PDF has one, the
    confidentiality line and the sender's name."""
    lines = []
    if encrypted:
        lines += [
            "",
            "The PDF is protected with a password. The sender will give you the password by "
            "phone or another channel; it is never sent by email.",
        ]
    lines += [
        "",
        "This email is confidential. If it reached you by mistake, please tell the sender and "
        "delete it.",
        "",
        sender_name.strip() or "Sent by coreform",
    ]
    return lines
