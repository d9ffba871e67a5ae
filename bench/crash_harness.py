"""Crash harness (issue 5): SIGKILL the saving process at random points; no acknowledged save lost.

A child process opens the encrypted database through `coreform.services` and saves new drafts in a
loop, printing "ACK n <record id>" only after `save_draft` has returned (committed). The parent
kills it with SIGKILL after a random delay, starts another, and so on until `--saves` saves have
been acknowledged. Afterwards every acknowledged record must be present with its content, and the
database must pass integrity_check, foreign_key_check and cipher_integrity_check.

    uv run python bench/crash_harness.py --saves 1000 --seed 1

POSIX only (SIGKILL). Not part of the test suite: it takes a minute or two.
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
from pathlib import Path

KEY_ENV = "COREFORM_HARNESS_KEY"


def child(database: Path, start: int) -> None:
    from coreform.services import Services
    from coreform.storage.keys import DatabaseKey, database_url

    services = Services.open(database_url(database, DatabaseKey(os.environ[KEY_ENV])))
    print("READY", flush=True)
    n = start
    while True:
        record = services.new_record()
        record.family_name = f"Harness family {n}"
        record.observations = f"harness save {n} " + "x" * random.randrange(0, 4000)
        saved = services.save_draft(record)
        print(f"ACK {n} {saved.id}", flush=True)
        n += 1


def parent(saves: int, seed: int, max_delay: float, folder: Path) -> int:
    from coreform.backup import check_database
    from coreform.services import Services
    from coreform.storage.keys import create_database, database_url

    rng = random.Random(seed)
    database = folder / "coreform.db"
    key = create_database(database, "crash harness passphrase").key
    environment = {**os.environ, KEY_ENV: key.secret}
    acked: dict[int, str] = {}
    kills = 0
    kills_before_ready = 0
    started = time.monotonic()
    while len(acked) < saves:
        process = subprocess.Popen(
            [sys.executable, __file__, "--child", str(database), str(len(acked))],
            stdout=subprocess.PIPE,
            text=True,
            env=environment,
        )
        ready = threading.Event()
        lines: list[str] = []

        def read(
            stream: object = process.stdout,
            ready: threading.Event = ready,
            lines: list[str] = lines,
        ) -> None:
            for line in stream:  # type: ignore[attr-defined]
                if line.startswith("READY"):
                    ready.set()
                lines.append(line)

        reader = threading.Thread(target=read)
        reader.start()
        # Mostly kill while saving; sometimes during start-up (opening, migrating).
        if rng.random() < 0.9:
            ready.wait(timeout=60)
        else:
            kills_before_ready += 1
        time.sleep(rng.uniform(0, max_delay))
        process.send_signal(signal.SIGKILL)
        process.wait()
        reader.join()
        kills += 1
        before = len(acked)
        for line in lines:
            if line.startswith("ACK "):
                _, number, record_id = line.split()
                acked[int(number)] = record_id
        print(f"run {kills}: {len(acked) - before} acknowledged, {len(acked)} in all", flush=True)
    elapsed = time.monotonic() - started

    checks = check_database(database, key)
    services = Services.open(database_url(database, key))
    try:
        stored = {summary.id for summary in services.list_records()}
        missing = [n for n, record_id in acked.items() if record_id not in stored]
        wrong = [
            n
            for n, record_id in acked.items()
            if record_id in stored
            and not services.get_record(record_id).observations.startswith(f"harness save {n} ")
        ]
    finally:
        services.close()
    print(
        f"\n{len(acked)} acknowledged saves over {kills} SIGKILLs "
        f"({kills_before_ready} during start-up) in {elapsed:.0f} s; "
        f"{len(stored)} records stored ({len(stored) - len(acked) + len(missing)} committed but "
        f"killed before their ACK); missing {len(missing)}; wrong content {len(wrong)}; "
        f"checks: {checks.message}"
    )
    ok = not missing and not wrong and checks.ok
    print("RESULT:", "PASS" if ok else "FAIL", f"({dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC)")
    return 0 if ok else 1


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
