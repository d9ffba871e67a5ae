"""Shared mode: the connection settings file, the URL, and TLS `verify-full` on a real server."""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import trustme
from sqlalchemy.engine import make_url

from coreform import connection
from coreform.connection import (
    ConnectionConfig,
    ConnectionSettingsError,
    Mode,
    SharedDatabase,
    SharedDatabaseError,
    SslMode,
)
from coreform.records import MonitoringRecord
from tests.conftest import MemoryKeyring
from tests.pg_server import APP_PASSWORD, APP_USER, PgServer, free_port


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """Where conftest points COREFORM_CONFIG_DIR for each test."""
    return tmp_path / "config"


@pytest.fixture
def ca_file(tmp_path: Path) -> Path:
    path = tmp_path / "our CA & co.pem"
    trustme.CA().cert_pem.write_to_path(str(path))
    return path


def test_nothing_saved_means_working_locally(config_dir: Path) -> None:
    assert connection.load_config() == ConnectionConfig()
    assert connection.load_config().mode is Mode.LOCAL


def test_settings_round_trip_without_the_password(
    config_dir: Path, ca_file: Path, memory_keyring: MemoryKeyring
) -> None:
    shared = SharedDatabase(
        "db.council.example", 6432, "cg", "jo", SslMode.VERIFY_FULL, str(ca_file)
    )
    saved = connection.save_config(ConnectionConfig(Mode.SHARED, shared))
    connection.save_password(shared, "s3cret pass")
    assert saved == config_dir / "connection.json"
    assert connection.load_config() == ConnectionConfig(Mode.SHARED, shared)
    assert "s3cret" not in saved.read_text()
    assert connection.read_password(shared) == "s3cret pass"


def test_url_encodes_password_and_certificate_path(tmp_path: Path, ca_file: Path) -> None:
    shared = SharedDatabase(
        "db.council.example", 5433, "core group", "jo@team", sslrootcert=str(ca_file)
    )
    url = shared.url("p@ss:/?&= word")
    parsed = make_url(url)
    assert parsed.drivername == "postgresql+psycopg"
    assert (parsed.username, parsed.password) == ("jo@team", "p@ss:/?&= word")
    assert (parsed.host, parsed.port, parsed.database) == ("db.council.example", 5433, "core group")
    query = parse_qs(urlsplit(url).query)
    assert query["sslmode"] == ["verify-full"]
    assert query["sslrootcert"] == [str(ca_file.resolve())]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"host": ""}, "Enter the server's name"),
        ({"host": "db council"}, "cannot contain spaces"),
        ({"port": 0}, "from 1 to 65535"),
        ({"user": " "}, "database user name"),
        ({"database": ""}, "database name"),
        ({"sslrootcert": ""}, "certificate file (ask your administrator"),
        ({"sslrootcert": "/nowhere/ca.pem"}, "/nowhere/ca.pem does not exist"),
        ({"sslmode": SslMode.DISABLE}, "cannot travel unencrypted"),
    ],
)
def test_wrong_details_are_explained(
    ca_file: Path, config_dir: Path, change: dict[str, object], message: str
) -> None:
    values: dict[str, object] = {
        "host": "db.council.example",
        "user": "jo",
        "sslrootcert": str(ca_file),
    }
    shared = SharedDatabase(**{**values, **change})  # type: ignore[arg-type]
    assert any(message in problem for problem in shared.problems())
    with pytest.raises(ConnectionSettingsError, match=re.escape(message)):
        shared.url("pw")
    with pytest.raises(ConnectionSettingsError):
        connection.save_config(ConnectionConfig(Mode.SHARED, shared))
    assert not (config_dir / "connection.json").exists()


def test_unencrypted_only_on_this_computer_and_require_needs_no_ca() -> None:
    assert SharedDatabase("localhost", user="jo", sslmode=SslMode.DISABLE).problems() == []
    assert SharedDatabase("db.example", user="jo", sslmode=SslMode.REQUIRE).problems() == []
    assert SharedDatabase("db.example", user="jo", sslmode=SslMode.REQUIRE).security_warning()


def test_a_damaged_settings_file_is_explained(config_dir: Path) -> None:
    config_dir.mkdir()
    (config_dir / "connection.json").write_text(json.dumps({"mode": "cloud"}))
    with pytest.raises(ConnectionSettingsError, match="damaged"):
        connection.load_config()


def test_no_saved_password_is_explained(memory_keyring: MemoryKeyring, ca_file: Path) -> None:
    shared = SharedDatabase("db.example", user="jo", sslrootcert=str(ca_file))
    with pytest.raises(SharedDatabaseError, match=r"No password .* is saved on this computer"):
        connection.open_services(shared)


# ---- a real server over TLS ------------------------------------------------------------------


@pytest.fixture(scope="module")
def tls_database(postgresql_server: PgServer) -> PgServer:
    postgresql_server.create_database("coreform_tls", owner=APP_USER)
    return postgresql_server


def _shared(server: PgServer, ca: Path) -> SharedDatabase:
    return SharedDatabase("localhost", server.port, "coreform_tls", APP_USER, sslrootcert=str(ca))


@pytest.mark.postgresql
def test_verify_full_with_the_right_ca_migrates_and_round_trips(
    tls_database: PgServer, memory_keyring: MemoryKeyring, full_record: MonitoringRecord
) -> None:
    shared = _shared(tls_database, tls_database.ca_file)
    assert "Connected to PostgreSQL" in connection.check_connection(shared, APP_PASSWORD)
    connection.save_password(shared, APP_PASSWORD)
    services = connection.open_services(shared)
    try:
        stored = services.save_draft(full_record)
        assert services.get_record(stored.id) == stored
        assert not services.has_accounts()
    finally:
        services.close()
    again = connection.open_services(shared)  # migrations already applied: a no-op
    try:
        assert again.get_record(stored.id).observations == full_record.observations
    finally:
        again.close()


@pytest.mark.postgresql
def test_a_server_signed_by_another_ca_is_refused(tls_database: PgServer, ca_file: Path) -> None:
    with pytest.raises(SharedDatabaseError, match="did not trust the shared database") as raised:
        connection.check_connection(_shared(tls_database, ca_file), APP_PASSWORD)
    assert f"localhost:{tls_database.port}/coreform_tls" in str(raised.value)


@pytest.mark.postgresql
def test_wrong_password_and_unreachable_server_are_explained(tls_database: PgServer) -> None:
    shared = _shared(tls_database, tls_database.ca_file)
    with pytest.raises(SharedDatabaseError, match="refused the user name or password"):
        connection.check_connection(shared, "not the password")
    shared.port = free_port()  # nothing listens there
    with pytest.raises(SharedDatabaseError, match="could not reach the shared database at"):
        connection.check_connection(shared, APP_PASSWORD)
