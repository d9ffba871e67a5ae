"""Crash harness (issues 5 and 9): SIGKILL coreform at random points from start-up to saving;
no acknowledged save is lost.

A child process opens the encrypted database as the app does and saves new drafts in a loop. It
prints "PHASE <name>" as it passes each phase (opening: keying the file and connecting;
migrating: bringing the schema up to date, a real upgrade on the first runs; first-save: its
first draft; saving: the rest), and "ACK n <record id>" only after `save_draft` has returned
(committed). For each run the parent picks a phase, waits for the child to reach it, kills it
with SIGKILL after a random delay, and starts another, until `--saves` saves are acknowledged.
Afterwards every acknowledged record must be present with its content, the database must pass
integrity_check, foreign_key_check and cipher_integrity_check, and the audit trail must verify.
The output counts the kills per phase (the phase the child last reported).

    uv run python bench/crash_harness.py --saves 1000 --seed 1

POSIX only (SIGKILL). Not part of the test suite: it takes a few minutes.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

KEY_ENV = "COREFORM_HARNESS_KEY"
# How often each start-up phase is aimed at (the rest: saving), and the longest wait once the
# child has reached it, in seconds.
PHASES = {"opening": (0.15, 0.05), "migrating": (0.2, 0.05), "first-save": (0.2, 0.1)}


def child(database: Path, start: int) -> None:
    print("PHASE opening", flush=True)
    from coreform.services import Services
    from coreform.storage.engine import create_engine_for
    from coreform.storage.keys import DatabaseKey, database_url
    from coreform.storage.migrations import migrate, upgrade_due

    engine = create_engine_for(database_url(database, DatabaseKey(os.environ[KEY_ENV])))
    due = upgrade_due(engine)
    print(f"PHASE migrating {'upgrade' if due else 'current'}", flush=True)
    migrate(engine)
    services = Services(engine)
    print("PHASE first-save", flush=True)
    n = start
    while True:
        record = services.new_record()
        record.family_name = f"Harness family {n}"
        record.observations = f"harness save {n} " + "x" * random.randrange(0, 4000)
        saved = services.save_draft(record)
        print(f"ACK {n} {saved.id}", flush=True)
        if n == start:
            print("PHASE saving", flush=True)
        n += 1


def parent(saves: int, seed: int, max_delay: float, folder: Path) -> int:
    from coreform.backup import check_database
    from coreform.services import Services
    from coreform.storage.keys import create_database, database_url

    rng = random.Random(seed)
    database = folder / "coreform.db"
    key = create_database(database, "crash harness passphrase").key
    # The audit key lives outside the database, in this run's own config folder.
    environment = {**os.environ, KEY_ENV: key.secret, "COREFORM_CONFIG_DIR": str(folder / "cfg")}
    os.environ["COREFORM_CONFIG_DIR"] = environment["COREFORM_CONFIG_DIR"]
    acked: dict[int, str] = {}
    kills: Counter[str] = Counter()
    started = time.monotonic()
    while len(acked) < saves:
        process = subprocess.Popen(
            [sys.executable, __file__, "--child", str(database), str(len(acked))],
            stdout=subprocess.PIPE,
            text=True,
            env=environment,
        )
        reached: dict[str, threading.Event] = {
            phase: threading.Event() for phase in (*PHASES, "saving")
        }
        lines: list[str] = []

        def read(
            stream: object = process.stdout,
            reached: dict[str, threading.Event] = reached,
            lines: list[str] = lines,
        ) -> None:
            for line in stream:  # type: ignore[attr-defined]
                if line.startswith("PHASE "):
                    reached[line.split()[1]].set()
                lines.append(line)

        reader = threading.Thread(target=read)
        reader.start()
        # The first runs aim at the real schema upgrade of the new database; later ones anywhere.
        target, delay = ("migrating", 0.5) if kills.total() < 2 else _aim(rng, max_delay)
        reached[target].wait(timeout=60)
        time.sleep(rng.uniform(0, delay))
        process.send_signal(signal.SIGKILL)
        process.wait()
        reader.join()
        phase = _last_phase(lines)
        kills[phase] += 1
        before = len(acked)
        for line in lines:
            if line.startswith("ACK "):
                _, number, record_id = line.split()
                acked[int(number)] = record_id
        print(
            f"run {kills.total()}: killed while {phase}; {len(acked) - before} acknowledged, "
            f"{len(acked)} in all",
            flush=True,
        )
    elapsed = time.monotonic() - started

    checks = check_database(database, key)
    services = Services.open(database_url(database, key))
    try:
        every = services.list_records(limit=services.count_records())
        stored = {summary.id for summary in every}
        missing = [n for n, record_id in acked.items() if record_id not in stored]
        wrong = [
            n
            for n, record_id in acked.items()
            if record_id in stored
            and not services.get_record(record_id).observations.startswith(f"harness save {n} ")
        ]
        audit = services.verify_audit()
    finally:
        services.close()
    per_phase = ", ".join(f"{phase} {count}" for phase, count in sorted(kills.items()))
    print(
        f"\n{len(acked)} acknowledged saves over {kills.total()} SIGKILLs in {elapsed:.0f} s\n"
        f"kills per phase: {per_phase}\n"
        f"{len(stored)} records stored ({len(stored) - len(acked) + len(missing)} committed but "
        f"killed before their ACK); acknowledged saves lost {len(missing)}; wrong content "
        f"{len(wrong)}\nchecks: {checks.message}\naudit: {audit.message}"
    )
    ok = not missing and not wrong and checks.ok and audit.ok
    print("RESULT:", "PASS" if ok else "FAIL", f"({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)")
    return 0 if ok else 1


def _aim(rng: random.Random, max_delay: float) -> tuple[str, float]:
    """The phase to kill in this run, and the longest delay after reaching it."""
    draw = rng.random()
    for phase, (weight, delay) in PHASES.items():
        if draw < weight:
            return phase, delay
        draw -= weight
    return "saving", max_delay


def _last_phase(lines: list[str]) -> str:
    """Where the child was when it died, from the phases it reported ("before opening" if none)."""
    phases = [line.split()[1:] for line in lines if line.startswith("PHASE ")]
    if not phases:
        return "starting Python"
    name = phases[-1]
    return f"migrating ({name[1]})" if name[0] == "migrating" else name[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--max-delay", type=float, default=0.6, help="seconds before a kill")
    parser.add_argument("--folder", type=Path, help="keep the database here (default: temp)")
    parser.add_argument("--child", nargs=2, metavar=("DATABASE", "START"), help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(Path(options.child[0]), int(options.child[1]))
        return 0
    if options.folder:
        options.folder.mkdir(parents=True, exist_ok=True)
        return parent(options.saves, options.seed, options.max_delay, options.folder)
    with tempfile.TemporaryDirectory() as folder:
        return parent(options.saves, options.seed, options.max_delay, Path(folder))


if __name__ == "__main__":
    sys.exit(main())
