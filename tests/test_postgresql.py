"""Shared mode on a real PostgreSQL: no lost update under concurrency, conflicts reported.

A throwaway server is started from the PostgreSQL binaries (pg_ctl on PATH or in
/usr/lib/postgresql/*/bin). PostgreSQL refuses to run as root, so under root the server runs as
the `postgres` user through runuser. Run only these tests with `uv run pytest -m postgresql`.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from coreform.records import MonitoringRecord
from coreform.services import ConflictError, Services

pytestmark = pytest.mark.postgresql

SAVES_PER_PROCESS = 500
HOW_TO_RUN = (
    "PostgreSQL binaries not found: install PostgreSQL (Debian: apt-get install postgresql, as "
    ".ci/run does) or put pg_ctl on PATH, then run `uv run pytest -m postgresql`"
)


def _pg_bin() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent  # a symlink on PATH: the real folder has initdb
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return Path(candidates[-1]).parent if candidates else None


@pytest.fixture(scope="module")
def postgresql_url() -> Iterator[str]:
    bin_dir = _pg_bin()
    if bin_dir is None:
        pytest.skip(HOW_TO_RUN)
    as_root = os.geteuid() == 0
    if as_root and shutil.which("runuser") is None:
        pytest.skip("running as root needs runuser to start PostgreSQL as the postgres user")
    base = Path(tempfile.mkdtemp(prefix="coreform-pg-"))
    data, sockets = base / "data", base / "sockets"
    sockets.mkdir()
    if as_root:
        shutil.chown(base, "postgres")
        shutil.chown(sockets, "postgres")
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    user = "postgres" if as_root else os.environ.get("USER", "postgres")

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], check=True, capture_output=True, timeout=120)

    run(str(bin_dir / "initdb"), "-D", str(data), "-U", user, "-A", "trust", "--no-sync")
    options = f"-k {sockets} -c listen_addresses='' -c fsync=off -c max_connections=50"
    log = base / "server.log"  # the server must not hold our output pipe open
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
    try:
        run(str(bin_dir / "createdb"), "-h", str(sockets), "-U", user, "coreform")
        yield f"postgresql+psycopg://{user}@/coreform?host={sockets}"
    finally:
        try:
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(base, ignore_errors=True)


_WORKER = """
import sys
from coreform.services import ConflictError, Services

url, record_id, tag, saves = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
services = Services.open(url)
conflicts = 0
for n in range(saves):
    while True:
        record = services.get_record(record_id)
        record.observations += f"{tag}-{n}\\n"
        try:
            services.save_draft(record)
            break
        except ConflictError:
            conflicts += 1  # someone saved first: reload their version and apply ours again
services.close()
print(conflicts)
"""


def test_two_processes_saving_at_once_lose_no_update(
    postgresql_url: str, full_record: MonitoringRecord
) -> None:
    services = Services.open(postgresql_url)
    try:
        full_record.observations = ""
        record_id = services.save_draft(full_record).id
    finally:
        services.close()
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _WORKER, postgresql_url, record_id, tag, str(SAVES_PER_PROCESS)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    conflicts = []
    for worker in workers:
        out, _ = worker.communicate(timeout=240)
        assert worker.returncode == 0
        conflicts.append(int(out))
    services = Services.open(postgresql_url)
    try:
        lines = services.get_record(record_id).observations.splitlines()
    finally:
        services.close()
    expected = {f"{tag}-{n}" for tag in "ab" for n in range(SAVES_PER_PROCESS)}
    assert len(lines) == 2 * SAVES_PER_PROCESS
    assert set(lines) == expected
    # Each process's own saves stay in its order.
    for tag in "ab":
        mine = [line for line in lines if line.startswith(f"{tag}-")]
        assert mine == [f"{tag}-{n}" for n in range(SAVES_PER_PROCESS)]
    print(f"conflicts detected and retried: {conflicts}")


def test_a_conflicting_edit_is_reported_to_the_user(
    postgresql_url: str, full_record: MonitoringRecord
) -> None:
    first, second = Services.open(postgresql_url), Services.open(postgresql_url)
    try:
        record_id = first.save_draft(full_record).id
        mine = first.get_record(record_id)
        theirs = second.get_record(record_id)
        theirs.observations = "Saved first, elsewhere."
        second.save_draft(theirs)
        mine.observations = "Saved second, here."
        with pytest.raises(ConflictError) as raised:
            first.save_draft(mine)
        assert "since" in str(raised.value) or "elsewhere" in str(raised.value)
        assert first.get_record(record_id).observations == "Saved first, elsewhere."
    finally:
        first.close()
        second.close()
