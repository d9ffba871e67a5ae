"""Backups and restores of the encrypted database, checked, rotated, never readable."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlcipher3

from coreform.backup import (
    BackupError,
    backup_database,
    backup_due,
    check_database,
    list_backups,
    restore_database,
    rotate_backups,
)
from coreform.records import Child, Family, KeyWorker
from coreform.services import Services
from coreform.storage.keys import DatabaseKey, create_database, database_url

AT = dt.datetime(2025, 3, 4, 17, 30, tzinfo=dt.UTC)
MARKER = "ZZBACKUPMARKERFAMILY"


@pytest.fixture(scope="module")
def encrypted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DatabaseKey]:
    """One encrypted database holding a family, made once (key derivation is slow on purpose)."""
    database = tmp_path_factory.mktemp("enc") / "coreform.db"
    key = create_database(database, "otter lantern velvet").key
    services = Services.open(database_url(database, key), clock=lambda: AT)
    try:
        services.save_family(
            Family(
                name=MARKER,
                children=[Child(name="ZZBACKUPCHILD", date_of_birth=dt.date(2020, 1, 2))],
                key_worker=KeyWorker(name="Kay", email="kay@example.org"),
            )
        )
    finally:
        services.close()
    return database, key


def _family_names(database: Path, key: DatabaseKey) -> list[str]:
    services = Services.open(database_url(database, key), clock=lambda: AT)
    try:
        return [f.name for f in services.find_families()]
    finally:
        services.close()


def test_a_backup_is_encrypted_checked_and_complete(
    encrypted: tuple[Path, DatabaseKey], tmp_path: Path
) -> None:
    database, key = encrypted
    backup = backup_database(database, key, tmp_path / "backups", at=AT)
    data = backup.read_bytes()
    assert data[:16] != b"SQLite format 3\x00"
    assert MARKER.encode() not in data and b"ZZBACKUPCHILD" not in data
    assert sorted(p.name for p in backup.parent.iterdir()) == [backup.name]  # no -wal, no .partial
    assert check_database(backup, key).ok
    with pytest.raises(sqlcipher3.DatabaseError):
        sqlcipher3.connect(str(backup)).execute("SELECT * FROM sqlite_master").fetchall()


def test_rotation_keeps_the_newest(encrypted: tuple[Path, DatabaseKey], tmp_path: Path) -> None:
    database, key = encrypted
    folder = tmp_path / "backups"
    made = [
        backup_database(database, key, folder, at=AT + dt.timedelta(hours=i), keep=2)
        for i in range(3)
    ]
    assert list_backups(folder) == [made[2], made[1]]
    assert rotate_backups(folder, 1) == [made[1]]
    with pytest.raises(BackupError, match="at least one"):
        backup_database(database, key, folder, at=AT, keep=0)


def test_a_backup_is_due_daily(encrypted: tuple[Path, DatabaseKey], tmp_path: Path) -> None:
    database, key = encrypted
    folder = tmp_path / "backups"
    assert backup_due(folder, AT)
    backup_database(database, key, folder, at=AT)
    assert not backup_due(folder, AT + dt.timedelta(hours=23))
    assert backup_due(folder, AT + dt.timedelta(hours=24))


def test_restore_brings_back_the_backup_and_keeps_a_safety_copy(
    encrypted: tuple[Path, DatabaseKey], tmp_path: Path
) -> None:
    source, key = encrypted
    database = tmp_path / "live" / "coreform.db"
    database.parent.mkdir()
    # Work on a copy, so the shared fixture stays as it was.
    restore_database(backup_database(source, key, tmp_path / "b0", at=AT), database, key, at=AT)
    backup = backup_database(database, key, tmp_path / "backups", at=AT)
    services = Services.open(database_url(database, key), clock=lambda: AT)
    try:
        services.save_family(Family(name="Added after the backup"))
    finally:
        services.close()
    safety = restore_database(backup, database, key, at=AT + dt.timedelta(minutes=5))
    assert _family_names(database, key) == [MARKER]
    assert safety is not None and check_database(safety, key).ok
    assert sorted(_family_names_from_copy(safety, key, tmp_path)) == sorted(
        [MARKER, "Added after the backup"]
    )
    assert check_database(database, key).ok


def _family_names_from_copy(backup: Path, key: DatabaseKey, tmp_path: Path) -> list[str]:
    copy = tmp_path / "safety" / "coreform.db"
    copy.parent.mkdir()
    restore_database(backup, copy, key, at=AT)
    return _family_names(copy, key)


def test_a_damaged_backup_is_refused_and_the_database_left_alone(
    encrypted: tuple[Path, DatabaseKey], tmp_path: Path
) -> None:
    database, key = encrypted
    backup = backup_database(database, key, tmp_path / "backups", at=AT)
    data = bytearray(backup.read_bytes())
    data[5000:5016] = bytes(16)  # inside page 2: its HMAC no longer matches
    backup.write_bytes(bytes(data))
    before = database.read_bytes()
    result = check_database(backup, key)
    assert not result.ok
    with pytest.raises(BackupError, match="cannot be restored"):
        restore_database(backup, database, key, at=AT)
    assert database.read_bytes() == before


def test_a_backup_under_another_key_is_refused(
    encrypted: tuple[Path, DatabaseKey], tmp_path: Path
) -> None:
    database, key = encrypted
    backup = backup_database(database, key, tmp_path / "backups", at=AT)
    other = DatabaseKey("A" * 48)
    result = check_database(backup, other)
    assert not result.ok and "the key does not open this database" in result.message
    with pytest.raises(BackupError):
        backup_database(database, other, tmp_path / "b2", at=AT)
    assert list_backups(tmp_path / "b2") == []


def test_checks_find_a_broken_foreign_key(tmp_path: Path) -> None:
    plain = tmp_path / "plain.db"
    connection = sqlcipher3.connect(str(plain))
    connection.executescript(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
        "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id REFERENCES parent(id));"
        "INSERT INTO child VALUES (1, 42);"
    )
    connection.commit()
    connection.close()
    result = check_database(plain, None)
    assert not result.ok
    assert "row 1 of child points to a missing parent row" in result.message
