"""Where the records live: this computer's encrypted file, or a team's shared PostgreSQL server.

The choice cannot live inside the database it chooses, so it is a small `connection.json` in the
user's config folder ($COREFORM_CONFIG_DIR, else platformdirs). The server's password is kept in
the OS keyring, never in that file. The window reads and writes all of it through this module.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coreform.errors import CoreformError, StorageError
from coreform.password_store import store_unusable
from coreform.records import now_london
from coreform.safe_files import write_atomically
from coreform.settings import config_dir

if TYPE_CHECKING:
    from coreform.dispatch import Dispatcher
    from coreform.services import Services

CONFIG_FILE = "connection.json"
KEYRING_SERVICE = "coreform shared database"
DEFAULT_PORT = 5432
# A server that does not answer within this many seconds is treated as unreachable.
CONNECT_TIMEOUT_SECONDS = 10
_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


class Mode(StrEnum):
    LOCAL = "local"  # the encrypted SQLite file on this computer
    SHARED = "shared"  # a PostgreSQL server the team shares


class SslMode(StrEnum):
    """libpq's sslmode values coreform offers, safest first."""

    VERIFY_FULL = "verify-full"
    REQUIRE = "require"  # encrypted, but anyone in the middle can pretend to be the server
    DISABLE = "disable"  # only for a server on this same computer


class ConnectionSettingsError(CoreformError):
    """The shared database details cannot be used; the message says which one and why."""


class SharedDatabaseError(CoreformError):
    """The shared database could not be opened; the message says what to do."""


@dataclass
class SharedDatabase:
    """The server details an administrator enters; the password is in the keyring, not here."""

    host: str = ""
    port: int = DEFAULT_PORT
    database: str = "coreform"
    user: str = ""
    sslmode: SslMode = SslMode.VERIFY_FULL
    sslrootcert: str = ""  # the organisation's CA certificate file

    @property
    def place(self) -> str:
        """How messages name the server: host:port/database."""
        return f"{self.host}:{self.port}/{self.database}"

    def security_warning(self) -> str:
        """What the chosen security leaves open, for the settings form; empty when safe."""
        if self.sslmode is SslMode.REQUIRE:
            return (
                "Encrypted, but coreform cannot tell the real server from an impostor on the "
                "network. Use it only until your organisation's certificate file is available."
            )
        if self.sslmode is SslMode.DISABLE:
            return "Unencrypted: only for a database server on this same computer."
        return ""

    def problems(self) -> list[str]:
        """Everything wrong with these details, in words a non-technical user can act on."""
        found: list[str] = []
        host = self.host.strip()
        if not host:
            found.append("Enter the server's name, for example db.council.example.")
        elif any(character.isspace() or character in "/\\?#@" for character in host):
            found.append("The server's name cannot contain spaces or / \\ ? # @.")
        if not 1 <= self.port <= 65535:
            found.append("The port is a number from 1 to 65535; 5432 is usual.")
        if not self.database.strip():
            found.append("Enter the database name your administrator gave you.")
        if not self.user.strip():
            found.append("Enter the database user name your administrator gave you.")
        if self.sslmode is SslMode.DISABLE and host.lower() not in _LOCAL_HOSTS:
            found.append(
                "Records cannot travel unencrypted over the network: choose a secure connection."
            )
        if self.sslmode is SslMode.VERIFY_FULL:
            if not self.sslrootcert.strip():
                found.append(
                    "Choose your organisation's certificate file (ask your administrator for it)."
                )
            elif not Path(self.sslrootcert).expanduser().is_file():
                found.append(f"The certificate file {self.sslrootcert} does not exist.")
        return found

    def url(self, password: str | None) -> str:
        """The `postgresql+psycopg://` URL; ConnectionSettingsError when a detail is wrong."""
        problems = self.problems()
        if problems:
            raise ConnectionSettingsError(" ".join(problems))
        query = {"sslmode": self.sslmode.value, "connect_timeout": str(CONNECT_TIMEOUT_SECONDS)}
        if self.sslrootcert.strip():
            query["sslrootcert"] = str(Path(self.sslrootcert).expanduser().resolve())
        from sqlalchemy.engine import URL  # SQLAlchemy loads only when a shared database is used

        return URL.create(
            "postgresql+psycopg",
            username=self.user.strip(),
            password=password or None,
            host=self.host.strip(),
            port=self.port,
            database=self.database.strip(),
            query=query,
        ).render_as_string(hide_password=False)


@dataclass
class ConnectionConfig:
    mode: Mode = Mode.LOCAL
    shared: SharedDatabase = field(default_factory=SharedDatabase)


