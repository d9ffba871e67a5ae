"""How long one autosave takes, and how much of it is left on the GUI thread.

`uv run python bench/ui_autosave.py` (offscreen). The editor snapshots the form and validates on
the GUI thread; `services.save_draft` runs on a worker thread (ui/workers.py), so only the first
two figures can delay typing.

Measured here (Debian 12, Python 3.11, SQLite on local disk), a record with 6 children and
~2,000 characters in every text field, median of 30:
    snapshot the form (GUI thread)        0.7 ms
    validate (GUI thread)                 0.6 ms
    save_draft (worker thread)            5.9 ms

Issue 8 (autosave loads the record once and changes child rows in place), one edit to one
child's text, the same record, SQL statements counted on the engine:
    before: 14 statements (10 reads, 3 writes: the record, delete and reinsert all 6 children)
    after:   8 statements (5 reads, 2 writes: the record and the one changed child row)
    (issue 15's list index, refreshed on every save, then adds 2 reads and 2 writes: 12.)
On a machine shared by 8 busy processes the save's median went from 75-96 ms to 58 ms (most of
it is the commit's fsync, which both pay).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtCore import QSettings
from sqlalchemy import event

from coreform.records import Child, ChildObservation
from coreform.services import Services
from ui.app import application, start_window

RUNS = 30
TEXT = "She said she had cereal for breakfast and walked to school with her brother. " * 26


def _median_ms(action: object) -> float:
    assert callable(action)
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def measure(folder: Path) -> dict[str, float]:
    """Median seconds to snapshot the form, validate it and save it (a big 6-child record)."""
    application([])
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "coreform.db").unlink(missing_ok=True)
    services = Services.open(f"sqlite:///{folder / 'coreform.db'}")
    window = start_window(services, QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat))
    record = services.new_record()
    record.children = [
        ChildObservation(
            child=Child(name=f"Child {n}"), presentation=TEXT, wishes_and_feelings=TEXT
        )
        for n in range(6)
    ]
    for name in ("purpose", "others_present", "observations", "home_conditions"):
        setattr(record, name, TEXT)
    record = services.save_draft(record)
    window.editor.load(record)
    editor = window.editor
    snapshot = _median_ms(editor.current_record)
    current = editor.current_record()
    validate = _median_ms(lambda: services.validate(current))

    def save() -> None:
        nonlocal current
        current = services.save_draft(current)

    saving = _median_ms(save)
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]).split(None, 1)[0].upper())

    engine = services._engine
    event.listen(engine, "before_cursor_execute", count)
    current.children[2].presentation += " And then she smiled."  # one field of one child
    save()
    event.remove(engine, "before_cursor_execute", count)
    window.editor.finish_saving()
    window.close()
    services.close()
    return {
        "snapshot": snapshot / 1000,
        "validate": validate / 1000,
        "save": saving / 1000,
        "statements": float(len(statements)),
        "selects": float(statements.count("SELECT")),
        "writes": float(len([s for s in statements if s in ("INSERT", "UPDATE", "DELETE")])),
    }


def main() -> int:
    figures = measure(Path(tempfile.mkdtemp(prefix="coreform-bench-")))
    print(f"snapshot the form (GUI thread)   {figures['snapshot'] * 1000:6.1f} ms")
    print(f"validate (GUI thread)            {figures['validate'] * 1000:6.1f} ms")
    print(f"save_draft (worker thread)       {figures['save'] * 1000:6.1f} ms")
    print(
        f"SQL statements for one edit       {figures['statements']:4.0f} "
        f"({figures['selects']:.0f} reads, {figures['writes']:.0f} writes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
