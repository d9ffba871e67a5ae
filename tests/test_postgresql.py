"""Shared mode on a real PostgreSQL: no lost update under concurrency, conflicts reported.

The throwaway server comes from tests/pg_server.py (the `postgresql_server` fixture). Run only
these tests with `uv run pytest -m postgresql`.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest
from sqlalchemy import create_engine, insert, text

from coreform.record_query import RecordQuery
from coreform.records import Child, Family, MonitoringRecord
from coreform.services import ConflictError, Services
from tests.pg_server import PgServer
from tests.test_finding import listed_family

pytestmark = pytest.mark.postgresql

SAVES_PER_PROCESS = 500  # the README's figure: 2 processes × 500 saves, 2 × 500 creates
# A bound on a hung worker, not a timing: on a loaded shared machine 500 saves can take minutes.
WORKER_TIMEOUT_SECONDS = 900


@pytest.fixture(scope="module")
def postgresql_url(postgresql_server: PgServer) -> str:
    postgresql_server.create_database("coreform")
    return postgresql_server.socket_url("coreform")


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
        out, _ = worker.communicate(timeout=WORKER_TIMEOUT_SECONDS)
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


_CREATOR = """
import sys
from coreform.services import ConflictError, Services

url, creates = sys.argv[1], int(sys.argv[2])
services = Services.open(url)
conflicts = 0
for _ in range(creates):
    try:
        services.save_draft(services.new_record())
    except ConflictError:
        conflicts += 1
services.close()
print(conflicts)
"""


def test_two_processes_creating_at_once_get_distinct_references(postgresql_url: str) -> None:
    """Issue 9: references come from the database, so creating at once never conflicts."""
    Services.open(postgresql_url).close()  # migrated before the race starts
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", _CREATOR, postgresql_url, str(SAVES_PER_PROCESS)],
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    conflicts = []
    for worker in workers:
        out, _ = worker.communicate(timeout=WORKER_TIMEOUT_SECONDS)
        assert worker.returncode == 0
        conflicts.append(int(out))
    services = Services.open(postgresql_url)
    try:
        listed = services.list_records(limit=services.count_records())
        references = [summary.reference for summary in listed]
    finally:
        services.close()
    assert conflicts == [0, 0]
    assert len(references) >= 2 * SAVES_PER_PROCESS
    assert len(set(references)) == len(references)
    print(f"creates: {2 * SAVES_PER_PROCESS}, conflicts: {sum(conflicts)}")


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


def test_search_uses_the_trigram_index_and_ignores_accents(postgresql_url: str) -> None:
    services = Services.open(postgresql_url)
    try:
        family = services.save_family(
            Family(name="Ødegård-Nguyễn", children=[Child(name="Zoë Ødegård-Nguyễn")])
        )
        record = services.new_record(family.id)
        record.visit_date = dt.date(2026, 3, 2)
        saved = services.save_draft(record)
        assert [f.id for f in services.find_families("zoe nguy")] == [family.id]
        assert [c.name for c in services.find_children("ODEGARD")] == ["Zoë Ødegård-Nguyễn"]
        assert services.count_children("zoe nguy") == 1
        assert [s.id for s in services.list_records(RecordQuery(text="ODEGARD zo"))] == [saved.id]
        assert services.count_records(RecordQuery(text="odegard nobody")) == 0
    finally:
        services.close()
    engine = create_engine(postgresql_url)
    try:
        with engine.connect() as connection:
            indexes = set(
                connection.execute(
                    text("SELECT indexname FROM pg_indexes WHERE indexdef LIKE '%gin_trgm_ops%'")
                ).scalars()
            )
    finally:
        engine.dispose()
    assert indexes == {"ix_record_list_search", "ix_family_search_text"}


def test_families_stored_before_0014_are_listed_with_their_children(
    postgresql_server: PgServer,
) -> None:
    from alembic import command

    from bench.synthetic import caseload
    from coreform.storage.engine import create_engine_for
    from coreform.storage.migrations import alembic_config, migrate
    from coreform.storage.tables import ChildRow, FamilyRow

    postgresql_server.create_database("before_family_rows")
    url = postgresql_server.socket_url("before_family_rows")
    engine = create_engine_for(url)
    load = caseload(30)
    try:
        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0012")
            connection.execute(insert(FamilyRow), load.families)
            connection.execute(insert(ChildRow), load.children)
        migrate(engine)  # 0014 makes each family's list row, in Python on PostgreSQL
    finally:
        engine.dispose()
    services = Services.open(url)
    try:
        listed = listed_family(load, load.families[0])
        assert listed in services.find_families(listed.child_names[0])
        assert services.count_families() == len(load.families)
    finally:
        services.close()
