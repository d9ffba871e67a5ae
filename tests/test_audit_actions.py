"""Every action through the services leaves one audit entry in its transaction; chain intact."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coreform.audit import AuditAction, AuditEntry
from coreform.records import MonitoringRecord, Role
from coreform.services import AccessError, Services, SignInError, StorageError
from reports.pdf import read_record_from_pdf
from tests.conftest import MovingClock


@pytest.fixture
def audited(mailing_services: Services) -> Services:
    return mailing_services


def _trail(services: Services) -> list[AuditEntry]:
    entries = list(reversed(services.audit_page(0, 10_000)))
    assert services.verify_audit().ok
    return entries


def _actions(services: Services) -> list[tuple[AuditAction, str]]:
    return [(e.action, e.record_reference) for e in _trail(services)]


def _saved(services: Services, record: MonitoringRecord) -> MonitoringRecord:
    return services.save_draft(record)


def test_created_then_edited_once_per_interval(
    audited: Services, full_record: MonitoringRecord, moving_clock: MovingClock
) -> None:
    stored = _saved(audited, full_record)
    for _ in range(5):  # autosave while typing
        stored = _saved(audited, stored)
    moving_clock.now += dt.timedelta(minutes=16)
    stored = _saved(audited, stored)
    ref = f"{stored.reference} v1"
    assert _actions(audited) == [
        (AuditAction.CREATED, ref),
        (AuditAction.EDITED, ref),  # only the save 16 minutes on; the autosaves are folded in
    ]
    entry = _trail(audited)[0]
    assert entry.at_utc.tzinfo is dt.UTC
    assert entry.user == audited.current_user


def test_viewed_submitted_and_amended(audited: Services, full_record: MonitoringRecord) -> None:
    stored = _saved(audited, full_record)
    audited.get_record(stored.id)  # internal reads are not views
    audited.open_record(stored.id)
    submitted = audited.submit_record(stored)
    audited.amend_record(submitted.id, "Wrong visit time")
    ref = submitted.reference
    assert _actions(audited) == [
        (AuditAction.CREATED, f"{ref} v1"),
        (AuditAction.VIEWED, f"{ref} v1"),
        (AuditAction.SUBMITTED, f"{ref} v1"),
        (AuditAction.AMENDED, f"{ref} v2"),
    ]


def test_no_childs_name_in_the_trail(audited: Services, full_record: MonitoringRecord) -> None:
    stored = audited.submit_record(_saved(audited, full_record))
    audited.open_record(stored.id)
    for entry in _trail(audited):
        for observation in full_record.children:
            assert observation.child.name not in entry.record_reference
            assert observation.child.name not in entry.user


def test_a_failed_submit_leaves_no_entry(audited: Services) -> None:
    draft = _saved(audited, audited.new_record())
    before = len(_trail(audited))
    with pytest.raises(Exception, match="cannot be submitted"):
        audited.submit_record(draft)
    assert len(_trail(audited)) == before


def test_handed_over_is_not_sent(audited: Services, full_record: MonitoringRecord) -> None:
    result = audited.submit_and_send(full_record)
    audited.process_outbox()
    ref = result.record.reference
    assert _actions(audited)[-2:] == [
        (AuditAction.DRAFT_WRITTEN, f"{ref} v1 to key_worker"),
        (AuditAction.HANDED_OVER, f"{ref} v1 to key_worker"),
    ]


def test_exported_pdf_is_audited_and_readable(
    audited: Services, full_record: MonitoringRecord, tmp_path: Path
) -> None:
    stored = audited.submit_record(_saved(audited, full_record))
    path = audited.export_pdf(stored.id, tmp_path / "CG.pdf")
    assert read_record_from_pdf(path.read_bytes()).id == stored.id
    assert _actions(audited)[-1] == (AuditAction.EXPORTED, f"{stored.reference} v1")


def test_a_pdf_that_cannot_be_written_is_not_audited(
    audited: Services, full_record: MonitoringRecord, tmp_path: Path
) -> None:
    stored = audited.submit_record(_saved(audited, full_record))
    before = len(_trail(audited))
    with pytest.raises(StorageError):
        audited.export_pdf(stored.id, tmp_path / "missing-folder" / "CG.pdf")
    assert len(_trail(audited)) == before


def test_imported_once(
    audited: Services, full_record: MonitoringRecord, tmp_path: Path, moving_clock: MovingClock
) -> None:
    sender = Services.open(f"sqlite:///{tmp_path / 'sender.db'}", clock=moving_clock)
    try:
        sent = sender.submit_record(sender.save_draft(full_record))
    finally:
        sender.close()
    audited.import_record(sent)
    audited.import_record(sent)  # the same message arriving twice is filed once
    assert _actions(audited) == [(AuditAction.IMPORTED, f"{sent.reference} v1")]
    assert audited.get_record(sent.id).observations == full_record.observations


def test_backed_up(audited: Services, tmp_path: Path) -> None:
    made = audited.backup(tmp_path / "backups", keep=2)
    assert made.is_file()
    assert _actions(audited) == [(AuditAction.BACKED_UP, made.name)]
    assert not audited.backup_due(tmp_path / "backups")


def test_signed_in_and_failed_sign_in_lock_after_six(audited: Services) -> None:
    assert not audited.has_accounts()
    audited.create_account("admin", "correct horse", Role.ADMINISTRATOR)
    audited.sign_in("admin", "correct horse")
    audited.create_account("jo", "battery staple", Role.PRACTITIONER)
    messages = []
    for _ in range(6):
        with pytest.raises(SignInError) as refused:
            audited.sign_in("jo", "wrong password")
        messages.append(str(refused.value))
    assert "locked after 6 failed attempts" in messages[0]
    with pytest.raises(SignInError) as locked:
        audited.sign_in("jo", "battery staple")  # even the right password, once locked
    with pytest.raises(SignInError) as unknown:
        audited.sign_in("nobody-by-this-name", "battery staple")
    # Issue 9: the same words for a wrong password, a locked account and a name that does not exist.
    assert {*messages, str(locked.value), str(unknown.value)} == {messages[0]}
    actions = [a for a, _ in _actions(audited)]
    assert actions.count(AuditAction.SIGN_IN_FAILED) == 8
    assert AuditAction.ACCOUNT_LOCKED in actions
    assert audited.current_user == "admin"


def test_passphrase_sign_in_is_audited(audited: Services) -> None:
    audited.record_passphrase_sign_in(ok=True)
    audited.record_passphrase_sign_in(ok=False)
    assert [a for a, _ in _actions(audited)] == [AuditAction.SIGN_IN, AuditAction.SIGN_IN_FAILED]


def test_only_managers_and_administrators_read_the_trail(audited: Services) -> None:
    audited.create_account("admin", "correct horse", Role.ADMINISTRATOR)
    audited.sign_in("admin", "correct horse")
    audited.create_account("jo", "battery staple", Role.PRACTITIONER)
    audited.sign_in("jo", "battery staple")
    assert audited.role is Role.PRACTITIONER
    assert not audited.can_read_audit()
    with pytest.raises(AccessError):
        audited.audit_page(0, 10)
    with pytest.raises(AccessError):
        audited.verify_audit()


def test_head_line_names_the_newest_entry(audited: Services, full_record: MonitoringRecord) -> None:
    _saved(audited, full_record)
    newest = _trail(audited)[-1]
    assert audited.audit_head_line() == (
        f"coreform-audit-head seq={newest.seq} sha256={newest.hash}"
    )
    assert audited.audit_count() == newest.seq
