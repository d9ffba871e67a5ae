"""The use cases through `coreform.services`, on a real SQLite file with a fixed clock."""

from __future__ import annotations

import copy
import datetime as dt
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import event, select

from coreform.audit import AuditAction
from coreform.deadlines import DeadlineState
from coreform.outbox import OutboxItem, OutboxState, RecipientKind, Transport
from coreform.record_query import RecordQuery
from coreform.records import (
    LONDON,
    Child,
    ChildObservation,
    Family,
    KeyWorker,
    ListedFamily,
    MonitoringRecord,
    Practitioner,
    RecordState,
    Role,
    new_id,
)
from coreform.services import (
    ConflictError,
    NotFoundError,
    RecordLockedError,
    Services,
    StorageError,
    UserSettings,
    ValidationFailedError,
)
from coreform.storage.tables import ChildObservationRow
from coreform.workdays import Nation
from tests.conftest import FIXED_NOW

ME = Practitioner(
    name="Jo Patel", role="Health visitor", agency="NHS Trust", email="jo@nhs.example"
)


def _draft(services: Services, visit: dt.date, family_name: str = "Okafor") -> MonitoringRecord:
    record = services.new_record()
    record.family_name = family_name
    record.visit_date = visit
    return services.save_draft(record)


def test_settings_have_defaults_and_are_kept(services: Services, database_url: str) -> None:
    assert services.get_settings() == UserSettings()
    services.save_settings(UserSettings(nation=Nation.SCT, me=ME, organisation="NHS Trust"))
    reopened = Services.open(database_url)
    try:
        assert reopened.get_settings() == UserSettings(Nation.SCT, ME, "NHS Trust")
        assert reopened.calendar().nation is Nation.SCT
    finally:
        reopened.close()


def test_deadline_uses_the_users_nation(services: Services) -> None:
    # St Andrew's Day (Monday 30 Nov 2026) is a bank holiday in Scotland only.
    assert services.completion_deadline(dt.date(2026, 11, 27)) == dt.date(2026, 12, 1)
    services.save_settings(UserSettings(nation=Nation.SCT))
    assert services.completion_deadline(dt.date(2026, 11, 27)) == dt.date(2026, 12, 2)


def test_draft_gets_a_reference_that_every_version_keeps(
    services: Services, full_record: MonitoringRecord
) -> None:
    first = services.save_draft(services.new_record())
    second = services.save_draft(full_record)
    code = services.installation_code()
    assert re.fullmatch(r"[A-Z2-9]{5}", code)
    assert (first.reference, second.reference) == (f"CG-{code}-2026-00001", f"CG-{code}-2026-00002")
    submitted = services.submit_record(second)
    amended = services.amend_record(submitted.id, "Wrong next contact date.")
    assert amended.reference == f"CG-{code}-2026-00002"
    again = services.save_draft(amended)
    assert again.reference == f"CG-{code}-2026-00002"


def test_drafts_are_listed_by_deadline_then_sent_records_newest_first(
    services: Services, full_record: MonitoringRecord
) -> None:
    later = _draft(services, dt.date(2026, 3, 4), "Later")  # due Fri 6 March
    sooner = _draft(services, dt.date(2026, 3, 2), "Sooner")  # due Wed 4 March
    undated = services.save_draft(services.new_record())
    sent = services.submit_record(full_record)
    listed = services.list_records()
    assert [s.id for s in listed] == [sooner.id, later.id, undated.id, sent.id]
    deadline = listed[0].deadline
    assert deadline is not None and deadline.due == dt.date(2026, 3, 4)
    assert deadline.state is DeadlineState.DUE_TODAY  # the services' clock says 4 March
    assert listed[3].state is RecordState.SUBMITTED
    assert listed[3].child_names == ("Ada Okafor", "Bo Okafor")


def test_save_draft_returns_the_stored_copy_and_leaves_the_callers_alone(
    services: Services,
) -> None:
    record = services.new_record()
    record.purpose = "First look"
    saved = services.save_draft(record)
    assert saved == services.get_record(record.id)
    assert saved is not record and saved.reference and not record.reference
    saved.purpose = "Second look"
    again = services.save_draft(saved)
    assert again.updated_at > saved.updated_at
    assert services.get_record(record.id).purpose == "Second look"


def test_submit_locks_and_stamps(
    services: Services, full_record: MonitoringRecord, fixed_now: dt.datetime
) -> None:
    full_record.date_completed = None
    submitted = services.submit_record(full_record)
    assert submitted.state is RecordState.SUBMITTED and submitted.locked
    assert submitted.submitted_at == fixed_now
    assert submitted.date_completed == fixed_now.date()
    with pytest.raises(RecordLockedError, match="Amend"):
        services.save_draft(submitted)
    unlocked = copy.deepcopy(submitted)
    unlocked.state = RecordState.DRAFT  # a stale editor still thinking it is a draft
    with pytest.raises(RecordLockedError):
        services.save_draft(unlocked)
    with pytest.raises(RecordLockedError):
        services.discard_draft(submitted.id)


