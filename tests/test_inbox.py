"""The key worker's inbox through the services: records submitted in one database are received in
another from real PDFs and .eml files, reviewed, shared and put on the child's chronology."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter

from coreform.audit import AuditAction
from coreform.chronology import COLUMNS, ExportFormat
from coreform.errors import FilePasswordError, IntakeError
from coreform.inbox import ChronologyFilter, EntryKind, Filing, ReviewState
from coreform.outbox import RecipientKind
from coreform.plans import ChildPlan, PlanMember
from coreform.policies import RuleId
from coreform.records import (
    Child,
    CoreGroupMember,
    Family,
    KeyWorker,
    MonitoringRecord,
    Practitioner,
    record_to_dict,
)
from coreform.services import SendingError, Services, ValidationFailedError
from coreform.services.sharing import ExportCancelledError
from coreform.settings import PdfProtection
from reports.mail import SUBJECT
from reports.pdf.container import RECORD_ATTACHMENT_NAME, record_json
from tests.conftest import open_mailing

KEY_WORKER = Practitioner(
    "Sam Lee", "Social worker", "Children's Services", "sam.lee@council.example"
)
HEALTH_VISITOR = Practitioner("Jo Patel", "Health visitor", "NHS Trust", "jo.patel@nhs.example")


def open_services(path: Path, clock: Callable[[], dt.datetime], me: Practitioner) -> Services:
    services = open_mailing(f"sqlite:///{path / 'coreform.db'}", path, clock)
    settings = services.get_settings()
    settings.me = me
    services.save_settings(settings)
    return services


@pytest.fixture
def practitioner(tmp_path: Path, clock: Callable[[], dt.datetime]) -> Iterator[Services]:
    (tmp_path / "practitioner").mkdir()
    services = open_services(tmp_path / "practitioner", clock, HEALTH_VISITOR)
    yield services
    services.close()


@pytest.fixture
def key_worker(tmp_path: Path, clock: Callable[[], dt.datetime]) -> Iterator[Services]:
    (tmp_path / "key_worker").mkdir()
    services = open_services(tmp_path / "key_worker", clock, KEY_WORKER)
    yield services
    services.close()


def sent_message(services: Services, record: MonitoringRecord, **kwargs: str) -> EmailMessage:
    """Submits the record and returns the message queued for the key worker, as it would arrive."""
    result = services.submit_and_send(record, **kwargs)
    raw = next(m.raw for m in result.messages if m.recipient_kind is RecipientKind.KEY_WORKER)
    message = BytesParser(policy=policy.default).parsebytes(raw)
    assert isinstance(message, EmailMessage)
    return message


def pdf_of(message: EmailMessage) -> bytes:
    [attachment] = list(message.iter_attachments())
    content = attachment.get_content()
    assert isinstance(content, bytes)
    return content


def audit_actions(services: Services) -> list[str]:
    return [entry.action for entry in services.audit_page(0, 100)]


def test_a_submitted_record_arrives_identical_and_twice_is_filed_once(
    practitioner: Services, key_worker: Services, full_record: MonitoringRecord
) -> None:
    message = sent_message(practitioner, full_record)
    sent = practitioner.get_record(full_record.id)
    [outcome] = key_worker.receive_file("CG.pdf", pdf_of(message))
    assert outcome.filing is Filing.FILED and outcome.version == 1
    assert record_to_dict(key_worker.get_record(sent.id)) == record_to_dict(sent)
    # The same record again, as a PDF and inside the .eml, is recognised and filed once.
    [again] = key_worker.receive_file("CG.pdf", pdf_of(message))
    [in_mail] = key_worker.receive_file("message.eml", message.as_bytes())
    assert again.filing is in_mail.filing is Filing.DUPLICATE
    assert key_worker.inbox_count() == 1
    assert audit_actions(key_worker).count(AuditAction.IMPORTED.value) == 1


def test_an_amendment_keeps_the_earlier_version_and_says_what_changed(
    practitioner: Services, key_worker: Services, full_record: MonitoringRecord
) -> None:
    key_worker.receive_file("v1.pdf", pdf_of(sent_message(practitioner, full_record)))
    amended = practitioner.amend_record(full_record.id, "Wrong start time")
    amended.visit_time = dt.time(15, 0)
    [outcome] = key_worker.receive_file("v2.pdf", pdf_of(sent_message(practitioner, amended)))
    assert outcome.filing is Filing.AMENDMENT and outcome.version == 2
    assert outcome.changed == ("visit_time",)
    assert [r.version for r in key_worker.record_versions(full_record.id)] == [1, 2]
    assert key_worker.inbox_count() == 2


def _foreign_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _altered(pdf: bytes, record: MonitoringRecord) -> bytes:
    """The same PDF with the record inside changed but its id and version kept."""
    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    writer.append(reader, import_outline=False)
    changed = copy.deepcopy(record)
    changed.observations = "Nothing of concern."
    writer.add_attachment(RECORD_ATTACHMENT_NAME, record_json(changed))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_corrupt_foreign_and_tampered_files_change_nothing(
    practitioner: Services, key_worker: Services, full_record: MonitoringRecord
) -> None:
    pdf = pdf_of(sent_message(practitioner, full_record))
    key_worker.receive_file("CG.pdf", pdf)
    before = (key_worker.inbox_count(), key_worker.audit_count())
    cases = {
        "cut.pdf": (pdf[: len(pdf) // 2], "damaged"),
        "leaflet.pdf": (_foreign_pdf(), "does not contain a coreform record"),
        "notes.txt": (b"Dear Sam, see you Tuesday.", "neither a PDF nor an email"),
        "CG-altered.pdf": (_altered(pdf, practitioner.get_record(full_record.id)), "altered"),
    }
    for name, (data, says) in cases.items():
        with pytest.raises(IntakeError, match=says):
            key_worker.receive_file(name, data)
    assert (key_worker.inbox_count(), key_worker.audit_count()) == before


def test_a_protected_pdf_asks_for_its_password(
    practitioner: Services, key_worker: Services, full_record: MonitoringRecord
) -> None:
    settings = practitioner.get_settings()
    settings.mail.pdf_protection = PdfProtection.ASK
    practitioner.save_settings(settings)
    pdf = pdf_of(sent_message(practitioner, full_record, pdf_password="Kettle-7-Moon"))
    with pytest.raises(FilePasswordError) as missing:
        key_worker.receive_file("CG.pdf", pdf)
    with pytest.raises(FilePasswordError) as wrong:
        key_worker.receive_file("CG.pdf", pdf, password="kettle")
    assert (missing.value.wrong, wrong.value.wrong) == (False, True)
    assert key_worker.inbox_count() == 0
    [outcome] = key_worker.receive_file("CG.pdf", pdf, password="Kettle-7-Moon")
    assert outcome.filing is Filing.FILED


def test_an_unknown_child_is_offered_a_match_by_name_and_date_of_birth(
    practitioner: Services, key_worker: Services, full_record: MonitoringRecord
) -> None:
    ada = full_record.children[0].child
    family = key_worker.save_family(
        Family(name="Okafor", children=[Child(" ada  OKAFOR", ada.date_of_birth)])
    )
    [outcome] = key_worker.receive_file("CG.pdf", pdf_of(sent_message(practitioner, full_record)))
    ada_match, bo_match = outcome.unknown_children
    assert ada_match.candidates == ((family.children[0].id, "Okafor"),)
    assert bo_match.candidates == ()
    assert key_worker.chronology_count(family.children[0].id, ChronologyFilter()) == 0
    key_worker.match_child(ada_match.received_child_id, family.children[0].id)
    [entry] = key_worker.chronology_page(family.children[0].id, ChronologyFilter(), 0, 10)
    assert (entry.reference, entry.received, entry.agency) == (
        outcome.reference,
        True,
        "NHS Trust",
    )
    created = key_worker.add_family_from_record(outcome.record_id, 1, [bo_match.received_child_id])
    assert [c.name for c in created.children] == ["Bo Okafor"]
    assert key_worker.unknown_children(outcome.record_id, 1) == ()


def test_a_record_for_a_matched_child_counts_on_the_caseload_and_timeline(
    practitioner: Services, key_worker: Services, full_record: MonitoringRecord
) -> None:
    ada = full_record.children[0].child
    family = key_worker.save_family(
        Family(
            name="Okafor",
            children=[Child("Ada Okafor", ada.date_of_birth)],
            key_worker=KeyWorker(KEY_WORKER.name, KEY_WORKER.email),
        )
    )
    on_file = family.children[0].id
    key_worker.set_policy("central-bedfordshire")
    key_worker.save_plan(ChildPlan(child_id=on_file, initial_conference=dt.date(2026, 2, 2)))
    [outcome] = key_worker.receive_file("CG.pdf", pdf_of(sent_message(practitioner, full_record)))
    key_worker.match_child(outcome.unknown_children[0].received_child_id, on_file)
    # Jo Patel saw Ada at home on 3 March: a contact by an agency, on the dashboard and timeline.
    [row] = key_worker.caseload().rows
    seen = row.status(RuleId.NOT_SEEN_BY_ANY_AGENCY)
    assert seen is not None and (seen.last_met, seen.reference) == (
        dt.date(2026, 3, 3),
        outcome.reference,
    )
    timeline = key_worker.child_timeline(on_file)
    assert [contact.reference for contact in timeline.contacts] == [outcome.reference]


def test_has_issues_asks_the_sender_and_their_amendment_closes_it(
    practitioner: Services, key_worker: Services, full_record: MonitoringRecord
) -> None:
    [outcome] = key_worker.receive_file("CG.pdf", pdf_of(sent_message(practitioner, full_record)))
    with pytest.raises(ValidationFailedError, match="Do not name the child"):
        key_worker.raise_issues(outcome.record_id, 1, "Ada's bedroom answer is missing.")
    item = key_worker.raise_issues(outcome.record_id, 1, "The start time is after the visit.")
    message = BytesParser(policy=policy.default).parsebytes(item.raw)
    assert message["Subject"] == SUBJECT
    assert message["To"].addresses[0].addr_spec == HEALTH_VISITOR.email
    body = message.get_body().get_content()  # type: ignore[union-attr]
    assert outcome.reference in body and "The start time is after the visit." in body
    assert "Okafor" not in item.raw.decode("utf-8", "replace")
    [entry] = key_worker.inbox_page(0, 10)
    assert entry.review_state is ReviewState.HAS_ISSUES
    amended = practitioner.amend_record(full_record.id, "Start time corrected")
    amended.visit_time = dt.time(13, 0)
    [fixed] = key_worker.receive_file("v2.pdf", pdf_of(sent_message(practitioner, amended)))
    assert fixed.closed_issues == (1,)
    states = {e.version: e.review_state for e in key_worker.inbox_page(0, 10)}
    assert states == {1: ReviewState.CORRECTED, 2: ReviewState.RECEIVED}
    assert AuditAction.ISSUES_RAISED.value in audit_actions(key_worker)


def test_a_late_record_is_flagged_with_by_how_much(
    practitioner: Services, key_worker: Services, full_record: MonitoringRecord
) -> None:
    full_record.visit_date = dt.date(2026, 2, 24)  # due Thursday 26 February
    full_record.lateness_reason = "Off sick."
    key_worker.receive_file("CG.pdf", pdf_of(sent_message(practitioner, full_record)))
    [entry] = key_worker.inbox_page(0, 10)
    assert entry.working_days_late == 4  # completed Wednesday 4 March


def _family_with_core_group(services: Services, record: MonitoringRecord) -> Family:
    children = [copy.deepcopy(o.child) for o in record.children]
    return services.save_family(
        Family(
            name="Okafor",
            children=children,
            core_group=[
                CoreGroupMember("Nadia Rahman", "Teacher", "Oak School", "n.rahman@school.example"),
                CoreGroupMember("Tomasz Nowak", "GP", "Elm Surgery", "t.nowak@gp.example"),
                CoreGroupMember("Jo Patel", "Health visitor", "NHS Trust", HEALTH_VISITOR.email),
                CoreGroupMember("Minh Nguyen", "Police", "Police", ""),
            ],
        )
    )


def test_sharing_sends_one_message_per_other_member_and_logs_it(
    practitioner: Services, key_worker: Services, full_record: MonitoringRecord
) -> None:
    [outcome] = key_worker.receive_file("CG.pdf", pdf_of(sent_message(practitioner, full_record)))
    with pytest.raises(SendingError, match="Accept"):
        key_worker.share_received(outcome.record_id, 1)
    # The practitioner's own children are known to the key worker (same ids: one family file).
    _family_with_core_group(key_worker, practitioner.get_record(full_record.id))
    key_worker.accept_received(outcome.record_id, 1)
    shares = key_worker.share_received(outcome.record_id, 1)
    assert sorted(s.member_email for s in shares) == [
        "n.rahman@school.example",
        "t.nowak@gp.example",
    ]
    queued = [i for i in key_worker.outbox_items() if i.recipient_kind is RecipientKind.CORE_GROUP]
    assert sorted(i.recipient for i in queued) == sorted(s.member_email for s in shares)
    message = BytesParser(policy=policy.default).parsebytes(queued[0].raw)
    assert message["Subject"] == SUBJECT
    assert [a.get_content_type() for a in message.iter_attachments()] == ["application/pdf"]
    assert [(s.record_version, s.outbox_state) for s in key_worker.shares(outcome.record_id)] == [
        (1, "queued"),
        (1, "queued"),
    ]
    with pytest.raises(SendingError, match="already has"):
        key_worker.share_received(outcome.record_id, 1)
    assert audit_actions(key_worker).count(AuditAction.SHARED.value) == 2


def _many_contacts(services: Services, record: MonitoringRecord, count: int) -> str:
    """`count` submitted contacts for the record's first child; returns that child's id."""
    family = _family_with_core_group(services, record)
    record.family_id = family.id
    record.children = record.children[:1]
    record.children[0].child = family.children[0]
    for day in range(count):
        copy_ = copy.deepcopy(record)
        copy_.id = f"{day:032x}"
        copy_.visit_date = dt.date(2020, 1, 1) + dt.timedelta(days=day)
        copy_.lateness_reason = "Backfilled."
        services.submit_record(copy_)
    return family.children[0].id


def test_the_chronology_exports_every_entry_and_can_be_cancelled(
    key_worker: Services, full_record: MonitoringRecord, tmp_path: Path
) -> None:
    child_id = _many_contacts(key_worker, full_record, 210)
    assert key_worker.chronology_count(child_id, ChronologyFilter()) == 210
    newest = key_worker.chronology_page(child_id, ChronologyFilter(), 0, 2)
    assert newest[0].day > newest[1].day
    steps: list[tuple[int, int]] = []
    csv_path = tmp_path / "chronology.csv"
    key_worker.export_chronology(
        child_id,
        ChronologyFilter(),
        csv_path,
        ExportFormat.CSV,
        progress=lambda *p: steps.append(p),
    )
    assert steps == [(200, 210), (210, 210)]
    with csv_path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert tuple(rows[0]) == COLUMNS and len(rows) == 211
    xlsx = tmp_path / "chronology.xlsx"
    key_worker.export_chronology(child_id, ChronologyFilter(), xlsx, ExportFormat.XLSX)
    sheet = load_workbook(xlsx, read_only=True)["Chronology"]
    assert len(list(sheet.iter_rows(values_only=True))) == 211
    data = tmp_path / "chronology.json"
    march = ChronologyFilter(date_from=dt.date(2020, 3, 1), date_to=dt.date(2020, 3, 31))
    key_worker.export_chronology(child_id, march, data, ExportFormat.JSON)
    entries = json.loads(data.read_text(encoding="utf-8"))["entries"]
    assert len(entries) == 31 and entries[0]["date"] == "2020-03-31"
    stopped = tmp_path / "stopped.csv"
    with pytest.raises(ExportCancelledError):
        key_worker.export_chronology(
            child_id, ChronologyFilter(), stopped, ExportFormat.CSV, cancelled=lambda: bool(steps)
        )
    assert not stopped.exists() and not list(tmp_path.glob("*.tmp"))
    assert audit_actions(key_worker).count(AuditAction.EXPORTED.value) == 3


def test_the_chronology_pdf_bundle_holds_each_record(
    key_worker: Services, full_record: MonitoringRecord, tmp_path: Path
) -> None:
    child_id = _many_contacts(key_worker, full_record, 3)
    bundle = tmp_path / "chronology.pdf"
    assert key_worker.export_chronology(child_id, ChronologyFilter(), bundle, ExportFormat.PDF) == 3
    reader = PdfReader(bundle)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    assert len(titles) == 3 and (titles[0] or "").startswith("03/01/2020")


def test_the_plan_names_who_gets_a_shared_record_and_its_meetings_are_on_the_file(
    practitioner: Services, key_worker: Services, full_record: MonitoringRecord
) -> None:
    [outcome] = key_worker.receive_file("CG.pdf", pdf_of(sent_message(practitioner, full_record)))
    family = _family_with_core_group(key_worker, practitioner.get_record(full_record.id))
    ada = family.children[0]
    key_worker.save_plan(
        ChildPlan(
            child_id=ada.id,
            initial_conference=dt.date(2026, 1, 12),
            reviews=(dt.date(2026, 2, 20),),
            core_groups=(dt.date(2026, 1, 23), dt.date(2026, 3, 3)),
            members=[
                PlanMember("Farida Haque", "School nurse", "Oak School", "f.haque@oak.example"),
                PlanMember(
                    "Left Already",
                    "PCSO",
                    "Police",
                    "left@police.example",
                    left=dt.date(2026, 2, 1),
                ),
                PlanMember(
                    "Not Yet", "CAMHS", "NHS", "later@nhs.example", joined=dt.date(2026, 4, 1)
                ),
            ],
        )
    )
    key_worker.accept_received(outcome.record_id, 1)
    shares = key_worker.share_received(outcome.record_id, 1)
    assert [s.member_email for s in shares] == ["f.haque@oak.example"]  # the plan, not the family
    everything = key_worker.chronology_page(ada.id, ChronologyFilter(), 0, 10)
    assert [(e.day, e.kind) for e in everything] == [
        (dt.date(2026, 3, 3), EntryKind.CONTACT),  # the visit at 14:15 before the meeting
        (dt.date(2026, 3, 3), EntryKind.CORE_GROUP),
        (dt.date(2026, 2, 20), EntryKind.CONFERENCE),
        (dt.date(2026, 1, 23), EntryKind.CORE_GROUP),
        (dt.date(2026, 1, 12), EntryKind.CONFERENCE),
    ]
    assert everything[-1].title == "Initial child protection conference"
    meetings = ChronologyFilter(kinds=frozenset({EntryKind.CORE_GROUP}))
    assert key_worker.chronology_count(ada.id, meetings) == 2
    february = ChronologyFilter(date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 28))
    assert [e.title for e in key_worker.chronology_page(ada.id, february, 0, 10)] == [
        "Review child protection conference"
    ]
    nhs_only = ChronologyFilter(agency="nhs")
    assert [e.kind for e in key_worker.chronology_page(ada.id, nhs_only, 0, 10)] == [
        EntryKind.CONTACT
    ]
