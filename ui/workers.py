"""Background work for the window: saving drafts and sending the outbox off the GUI thread.

Jobs never touch widgets; they hand their result to a relay object that lives in the GUI thread,
so Qt delivers it there as a queued signal.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QRunnable, QThreadPool, QTimer, Signal

from coreform.outbox import OutboxItem
from coreform.records import MonitoringRecord
from coreform.services import CoreformError, Services

AUTOSAVE_DELAY_MS = 700
# Continuous typing still saves at least this often, so a crash loses about a second at most.
AUTOSAVE_MAX_WAIT_MS = 1000
# Due retries are picked up this often; the first back-off step is one minute.
OUTBOX_CHECK_MS = 30_000

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


class _SendRelay(QObject):
    progress = Signal(int, int)
    done = Signal(object, str)  # the settled OutboxItems, and an error message or ""


class _SendJob(QRunnable):
    def __init__(self, services: Services, relay: _SendRelay) -> None:
        super().__init__()
        self._services = services
        self._relay = relay

    def run(self) -> None:
        try:
            settled = self._services.process_outbox(progress=self._relay.progress.emit)
        except CoreformError as error:
            self._relay.done.emit([], str(error))
        except Exception as error:  # a bug must not kill the worker thread silently
            self._relay.done.emit([], f"Sending stopped ({type(error).__name__}: {error}).")
        else:
            self._relay.done.emit(settled, "")


class OutboxSender(QObject):
    """Delivers the due outbox messages off the GUI thread, one run at a time.

    A request while a run is going starts one more run after it, so nothing queued meanwhile
    waits for the next timer tick.
    """

    started = Signal()
    progress = Signal(int, int)  # messages done, messages due
    finished = Signal(object, str)  # list[OutboxItem] settled, error message or ""

    def __init__(self, services: Services, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _SendRelay(self)
        self._relay.progress.connect(self.progress)
        self._relay.done.connect(self._on_done)
        self._running = False
        self._again = False
        self.timer = QTimer(self)
        self.timer.setInterval(OUTBOX_CHECK_MS)
        self.timer.timeout.connect(self.send_due)

    @property
    def running(self) -> bool:
        return self._running

    def send_due(self) -> None:
        if self._running:
            self._again = True
            return
        self._running = True
        self.started.emit()
        self._pool.start(_SendJob(self._services, self._relay))

    def _on_done(self, settled: list[OutboxItem], error: str) -> None:
        self._running = False
        self.finished.emit(settled, error)
        if self._again:
            self._again = False
            self.send_due()

    def wait(self) -> None:
        """Blocks until the current run ends (on closing the window)."""
        self.timer.stop()
        self._pool.waitForDone()
