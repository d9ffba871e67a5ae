"""`uv run python -m bench`: one table of ratios, each against a baseline measured in this run.

Builds (once, kept in --folder) encrypted databases of a few, 25,000 and 250,000 synthetic
records with `bench.synthetic`, whose keys a file keyring "remembers" so start-up needs no
passphrase; then times start-up in fresh processes, the lists, search, working days, a PDF and
autosave, and prints one row per measure with its target and whether it is met. Not run by the
tests: the machine's load changes every figure, only the ratios travel.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

from bench.table import Row, median_seconds, ms, print_table

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "bench horse battery staple"  # a throwaway database's passphrase
SIZES = {"small": 20, "25k": 25_000, "250k": 250_000}
# Bump when bench.synthetic changes what it builds, so old databases are rebuilt.
DATASET_VERSION = "1"
START_RUNS = 3


def _environment(folder: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        PYTHONPATH=str(ROOT),
        PYTHON_KEYRING_BACKEND="bench.file_keyring.FileKeyring",
        COREFORM_BENCH_KEYRING=str(folder / "keyring.json"),
        COREFORM_CONFIG_DIR=str(folder / "config"),
        COREFORM_CACHE_DIR=str(folder / "cache"),
        XDG_CONFIG_HOME=str(folder / "xdg"),
        # Byte-code cached as an installed app's is, outside the checkout: without it every start
        # compiles every module again (5.9 s of a 16 s start here, where a shell had turned the
        # cache off with PYTHONDONTWRITEBYTECODE).
        PYTHONPYCACHEPREFIX=str(folder / "pycache"),
    )
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def dataset(folder: Path, name: str) -> Path:
    """The data folder of an encrypted database of SIZES[name] records, built once."""
    from bench.synthetic import build_database
    from coreform import session

    data = folder / name
    marker = data / f"built-{DATASET_VERSION}"
    if marker.exists():
        return data
    print(f"building the {name} data set in {data} (once)…", file=sys.stderr, flush=True)
    if data.exists():
        for path in sorted(data.rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
    data.mkdir(parents=True)
    opened = session.create_encrypted(data, PASSPHRASE)
    opened.remember()
    build_database(opened.url, SIZES[name])
    from coreform.services import Services

    services = Services.open(opened.url)
    try:
        services.backup(opened.backup_folder)  # today's backup done: start-up does not make one
    finally:
        services.close()
    marker.touch()
    return data


Start = tuple[float, float, int]  # first paint (s), usable (s), peak resident memory (KB)


def _start_once(env: dict[str, str], mode: str) -> Start:
    spawned = time.time()
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "start_child.py"), mode, repr(spawned)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    line = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
    if not line.startswith("first_paint="):
        raise RuntimeError(f"start-up ({mode}) failed: {done.stderr[-2000:]}")
    values = dict(part.split("=") for part in line.split())
    return float(values["first_paint"]), float(values["usable"]), int(values["maxrss_kb"])


def start_up(folder: Path, data: Path) -> tuple[Start, Start]:
    """(bare window, app) over START_RUNS starts each: first paint, usable, peak memory.

    A bare start and an app start are taken in turn, so a burst of load on a shared machine
    slows both sides of the ratio; the first pair warms the disk cache and the holidays cache.
    """
    env = _environment(folder)
    env["COREFORM_DATA_DIR"] = str(data)
    pairs = [(_start_once(env, "bare"), _start_once(env, "app")) for _ in range(START_RUNS + 1)]
    return _summary([bare for bare, _ in pairs[1:]]), _summary([app for _, app in pairs[1:]])


def _summary(starts: list[Start]) -> Start:
    """The medians: one start slowed, or grown, by something else on the machine moves neither."""
    return (
        statistics.median(start[0] for start in starts),
        statistics.median(start[1] for start in starts),
        int(statistics.median(start[2] for start in starts)),
    )


def start_rows(folder: Path, sizes: list[str]) -> list[Row]:
    rows = []
    bare_rss = rss = 0
    for name in sizes:
        bare, (paint, usable, rss) = start_up(folder, dataset(folder, name))
        bare_paint, bare_usable, bare_rss = bare
        if name == "small":
            rows.append(
                Row(
                    "first paint, small database",
                    ms(paint),
                    f"bare window {ms(bare_paint)}",
                    paint / bare_paint,
                    "≤ 1.3×",
                    paint / bare_paint <= 1.3,
                )
            )
        rows.append(
            Row(
                f"usable window, {name} records",
                ms(usable),
                f"bare window {ms(bare_usable)}",
                usable / bare_usable,
                "≤ 3× at 250k" if name == "250k" else "",
                usable / bare_usable <= 3 if name == "250k" else None,
            )
        )
    extra_mb = (rss - bare_rss) / 1024
    rows.append(
        Row(
            f"peak memory, {sizes[-1]} records open",
            f"{rss / 1024:.0f} MB",
            f"bare window {bare_rss / 1024:.0f} MB",
            rss / bare_rss,
            "≤ +80 MB",
            extra_mb <= 80 if sizes[-1] == "250k" else None,
        )
    )
    return rows


def list_rows(folder: Path, sizes: list[str]) -> list[Row]:
    from bench.lists import first_screens

    if not sizes:  # `--sizes small`: the lists are measured on the 25k and 250k sets only
        return []
    return first_screens(folder, [(name, dataset(folder, name)) for name in sizes])


def working_day_rows() -> list[Row]:
    import numpy as np

    from coreform.deadlines import due_date
    from coreform.services import Services
    from coreform.workdays import Nation, WorkingCalendar

    calendar = WorkingCalendar(Nation.ENG)
    rng = np.random.default_rng(20261201)
    first = np.datetime64("2019-01-01")
    days = first + rng.integers(0, 8 * 365, 1_000_000).astype("timedelta64[D]")
    span = (dt.date(2035, 12, 31) - dt.date(2015, 1, 1)).days
    every_day = (dt.date(2015, 1, 1) + dt.timedelta(days=n) for n in range(span))
    holidays = np.array(
        [day for day in every_day if calendar.holiday_name(day)], dtype="datetime64[D]"
    )
    # roll="backward" then 2: from a weekend the count starts on the next working day (000).
    numpy_time = median_seconds(
        lambda: np.busday_offset(days, 2, roll="backward", holidays=holidays), 3
    )
    expected = np.busday_offset(days, 2, roll="backward", holidays=holidays)
    ours = calendar.add_working_days_batch(days, 2)
    if not (ours == expected).all():
        raise RuntimeError("the batch path disagrees with numpy.busday_offset")
    batch_time = median_seconds(lambda: calendar.add_working_days_batch(days, 2), 3)
    sample = [dt.date(2026, 12, 24) - dt.timedelta(days=n % 2_500) for n in range(10_000)]
    calendar_each = median_seconds(lambda: [due_date(day, calendar) for day in sample], 3) / len(
        sample
    )
    services = Services.open("sqlite://")
    try:
        services_each = median_seconds(
            lambda: [services.completion_deadline(day) for day in sample], 3
        ) / len(sample)
    finally:
        services.close()
    return [
        Row(
            "working days, batch of 1,000,000",
            ms(batch_time),
            f"numpy.busday_offset {ms(numpy_time)}",
            batch_time / numpy_time,
            "≤ 2×",
            batch_time / numpy_time <= 2,
        ),
        Row(
            "Services.completion_deadline, per date",
            f"{services_each * 1e6:.2f} µs",
            f"calendar alone {calendar_each * 1e6:.2f} µs",
            services_each / calendar_each,
            "",
            None,
        ),
    ]


def pdf_row() -> Row:
    from bench.documents import pdf_times

    ours, reportlab_table = pdf_times()
    return Row(
        "one monitoring-record PDF",
        ms(ours),
        f"reportlab 1-page table {ms(reportlab_table)}",
        ours / reportlab_table,
        "",
        None,
    )


def autosave_rows(folder: Path) -> list[Row]:
    from bench.ui_autosave import measure

    figures = measure(folder / "autosave")
    frame = 1 / 60
    gui = figures["snapshot"] + figures["validate"]
    return [
        Row(
            "autosave on the GUI thread",
            ms(gui),
            f"one frame {ms(frame)}",
            gui / frame,
            "",
            None,
        ),
        Row(
            "autosave in the worker",
            ms(figures["save"]),
            f"one frame {ms(frame)}",
            figures["save"] / frame,
            "",
            None,
        ),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--folder", type=Path, default=Path("/tmp/coreform-bench"))
    parser.add_argument(
        "--sizes", default="small,25k,250k", help="data sets, from: " + ", ".join(SIZES)
    )
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    folder: Path = args.folder
    folder.mkdir(parents=True, exist_ok=True)
    for name, value in _environment(folder).items():
        os.environ[name] = value
    os.environ["QT_QPA_PLATFORM"] = "offscreen"
    rows = start_rows(folder, sizes)
    rows += list_rows(folder, [name for name in sizes if name != "small"])
    from bench.caseload import caseload_rows, database_caseload_rows

    rows += [pdf_row(), *working_day_rows(), *caseload_rows(), *database_caseload_rows(folder)]
    rows += autosave_rows(folder)
    cpu = platform.processor() or platform.machine()
    print(
        f"\ncoreform bench, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {platform.system()} "
        f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}\n"
    )
    print_table(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
