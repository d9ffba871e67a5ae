"""`coreform backup`, `restore FILE` and `verify`, run in process through main()."""

from __future__ import annotations

import datetime as dt
import io
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from coreform.backup import list_backups
from coreform.cli import main
from coreform.records import Family
from coreform.services import Services
from coreform.storage.engine import create_engine_for
from coreform.storage.keys import create_database, database_url
from coreform.storage.migrations import alembic_config

PASSPHRASE = "otter lantern velvet"
AT = dt.datetime(2025, 3, 4, 12, 0, tzinfo=dt.UTC)


def _typed(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO("".join(line + "\n" for line in lines)))


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    database = tmp_path / "coreform.db"
    services = Services.open(f"sqlite:///{database}", clock=lambda: AT)
    try:
        services.save_family(Family(name="Before"))
    finally:
        services.close()
    return database


def test_backup_verify_and_restore_a_plain_database(
    plain: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "backups"
    assert main(["backup", "--database", str(plain), "--folder", str(folder), "--keep", "2"]) == 0
    assert "Backed up to" in capsys.readouterr().out
    (backup,) = list_backups(folder)

    services = Services.open(f"sqlite:///{plain}", clock=lambda: AT)
    try:
        services.save_family(Family(name="After"))
    finally:
        services.close()

    assert main(["restore", str(backup), "--database", str(plain)]) == 0
    assert "Restored" in capsys.readouterr().out
    services = Services.open(f"sqlite:///{plain}", clock=lambda: AT)
    try:
        assert [f.name for f in services.find_families()] == ["Before"]
    finally:
        services.close()

    head_file = tmp_path / "head.txt"
    assert main(["verify", "--database", str(plain), "--export-head", str(head_file)]) == 0
    out = capsys.readouterr().out
    assert "passed the integrity" in out and "is intact" in out
    # backed up, then restored: both are in the trail that was restored into
    assert head_file.read_text().startswith("coreform-audit-head seq=")
    assert main(["verify", "--database", str(plain), "--head", str(head_file)]) == 0


def test_verify_names_the_first_broken_audit_entry(
    plain: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for _ in range(3):
        assert main(["backup", "--database", str(plain), "--folder", str(tmp_path / "b")]) == 0
    engine = create_engine_for(f"sqlite:///{plain}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE audit_log SET user = 'someone else' WHERE seq = 2"))
    engine.dispose()
    capsys.readouterr()
    assert main(["verify", "--database", str(plain)]) == 1
    assert "Audit entry 2 was changed" in capsys.readouterr().out


def test_an_encrypted_database_asks_for_the_passphrase(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = tmp_path / "coreform.db"
    key = create_database(database, PASSPHRASE).key
    Services.open(database_url(database, key), clock=lambda: AT).close()
    _typed(monkeypatch, PASSPHRASE)
    assert main(["backup", "--database", str(database)]) == 0
    (backup,) = list_backups(tmp_path / "backups")
    assert backup.read_bytes()[:16] != b"SQLite format 3\x00"
    _typed(monkeypatch, "not the passphrase")
    assert main(["verify", "--database", str(database)]) == 1
    assert "does not open this database" in capsys.readouterr().err
    _typed(monkeypatch, PASSPHRASE)
    assert main(["verify", "--database", str(database)]) == 0
    assert "seq=1 " in capsys.readouterr().out


def test_a_missing_backup_is_one_line_and_exit_1(
    plain: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["restore", str(tmp_path / "nope.backup"), "--database", str(plain)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no backup at" in err


def test_add_account_first_an_administrator_then_signed_in(
    plain: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _typed(monkeypatch, "correct horse", "correct horse")
    assert main(["add-account", "boss", "--role", "manager", "--database", str(plain)]) == 1
    assert "first account must be an administrator" in capsys.readouterr().err
    _typed(monkeypatch, "correct horse", "correct horse")
    assert main(["add-account", "admin", "--role", "administrator", "--database", str(plain)]) == 0
    _typed(monkeypatch, "admin", "wrong password")
    assert main(["add-account", "jo", "--role", "practitioner", "--database", str(plain)]) == 1
    assert "wrong" in capsys.readouterr().err
    _typed(monkeypatch, "admin", "correct horse", "battery staple", "battery staple")
    assert main(["add-account", "jo", "--role", "practitioner", "--database", str(plain)]) == 0
    assert "Added jo (practitioner)." in capsys.readouterr().out
    services = Services.open(f"sqlite:///{plain}")
    try:
        assert services.sign_in("jo", "battery staple").role.value == "practitioner"
    finally:
        services.close()


def test_verify_on_a_database_last_opened_at_migration_0006(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Made with the migrations to 0006 and the rows that release wrote (a record submitted,
    its content hash in the audit trail as schema 1 wrote it)."""
    from alembic import command

    database = tmp_path / "coreform.db"
    engine = create_engine_for(f"sqlite:///{database}")
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0006")
    rows = (Path(__file__).parent / "data" / "coreform_0006_rows.sql").read_text("utf-8")
    raw = engine.raw_connection()
    try:
        raw.driver_connection.executescript(rows)  # type: ignore[union-attr]
    finally:
        raw.close()
    engine.dispose()
    before = database.read_bytes()

    assert main(["verify", "--database", str(database)]) == 1
    err = capsys.readouterr().err
    assert "last opened by an older coreform (schema 0006" in err and "--upgrade" in err
    assert database.read_bytes() == before  # verify alone changes nothing

    assert main(["verify", "--database", str(database), "--upgrade"]) == 0
    out = capsys.readouterr().out
    assert "Upgraded the database from schema 0006" in out
    # An upgrade is not a change: the version submitted under schema 1 still matches its hash.
    assert "All 1 submitted record versions match their audit entries." in out
    engine = create_engine_for(f"sqlite:///{database}")
    with engine.begin() as connection:  # a question schema 1 never asked, answered afterwards
        connection.execute(text("UPDATE records SET risks_worsened = 1"))
    engine.dispose()
    assert main(["verify", "--database", str(database)]) == 1
    assert "differ from what was submitted: CG-BSHM3-2026-00001 v1" in capsys.readouterr().out
    services = Services.open(f"sqlite:///{database}", clock=lambda: AT)
    try:
        [summary] = services.list_records()
        assert summary.reference == "CG-BSHM3-2026-00001"
        assert services.get_record(summary.id).children[0].child.name == "Ada Okafor"
    finally:
        services.close()
