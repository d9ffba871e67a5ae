"""Backups through SQLite's online backup API, encrypted with the database's own key, rotated.

The backup API copies a consistent snapshot while the app may still be writing, and SQLCipher
encrypts every page it writes to the target, so a backup file is as unreadable as the database.
Every backup and every restore is checked with `integrity_check`, `foreign_key_check` and, when
encrypted, `cipher_integrity_check`; a backup that fails a check is never kept and never restored.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlcipher3

from coreform.limits import DEFAULT_BACKUPS_KEEP
from coreform.safe_files import move_into_place
from coreform.storage.keys import DatabaseKey, apply_key, apply_protection
from coreform.storage_faults import diagnose, fault_message

# Issue 5: back up daily (and on exit).
DAILY = dt.timedelta(days=1)
BACKUP_PREFIX = "coreform-"
BACKUP_SUFFIX = ".backup"
_STAMP = "%Y%m%dT%H%M%S%fZ"
_BACKUP_NAME = re.compile(r"^coreform-(\d{8}T\d{12}Z)\.backup$")
_BEFORE_RESTORE = "before-restore-"


class BackupError(Exception):
    """str(error) is a message for the user saying what to do."""


@dataclass(frozen=True)
class CheckResult:
    ok: bool
    problems: tuple[str, ...]

    @property
    def message(self) -> str:
        if self.ok:
            return "The database passed the integrity, foreign key and encryption checks."
        return "The database failed its checks: " + "; ".join(self.problems)


def check_connection(connection: Any, *, encrypted: bool) -> CheckResult:
    """The three checks issue 5 asks for, on an open connection."""
    problems: list[str] = []
    integrity = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    if integrity != ["ok"]:
        problems.extend(f"integrity: {line}" for line in integrity)
    problems.extend(
        f"foreign key: row {rowid} of {table} points to a missing {parent} row"
        for table, rowid, parent, _ in connection.execute("PRAGMA foreign_key_check")
    )
    if encrypted:
        problems.extend(
            f"encryption: {row[0]}" for row in connection.execute("PRAGMA cipher_integrity_check")
        )
    return CheckResult(not problems, tuple(problems))


def check_database(database: Path, key: DatabaseKey | None) -> CheckResult:
    """`coreform verify` and the checks after backup and restore; opens the file read-only."""
    if not database.is_file():
        raise BackupError(f"There is no database at {database}.")
    connection = _open(database, key, mode="ro")
    try:
        return _checked(connection, key, database)
    finally:
        connection.close()


def backup_database(
    database: Path,
    key: DatabaseKey | None,
    folder: Path,
    *,
    at: dt.datetime,
    keep: int = DEFAULT_BACKUPS_KEEP,
) -> Path:
    """Writes a checked backup into `folder`, then deletes all but the newest `keep` backups."""
    if keep < 1:
        raise BackupError("Keep at least one backup.")
    if not database.is_file():
        raise BackupError(f"There is no database at {database} to back up.")
    folder.mkdir(parents=True, exist_ok=True)
    final = folder / f"{BACKUP_PREFIX}{at.astimezone(dt.UTC).strftime(_STAMP)}{BACKUP_SUFFIX}"
    partial = final.with_name(final.name + ".partial")
    _copy(database, key, partial)
    try:
        result = check_database(partial, key)
        if not result.ok:
            raise BackupError(
                f"The new backup failed its checks and was not kept. {result.message}"
            )
        move_into_place(partial, final)
    finally:
        partial.unlink(missing_ok=True)
    rotate_backups(folder, keep)
    return final


def list_backups(folder: Path) -> list[Path]:
    """Rotated backups, newest first (the name holds the UTC time, so name order is time order)."""
    if not folder.is_dir():
        return []
    found = [p for p in folder.iterdir() if _BACKUP_NAME.match(p.name)]
    return sorted(found, key=lambda p: p.name, reverse=True)


def rotate_backups(folder: Path, keep: int) -> list[Path]:
    removed = list_backups(folder)[keep:]
    for path in removed:
        path.unlink()
    return removed


def backup_due(folder: Path, now: dt.datetime) -> bool:
    """True when no backup was made in the last day (issue 5: daily)."""
    newest = next(iter(list_backups(folder)), None)
    if newest is None:
        return True
    match = _BACKUP_NAME.match(newest.name)
    assert match is not None  # list_backups only returns matching names
    made = dt.datetime.strptime(match.group(1), _STAMP).replace(tzinfo=dt.UTC)
    return now - made >= DAILY


def restore_database(
    backup: Path, database: Path, key: DatabaseKey | None, *, at: dt.datetime
) -> Path | None:
    """Replaces the database's content with a checked backup; returns the safety copy made first.

    The current database is copied aside first (never rotated away), and the restore goes
    through the backup API into the live file, so its WAL is handled by SQLite, not by us.
    """
    if not backup.is_file():
        raise BackupError(f"There is no backup at {backup}.")
    before = check_database(backup, key)
    if not before.ok:
        raise BackupError(f"{backup.name} cannot be restored. {before.message}")
    safety: Path | None = None
    if database.is_file():
        stamp = at.astimezone(dt.UTC).strftime(_STAMP)
        safety = database.with_name(f"{BACKUP_PREFIX}{_BEFORE_RESTORE}{stamp}{BACKUP_SUFFIX}")
        _copy(database, key, safety)
    source = _open(backup, key, mode="ro")
    try:
        target = _open(database, key, mode="rwc")
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = WAL")
            after = _checked(target, key, database)
        finally:
            target.close()
    finally:
        source.close()
    if not after.ok:
        raise BackupError(
            f"The restored database failed its checks; the previous one is kept at {safety}. "
            f"{after.message}"
        )
    return safety


def _copy(database: Path, key: DatabaseKey | None, target_path: Path) -> None:
    source = _open(database, key, mode="ro")
    try:
        target = _open(target_path, key, mode="rwc")
        try:
            source.backup(target)
            # A backup is one self-contained file: no -wal or -shm beside it.
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
    except sqlcipher3.DatabaseError as error:
        target_path.unlink(missing_ok=True)
        fault = diagnose(error, target_path, encrypted=key is not None)
        raise BackupError(fault_message(fault, f"copy {database.name}", error)) from error
    finally:
        source.close()


def _checked(connection: Any, key: DatabaseKey | None, path: Path) -> CheckResult:
    try:
        return check_connection(connection, encrypted=key is not None)
    except sqlcipher3.DatabaseError as error:
        fault = diagnose(error, path, encrypted=key is not None)
        return CheckResult(False, (fault_message(fault, f"read {path.name}", error),))


def _open(path: Path, key: DatabaseKey | None, *, mode: str) -> Any:
    try:
        connection = sqlcipher3.connect(
            f"file:{quote(str(path.resolve()))}?mode={mode}", uri=True, isolation_level=None
        )
    except sqlcipher3.Error as error:
        fault = diagnose(error, path, encrypted=key is not None)
        raise BackupError(fault_message(fault, f"open {path}", error)) from error
    cursor = connection.cursor()
    if key is not None:
        apply_key(cursor, key)
        apply_protection(cursor)
    cursor.close()
    return connection
