"""Keys for the encrypted database (SQLCipher): passphrase, printable recovery key, OS keyring.

Design: SQLCipher holds exactly one key per database. That key is a random recovery key (240
bits, printed once as 12 groups of 4 characters), given to SQLCipher as its passphrase so
SQLCipher's own PBKDF2 derivation runs with `kdf_iter` = 256,000. The user's passphrase does not
key the database directly: it unwraps the recovery key from a small key file beside the database
(argon2id -> AES-256-GCM). So either the passphrase or the printed recovery key opens the
database; a lost key file still leaves the recovery key; changing the passphrase rewrites only the
key file and never re-encrypts the database; a stolen laptop needs the passphrase guessed through
argon2id, not only PBKDF2. The OS keyring's copy ("Remember on this computer") is in
`key_store.py`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import sqlcipher3

from coreform.limits import MIN_PASSPHRASE_LENGTH
from coreform.safe_files import write_atomically
from coreform.storage_faults import StorageFault, diagnose, fault_message

# Issue 5: SQLCipher's key derivation with at least 256,000 iterations (the SQLCipher 4 default,
# set explicitly so an older default can never apply).
KDF_ITER = 256_000
KEY_FILE_SUFFIX = ".keys"

_KEY_FILE_FORMAT = "coreform-database-keys"
_KEY_FILE_VERSION = 1
_RECOVERY_BYTES = 30  # 240 bits: 48 base32 characters, 12 groups of 4
_RECOVERY_GROUP = 4
# RFC 9106 §4 second recommended option: argon2id, t=3, 64 MiB, p=4.
_ARGON2_TIME_COST = 3
_ARGON2_MEMORY_KIB = 65_536
_ARGON2_PARALLELISM = 4
_AAD = b"coreform database key v1"
# SQLCipher 4: a 16-byte salt opens the file; raw keys are written x'<key hex><salt hex>'.
_SALT_BYTES = 16
_RAW_KEY_BYTES = 32
_RAW_PREFIX = "x'"


class DatabaseKeyError(Exception):
    """str(error) is a message for the user saying what to do."""


class WrongPassphraseError(DatabaseKeyError):
    pass


class WrongRecoveryKeyError(DatabaseKeyError):
    pass


class DatabaseUnavailableError(DatabaseKeyError):
    """The key may be right, but the file cannot be read: a folder, disk or file problem."""

    def __init__(self, fault: StorageFault, message: str) -> None:
        super().__init__(message)
        self.fault = fault


@dataclass(frozen=True)
class DatabaseKey:
    """The SQLCipher key; repr hides it so it never reaches a log or a traceback."""

    secret: str = field(repr=False)


@dataclass(frozen=True)
class NewDatabase:
    key: DatabaseKey
    recovery_key: str  # formatted for printing; shown once, at first run


def key_file_path(database: Path) -> Path:
    return database.with_name(database.name + KEY_FILE_SUFFIX)


def format_recovery_key(secret: str) -> str:
    return "-".join(secret[i : i + _RECOVERY_GROUP] for i in range(0, len(secret), _RECOVERY_GROUP))


def normalise_recovery_key(typed: str) -> str:
    """Accepts the printed key however it is typed: any case, spaces or dashes, 0/1 for O/I."""
    text = "".join(ch for ch in typed.upper() if ch.isalnum()).replace("0", "O").replace("1", "I")
    try:
        decoded = base64.b32decode(text)
    except ValueError:
        decoded = b""
    if len(decoded) != _RECOVERY_BYTES:
        raise WrongRecoveryKeyError(
            "That is not a coreform recovery key: it has 12 groups of 4 letters and digits "
            "(2 to 7). Check it against the printed sheet."
        )
    return text


def create_database(database: Path, passphrase: str) -> NewDatabase:
    """First run: makes the key file and an empty encrypted database; overwrites nothing."""
    check_passphrase_rules(passphrase)
    key_file = key_file_path(database)
    for existing in (database, key_file):
        if existing.exists():
            raise DatabaseKeyError(
                f"{existing} already exists; coreform will not overwrite it. Open it with its "
                "passphrase or recovery key instead."
            )
    secret = base64.b32encode(secrets.token_bytes(_RECOVERY_BYTES)).decode("ascii")
    key = DatabaseKey(secret)
    database.parent.mkdir(parents=True, exist_ok=True)
    _write_key_file(key_file, key, passphrase, exclusive=True)
    try:
        connection = connect(database, key, create=True)
        try:
            # Writing the first page fixes the cipher settings into the file.
            connection.execute("PRAGMA user_version = 0")
            connection.execute("CREATE TABLE coreform_keyed (id INTEGER PRIMARY KEY)")
            connection.execute("DROP TABLE coreform_keyed")
            connection.commit()
        finally:
            connection.close()
    except BaseException:
        key_file.unlink(missing_ok=True)
        for leftover in (database, *_sidecars(database)):
            leftover.unlink(missing_ok=True)
        raise
    return NewDatabase(key=key, recovery_key=format_recovery_key(secret))


def check_passphrase_rules(passphrase: str) -> None:
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise DatabaseKeyError(
            f"Choose a passphrase of at least {MIN_PASSPHRASE_LENGTH} characters; three random "
            "words work well."
        )


def unlock_with_passphrase(database: Path, passphrase: str) -> DatabaseKey:
    """Reads the key file only; a wrong passphrase writes nothing anywhere."""
    _require_database(database)
    key_file = key_file_path(database)
    if not key_file.exists():
        raise DatabaseKeyError(
            f"The key file {key_file.name} beside the database is missing, so the passphrase "
            "cannot open it. Open it with the printed recovery key, then set a new passphrase."
        )
    stored = _read_key_file(key_file)
    kek = _derive(passphrase, stored)
    # Loaded here, not at start: a start with the key remembered never needs them.
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        secret = AESGCM(kek).decrypt(stored["nonce"], stored["wrapped"], _AAD).decode("ascii")
    except InvalidTag:
        raise WrongPassphraseError(
            "That passphrase does not open this database. Check Caps Lock and try again, or "
            "use the printed recovery key."
        ) from None
    key = DatabaseKey(secret)
    check_opens(database, key, WrongPassphraseError)
    return key


def unlock_with_recovery_key(database: Path, recovery_key: str) -> DatabaseKey:
    _require_database(database)
    key = DatabaseKey(normalise_recovery_key(recovery_key))
    check_opens(database, key, WrongRecoveryKeyError)
    return key


def change_passphrase(database: Path, key: DatabaseKey, new_passphrase: str) -> None:
    """Rewrites the key file (also after opening with the recovery key); the data is untouched."""
    check_passphrase_rules(new_passphrase)
    if is_raw(key):  # the key file wraps the recovery key, which a raw key cannot give back
        raise DatabaseKeyError("Open coreform with the recovery key to set a new passphrase.")
    _require_database(database)
    check_opens(database, key, WrongRecoveryKeyError)
    _write_key_file(key_file_path(database), key, new_passphrase, exclusive=False)


def raw_key(database: Path, key: DatabaseKey) -> DatabaseKey:
    """The key SQLCipher derives from `key` for this file, with the file's salt, as a raw key.

    Derived once per start here instead of by SQLCipher on every connection (256,000 rounds of
    PBKDF2-HMAC-SHA512, SQLCipher 4's algorithm, issue 15). The salt goes with it, so a backup
    made through it gets the same salt and still opens with the recovery key.
    """
    if is_raw(key):
        return key
    with database.open("rb") as file:
        salt = file.read(_SALT_BYTES)
    if len(salt) < _SALT_BYTES:  # not a database yet: let SQLCipher derive and say so
        return key
    return DatabaseKey(_derived(key.secret, salt))


@lru_cache(maxsize=4)  # the start's key check and its connections share one derivation
def _derived(secret: str, salt: bytes) -> str:
    derived = hashlib.pbkdf2_hmac("sha512", secret.encode(), salt, KDF_ITER, _RAW_KEY_BYTES)
    return f"{_RAW_PREFIX}{derived.hex()}{salt.hex()}'"


def is_raw(key: DatabaseKey) -> bool:
    return key.secret.startswith(_RAW_PREFIX)


def database_url(database: Path, key: DatabaseKey) -> str:
    """The SQLAlchemy URL, keyed by the raw key: the dialect sends PRAGMA key per connection.

    Built by SQLAlchemy's own URL type, so it escapes the key as the dialect reads it back; the
    first thing a start loads of SQLAlchemy (ui/app.py), which a locked window does not need.
    """
    from sqlalchemy.engine import URL

    url = URL.create(
        "sqlite+pysqlcipher",
        username="",
        password=raw_key(database, key).secret,
        database=str(database.resolve()),
        query={"kdf_iter": str(KDF_ITER)},
    )
    return url.render_as_string(hide_password=False)


def apply_key(cursor: Any, key: DatabaseKey) -> None:
    """Keys a raw sqlcipher3 connection exactly as `database_url` keys an engine's."""
    if is_raw(key):  # hex digits and the salt: nothing to escape
        cursor.execute(f'PRAGMA key = "{key.secret}"')
        return
    # The recovery key is base32 (A-Z, 2-7), so it needs no escaping inside the quotes.
    cursor.execute(f"PRAGMA key = '{key.secret}'")
    cursor.execute(f"PRAGMA kdf_iter = {KDF_ITER}")


def apply_protection(cursor: Any) -> None:
    """Keep decrypted pages out of temp files and freed memory; overwrite deleted content."""
    cursor.execute("PRAGMA cipher_memory_security = ON")
    cursor.execute("PRAGMA temp_store = MEMORY")
    cursor.execute("PRAGMA secure_delete = ON")


def connect(database: Path, key: DatabaseKey, *, create: bool = False) -> Any:
    """A keyed sqlcipher3 connection; without `create`, a missing file is an error, not made."""
    mode = "rwc" if create else "rw"
    connection = sqlcipher3.connect(
        f"file:{quote(str(database.resolve()))}?mode={mode}", uri=True, isolation_level=None
    )
    try:
        cursor = connection.cursor()
        apply_key(cursor, key)
        apply_protection(cursor)
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()
    except BaseException:
        connection.close()
        raise
    return connection


def _require_database(database: Path) -> None:
    if not database.is_file():
        raise DatabaseKeyError(
            f"There is no database at {database}. Restore it from a backup, or choose the "
            "folder that holds it."
        )


def check_opens(database: Path, key: DatabaseKey, error: type[DatabaseKeyError]) -> None:
    """Raises `error` only when the key is wrong; a folder, disk or file fault says which."""
    try:
        connection = sqlcipher3.connect(
            f"file:{quote(str(database.resolve()))}?mode=ro", uri=True, isolation_level=None
        )
    except sqlcipher3.Error as failure:
        raise _unavailable(failure, database) from failure
    try:
        cursor = connection.cursor()
        apply_key(cursor, raw_key(database, key))
        cursor.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as failure:
        if diagnose(failure, database, encrypted=True) is not StorageFault.WRONG_KEY:
            raise _unavailable(failure, database) from failure
        raise error(
            "That key does not open this database. Check it and try again."
            if error is not WrongPassphraseError
            else "The key file does not belong to this database; open it with the printed "
            "recovery key, then set a new passphrase."
        ) from None
    finally:
        connection.close()


def _unavailable(failure: BaseException, database: Path) -> DatabaseUnavailableError:
    fault = diagnose(failure, database, encrypted=True)
    return DatabaseUnavailableError(fault, fault_message(fault, "open its database", failure))


def _derive(passphrase: str, stored: dict[str, Any]) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        passphrase.encode("utf-8"),
        stored["salt"],
        time_cost=stored["time_cost"],
        memory_cost=stored["memory_cost"],
        parallelism=stored["parallelism"],
        hash_len=32,
        type=Type.ID,
    )


