"""What `coreform backup`, `coreform restore FILE` and `coreform verify` do, for the command line.

Each returns an exit status and prints one message a person can act on; errors never show a
traceback. The database is found in the user data folder unless `--database` names another.
"""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from pathlib import Path

from sqlalchemy import Engine, inspect
from sqlalchemy.orm import Session

from coreform.audit import AuditAction, AuditHead, export_head, head_of, parse_head
from coreform.backup import (
    BackupError,
    backup_database,
    check_database,
    restore_database,
)
from coreform.limits import DEFAULT_BACKUPS_KEEP
from coreform.safe_files import write_atomically
from coreform.storage.audit_log import append_audit, audit_entries, verify_all
from coreform.storage.engine import create_engine_for
from coreform.storage.key_store import remembered_key
from coreform.storage.keys import (
    DatabaseKey,
    DatabaseKeyError,
    database_url,
    key_file_path,
    unlock_with_passphrase,
    unlock_with_recovery_key,
)

_PLAIN_HEADER = b"SQLite format 3\x00"


def default_database() -> Path:
    from coreform.settings import DATABASE_FILE, data_dir

    return data_dir() / DATABASE_FILE


def default_backup_folder(database: Path) -> Path:
    return database.parent / "backups"


def run_backup(database: Path, folder: Path | None, keep: int | None = None) -> int:
    try:
        key = _key_for(database)
        now = dt.datetime.now(dt.UTC)
        made = backup_database(
            database,
            key,
            folder or default_backup_folder(database),
            at=now,
            keep=DEFAULT_BACKUPS_KEEP if keep is None else keep,
        )
        _audit(database, key, AuditAction.BACKED_UP, made.name, now)
    except (BackupError, DatabaseKeyError) as error:
        print(f"coreform: {error}", file=sys.stderr)
        return 1
    print(f"Backed up to {made} (checked: integrity, foreign keys, encryption).")
    return 0


def run_restore(database: Path, backup: Path) -> int:
    try:
        key = _key_for(backup if not database.exists() else database)
        now = dt.datetime.now(dt.UTC)
        safety = restore_database(backup, database, key, at=now)
        _audit(database, key, AuditAction.RESTORED, backup.name, now)
    except (BackupError, DatabaseKeyError) as error:
        print(f"coreform: {error}", file=sys.stderr)
        return 1
    kept = f" The database as it was is kept at {safety}." if safety else ""
    print(f"Restored {backup.name} and checked it.{kept}")
    return 0


def run_verify(
    database: Path, head_text: str | None, export_to: Path | None, *, upgrade: bool = False
) -> int:
    """Checks the file, then the audit chain (against an exported head when one is given).

    A database with an older schema is upgraded first only when asked (`upgrade`): verify
    otherwise changes nothing."""
    try:
        key = _key_for(database)
        head = _head(head_text) if head_text else None
        checks = check_database(database, key)
    except (BackupError, DatabaseKeyError, ValueError) as error:
        print(f"coreform: {error}", file=sys.stderr)
        return 1
    print(checks.message)
    engine = create_engine_for(_url(database, key))
    try:
        if not inspect(engine).has_table("audit_log"):
            print("coreform: this database has no audit trail yet; open it in coreform once.")
            return 1
        stale = _schema_problem(engine, upgrade=upgrade)
        if stale is not None:
            print(f"coreform: {stale}", file=sys.stderr)
            return 1
        with Session(engine) as session:
            result = verify_all(session, head=head)
            newest = head_of(audit_entries(session)) if result.ok else None
    finally:
        engine.dispose()
    print(result.message)
    for limit in result.limits:
        print(f"Not proven: {limit}")
    if newest is not None:
        line = export_head(newest)
        print(line)
        if export_to is not None:
            write_atomically(export_to, (line + "\n").encode("utf-8"))
            print(f"The newest audit hash is written to {export_to}; keep it somewhere else.")
    return 0 if checks.ok and result.ok else 1


def _schema_problem(engine: Engine, *, upgrade: bool) -> str | None:
    """Why verify cannot read this database's tables as they are, if it cannot; with `upgrade`,
    an older database is first migrated, as opening it in coreform would."""
    from coreform.storage.migrations import database_revisions, migrate, script_heads

    found, wanted = database_revisions(engine), script_heads()
    if found == wanted:
        return None
    had, newest = max(found, default="none"), max(wanted)  # revisions are numbered 0001, 0002…
    if had != "none" and had > newest:
        return (
            f"this database was made by a newer coreform (schema {had}; this one knows up to "
            f"{newest}). Verify it with the newer coreform."
        )
    if not upgrade:
        return (
            f"this database was last opened by an older coreform (schema {had}; this one reads "
            f"{newest}). Back it up (coreform backup), then run verify again with --upgrade, "
            "which brings it up to date as opening it in coreform does."
        )
    migrate(engine)
    print(f"Upgraded the database from schema {had} to {newest}.")
    return None


def run_add_account(database: Path, user_name: str, role: str, display_name: str) -> int:
    """Adds an account; once one exists, an administrator signs in first (issue 5: roles)."""
    from coreform.records import Role
    from coreform.services import CoreformError, Services

    try:
        key = _key_for(database)
    except (BackupError, DatabaseKeyError) as error:
        print(f"coreform: {error}", file=sys.stderr)
        return 1
    try:
        services = Services.open(_url(database, key))
    except CoreformError as error:
        print(f"coreform: {error}", file=sys.stderr)
        return 1
    try:
        if services.has_accounts():
            services.sign_in(_ask("Administrator's user name: "), _ask("Their password: "))
        password = _ask(f"New password for {user_name}: ")
        if _ask("The same again: ") != password:
            print("coreform: the two passwords differ; nothing was added.", file=sys.stderr)
            return 1
        made = services.create_account(user_name, password, Role(role), display_name=display_name)
    except CoreformError as error:
        print(f"coreform: {error}", file=sys.stderr)
        return 1
    finally:
        services.close()
    print(f"Added {made.user_name} ({made.role.value.replace('_', ' ')}).")
    return 0


def _head(text: str) -> AuditHead:
    path = Path(text)
    return parse_head(path.read_text("utf-8") if path.is_file() else text)


def _key_for(database: Path) -> DatabaseKey | None:
    """None for a plain SQLite file; otherwise the remembered key, else the user is asked."""
    if not database.is_file():
        raise BackupError(f"There is no database at {database}.")
    with database.open("rb") as stream:
        if stream.read(len(_PLAIN_HEADER)) == _PLAIN_HEADER:
            return None
    remembered = remembered_key(database)
    if remembered is not None:
        return remembered
    if key_file_path(database).is_file():
        return unlock_with_passphrase(database, _ask("Passphrase: "))
    return unlock_with_recovery_key(database, _ask("Recovery key: "))


def _ask(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt)
    return sys.stdin.readline().rstrip("\r\n")


def _url(database: Path, key: DatabaseKey | None) -> str:
    return f"sqlite:///{database.resolve()}" if key is None else database_url(database, key)


def _audit(
    database: Path, key: DatabaseKey | None, action: AuditAction, reference: str, at: dt.datetime
) -> None:
    engine = create_engine_for(_url(database, key))
    try:
        if not inspect(engine).has_table("audit_log"):
            return  # not yet opened by this version of coreform: its first start creates the trail
        with Session(engine) as session, session.begin():
            append_audit(
                session, at=at, user=getpass.getuser(), action=action, record_reference=reference
            )
    finally:
        engine.dispose()
