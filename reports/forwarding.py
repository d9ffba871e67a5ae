"""The key worker's messages about received records (issue 13): passing a record on to the core
group, and asking its sender to correct it. Like every message, they name no child (000)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime

from coreform.dispatch import Recipient
from coreform.records import MonitoringRecord
from reports.mail import (
    SUBJECT,
    OutgoingMessage,
    RecipientKind,
    address,
    closing_lines,
    record_messages,
)


def build_share_messages(
    record: MonitoringRecord,
    pdf: bytes,
    *,
    sender: str,
    sender_name: str,
    domain: str,
    recipients: Sequence[Recipient],
    date: dt.datetime,
) -> list[OutgoingMessage]:
    """One message per core group member (and parent/carer when the record allows it)."""
    addressed = [
        (
            RecipientKind(recipient.kind.value),
            # A parent's name may be the family's name, so only professionals are named.
            address(
                recipient.name if recipient.kind.value == RecipientKind.CORE_GROUP else "",
                recipient.email,
                f"the email of {recipient.name or 'a core group member'}",
            ),
        )
        for recipient in recipients
    ]
    return record_messages(
        record,
        pdf,
        addressed,
        from_address=address(sender_name, sender, "your own email address (settings)"),
        sent=format_datetime(date),
        domain=domain,
    )


def build_correction_request(
    record: MonitoringRecord,
    *,
    sender: str,
    sender_name: str,
    domain: str,
    issues: str,
    date: dt.datetime,
) -> OutgoingMessage:
    """Asks whoever completed the record to amend it: the reference and what to fix only."""
    practitioner = record.completed_by
    to = address(practitioner.name, practitioner.email, "the sender's email (on the record)")
    reference = record.reference or "(no reference)"
    message = EmailMessage()
    message["Subject"] = SUBJECT
    message["From"] = address(sender_name, sender, "your own email address (settings)")
    message["To"] = to
    message["Date"] = format_datetime(date)
    key = f"issues:{record.id}:{record.version}:{date.isoformat()}"
    message["Message-ID"] = f"<{hashlib.sha256(key.encode()).hexdigest()[:32]}.coreform@{domain}>"
    visit = f" (visit on {record.visit_date:%d/%m/%Y})" if record.visit_date else ""
    lines = [
        f"Record {reference}, version {record.version}{visit}, needs correcting before it can "
        "be accepted onto the child's file:",
        "",
        issues.strip(),
        "",
        "Please open the record in coreform, choose Amend, correct it and submit it again. "
        "When the amended version is imported, this request is closed.",
        *closing_lines(encrypted=False, sender_name=sender_name),
    ]
    message.set_content("\n".join(lines) + "\n")
    return OutgoingMessage(RecipientKind.PRACTITIONER, to.addr_spec, message)
