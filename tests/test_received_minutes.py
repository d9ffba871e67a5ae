"""Core group minutes received by another coreform (the gap issue 14 left): the key worker's
coreform finalises and distributes them through a real loopback SMTP server; the message a
member's coreform gets is imported into its inbox once, an amendment beside it, an altered,
damaged or foreign file refused with what to do; and minutes, written or received, come up for
retention review like records."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from coreform.audit import AuditAction
from coreform.errors import FilePasswordError, IntakeError
from coreform.inbox import ChronologyFilter, Filing, ReceivedKind
from coreform.minutes import ChildMinutes, CoreGroupMinutes, MinutesState
from coreform.records import LONDON, Child, Family, Role
from coreform.retention import RecordType
from coreform.services import RetentionBlockedError, Services
from coreform.settings import PdfProtection
from reports.pdf.minutes import build_minutes_pdf
from tests import test_minutes_distribution
from tests.conftest import MovingClock, open_mailing
from tests.pg_server import PgServer
from tests.test_mail import Inbox
from tests.test_minutes_distribution import CHILDREN, MEMBERS, WORKER, finalised, received_by
from tests.test_sending import use_smtp

opened_drafts = test_minutes_distribution.opened_drafts
dispatcher = test_minutes_distribution.dispatcher
sending = test_minutes_distribution.sending
busy_inbox = test_minutes_distribution.busy_inbox
smtp_port = test_minutes_distribution.smtp_port
family = test_minutes_distribution.family

HEALTH_VISITOR = MEMBERS[0][3]  # Wang Xiaoming 王小明's address


def distributed(
    sending: Services, minutes: CoreGroupMinutes, port: int, inbox: Inbox, password: str = ""
) -> bytes:
    """Sends the minutes through the loopback server; the message the health visitor got."""
    inbox.received.clear()
    use_smtp(sending, port)
    sending.send_minutes(minutes.id, pdf_password=password or None)
    sending.process_outbox()
    return bytes(received_by(inbox)[HEALTH_VISITOR])


def attached_pdf(raw: bytes) -> bytes:
    from email import policy
    from email.parser import BytesParser

    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    [attachment] = list(message.iter_attachments())
    content = attachment.get_content()
    assert isinstance(content, bytes)
    return content


@pytest.fixture
def member(tmp_path: Path, moving_clock: MovingClock) -> Iterator[Services]:
    """The health visitor's own coreform, on its own database."""
    folder = tmp_path / "member"
    folder.mkdir()
    services = open_mailing(f"sqlite:///{folder / 'coreform.db'}", folder, moving_clock)
    yield services
    services.close()