def _write_key_file(path: Path, key: DatabaseKey, passphrase: str, *, exclusive: bool) -> None:
    params: dict[str, Any] = {
        "salt": secrets.token_bytes(16),
        "time_cost": _ARGON2_TIME_COST,
        "memory_cost": _ARGON2_MEMORY_KIB,
        "parallelism": _ARGON2_PARALLELISM,
    }
    nonce = secrets.token_bytes(12)
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    wrapped = AESGCM(_derive(passphrase, params)).encrypt(nonce, key.secret.encode("ascii"), _AAD)
    document = {
        "format": _KEY_FILE_FORMAT,
        "version": _KEY_FILE_VERSION,
        "kdf": "argon2id",
        "salt": base64.b64encode(params["salt"]).decode("ascii"),
        "time_cost": params["time_cost"],
        "memory_cost": params["memory_cost"],
        "parallelism": params["parallelism"],
        "cipher": "AES-256-GCM",
        "nonce": base64.b64encode(nonce).decode("ascii"),
        "wrapped": base64.b64encode(wrapped).decode("ascii"),
    }
    data = json.dumps(document, indent=2).encode("utf-8")
    try:
        write_atomically(path, data, exclusive=exclusive)
    except FileExistsError as error:
        raise DatabaseKeyError(f"{path} already exists; coreform will not overwrite it.") from error


def _read_key_file(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text("utf-8"))
        if document.get("format") != _KEY_FILE_FORMAT or document.get("version") != 1:
            raise ValueError("not a coreform key file")
        return {
            "salt": base64.b64decode(document["salt"]),
            "time_cost": int(document["time_cost"]),
            "memory_cost": int(document["memory_cost"]),
            "parallelism": int(document["parallelism"]),
            "nonce": base64.b64decode(document["nonce"]),
            "wrapped": base64.b64decode(document["wrapped"]),
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise DatabaseKeyError(
            f"The key file {path.name} is damaged ({error}). Open the database with the printed "
            "recovery key, then set a new passphrase."
        ) from error


def _sidecars(database: Path) -> list[Path]:
    return [database.with_name(database.name + suffix) for suffix in ("-wal", "-shm", "-journal")]
