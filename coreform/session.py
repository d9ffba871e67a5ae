"""Opening the app's own database: first run, unlocking, the recovery key and the OS keyring.

The window calls these (it may not reach `coreform.storage`); they return an `OpenedDatabase`
whose URL `Services.open` takes. A wrong passphrase or recovery key reads the key file and the
database read-only, so nothing is created or overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from coreform.errors import CoreformError
from coreform.limits import MIN_PASSPHRASE_LENGTH
from coreform.settings import DATABASE_FILE
from coreform.storage import key_store, keys

BACKUP_FOLDER = "backups"
_PLAIN_HEADER = b"SQLite format 3\x00"


class UnlockError(CoreformError):
    """The database stays closed; the message says what to do."""


class WrongSecretError(UnlockError):
    """A wrong passphrase or recovery key: refused, nothing written."""


@dataclass(frozen=True)
class OpenedDatabase:
    """A database the user has unlocked; repr hides the key so it never reaches a log."""

    path: Path
    _key: keys.DatabaseKey | None = field(repr=False)
    # Shown once, at first run, for the user to write down; empty otherwise.
    recovery_key: str = field(default="", repr=False)

    @cached_property  # the key is derived once per start
    def url(self) -> str:
        if self._key is None:
            return f"sqlite:///{self.path.resolve()}"
        return keys.database_url(self.path, self._key)

    @property
    def encrypted(self) -> bool:
        return self._key is not None

    @property
    def backup_folder(self) -> Path:
        return self.path.parent / BACKUP_FOLDER

    def remember(self) -> None:
        """ "Remember on this computer": the key goes into the OS keyring (the user's OS login)."""
        if self._key is None:
            return
        try:
            key_store.remember_key(self.path, self._key)
        except keys.DatabaseKeyError as error:
            raise UnlockError(str(error)) from error

    def forget(self) -> None:
        key_store.forget_key(self.path)

    def check_passphrase(self, passphrase: str) -> None:
        """Returning to a locked window: the passphrase must still open this database."""
        unlock(self.path.parent, passphrase)

    def set_passphrase(self, passphrase: str) -> None:
        """After opening with the recovery key: a new passphrase; the data is not re-encrypted."""
        if self._key is None:
            return
        try:
            keys.change_passphrase(self.path, self._key, passphrase)
        except keys.DatabaseKeyError as error:
            raise UnlockError(str(error)) from error


def database_path(folder: Path) -> Path:
    return folder / DATABASE_FILE


def database_exists(folder: Path) -> bool:
    return database_path(folder).is_file()


def is_encrypted(folder: Path) -> bool:
    with database_path(folder).open("rb") as stream:
        return stream.read(len(_PLAIN_HEADER)) != _PLAIN_HEADER


NO_PASSWORD_STORE = key_store.NO_PASSWORD_STORE


def can_remember() -> bool:
    """Whether "Remember on this computer" can work here (the OS has a password store)."""
    return key_store.password_store_usable()


def passphrase_hint(passphrase: str) -> str:
    """A plain-words strength hint for the first-run dialog (length matters most, NCSC)."""
    length = len(passphrase)
    if length == 0:
        return "Three or four random words make a strong passphrase that is easy to remember."
    if length < MIN_PASSPHRASE_LENGTH:
        more = MIN_PASSPHRASE_LENGTH - length
        return f"Too short: {more} more character{'s' if more != 1 else ''} needed."
    if len(set(passphrase.lower())) < 6 or (len(passphrase.split()) < 2 and length < 16):
        return "Long enough, but easy to guess: add another unrelated word."
    if length < 20:
        return "Good. Another random word makes it stronger still."
    return "Strong."


def create_encrypted(folder: Path, passphrase: str) -> OpenedDatabase:
    """First run: an empty encrypted database and its key file; never overwrites either."""
    try:
        made = keys.create_database(database_path(folder), passphrase)
    except keys.DatabaseKeyError as error:
        raise UnlockError(str(error)) from error
    except OSError as error:
        raise UnlockError(
            f"coreform could not create its database in {folder} ({error.strerror}). Check "
            "that you may save files there, or ask IT."
        ) from error
    return OpenedDatabase(database_path(folder), made.key, recovery_key=made.recovery_key)


def unlock(folder: Path, passphrase: str) -> OpenedDatabase:
    path = database_path(folder)
    try:
        key = keys.unlock_with_passphrase(path, passphrase)
    except keys.WrongPassphraseError as error:
        raise WrongSecretError(str(error)) from error
    except keys.DatabaseKeyError as error:
        raise UnlockError(str(error)) from error
    return OpenedDatabase(path, key)


def unlock_with_recovery_key(folder: Path, recovery_key: str) -> OpenedDatabase:
    path = database_path(folder)
    try:
        key = keys.unlock_with_recovery_key(path, recovery_key)
    except keys.WrongRecoveryKeyError as error:
        raise WrongSecretError(str(error)) from error
    except keys.DatabaseKeyError as error:
        raise UnlockError(str(error)) from error
    return OpenedDatabase(path, key)


def unlock_remembered(folder: Path) -> OpenedDatabase | None:
    """The key kept by "Remember on this computer", if it still opens this database."""
    path = database_path(folder)
    key = key_store.remembered_key(path)
    return None if key is None else OpenedDatabase(path, key)


def open_unencrypted(folder: Path) -> OpenedDatabase:
    """A database made before encryption was the default; it opens without a key."""
    return OpenedDatabase(database_path(folder), None)
