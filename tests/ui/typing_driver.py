"""Run as a child process by test_crash_recovery: the real window on $COREFORM_DATA_DIR, typing.

It types into a new record's purpose, prints "typed", then goes on typing a dot every 300 ms
until it is killed, as a practitioner would be when the power goes. It prints "saved" once the
first autosave holding what it typed has been stored, so the test knows when to kill it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtTest import QTest

from coreform.records import MonitoringRecord
from coreform.services import Services
from ui.app import application, start_window

TYPED = "Checked the sleeping arrangements"


def main() -> int:
    app = application([])
    services = Services.open()
    folder = Path(os.environ["COREFORM_DATA_DIR"])
    window = start_window(services, QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat))
    window.show()
    window.start_record(None)
    announced: list[bool] = []

    def on_saved(record: MonitoringRecord) -> None:
        if TYPED in record.purpose and not announced:
            announced.append(True)
            print("saved", flush=True)

    window.editor.saved.connect(on_saved)
    field = window.editor.rows["purpose"].inputs[0]
    field.setFocus()
    QTest.keyClicks(field, TYPED)
    print("typed", flush=True)
    more = QTimer(window)
    more.timeout.connect(lambda: QTest.keyClicks(field, "."))
    more.start(300)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
