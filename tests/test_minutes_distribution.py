"""Distributing finalised core group minutes (issue 14, acceptance 4): a real SQLite file, real
PDFs and a real aiosmtpd server on loopback get one message per recipient; minutes distributed
after the profile's deadline (Suffolk: 15 working days, 001 §4.3) are flagged."""

from __future__ import annotations

import datetime as dt
from email.message import EmailMessage
from typing import Any

import pytest

from coreform.audit import AuditAction
from coreform.forms.minutes import EMAIL_SUBJECT
from coreform.minutes import AttendeeKind, CoreGroupMinutes, NextStep, SafetyGoal
from coreform.outbox import OutboxState, RecipientKind
from coreform.plans import ChildPlan, PlanMember
from coreform.policies import RuleId
from coreform.records import LONDON, Child, Family, KeyWorker
from coreform.services import PasswordNeededError, SendingError, Services
from coreform.settings import PdfProtection
from coreform.timescales import State
from reports.pdf.minutes import read_minutes_from_pdf
from tests import test_sending
from tests.conftest import MovingClock
from tests.test_mail import Inbox
from tests.test_sending import drain, use_smtp
from ui.models.caseload_table import status_cell, status_text

# The sending tests' fixtures: services with a dispatcher trusting a loopback STARTTLS server.
opened_drafts = test_sending.opened_drafts
dispatcher = test_sending.dispatcher
sending = test_sending.sending
busy_inbox = test_sending.busy_inbox
smtp_port = test_sending.smtp_port

D = dt.date.fromisoformat
HELD = D("2026-03-02")  # a Monday: the minutes are due by Monday 23 March (15 working days)
WORKER = ("Nguyễn Thị Hương", "huong@suffolk.example")
MEMBERS = (
    ("Wang Xiaoming 王小明", "Health visitor", "NHS", "xiaoming.wang@nhs.example"),
    (
        "Zofia Wiśniewska-Łęcka",
        "Class teacher",
        "Castle Hill Primary",
        "z.wisniewska@school.example",
    ),
    ("Samina Khan ثمینہ", "Mother", "", "samina@home.example"),
    ("Tomasz Żółkiewski", "School nurse", "NHS", ""),  # no email: left out, named as skipped
)
CHILDREN = ("Yusuf يوسف Khan", "রহিম উদ্দিন Khan")


@pytest.fixture
def family(sending: Services, moving_clock: MovingClock) -> Family:
    moving_clock.now = dt.datetime(2026, 3, 2, 16, 0, tzinfo=LONDON)
    sending.set_policy("suffolk")
    family = sending.save_family(
        Family(
            name="Khan",
            children=[Child(name=name) for name in CHILDREN],
            key_worker=KeyWorker(name=WORKER[0], email=WORKER[1]),
        )
    )
    for child in family.children:
        members = [PlanMember(WORKER[0], "Lead social worker", "Suffolk CYPS", WORKER[1])]
        members += [PlanMember(*member) for member in MEMBERS]
        sending.save_plan(
            ChildPlan(child.id, D("2026-02-16"), next_review=D("2026-05-11"), members=members)
        )
    return family


def finalised(
    services: Services, family: Family, scaling: tuple[int, int, int] | None = None
) -> CoreGroupMinutes:
    """The first core group of the family, held on HELD, finalised as a key worker would;
    `scaling` (child, parents, professionals) this meeting, one lower at the conference."""
    minutes = services.start_minutes(family.id)
    minutes.actual_date = minutes.planned_date = HELD
    minutes.venue = "Castle Hill Primary"
    minutes.family_says = "Samina says the mornings are calmer."
    minutes.progress_summary = "Collections are reliable now."
    minutes.next_date, minutes.next_venue = HELD + dt.timedelta(days=35), "Castle Hill Primary"
    for attendee in minutes.attendees:
        attendee.attended = True
        attendee.chair = attendee.name == WORKER[0]
        attendee.kind = (
            AttendeeKind.PARENT_CARER if attendee.role == "Mother" else (AttendeeKind.PROFESSIONAL)
        )
    for child in minutes.children:
        child.child_says = "Likes school."
        child.advocate_understood = True
        rows = (child.scaling.child, child.scaling.parents, child.scaling.professionals)
        for row, score in zip(rows, scaling or (), strict=False):
            row.initial_conference, row.this_meeting = score - 1, score
    goal = SafetyGoal(goal="Yusuf is collected on time by a sober adult", worry="Alcohol")
    minutes.safety_goals = [goal]
    minutes.next_steps = [
        NextStep("Alcohol service referral", "Wang Xiaoming", D("2026-03-13"), goal.id)
    ]
    return services.finalise_minutes(services.save_minutes_draft(minutes))


def received_by(inbox: Inbox) -> dict[str, EmailMessage]:
    return {message["To"].addresses[0].addr_spec: message for message in inbox.received}


