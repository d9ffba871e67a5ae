"""The bench's rows: a measure, its baseline from the same run, the ratio and the target."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    what: str
    value: str
    baseline: str
    ratio: float | None
    target: str
    met: bool | None  # None: no target, or not measured

    def cells(self) -> tuple[str, ...]:
        ratio = "—" if self.ratio is None else f"{self.ratio:.2f}×"
        verdict = {True: "met", False: "MISSED", None: "—"}[self.met]
        return (self.what, self.value, self.baseline, ratio, self.target, verdict)


def median_seconds(action: Callable[[], object], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def print_table(rows: list[Row]) -> None:
    header = ("measure", "value", "baseline (same run)", "ratio", "target", "")
    table = [header, *(row.cells() for row in rows)]
    widths = [max(len(line[column]) for line in table) for column in range(len(header))]
    for number, line in enumerate(table):
        print("| " + " | ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) + " |")
        if number == 0:
            print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
