"""The database key kept in the OS keyring ("Remember on this computer"), protected by the OS login.

The keyring keeps the raw key (`keys.raw_key`), not the recovery key: a start then opens the
database without the 256,000-round derivation (issue 15); the entry opens this file and its
backups (they keep its salt) but cannot set a new passphrase as the recovery key can.
"""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

import keyring
import keyring.errors

from coreform.storage.keys import (
    DatabaseKey,
    DatabaseKeyError,
    DatabaseUnavailableError,
    check_opens,
    is_raw,
    raw_key,
)

_log = logging.getLogger(__name__)

KEYRING_SERVICE = "coreform-database"

# Plain words for the user; what the keyring said (package names) goes to the log only.
NO_PASSWORD_STORE = (
    "This computer has no password store that coreform can use, so it cannot remember your "  # noqa: S105  # words, not a password
    "passphrase: type the passphrase each time you open coreform."
)


def password_store_usable() -> bool:
    """False when the keyring found no password store (its fallback refuses every request)."""
    from keyring.backends import fail

    return not isinstance(keyring.get_keyring(), fail.Keyring)


def remember_key(database: Path, key: DatabaseKey) -> None:
    """ "Remember on this computer": the raw key goes into the OS keyring."""
    try:
        keyring.set_password(
            KEYRING_SERVICE, str(database.resolve()), raw_key(database, key).secret
        )
    except keyring.errors.KeyringError as error:
        _log.warning("The password store refused the key: %s", type(error).__name__)
        raise DatabaseKeyError(NO_PASSWORD_STORE) from error


def remembered_key(database: Path) -> DatabaseKey | None:
    """The key kept by `remember_key`, if it still opens this database."""
    try:
        secret = keyring.get_password(KEYRING_SERVICE, str(database.resolve()))
    except keyring.errors.KeyringError:
        return None
    if secret is None or not database.exists():
        return None
    key = DatabaseKey(secret)
    try:
        check_opens(database, key, DatabaseKeyError)
    except DatabaseUnavailableError:
        raise  # the folder or disk, not the key: asking for the passphrase would not help
    except DatabaseKeyError:
        return None
    if not is_raw(key):  # remembered by an earlier version: the raw key from now on
        with contextlib.suppress(DatabaseKeyError):  # else derived again next start, as before
            remember_key(database, key)
    return raw_key(database, key)


def forget_key(database: Path) -> None:
    try:
        keyring.delete_password(KEYRING_SERVICE, str(database.resolve()))
    except keyring.errors.PasswordDeleteError:
        return
