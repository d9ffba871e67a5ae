"""What went wrong with the database file, named for what it is (issue 9).

SQLite and SQLCipher report a read-only folder, a full disk and a wrong key in overlapping words
("unable to open database file", "disk I/O error"), so the words are read together with what the
file system says about the folder. Only "file is not a database" on an encrypted file is a wrong
key. No SQLAlchemy here: the key checks at start-up use it before the storage layer loads.
"""

from __future__ import annotations

import errno
import os
import shutil
from enum import StrEnum
from pathlib import Path

# Below this much free space, an I/O error on writing is taken to be the disk filling up.
_NEARLY_FULL_BYTES = 4 * 1024 * 1024
_NOTHING_LOST = "nothing you typed has been lost"


class StorageFault(StrEnum):
    WRONG_KEY = "wrong_key"
    READ_ONLY = "read_only"
    DISK_FULL = "disk_full"
    MISSING = "missing"
    LOCKED = "locked"
    DAMAGED = "damaged"
    OTHER = "other"


def diagnose(
    error: BaseException, database: Path | None = None, *, encrypted: bool = False
) -> StorageFault:
    """The fault behind `error`, raised while using `database` (when it is a file)."""
    code = getattr(error, "errno", None)
    text = " ".join(str(part) for part in (error, error.__cause__) if part is not None).lower()
    if code == errno.ENOSPC or "disk is full" in text or "no space" in text:
        return StorageFault.DISK_FULL
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in text:
        return StorageFault.READ_ONLY
    if code == errno.ENOENT:
        return StorageFault.MISSING
    if "database is locked" in text or "table is locked" in text or "busy" in text:
        return StorageFault.LOCKED
    if "not a database" in text:
        return StorageFault.WRONG_KEY if encrypted else StorageFault.DAMAGED
    if "malformed" in text:
        return StorageFault.DAMAGED
    if "unable to open" in text or "i/o error" in text:
        return _from_the_folder(database)
    return StorageFault.OTHER


def _from_the_folder(database: Path | None) -> StorageFault:
    """An open or I/O failure: a missing file, a folder that cannot be written, or a full disk."""
    if database is None:
        return StorageFault.OTHER
    if not database.exists():
        return StorageFault.MISSING
    folder = database.parent
    if not os.access(folder, os.W_OK) or not os.access(database, os.W_OK):
        return StorageFault.READ_ONLY
    try:
        if shutil.disk_usage(folder).free < _NEARLY_FULL_BYTES:
            return StorageFault.DISK_FULL
    except OSError:
        return StorageFault.OTHER
    return StorageFault.OTHER


def fault_message(fault: StorageFault, action: str, error: BaseException | None = None) -> str:
    """What happened and what to do, for the window and the command line alike."""
    if fault is StorageFault.WRONG_KEY:
        return (
            f"coreform could not {action}: the key does not open this database. Check the "
            "passphrase or the printed recovery key."
        )
    if fault is StorageFault.READ_ONLY:
        return (
            f"coreform could not {action} because its data folder is read-only. Check that you "
            f"may save files there (ask IT if unsure), then try again — {_NOTHING_LOST}."
        )
    if fault is StorageFault.DISK_FULL:
        return (
            f"coreform could not {action} because the disk is full. Free some space (empty the "
            f"recycle bin, move large files), then try again — {_NOTHING_LOST}."
        )
    if fault is StorageFault.MISSING:
        return (
            f"coreform could not {action} because its database file is missing. Check that the "
            "data folder (or the network drive holding it) is there, or restore a backup."
        )
    if fault is StorageFault.LOCKED:
        return (
            f"coreform could not {action} because another coreform window or program is using "
            f"the database. Wait a moment and try again — {_NOTHING_LOST}."
        )
    if fault is StorageFault.DAMAGED:
        return (
            f"coreform could not {action}: its database file is damaged. Ask IT to restore it "
            "from a backup (`coreform restore`)."
        )
    kind = f" ({type(error).__name__})" if error is not None else ""
    return (
        f"coreform could not {action}{kind}. Try again; if it keeps happening, ask IT for help "
        f"— {_NOTHING_LOST}."
    )
