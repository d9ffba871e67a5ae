"""The emails that distribute finalised core group minutes (001 §4.3): one message per attendee
or core group member, the "Record of Core Group Meeting" PDF attached. Like every message, the
headers and body name no child and no family: they can travel in plain text (000)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime

from coreform.dispatch import Recipient
from coreform.forms.minutes import EMAIL_SUBJECT, MINUTES_TITLE
from coreform.minutes import CoreGroupMinutes
from reports.mail import OutgoingMessage, RecipientKind, address, closing_lines
from reports.pdf import is_encrypted_pdf
from reports.pdf.minutes import minutes_pdf_file_name


def build_minutes_messages(
    minutes: CoreGroupMinutes,
    pdf: bytes,
    *,
    sender: str,
    sender_name: str,
    domain: str,
    recipients: Sequence[Recipient],
    date: dt.datetime,
) -> list[OutgoingMessage]:
    """One message per recipient, each with the minutes' PDF attached and the agreed subject.

    A recipient's display name is kept only when given: a parent's name may be the family's
    name, so the caller leaves it out for family members.
    """
    from_address = address(sender_name, sender, "your own email address (settings)")
    body = minutes_body(
        minutes, encrypted=is_encrypted_pdf(pdf), sender_name=from_address.display_name
    )
    messages = []
    for recipient in recipients:
        to = address(
            recipient.name,
            recipient.email,
            f"the email of {recipient.name.strip() or 'an attendee'} (attendees table)",
        )
        message = EmailMessage()
        message["Subject"] = EMAIL_SUBJECT
        message["From"] = from_address
        message["To"] = to
        message["Date"] = format_datetime(date)
        message["Message-ID"] = _message_id(minutes, to.addr_spec, domain)
        message.set_content(body)
        message.add_attachment(
            pdf, maintype="application", subtype="pdf", filename=minutes_pdf_file_name(minutes)
        )
        messages.append(OutgoingMessage(RecipientKind.MINUTES, to.addr_spec, message))
    return messages


def minutes_body(minutes: CoreGroupMinutes, *, encrypted: bool, sender_name: str) -> str:
    """The text of every message that distributes the minutes, defined once."""
    reference = minutes.reference or "(no reference)"
    held = minutes.meeting_date
    meeting = f" held on {held.day} {held:%B %Y}" if held is not None else ""
    lines = [
        f"Attached are the minutes of the core group meeting{meeting}: {MINUTES_TITLE} "
        f"{reference}, version {minutes.version}.",
    ]
    if minutes.amendment is not None:
        lines.append(
            f"These are amended minutes: they replace version {minutes.amendment.previous_version}."
        )
    lines += [
        "",
        "You receive them as an attendee or a member of the child's core group. Please keep "
        "them on your file for the child, and tell the lead social worker if anything in them "
        "is wrong.",
    ]
    lines += closing_lines(encrypted=encrypted, sender_name=sender_name)
    return "\n".join(lines) + "\n"


def _message_id(minutes: CoreGroupMinutes, recipient: str, domain: str) -> str:
    """Stable per minutes version and recipient, so a retry after a crash reuses it."""
    key = f"minutes:{minutes.id}:{minutes.version}:{recipient.strip().lower()}"
    return f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}.coreform@{domain}>"