def test_submit_with_errors_saves_nothing(services: Services) -> None:
    record = services.save_draft(services.new_record())
    with pytest.raises(ValidationFailedError) as caught:
        services.submit_record(record)
    assert any(p.field == "visit_date" for p in caught.value.problems)
    stored = services.get_record(record.id)
    assert stored == record and stored.state is RecordState.DRAFT


def test_amend_keeps_the_original(services: Services, full_record: MonitoringRecord) -> None:
    services.save_settings(UserSettings(me=ME))
    original = services.submit_record(full_record)
    draft = services.amend_record(original.id, "Left out the new sofa.")
    assert (draft.version, draft.state) == (2, RecordState.DRAFT)
    assert draft.amendment is not None and draft.amendment.reason == "Left out the new sofa."
    assert draft.amendment.previous_version == 1 and draft.amendment.amended_by == "Jo Patel"
    draft.observations += " New sofa in the living room."
    amended = services.submit_record(draft)
    assert amended.state is RecordState.AMENDED
    versions = services.record_versions(original.id)
    assert [v.version for v in versions] == [1, 2]
    assert versions[0] == original
    assert services.get_record(original.id) == amended
    with pytest.raises(ValidationFailedError):
        services.amend_record(original.id, "  ")


def test_a_draft_cannot_be_amended_but_can_be_discarded(services: Services) -> None:
    draft = services.save_draft(services.new_record())
    with pytest.raises(RecordLockedError, match="still a draft"):
        services.amend_record(draft.id, "why")
    services.discard_draft(draft.id)
    with pytest.raises(NotFoundError):
        services.get_record(draft.id)


def test_discarding_an_amendment_keeps_the_submitted_version(
    services: Services, full_record: MonitoringRecord
) -> None:
    original = services.submit_record(full_record)
    amendment = services.amend_record(original.id, "Typo in the purpose.")
    services.discard_draft(original.id)
    assert services.get_record(original.id) == original
    with pytest.raises(ConflictError, match="discarded"):
        services.save_draft(amendment)


def test_two_windows_on_one_file_detect_a_conflict(
    services: Services, database_url: str, clock: Callable[[], dt.datetime]
) -> None:
    other = Services.open(database_url, clock=clock)
    try:
        mine = services.save_draft(services.new_record())
        theirs = other.get_record(mine.id)
        theirs.purpose = "Changed in the other window"
        other.save_draft(theirs)
        mine.purpose = "Changed here"
        with pytest.raises(ConflictError) as conflict:
            services.save_draft(mine)
        # Issue 9: what to offer, never to discard: keep mine as a new version, or show theirs.
        assert "keep yours as a new version, or show theirs" in str(conflict.value)
        assert "without saving" not in str(conflict.value)
        assert conflict.value.record_id == mine.id
        assert services.get_record(mine.id).purpose == "Changed in the other window"
        kept = services.keep_mine_as_new_version(mine)
        assert (kept.purpose, kept.version) == ("Changed here", 1)
        assert kept.id != mine.id and kept.reference != mine.reference
        assert services.get_record(mine.id).purpose == "Changed in the other window"
    finally:
        other.close()


def test_a_repeat_visit_is_prefilled(services: Services, full_record: MonitoringRecord) -> None:
    services.save_settings(UserSettings(me=ME))
    submitted = services.submit_record(full_record)
    assert submitted.family_id is not None
    family = services.get_family(submitted.family_id)
    assert family.name == "Okafor"
    assert [c.name for c in family.children] == ["Ada Okafor", "Bo Okafor"]
    assert [f.id for f in services.find_families("ada")] == [family.id]
    assert services.known_key_workers() == [full_record.key_worker]

    repeat = services.new_record(family.id)
    assert repeat.family_id == family.id and repeat.family_name == "Okafor"
    assert [o.child for o in repeat.children] == [o.child for o in full_record.children]
    assert repeat.key_worker == full_record.key_worker
    assert repeat.completed_by == ME
    assert repeat.visit_date is None and repeat.observations == ""
    assert repeat.children[0].seen is None and repeat.children[0].presentation == ""


def test_two_records_for_the_same_typed_children_keep_one_family(
    services: Services, full_record: MonitoringRecord
) -> None:
    # No family picked: the children were typed into the first draft and copied into the second.
    first = services.submit_record(copy.deepcopy(full_record))
    second = copy.deepcopy(full_record)
    second.id, second.visit_date = new_id(), dt.date(2026, 3, 2)
    submitted = services.submit_record(second)
    assert submitted.family_id == first.family_id is not None
    family = services.get_family(first.family_id)
    assert [c.id for c in family.children] == [o.child.id for o in full_record.children]
    assert [f.id for f in services.find_families()] == [family.id]