def test_each_attendee_and_member_gets_one_message_with_the_minutes_inside(
    sending: Services, family: Family, smtp_port: int, busy_inbox: Inbox
) -> None:
    minutes = finalised(sending, family)
    use_smtp(sending, smtp_port)
    result = sending.send_minutes(minutes.id)
    assert [m.state for m in result.messages] == [OutboxState.QUEUED] * 4  # stored, not sent
    assert result.skipped == ("Tomasz Żółkiewski",)
    assert sending.get_minutes(minutes.id).distributed_on is None  # not until a server accepts
    sending.process_outbox()

    received = received_by(busy_inbox)
    expected = {WORKER[1], *(email for *_, email in MEMBERS if email)}
    assert len(busy_inbox.received) == len(received) == 4 and set(received) == expected
    for address, message in received.items():
        assert message["Subject"] == EMAIL_SUBJECT == "Record of Core Group Meeting CONFIDENTIAL"
        body = message.get_body(("plain",))
        assert body is not None
        text: Any = body.get_content()
        # 000: headers and body travel in plain text, so they name no child and no family.
        assert "Khan" not in text and "Khan" not in str(message["To"])
        [attachment] = list(message.iter_attachments())
        inside = read_minutes_from_pdf(attachment.get_content())
        assert (inside.id, inside.version, inside.reference) == (
            minutes.id,
            minutes.version,
            minutes.reference,
        )
        assert inside.distributed_on == HELD, address
    # Professionals are named in the To header; the mother is not (her name is the family's).
    assert received["xiaoming.wang@nhs.example"]["To"].addresses[0].display_name.startswith("Wang")
    assert received["samina@home.example"]["To"].addresses[0].display_name == ""

    assert sending.get_minutes(minutes.id).distributed_on == HELD
    kinds = {item.recipient_kind for item in sending.outbox_items()}
    assert kinds == {RecipientKind.MINUTES}
    # The Outbox names the minutes by their reference, as it names records.
    assert sending.record_references({minutes.id}) == {minutes.id: minutes.reference}
    entries = sending.audit_page(0, 50)
    # Each message's audit entry names the minutes by reference, never by a name.
    accepted = [e for e in entries if e.action == AuditAction.ACCEPTED_BY_SERVER.value]
    assert len(accepted) == 4
    assert all(e.record_reference.startswith(f"{minutes.reference} v1") for e in accepted)
    actions = [entry.action for entry in entries]
    assert AuditAction.DISTRIBUTED.value in actions
    assert AuditAction.DISTRIBUTION_COMPLETE.value in actions
    with pytest.raises(SendingError, match="already has"):
        sending.send_minutes(minutes.id)  # everyone has this version: nothing goes twice


def test_minutes_distributed_after_the_deadline_are_flagged(
    sending: Services,
    family: Family,
    smtp_port: int,
    busy_inbox: Inbox,
    moving_clock: MovingClock,
) -> None:
    minutes = finalised(sending, family)
    use_smtp(sending, smtp_port)
    # Tuesday 24 March: one working day after the 15 (001 §4.3); the server is busy at first.
    moving_clock.now = dt.datetime(2026, 3, 24, 9, 0, tzinfo=LONDON)
    busy_inbox.busy_for = 8
    sending.send_minutes(minutes.id)
    sending.process_outbox()
    status = sending.caseload().rows[0].status(RuleId.MINUTES_DISTRIBUTED)
    assert status is not None and (status.due, status.state) == (D("2026-03-23"), State.OVERDUE)

    drain(sending, moving_clock)
    assert len(received_by(busy_inbox)) == 4
    stored = sending.get_minutes(minutes.id)
    assert stored.distributed_on == D("2026-03-24")
    deadline = sending.minutes_deadline(stored)
    assert deadline is not None and deadline.deadline.late
    assert deadline.deadline.working_days_late == 1
    # The dashboard keeps the lateness in sight once they are out: "sent late", never "met".
    row = sending.caseload().rows[0]
    status = row.status(RuleId.MINUTES_DISTRIBUTED)
    assert status is not None
    assert (status.state, status.due, status.working_days_late) == (
        State.SENT_LATE,
        D("2026-03-23"),
        1,
    )
    assert status_cell(status) == "Sent 1 working day late"
    assert status_text(status) == "Sent late — 1 working day after the due date, Mon 23 Mar 2026"


def test_the_pdf_password_rule_is_the_records_rule(sending: Services, family: Family) -> None:
    minutes = finalised(sending, family)
    settings = sending.get_settings()
    settings.mail.pdf_protection = PdfProtection.ASK
    sending.save_settings(settings)
    with pytest.raises(PasswordNeededError):
        sending.send_minutes(minutes.id)
    result = sending.send_minutes(minutes.id, pdf_password="kettle-Ω-7")
    assert result.pdf_encrypted and len(result.messages) == 4


def test_through_the_email_program_they_are_distributed_when_the_last_is_confirmed(
    sending: Services, family: Family, moving_clock: MovingClock
) -> None:
    minutes = finalised(sending, family)  # the mail settings' default: the email program
    ids = [item.id for item in sending.send_minutes(minutes.id).messages if item.id is not None]
    sending.process_outbox()
    assert {item.state for item in sending.outbox_items()} == {OutboxState.HANDED_OVER}
    assert sending.get_minutes(minutes.id).distributed_on is None  # opened is not sent
    moving_clock.now = dt.datetime(2026, 3, 4, 10, 0, tzinfo=LONDON)
    sending.confirm_sent(ids[:-1])
    assert sending.get_minutes(minutes.id).distributed_on is None
    sending.confirm_sent(ids[-1:])
    assert sending.get_minutes(minutes.id).distributed_on == D("2026-03-04")
