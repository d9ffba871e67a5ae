"""The encrypted database: keys, recovery key, wrong passphrases, nothing readable on disk."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from coreform.backup import check_database
from coreform.records import Child, ChildObservation, Family, KeyWorker
from coreform.services import Services
from coreform.storage.engine import create_engine_for
from coreform.storage.key_store import forget_key, remember_key, remembered_key
from coreform.storage.keys import (
    KDF_ITER,
    DatabaseKeyError,
    WrongPassphraseError,
    WrongRecoveryKeyError,
    change_passphrase,
    connect,
    create_database,
    database_url,
    key_file_path,
    unlock_with_passphrase,
    unlock_with_recovery_key,
)
from tests.conftest import MemoryKeyring

PASSPHRASE = "otter lantern velvet"
MARKERS = ("ZZMARKERCHILDNAME", "ZZMARKERBRUISEOBSERVATION", "ZZMARKERFAMILY")
NOW = dt.datetime(2025, 3, 4, 10, 0, tzinfo=dt.UTC)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def database(tmp_path: Path) -> Path:
    return tmp_path / "data" / "coreform.db"


def test_first_run_makes_an_encrypted_database_with_the_kdf_set(database: Path) -> None:
    new = create_database(database, PASSPHRASE)
    assert database.read_bytes()[:16] != b"SQLite format 3\x00"
    assert key_file_path(database).is_file()
    assert len(new.recovery_key.split("-")) == 12
    connection = connect(database, new.key)
    try:
        assert connection.execute("PRAGMA kdf_iter").fetchone()[0] == str(KDF_ITER)
        assert connection.execute("PRAGMA cipher_memory_security").fetchone()[0] == "1"
        assert connection.execute("PRAGMA temp_store").fetchone()[0] == 2  # MEMORY
        assert connection.execute("PRAGMA secure_delete").fetchone()[0] == 1
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        connection.close()
    assert "secret" not in repr(new.key)


def test_passphrase_and_recovery_key_both_open_it(database: Path) -> None:
    new = create_database(database, PASSPHRASE)
    assert unlock_with_passphrase(database, PASSPHRASE) == new.key
    typed = new.recovery_key.lower().replace("-", " ").replace("o", "0")
    assert unlock_with_recovery_key(database, typed) == new.key


def test_a_wrong_passphrase_is_refused_and_nothing_is_written(database: Path) -> None:
    create_database(database, PASSPHRASE)
    before = _snapshot(database.parent)
    with pytest.raises(WrongPassphraseError, match="does not open this database"):
        unlock_with_passphrase(database, "otter lantern velvel")
    with pytest.raises(WrongRecoveryKeyError):
        unlock_with_recovery_key(database, "AAAA-" * 11 + "AAAA")
    with pytest.raises(WrongRecoveryKeyError, match="12 groups"):
        unlock_with_recovery_key(database, "not a key")
    assert _snapshot(database.parent) == before


def test_first_run_overwrites_nothing(database: Path, tmp_path: Path) -> None:
    create_database(database, PASSPHRASE)
    before = _snapshot(database.parent)
    with pytest.raises(DatabaseKeyError, match="will not overwrite"):
        create_database(database, "another passphrase here")
    assert _snapshot(database.parent) == before
    with pytest.raises(DatabaseKeyError, match="at least 12"):
        create_database(tmp_path / "other.db", "short")
    assert not (tmp_path / "other.db").exists()


def test_a_missing_database_is_not_created_by_unlocking(database: Path) -> None:
    with pytest.raises(DatabaseKeyError, match="no database"):
        unlock_with_passphrase(database, PASSPHRASE)
    assert not database.parent.exists() or not any(database.parent.iterdir())


def test_lost_key_file_then_recovery_key_and_a_new_passphrase(database: Path) -> None:
    new = create_database(database, PASSPHRASE)
    key_file_path(database).unlink()
    with pytest.raises(DatabaseKeyError, match="recovery key"):
        unlock_with_passphrase(database, PASSPHRASE)
    key = unlock_with_recovery_key(database, new.recovery_key)
    change_passphrase(database, key, "a brand new passphrase")
    assert unlock_with_passphrase(database, "a brand new passphrase") == new.key
    with pytest.raises(WrongPassphraseError):
        unlock_with_passphrase(database, PASSPHRASE)


def test_a_key_file_from_another_database_is_refused(database: Path, tmp_path: Path) -> None:
    create_database(database, PASSPHRASE)
    other = tmp_path / "other" / "coreform.db"
    create_database(other, PASSPHRASE)
    key_file_path(database).write_bytes(key_file_path(other).read_bytes())
    with pytest.raises(WrongPassphraseError, match="does not belong"):
        unlock_with_passphrase(database, PASSPHRASE)


def test_remember_on_this_computer(database: Path, memory_keyring: MemoryKeyring) -> None:
    new = create_database(database, PASSPHRASE)
    assert remembered_key(database) is None
    remember_key(database, new.key)
    remembered = remembered_key(database)
    assert remembered is not None
    assert database_url(database, remembered) == database_url(database, new.key)
    # The keyring keeps the raw key: no derivation at start, and no recovery key to read there.
    [kept] = memory_keyring.saved.values()
    assert kept == remembered.secret != new.key.secret
    with pytest.raises(DatabaseKeyError, match="recovery key"):
        change_passphrase(database, remembered, "a new passphrase here")
    # An earlier version kept the recovery key: it still opens, and is replaced by the raw key.
    memory_keyring.set_password("coreform-database", str(database.resolve()), new.key.secret)
    assert remembered_key(database) == remembered
    assert list(memory_keyring.saved.values()) == [remembered.secret]
    forget_key(database)
    assert remembered_key(database) is None
    memory_keyring.set_password("coreform-database", str(database.resolve()), "WRONG")
    assert remembered_key(database) is None  # a stale entry is ignored, not trusted


def test_marker_strings_appear_in_no_file_the_app_wrote(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    # SQLite would put spilled temp tables here; temp_store=MEMORY must keep it empty of data.
    monkeypatch.setenv("SQLITE_TMPDIR", str(temp))
    monkeypatch.setenv("TMPDIR", str(temp))
    new = create_database(database, PASSPHRASE)
    services = Services.open(database_url(database, new.key), clock=lambda: NOW)
    try:
        family = services.save_family(
            Family(
                name=MARKERS[2],
                children=[Child(name=MARKERS[0], date_of_birth=dt.date(2019, 5, 1))],
                key_worker=KeyWorker(name="Kay Worker", email="kay@example.org"),
            )
        )
        record = services.new_record(family.id)
        record.observations = MARKERS[1] * 50
        record.children = record.children or [ChildObservation(child=family.children[0])]
        for _ in range(20):
            record = services.save_draft(record)
        # Read back through the app, so the test is not passing because nothing was stored.
        stored = services.get_record(record.id)
        assert MARKERS[1] in stored.observations
        assert MARKERS[0] in [c.child.name for c in stored.children]
        wal = database.with_name(database.name + "-wal")
        assert wal.exists() and wal.stat().st_size > 0  # the check below covers a live WAL
        written = [p for p in tmp_path.rglob("*") if p.is_file()]
        for path in written:
            data = path.read_bytes()
            for marker in MARKERS:
                assert marker.encode() not in data, (marker, path)
                assert marker.encode("utf-16-le") not in data, (marker, path)
    finally:
        services.close()
    assert database.read_bytes()[:16] != b"SQLite format 3\x00"
    assert sorted(os.listdir(temp)) == []


def test_the_app_engine_keys_and_protects_every_connection(database: Path) -> None:
    key = create_database(database, PASSPHRASE).key
    engine = create_engine_for(database_url(database, key))
    try:
        with engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA kdf_iter").scalar() == str(KDF_ITER)
            assert pragma("PRAGMA cipher_memory_security").scalar() == "1"
            assert pragma("PRAGMA temp_store").scalar() == 2
            assert pragma("PRAGMA secure_delete").scalar() == 1
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA synchronous").scalar() == 2
    finally:
        engine.dispose()


def test_connections_use_the_derived_key_and_backups_still_open_with_the_recovery_key(
    tmp_path: Path,
) -> None:
    database = tmp_path / "coreform.db"
    made = create_database(database, PASSPHRASE)
    url = database_url(database, made.key)
    assert made.key.secret not in url  # the raw key derived once, not the secret to derive
    services = Services.open(url)
    try:
        services.save_family(Family(name="Nowak", children=[Child(name="Zofia Nowak")]))
        backup = services.backup(tmp_path / "backups")
    finally:
        services.close()
    assert database.read_bytes()[:16] == backup.read_bytes()[:16]  # one salt, so one key
    assert check_database(backup, made.key).ok  # the recovery key derives it again
