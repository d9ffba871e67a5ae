"""Start-up reads the schema revision cheaply and loads Alembic only when an upgrade is due."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import text

from coreform.storage.engine import create_engine_for
from coreform.storage.migrations import (
    alembic_config,
    database_revisions,
    migrate,
    script_heads,
    upgrade_due,
)


def test_heads_read_from_the_files_are_alembics_heads() -> None:
    assert script_heads() == frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())
    assert len(script_heads()) == 1  # one head: helpers renumber their migrations to keep it so


def test_new_old_and_current_databases(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'coreform.db'}")
    try:
        assert database_revisions(engine) == frozenset()
        assert upgrade_due(engine)
        migrate(engine)
        assert database_revisions(engine) == script_heads()
        assert not upgrade_due(engine)
        with engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
        assert upgrade_due(engine)
    finally:
        engine.dispose()


def test_opening_a_current_database_does_not_load_alembic(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'coreform.db'}"
    code = (
        "import sys; from coreform.services import Services; "
        f"Services.open({url!r}).close(); print('alembic' in sys.modules)"
    )

    def alembic_loaded() -> str:
        run = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
        )
        return run.stdout.strip()

    assert alembic_loaded() == "True"  # the first start creates the schema
    assert alembic_loaded() == "False"
