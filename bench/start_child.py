"""One start-up, timed from inside: `python bench/start_child.py bare|app SPAWNED_AT`.

Prints `first_paint=<s> usable=<s> maxrss_kb=<n>`, seconds since the parent spawned this process.
"bare" is the baseline: PySide6 imported, an application and an empty window shown. "app" runs
`ui.app.run()` as a user's start does (key remembered, so no dialog): first paint is the first
window painted, usable is the main window painted with My records filled and the event loop idle.
"""

from __future__ import annotations

import os
import resource
import sys
import time

MODE, SPAWNED_AT = sys.argv[1], float(sys.argv[2])

from PySide6.QtCore import QEvent, QObject, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402


class StartWatch(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.first_paint: float | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Paint
            and isinstance(watched, QWidget)
            and watched.isWindow()
        ):
            if self.first_paint is None:
                self.first_paint = time.time() - SPAWNED_AT
            QTimer.singleShot(0, self.check_usable)
        return False

    def check_usable(self) -> None:
        if MODE == "app":
            from ui.main_window import MainWindow

            windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
            if not windows or not windows[0].isVisible():
                return
            if windows[0].my_records.model.rowCount() == 0:
                QTimer.singleShot(1, self.check_usable)  # the first screen is still loading
                return
        usable = time.time() - SPAWNED_AT
        print(f"first_paint={self.first_paint} usable={usable} maxrss_kb={_peak_kb()}", flush=True)
        os._exit(0)  # skip the app's closing work (backup, end of session): not start-up


def _peak_kb() -> int:
    """This process's peak resident memory. Linux's VmHWM, where there is one: `ru_maxrss` keeps
    the high-water mark of the forking parent across exec, so a bare window started by a 60 MB
    bench read 59 MB instead of its 49."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


app = QApplication(["coreform"])
watch = StartWatch()
app.installEventFilter(watch)
if MODE == "bare":
    window = QWidget()
    window.setWindowTitle("bare")
    window.resize(800, 600)
    window.show()
    app.exec()
else:
    from ui.app import run

    run([])
print("the window closed before it was usable", file=sys.stderr)
sys.exit(1)
