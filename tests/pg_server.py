"""A throwaway PostgreSQL server for the shared-mode tests, started from the Debian binaries.

pg_ctl is found on PATH or in /usr/lib/postgresql/*/bin. PostgreSQL refuses to run as root, so
under root the server runs as the `postgres` user through runuser. It listens on a Unix socket
(trusted, for the concurrency tests) and on 127.0.0.1 over TLS only, with a password, using a
certificate for `localhost` from a `trustme` test CA.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import trustme

HOW_TO_RUN = (
    "PostgreSQL binaries not found: install PostgreSQL (Debian: apt-get install postgresql, as "
    ".ci/run does) or put pg_ctl on PATH, then run `uv run pytest -m postgresql`"
)
APP_USER = "coreform_app"
APP_PASSWORD = "team server pass 7"  # the test role's password, for the TLS connection
_HBA = """\
local all all trust
hostssl all all 127.0.0.1/32 scram-sha-256
hostssl all all ::1/128 scram-sha-256
"""


class ServerUnavailableError(Exception):
    """This machine cannot start a PostgreSQL server; str() says how to get one."""


def pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent  # a symlink on PATH: the real folder has initdb
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@dataclass(frozen=True)
class PgServer:
    bin_dir: Path
    sockets: Path
    port: int
    superuser: str
    ca_file: Path  # the CA that signed the server's certificate
    prefix: tuple[str, ...]  # runuser under root

    def run(self, *args: str) -> None:
        subprocess.run([*self.prefix, *args], check=True, capture_output=True, timeout=120)

    def sql(self, statement: str) -> None:
        self.run(
            str(self.bin_dir / "psql"), "-h", str(self.sockets), "-p", str(self.port),
            "-U", self.superuser, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-c", statement,
        )  # fmt: skip

    def create_database(self, name: str, owner: str | None = None) -> None:
        owned = ["-O", owner] if owner else []
        self.run(
            str(self.bin_dir / "createdb"), "-h", str(self.sockets), "-p", str(self.port),
            "-U", self.superuser, *owned, name,
        )  # fmt: skip

    def socket_url(self, database: str) -> str:
        """A trusted local connection over the Unix socket (no TLS there)."""
        return (
            f"postgresql+psycopg://{self.superuser}@/{database}"
            f"?host={self.sockets}&port={self.port}"
        )


@contextmanager
def running_server() -> Iterator[PgServer]:
    bin_dir = pg_bin()
    if bin_dir is None:
        raise ServerUnavailableError(HOW_TO_RUN)
    as_root = os.geteuid() == 0
    if as_root and shutil.which("runuser") is None:
        raise ServerUnavailableError(
            "running as root needs runuser to start PostgreSQL as the postgres user"
        )
    base = Path(tempfile.mkdtemp(prefix="coreform-pg-"))
    data, sockets, tls = base / "data", base / "sockets", base / "tls"
    sockets.mkdir()
    tls.mkdir()
    ca = trustme.CA()
    issued = ca.issue_cert("localhost", "127.0.0.1")
    issued.private_key_pem.write_to_path(str(tls / "server.key"))
    issued.cert_chain_pems[0].write_to_path(str(tls / "server.crt"))
    ca.cert_pem.write_to_path(str(base / "ca.pem"))
    (tls / "server.key").chmod(0o600)  # PostgreSQL refuses a key others can read
    if as_root:
        for path in (base, sockets, tls, tls / "server.key", tls / "server.crt"):
            shutil.chown(path, "postgres")
    prefix = ("runuser", "-u", "postgres", "--") if as_root else ()
    user = "postgres" if as_root else os.environ.get("USER", "postgres")
    server = PgServer(bin_dir, sockets, free_port(), user, base / "ca.pem", prefix)
    server.run(str(bin_dir / "initdb"), "-D", str(data), "-U", user, "-A", "trust", "--no-sync")
    (data / "pg_hba.conf").write_text(_HBA)
    if as_root:
        shutil.chown(data / "pg_hba.conf", "postgres")
    options = (
        f"-k {sockets} -p {server.port} -c listen_addresses=127.0.0.1 -c fsync=off "
        f"-c max_connections=50 -c ssl=on -c ssl_cert_file={tls / 'server.crt'} "
        f"-c ssl_key_file={tls / 'server.key'}"
    )
    log = base / "server.log"  # the server must not hold our output pipe open
    pg_ctl = str(bin_dir / "pg_ctl")
    server.run(pg_ctl, "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
    try:
        server.sql(f"CREATE ROLE {APP_USER} LOGIN PASSWORD '{APP_PASSWORD}'")
        yield server
    finally:
        try:
            server.run(pg_ctl, "-D", str(data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(base, ignore_errors=True)
