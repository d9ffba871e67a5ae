"""Background work for the window: saving drafts off the GUI thread.

Jobs never touch widgets; they hand their result to a relay object that lives in the GUI thread,
so Qt delivers it there as a queued signal.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from coreform.records import MonitoringRecord
from coreform.services import CoreformError

AUTOSAVE_DELAY_MS = 700
# Continuous typing still saves at least this often, so a crash loses about a second at most.
AUTOSAVE_MAX_WAIT_MS = 1000

SaveFunction = Callable[[MonitoringRecord], MonitoringRecord]


class _Relay(QObject):
    done = Signal(object)


class _SaveJob(QRunnable):
    def __init__(self, save: SaveFunction, record: MonitoringRecord, relay: _Relay) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self._save = save
        self.record = record
        self._relay = relay
        self.stored: MonitoringRecord | None = None
        self.error = ""

    def run(self) -> None:
        try:
            self.stored = self._save(self.record)
        except CoreformError as error:
            self.error = str(error)
        except Exception as error:  # a bug must not kill the worker thread and lose the draft
            self.error = f"The draft could not be saved ({type(error).__name__}: {error})."
        self._relay.done.emit(self)


class DraftSaver(QObject):
    """Saves a draft about `AUTOSAVE_DELAY_MS` after the last edit, one save at a time.

    `snapshot` is called in the GUI thread and must return a fresh copy of the record as typed;
    the saver stamps it with the last stored version and time, so successive saves never conflict.
    """

    saving = Signal()
    saved = Signal(object)  # the stored MonitoringRecord
    failed = Signal(str)  # a message for the user; the typed text stays in the window

    def __init__(
        self,
        save: SaveFunction,
        snapshot: Callable[[], MonitoringRecord],
        parent: QObject | None = None,
        delay_ms: int = AUTOSAVE_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._snapshot = snapshot
        self._pool = QThreadPool(self)
        # One thread: saves of one record must reach the database in the order they were made.
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._start)
        self._max_wait = QTimer(self)
        self._max_wait.setSingleShot(True)
        self._max_wait.setInterval(AUTOSAVE_MAX_WAIT_MS)
        self._max_wait.timeout.connect(self._start)
        self._job: _SaveJob | None = None
        self._dirty = False
        self._last_stored: MonitoringRecord | None = None

    @property
    def pending(self) -> bool:
        """True while an edit has not reached the database yet."""
        return self._dirty or self._job is not None

    def schedule(self) -> None:
        self._dirty = True
        self._timer.start()
        if not self._max_wait.isActive():
            self._max_wait.start()

    def flush(self) -> None:
        """Starts saving pending edits now instead of after the typing pause."""
        self._start()

    def save_soon(self) -> None:
        """Save now (Ctrl+S, leaving the record) without waiting for the typing pause."""
        self._dirty = True
        self._start()

    def _start(self) -> None:
        if self._job is not None or not self._dirty:
            return
        self._timer.stop()
        self._max_wait.stop()
        self._dirty = False
        self._job = _SaveJob(self._save, self._stamped_snapshot(), self._relay)
        self.saving.emit()
        self._pool.start(self._job)

    def _on_done(self, job: _SaveJob, *, go_on: bool = True) -> None:
        if job is not self._job:
            return  # already handled by finish()
        self._job = None
        if job.stored is not None:
            self._last_stored = job.stored
            self.saved.emit(job.stored)
        else:
            self._dirty = True  # keep the edit pending so the next change or Ctrl+S retries
            self.failed.emit(job.error)
        if go_on and self._dirty and not self._timer.isActive() and job.stored is not None:
            self._start()

    def finish(self) -> str:
        """Blocks until every edit is stored (on closing). Returns an error message or ""."""
        self._timer.stop()
        self._max_wait.stop()
        self._pool.waitForDone()
        if self._job is not None:
            self._on_done(self._job, go_on=False)
        if not self._dirty:
            return ""
        self._dirty = False
        try:
            stored = self._save(self._stamped_snapshot())
        except CoreformError as error:
            self._dirty = True
            self.failed.emit(str(error))
            return str(error)
        self._last_stored = stored
        self.saved.emit(stored)
        return ""

    def _stamped_snapshot(self) -> MonitoringRecord:
        record = self._snapshot()
        if self._last_stored is not None:
            # The storage compares these with its copy to spot saves made elsewhere.
            record.version = self._last_stored.version
            record.updated_at = self._last_stored.updated_at
            record.reference = self._last_stored.reference
        return record