def test_a_child_filed_under_another_family_stays_there_and_the_record_submits(
    services: Services, full_record: MonitoringRecord
) -> None:
    ada = full_record.children[0].child
    okafor = services.save_family(Family(name="Okafor", children=[copy.deepcopy(ada)]))
    bello = services.save_family(Family(name="Bello", children=[Child(name="Yusuf Bello")]))
    record = copy.deepcopy(full_record)
    record.family_id, record.family_name = bello.id, "Bello"  # Bello chosen, naming Ada
    record.children[0].child.name = "Ada Okafor-Bello"  # a name corrected on this visit
    submitted = services.submit_record(record)
    assert submitted.locked and submitted.family_id == bello.id
    assert [c.name for c in services.get_family(okafor.id).children] == ["Ada Okafor-Bello"]
    assert [c.name for c in services.get_family(bello.id).children] == ["Yusuf Bello", "Bo Okafor"]
    ada_records = services.list_records(RecordQuery(child_id=ada.id))
    assert [r.reference for r in ada_records] == [submitted.reference]


def test_an_amended_received_record_joins_the_family_its_children_are_filed_under(
    services: Services, full_record: MonitoringRecord
) -> None:
    received = copy.deepcopy(full_record)
    received.family_id, received.reference = new_id(), "CG-OTHER1-2026-00007"  # the sender's
    received.state, received.submitted_at = RecordState.SUBMITTED, FIXED_NOW
    services.import_record(received)
    filed = services.save_family(
        Family(name="Okafor", children=[copy.deepcopy(o.child) for o in received.children])
    )
    amendment = services.amend_record(received.id, "Bo's date of birth was mistyped")
    submitted = services.submit_record(amendment)
    assert submitted.state is RecordState.AMENDED and submitted.family_id == filed.id
    assert [f.id for f in services.find_families()] == [filed.id]


def test_saved_family_is_listed_and_found(services: Services) -> None:
    family = Family(
        name="Smith",
        children=[Child(name="Kai Smith", date_of_birth=dt.date(2020, 1, 1))],
        key_worker=KeyWorker(name="Ann Bell", email="ann@council.example"),
    )
    assert services.save_family(family) == family
    assert services.get_family(family.id) == family
    assert services.find_families("kai") == [
        ListedFamily(family.id, "Smith", ("Kai Smith",), key_worker_name="Ann Bell")
    ]
    with pytest.raises(NotFoundError):
        services.get_family("missing")
    with pytest.raises(NotFoundError):
        services.new_record("missing")


def test_begin_session_recovers_drafts_of_a_run_that_crashed(
    database_url: str, clock: Callable[[], dt.datetime]
) -> None:
    crashed = Services.open(database_url, clock=clock)
    crashed.begin_session()
    lost = crashed.save_draft(crashed.new_record())
    crashed.close()  # no end_session: the run was killed

    clean = Services.open(database_url, clock=clock)
    assert [s.id for s in clean.begin_session()] == [lost.id]
    clean.save_draft(clean.new_record())
    clean.end_session()
    clean.close()

    after = Services.open(database_url, clock=clock)
    try:
        assert after.begin_session() == []
    finally:
        after.close()


def test_outbox_queue_retry_and_history(
    services: Services, full_record: MonitoringRecord, fixed_now: dt.datetime
) -> None:
    record = services.submit_record(full_record)
    item = OutboxItem(
        record_id=record.id,
        record_version=record.version,
        message_id="<1@coreform>",
        recipient_kind=RecipientKind.KEY_WORKER,
        recipient=record.key_worker.email,
        transport=Transport.SMTP,
        raw=b"Subject: Core Group Monitoring Form CONFIDENTIAL\r\n\r\nbody",
    )
    parents = copy.deepcopy(item)
    parents.message_id, parents.recipient_kind = "<2@coreform>", RecipientKind.PARENTS
    queued, to_parents = services.enqueue_outbox([item, parents])
    assert queued.id is not None and to_parents.id is not None
    assert services.due_outbox_items() == [queued, to_parents]

    sending = services.mark_outbox_sending(queued.id)
    assert (sending.state, sending.attempts) == (OutboxState.SENDING, 1)
    retry_at = fixed_now + dt.timedelta(minutes=5)
    failed = services.mark_outbox_failed(queued.id, "Connection refused", retry_at)
    assert failed.last_error == "Connection refused"
    assert services.due_outbox_items() == [to_parents]
    assert services.due_outbox_items(retry_at) == [to_parents, failed]

    services.mark_outbox_sending(queued.id)
    sent = services.mark_outbox_sent(queued.id)
    assert (sent.state, sent.attempts, sent.sent_at) == (OutboxState.SENT, 2, fixed_now)
    assert services.get_record(record.id).date_sent == fixed_now.date()
    with pytest.raises(RecordLockedError):
        services.cancel_outbox_item(queued.id)
    cancelled = services.cancel_outbox_item(to_parents.id)
    assert cancelled.state is OutboxState.CANCELLED
    assert services.due_outbox_items(retry_at) == []
    assert [i.id for i in services.sending_history(record.id)] == [queued.id, to_parents.id]
    assert services.outbox_items() == services.sending_history(record.id)
    with pytest.raises(NotFoundError):
        services.mark_outbox_sent(999)