def test_distributed_minutes_are_filed_once_read_only_with_sender_and_scaling(
    sending: Services,
    family: Family,
    smtp_port: int,
    busy_inbox: Inbox,
    member: Services,
    moving_clock: MovingClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    minutes = finalised(sending, family)
    settings = sending.get_settings()
    settings.mail.pdf_protection = PdfProtection.ASK
    sending.save_settings(settings)
    raw = distributed(sending, minutes, smtp_port, busy_inbox, password="kettle-Ω-7")
    moving_clock.now = dt.datetime(2026, 3, 3, 9, 15, tzinfo=LONDON)

    caplog.set_level(logging.DEBUG)
    with pytest.raises(FilePasswordError, match="password"):
        member.receive_file("message.eml", raw)
    with pytest.raises(FilePasswordError, match="does not open"):
        member.receive_file("message.eml", raw, password="kettle")
    [outcome] = member.receive_file("message.eml", raw, password="kettle-Ω-7")
    assert (outcome.kind, outcome.filing, outcome.reference) == (
        ReceivedKind.MINUTES,
        Filing.FILED,
        minutes.reference,
    )
    assert [match.name for match in outcome.unknown_children] == list(CHILDREN)
    [entry] = member.received_minutes_page(0, 50)
    assert member.received_minutes_count() == 1
    assert entry.child_names == CHILDREN  # Arabic and Bengali as typed
    assert entry.received_at == moving_clock.now and entry.meeting_date == minutes.actual_date
    assert entry.sender_email == "jo.patel@nhs.example"  # the email's From

    opened, _entry = member.open_received_minutes(minutes.id, minutes.version)
    assert [a.name for a in opened.attendees] == [a.name for a in minutes.attendees]
    assert {"Wang Xiaoming 王小明", "Zofia Wiśniewska-Łęcka"} <= {a.name for a in opened.attendees}
    assert member.count_minutes() == 0  # never counted as minutes written here

    # The PDF saved on its own: the same version, filed once; its sender is the key worker.
    [again] = member.receive_file("CGM.pdf", attached_pdf(raw), password="kettle-Ω-7")
    assert again.filing is Filing.DUPLICATE and member.received_minutes_count() == 1

    # Matching a child links the minutes and the scaling to the child here.
    here = member.save_family(Family(name="Khan", children=[Child(name=CHILDREN[0])]))
    yusuf = minutes.children[0].child_id
    member.match_child(yusuf, here.children[0].id)
    assert member.child_on_file_for_minutes(minutes.id, 1) == here.children[0].id
    unknown = member.unknown_children_in_minutes(minutes.id, 1)
    assert [match.name for match in unknown] == [CHILDREN[1]]
    [entry_on_file] = member.chronology_page(here.children[0].id, ChronologyFilter(), 0, 50)
    assert (entry_on_file.reference, entry_on_file.day, entry_on_file.received) == (
        minutes.reference,
        minutes.actual_date,
        True,
    )
    assert entry_on_file.title == "Core group meeting: minutes received"
    points = member.received_scaling_history(yusuf)
    assert [p.label for p in points] == ["Initial conference", "Core group 1"]
    made = member.add_family_from_minutes(minutes.id, 1, [unknown[0].received_child_id])
    assert [c.name for c in made.children] == [CHILDREN[1]]
    assert made.key_worker.name == WORKER[0]

    actions = [(e.action, e.record_reference) for e in member.audit_page(0, 20)]
    assert (AuditAction.IMPORTED, f"{minutes.reference} v1") in actions
    assert (AuditAction.VIEWED, f"{minutes.reference} v1") in actions
    assert f"imported {minutes.reference} v1" in caplog.text
    for name in (*CHILDREN, "Khan", "Yusuf", "يوسف", "উদ্দিন"):
        assert name not in str(actions) and name not in caplog.text


def test_an_amendment_is_filed_beside_and_bad_files_are_refused(
    sending: Services,
    family: Family,
    smtp_port: int,
    busy_inbox: Inbox,
    member: Services,
    moving_clock: MovingClock,
    tmp_path: Path,
) -> None:
    minutes = finalised(sending, family)
    first = attached_pdf(distributed(sending, minutes, smtp_port, busy_inbox))
    member.receive_file("CGM-v1.pdf", first)
    draft = sending.amend_minutes(minutes.id, "The venue was wrong")
    draft.venue = "Riverside Family Centre"
    amended = sending.finalise_minutes(draft)
    second = attached_pdf(distributed(sending, amended, smtp_port, busy_inbox))

    [outcome] = member.receive_file("CGM-v2.pdf", second)
    assert outcome.filing is Filing.AMENDMENT and outcome.version == 2
    assert "venue" in outcome.changed
    listed = member.received_minutes_page(0, 50)
    assert [(e.version, e.superseded) for e in listed] == [(2, False), (1, True)]
    assert member.open_received_minutes(minutes.id, 1)[1].latest_version == 2

    altered = member.open_received_minutes(minutes.id, 2)[0]
    altered.progress_summary = "Nothing has changed."
    forged = build_minutes_pdf(altered, generated_at=moving_clock.now)
    with pytest.raises(IntakeError, match="may have been altered"):
        member.receive_file("CGM-v2.pdf", forged)
    with pytest.raises(IntakeError, match="damaged"):
        member.receive_file("CGM-cut.pdf", second[: len(second) // 3])
    leaflet = tmp_path / "leaflet.pdf"
    canvas = Canvas(str(leaflet))
    canvas.drawString(72, 720, "Record of Core Group Meeting CONFIDENTIAL")
    canvas.save()
    with pytest.raises(IntakeError, match="not contain a coreform record or core group minutes"):
        member.receive_file("leaflet.pdf", leaflet.read_bytes())
    with pytest.raises(IntakeError, match="written in this coreform"):
        sending.receive_file("CGM-v1.pdf", first)
    unfinished = sending.amend_minutes(minutes.id, "Add the school nurse")
    with pytest.raises(IntakeError, match="draft"):
        member.receive_file(
            "draft.pdf", build_minutes_pdf(unfinished, generated_at=moving_clock.now)
        )
    assert member.received_minutes_count() == 2  # nothing lost, nothing added


def test_minutes_written_and_received_come_up_for_retention_review(
    sending: Services,
    family: Family,
    smtp_port: int,
    busy_inbox: Inbox,
    member: Services,
    moving_clock: MovingClock,
) -> None:
    minutes = finalised(sending, family)
    member.receive_file(
        "CGM.pdf", attached_pdf(distributed(sending, minutes, smtp_port, busy_inbox))
    )
    # The children's dates of birth are not known: 25 years from the meeting, the longer period.
    moving_clock.now = dt.datetime(2051, 3, 2, 12, 0, tzinfo=LONDON)
    for services in (sending, member):
        services.create_account("ada", "admin password", Role.ADMINISTRATOR)
        services.sign_in("ada", "admin password")
        assert services.records_past_retention() == []  # the last day of the period
        services.create_account("mo", "long password", Role.MANAGER)
        services.sign_in("mo", "long password")
    moving_clock.now = dt.datetime(2051, 3, 3, 12, 0, tzinfo=LONDON)
    for services, what in (
        (sending, "Core group minutes"),
        (member, "Core group minutes (received)"),
    ):
        [listed] = services.records_past_retention()
        assert (listed.reference, listed.record_type, listed.what) == (
            minutes.reference,
            RecordType.CORE_GROUP_MINUTES,
            what,
        )
        assert "the meeting date (a child's date of birth is missing)" in listed.reason
        services.set_legal_hold(listed.record_id, "Subject access request 2051/3")
        with pytest.raises(RetentionBlockedError, match="legal hold"):
            services.delete_record_past_retention(listed.record_id)
        services.release_legal_hold(listed.record_id)
        assert services.delete_record_past_retention(listed.record_id) == minutes.reference
        assert services.records_past_retention() == []
    assert sending.count_minutes() == 0 and member.received_minutes_count() == 0


@pytest.mark.postgresql
def test_minutes_received_on_postgresql(postgresql_server: PgServer, tmp_path: Path) -> None:
    """Shared mode: filing, the inbox page, the child's file (a union of five queries) and the
    retention review on PostgreSQL."""
    postgresql_server.create_database("received_minutes")
    clock = MovingClock(dt.datetime(2026, 12, 24, 9, 0, tzinfo=LONDON))
    services = open_mailing(postgresql_server.socket_url("received_minutes"), tmp_path, clock)
    try:
        minutes = CoreGroupMinutes(
            reference="CGM-2001-00007",
            state=MinutesState.FINAL,
            family_name="Nowak",
            worker_name="Łucja Kowalczyk",
            actual_date=dt.date(2001, 5, 14),
            children=[ChildMinutes(child_id="c" * 32, name="Zuzanna Nowak")],
        )
        [outcome] = services.receive_file(
            "CGM.pdf", build_minutes_pdf(minutes, generated_at=clock())
        )
        assert outcome.filing is Filing.FILED and services.received_minutes_count() == 1
        assert [e.child_names for e in services.received_minutes_page(0, 10)] == [
            ("Zuzanna Nowak",)
        ]
        here = services.save_family(Family(name="Nowak", children=[Child(name="Zuzanna Nowak")]))
        services.match_child("c" * 32, here.children[0].id)
        [entry] = services.chronology_page(here.children[0].id, ChronologyFilter(), 0, 10)
        assert (entry.reference, entry.day) == ("CGM-2001-00007", dt.date(2001, 5, 14))
        services.create_account("ada", "admin password", Role.ADMINISTRATOR)
        services.sign_in("ada", "admin password")
        [listed] = services.records_past_retention()  # 25 years from the meeting ended in 2026
        assert listed.what == "Core group minutes (received)"
    finally:
        services.close()
