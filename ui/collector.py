"""Python's cycle collector, run on the GUI thread only.

Left to itself the collector runs in whichever thread happens to allocate when a threshold is
crossed, often a background job's. Garbage it finds there can hold Qt objects of the GUI thread
(a closed window's timers, a page's models), and deleting them from another thread is what Qt
warns of as "Timers cannot be started from another thread", or worse. So automatic collection is
off and a timer on the GUI thread collects the generations whose thresholds were crossed, as
the collector itself would have (the pattern PyQt applications use for this).
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

# How often the thresholds are looked at: often enough that garbage never piles up for long,
# cheap when nothing is due (three integers compared).
CHECK_EVERY_MS = 500


class GuiThreadCollector(QObject):
    """Turns automatic collection off while it lives (it must be made on the GUI thread)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.collect_due)
        self._timer.start()

    def collect_due(self) -> int:
        """Collects the oldest generation whose threshold is crossed; the objects found."""
        counts, thresholds = gc.get_count(), gc.get_threshold()
        generation = -1
        for number in range(3):
            if counts[number] <= thresholds[number]:
                break
            generation = number
        return gc.collect(generation) if generation >= 0 else 0

    def stop(self) -> None:
        """Automatic collection back as it was (the run ends, or a test tears down)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