def test_unwritable_database_raises_storage_error_with_advice(tmp_path: Path) -> None:
    folder = tmp_path / "missing" / "nested"
    with pytest.raises(StorageError, match="coreform could not open its database"):
        Services.open(f"sqlite:///{folder / 'coreform.db'}")


def test_default_database_is_in_coreform_data_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COREFORM_DATA_DIR", str(tmp_path))
    opened = Services.open(clock=lambda: dt.datetime(2026, 3, 4, tzinfo=LONDON))
    try:
        opened.save_draft(opened.new_record())
    finally:
        opened.close()
    assert (tmp_path / "coreform.db").is_file()


def test_disk_full_raises_storage_error_and_keeps_the_last_save(
    services: Services, full_record: MonitoringRecord
) -> None:
    saved = services.save_draft(full_record)
    engine = services._engine
    engine.dispose()

    @event.listens_for(engine, "connect")
    def tiny_disk(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # SQLite's own page limit gives the real SQLITE_FULL error a full disk gives.
        count = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={count}")

    bigger = copy.deepcopy(saved)
    bigger.observations = "x" * 200_000
    with pytest.raises(StorageError, match=r"disk is full.*nothing you typed has been lost"):
        services.save_draft(bigger)
    assert services.get_record(saved.id) == saved


def _observation_rows(services: Services) -> list[int]:
    with services._engine.connect() as connection:
        return list(connection.scalars(select(ChildObservationRow.id).order_by("position")))


def test_autosave_changes_child_rows_in_place_and_returns_what_is_stored(
    services: Services, full_record: MonitoringRecord
) -> None:
    full_record.children += [
        ChildObservation(child=Child(name="Zofia Wiśniewska")),
        ChildObservation(child=Child(name="Rahim Chowdhury")),
    ]
    stored = services.save_draft(full_record)
    rows = _observation_rows(services)
    stored.children[1].presentation = "Zofia showed us her new school bag."
    stored = services.save_draft(stored)
    assert _observation_rows(services) == rows  # the same rows, updated where they stand
    assert services.get_record(stored.id) == stored
    del stored.children[:2]
    stored.children.append(ChildObservation(child=Child(name="Trần Minh Anh")))
    stored = services.save_draft(stored)
    assert services.get_record(stored.id) == stored
    names = [c.child.name for c in stored.children]
    assert names[-3:] == ["Zofia Wiśniewska", "Rahim Chowdhury", "Trần Minh Anh"]
    assert len(_observation_rows(services)) == len(names)


def test_an_amendment_is_credited_as_the_audit_trail_names_its_author(
    services: Services, full_record: MonitoringRecord
) -> None:
    # No details given yet: the computer's user name, as the audit trail has it.
    original = services.submit_record(full_record)
    draft = services.amend_record(original.id, "The time was wrong.")
    assert draft.amendment is not None and draft.amendment.amended_by == services.current_user
    services.discard_draft(draft.id)
    # No accounts, own name given: the amendment and its audit entry both name them.
    services.save_settings(UserSettings(me=ME))
    draft = services.amend_record(original.id, "The time was wrong.")
    assert draft.amendment is not None and draft.amendment.amended_by == ME.name
    newest = services.audit_page(0, 1)[0]
    assert (newest.action, newest.user) == (AuditAction.AMENDED, ME.name)
    services.discard_draft(draft.id)
    # Signed in to a shared installation: the account, never the details typed on the computer.
    services.create_account("nguyen.thi.lan", "otter-lantern-velvet", Role.ADMINISTRATOR)
    services.sign_in("nguyen.thi.lan", "otter-lantern-velvet")
    draft = services.amend_record(original.id, "The time was wrong.")
    assert draft.amendment is not None and draft.amendment.amended_by == "nguyen.thi.lan"
    newest = services.audit_page(0, 1)[0]
    assert (newest.action, newest.user) == (AuditAction.AMENDED, "nguyen.thi.lan")