def load_config() -> ConnectionConfig:
    """The saved choice; working locally when nothing was saved."""
    path = config_dir() / CONFIG_FILE
    try:
        raw: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return ConnectionConfig()
    except (OSError, ValueError) as error:
        raise ConnectionSettingsError(
            f"coreform could not read its connection settings in {path} ({error}). Delete the "
            "file to work on this computer, or ask your administrator."
        ) from error
    try:
        shared = raw.get("shared", {})
        return ConnectionConfig(
            mode=Mode(raw.get("mode", Mode.LOCAL)),
            shared=SharedDatabase(
                host=str(shared.get("host", "")),
                port=int(shared.get("port", DEFAULT_PORT)),
                database=str(shared.get("database", "coreform")),
                user=str(shared.get("user", "")),
                sslmode=SslMode(shared.get("sslmode", SslMode.VERIFY_FULL)),
                sslrootcert=str(shared.get("sslrootcert", "")),
            ),
        )
    except (AttributeError, TypeError, ValueError) as error:
        raise ConnectionSettingsError(
            f"coreform's connection settings in {path} are damaged. Enter the shared database "
            "details again in Settings, or delete the file to work on this computer."
        ) from error


def save_config(config: ConnectionConfig) -> Path:
    """Writes the choice (never a password); shared details are checked first."""
    if config.mode is Mode.SHARED:
        problems = config.shared.problems()
        if problems:
            raise ConnectionSettingsError(" ".join(problems))
    folder = config_dir()
    path = folder / CONFIG_FILE
    data = {"mode": config.mode.value, "shared": asdict(config.shared)}
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_atomically(path, json.dumps(data, indent=2).encode("utf-8"))
    except OSError as error:
        raise ConnectionSettingsError(
            f"coreform could not save its connection settings in {folder} ({error.strerror})."
        ) from error
    return path


def _keyring_user(shared: SharedDatabase) -> str:
    return f"{shared.user.strip()}@{shared.place}"


def read_password(shared: SharedDatabase) -> str | None:
    """The server password saved on this computer, if any."""
    import keyring
    import keyring.errors

    try:
        password: str | None = keyring.get_password(KEYRING_SERVICE, _keyring_user(shared))
    except keyring.errors.KeyringError as error:
        raise SharedDatabaseError(_keyring_message(error)) from error
    return password


def save_password(shared: SharedDatabase, password: str) -> None:
    """Keeps the server password in the OS keyring (protected by the user's login)."""
    import keyring
    import keyring.errors

    try:
        keyring.set_password(KEYRING_SERVICE, _keyring_user(shared), password)
    except keyring.errors.KeyringError as error:
        raise SharedDatabaseError(_keyring_message(error)) from error


def _keyring_message(error: Exception) -> str:
    return store_unusable(
        "the shared database's password",
        "Ask your IT team to set up a password store on this computer.",
        error,
    )


def check_connection(shared: SharedDatabase, password: str | None) -> str:
    """Connects once and says which server answered; SharedDatabaseError says what failed."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.pool import NullPool

    url = shared.url(password)
    try:
        engine = create_engine(url, poolclass=NullPool)
    except (SQLAlchemyError, ImportError) as error:
        raise SharedDatabaseError(describe_failure(shared, error)) from error
    try:
        with engine.connect() as connection:
            version = connection.execute(text("SHOW server_version")).scalar_one()
    except SQLAlchemyError as error:
        raise SharedDatabaseError(describe_failure(shared, error)) from error
    finally:
        engine.dispose()
    return f"Connected to PostgreSQL {version} at {shared.place}."


def open_services(
    shared: SharedDatabase,
    *,
    dispatcher: Dispatcher | None = None,
    clock: Callable[[], dt.datetime] = now_london,
) -> Services:
    """Connects with the saved password, applies the migrations and returns the services."""
    password = read_password(shared)
    if password is None:
        raise SharedDatabaseError(
            f"No password for the shared database at {shared.place} is saved on this computer. "
            "Ask your administrator to enter it in Settings → Shared database."
        )
    check_connection(shared, password)  # the precise reason, before the migrations run
    from coreform.services import Services

    try:
        return Services.open(shared.url(password), clock=clock, dispatcher=dispatcher)
    except StorageError as error:
        cause = error.__cause__
        raise SharedDatabaseError(describe_failure(shared, cause or error)) from error


def describe_failure(shared: SharedDatabase, error: BaseException) -> str:
    """Turns a driver error into what the user should do; the server's words stay out of it."""
    detail = str(getattr(error, "orig", None) or error).lower()
    place = shared.place
    if isinstance(error, ImportError) or "no module named" in detail:
        return "This copy of coreform cannot use a shared database: ask IT to install it again."
    if "certificate" in detail or ("ssl" in detail and "verify" in detail):
        return (
            f"coreform did not trust the shared database at {place}: its certificate is not "
            "signed by your organisation's certificate file, or does not name this server. Do "
            "not continue; ask your administrator."
        )
    if "password" in detail or "authentication" in detail:
        return (
            f"The shared database at {place} refused the user name or password. Ask your "
            "administrator to enter them again in Settings → Shared database."
        )
    if "does not exist" in detail and "database" in detail:
        return f"There is no database {shared.database!r} at {shared.host}: check its name."
    if "ssl" in detail or "encryption" in detail or "pg_hba" in detail:
        return (
            f"The shared database at {place} refused a connection with these security settings. "
            "Ask your administrator."
        )
    return (
        f"coreform could not reach the shared database at {place}: check the network, or ask "
        "your administrator."
    )
