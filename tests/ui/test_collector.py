"""Garbage is collected on the GUI thread only (ui/collector.py), never by a background job."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from typing import ClassVar

import pytest

from tests.qtbot import QtBot
from ui.collector import GuiThreadCollector


class _Cycle:
    """A reference cycle that notes the thread it is finally deleted on."""

    deleted_on: ClassVar[list[str]] = []

    def __init__(self) -> None:
        self.me = self

    def __del__(self) -> None:
        _Cycle.deleted_on.append(threading.current_thread().name)


@pytest.fixture
def collector() -> Iterator[GuiThreadCollector]:
    made = GuiThreadCollector()
    yield made
    made.stop()
    made.deleteLater()


def test_a_background_job_never_collects_the_gui_threads_garbage(
    qtbot: QtBot, collector: GuiThreadCollector
) -> None:
    _Cycle.deleted_on.clear()
    _Cycle()  # garbage at once: only the collector can find it
    assert not gc.isenabled()

    made: list[list[int]] = []

    def busy_job() -> None:  # allocates far past every threshold, as a caseload build does
        made.extend([index] for index in range(200_000))

    job = threading.Thread(target=busy_job, name="background job")
    job.start()
    job.join()
    assert _Cycle.deleted_on == []  # the job's allocations collected nothing

    qtbot.waitUntil(lambda: _Cycle.deleted_on != [], timeout=20_000)
    assert _Cycle.deleted_on == [threading.main_thread().name]


def test_stopping_gives_automatic_collection_back() -> None:
    around = gc.isenabled()  # off: the UI tests collect as the app does (tests/ui/conftest.py)
    gc.enable()
    made = GuiThreadCollector()
    assert not gc.isenabled()
    made.stop()
    made.deleteLater()
    assert gc.isenabled()
    if not around:
        gc.disable()
