"""The audit trail covers the records and cannot be recomputed from the database alone (issue 9).

An edit made straight in the database to a submitted version is named by `coreform verify`; a
chain recomputed by someone without the audit key (kept outside the database) is detected; and
verify says what it could not prove.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from coreform.audit import AuditAction, RecordFingerprint, compute_hash, parse_utc
from coreform.cli import main
from coreform.records import MonitoringRecord, new_id
from coreform.services import Services
from coreform.storage.audit_keys import AUDIT_KEY_DIR_ENV
from coreform.storage.engine import create_engine_for

Clock = Callable[[], dt.datetime]


@pytest.fixture
def database(tmp_path: Path, clock: Clock, full_record: MonitoringRecord) -> Path:
    """Two submitted records and a draft, in a plain SQLite file."""
    path = tmp_path / "coreform.db"
    services = Services.open(f"sqlite:///{path}", clock=clock)
    try:
        for family in ("Chowdhury", "Wiśniewska"):
            record = copy.deepcopy(full_record)
            record.id = new_id()
            record.family_name = family
            for observation in record.children:
                observation.child.id = new_id()
            services.submit_record(services.save_draft(record))
        services.save_draft(services.new_record())
    finally:
        services.close()
    return path


def _sql(path: Path, statement: str, **values: object) -> None:
    engine = create_engine_for(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            connection.execute(text(statement), values)
    finally:
        engine.dispose()


def _verify(path: Path, clock: Clock) -> tuple[bool, str, tuple[str, ...]]:
    services = Services.open(f"sqlite:///{path}", clock=clock)
    try:
        result = services.verify_audit()
    finally:
        services.close()
    return result.ok, result.message, result.limits


def test_an_intact_trail_and_records_verify(database: Path, clock: Clock) -> None:
    ok, message, limits = _verify(database, clock)
    assert ok, message
    assert "All 2 submitted record versions match" in message
    assert not any("predate" in limit for limit in limits)


def test_a_submitted_record_edited_in_the_database_is_named(
    database: Path, clock: Clock, capsys: pytest.CaptureFixture[str]
) -> None:
    _sql(
        database,
        "UPDATE records SET observations = 'Nothing of concern.' WHERE family_name = 'Chowdhury'",
    )
    ok, message, _limits = _verify(database, clock)
    assert not ok
    assert "1 submitted record versions differ" in message and "-00001 v1" in message
    assert main(["verify", "--database", str(database)]) == 1
    assert "-00001 v1" in capsys.readouterr().out


def _recompute_from(path: Path, seq: int, *, keep_key_id: bool) -> None:
    """What someone holding only the database can do: change an entry, recompute the rest."""
    engine = create_engine_for(f"sqlite:///{path}")
    try:
        with engine.begin() as connection:
            rows = connection.execute(text("SELECT * FROM audit_log ORDER BY seq")).mappings()
            previous = None
            for row in list(rows):
                if row["seq"] < seq:
                    previous = row["hash"]
                    continue
                user = "someone else" if row["seq"] == seq else row["user"]
                record = (
                    RecordFingerprint(row["record_id"], row["record_version"], row["content_hash"])
                    if row["content_hash"]
                    else None
                )
                digest = compute_hash(
                    seq=row["seq"],
                    at_utc=parse_utc(row["at_utc"]),
                    user=user,
                    action=AuditAction(row["action"]),
                    record_reference=row["record_reference"],
                    prev_hash=previous or "",
                    key=None,  # the audit key is not in the database
                    record=record if keep_key_id else None,
                )
                connection.execute(
                    text(
                        "UPDATE audit_log SET user = :user, prev_hash = :prev, hash = :hash, "
                        "key_id = :key_id WHERE seq = :seq"
                    ),
                    {
                        "user": user,
                        "prev": previous or "",
                        "hash": digest,
                        "key_id": row["key_id"] if keep_key_id else "",
                        "seq": row["seq"],
                    },
                )
                previous = digest
    finally:
        engine.dispose()


@pytest.mark.parametrize("keep_key_id", [True, False])
def test_a_chain_recomputed_without_the_audit_key_is_detected(
    database: Path, clock: Clock, keep_key_id: bool
) -> None:
    _recompute_from(database, 2, keep_key_id=keep_key_id)
    ok, message, _limits = _verify(database, clock)
    assert not ok
    assert "Audit entry 2" in message


def test_verify_says_what_it_cannot_prove_without_the_key(
    database: Path, clock: Clock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(AUDIT_KEY_DIR_ENV, str(tmp_path / "another-computer"))
    ok, _message, limits = _verify(database, clock)
    assert ok
    assert any("which this computer does not hold" in limit for limit in limits)
    assert any("--head" in limit for limit in limits)
