"""Background work for the window: one job helper, and what runs on it (autosave, the outbox).

`BackgroundJobs` runs functions on a worker thread, one after another, and hands each outcome
back on the GUI thread; jobs never touch widgets. A `CoreformError` is handed back as it is;
anything else is a bug, logged with its traceback, and handed back as a `CoreformError` saying
what stopped.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, Protocol, TypeVar

from PySide6.QtCore import QEventLoop, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication

from coreform.errors import ConflictError, CoreformError
from coreform.outbox import OutboxItem

if TYPE_CHECKING:
    from coreform.services import Services

AUTOSAVE_DELAY_MS = 700
# Continuous typing still saves at least this often, so a crash loses about a second at most.
AUTOSAVE_MAX_WAIT_MS = 1000
# Due retries are picked up this often; the first back-off step is one minute.
OUTBOX_CHECK_MS = 30_000


class Draft(Protocol):
    """What autosave needs of a draft (a monitoring record, core group minutes)."""

    version: int
    updated_at: dt.datetime
    reference: str


DraftT = TypeVar("DraftT", bound=Draft)
Result = TypeVar("Result")

_log = logging.getLogger(__name__)


class _Relay(QObject):
    ready = Signal()


class BackgroundJobs(QObject):
    """Runs jobs in order on one worker thread; `done` or `failed` is then called on the GUI
    thread. `busy` is True from `run` until the outcome has been handed back."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        # One thread: jobs (saves of one record, say) reach the database in the order given.
        self._pool.setMaxThreadCount(1)
        self._lock = threading.Lock()
        self._outcomes: deque[Callable[[], None]] = deque()
        self._unfinished = 0
        self._relay = _Relay(self)
        self._relay.ready.connect(self.deliver)

    @property
    def busy(self) -> bool:
        return self._unfinished > 0

    def run(
        self,
        work: Callable[[], Result],
        *,
        done: Callable[[Result], None],
        failed: Callable[[CoreformError], None],
        what: str,
    ) -> None:
        """`what` names the job for the log and the user: "Saving the draft", "Sending"."""
        self._unfinished += 1

        def job() -> None:
            outcome: Callable[[], None]
            try:
                value = work()
                outcome = lambda: done(value)  # noqa: E731
            except CoreformError as error:
                refusal = error
                outcome = lambda: failed(refusal)  # noqa: E731
            except Exception as error:  # a bug must not kill the thread or lose the outcome
                _log.exception("%s stopped", what)  # the traceback, never the message
                stopped = CoreformError(
                    f"{what} stopped ({type(error).__name__}). Try again; if it keeps happening, "
                    "ask IT for help: the details are in coreform's log."
                )
                outcome = lambda: failed(stopped)  # noqa: E731
            with self._lock:
                self._outcomes.append(outcome)
            self._relay.ready.emit()

        self._pool.start(job)

    def deliver(self) -> None:
        """Hands back every finished job's outcome, in order (the relay calls it)."""
        while True:
            with self._lock:
                if not self._outcomes:
                    return
                outcome = self._outcomes.popleft()
            self._unfinished -= 1
            outcome()

    def wait(self) -> None:
        """Blocks until every job has ended and its outcome has been handed back (on closing)."""
        self._pool.waitForDone()
        self.deliver()


def wait_for(work: Callable[[], Result], *, what: str) -> Result:
    """Runs `work` on a worker thread and returns its value (or raises its CoreformError) while
    the GUI thread goes on painting, with a busy cursor: for a step nothing else can go on
    without, such as connecting to the shared database at start."""
    jobs = BackgroundJobs()
    loop = QEventLoop()
    values: list[Result] = []
    errors: list[CoreformError] = []

    def done(value: Result) -> None:
        values.append(value)
        loop.quit()

    def failed(error: CoreformError) -> None:
        errors.append(error)
        loop.quit()

    jobs.run(work, done=done, failed=failed, what=what)
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    try:
        loop.exec()  # the outcome comes back through this loop, which it then ends
    finally:
        QApplication.restoreOverrideCursor()
    if errors:
        raise errors[0]
    return values[0]


class DraftSaver(QObject, Generic[DraftT]):
    """Saves a draft about `AUTOSAVE_DELAY_MS` after the last edit, one save at a time.

    `snapshot` is called in the GUI thread and must return a fresh copy of the record as typed;
    the saver stamps it with the last stored version and time, so successive saves never conflict.
    """

    saving = Signal()
    saved = Signal(object)  # the stored draft
    failed = Signal(str)  # a message for the user; the typed text stays in the window
    conflicted = Signal(object)  # a ConflictError on this draft: someone else changed it

    def __init__(
        self,
        save: Callable[[DraftT], DraftT],
        snapshot: Callable[[], DraftT],
        parent: QObject | None = None,
        delay_ms: int = AUTOSAVE_DELAY_MS,
    ) -> None:
        super().__init__(parent)
        self._save = save
        self._snapshot = snapshot
        self._jobs = BackgroundJobs(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._start)
        self._max_wait = QTimer(self)
        self._max_wait.setSingleShot(True)
        self._max_wait.setInterval(AUTOSAVE_MAX_WAIT_MS)
        self._max_wait.timeout.connect(self._start)
        self._dirty = False
        self._finishing = False
        self._last_stored: DraftT | None = None

    @property
    def pending(self) -> bool:
        """True while an edit has not reached the database yet."""
        return self._dirty or self._jobs.busy

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
        if self._jobs.busy or not self._dirty:
            return
        self._timer.stop()
        self._max_wait.stop()
        self._dirty = False
        record = self._stamped_snapshot()
        self.saving.emit()
        self._jobs.run(
            lambda: self._save(record),
            done=self._saved,
            failed=self._failed,
            what="Saving the draft",
        )

    def _saved(self, stored: DraftT) -> None:
        self._last_stored = stored
        self.saved.emit(stored)
        if self._dirty and not self._timer.isActive() and not self._finishing:
            self._start()

    def _failed(self, error: CoreformError) -> None:
        self._dirty = True  # keep the edit pending so the next change or Ctrl+S retries
        self.failed.emit(str(error))
        if isinstance(error, ConflictError) and error.record_id:
            self.conflicted.emit(error)

    def drop_pending(self) -> None:
        """The edit was kept another way (as a new version after a conflict): stop retrying."""
        self._timer.stop()
        self._max_wait.stop()
        self._dirty = False

    def finish(self) -> str:
        """Blocks until every edit is stored (on closing). Returns an error message or ""."""
        self._timer.stop()
        self._max_wait.stop()
        self._finishing = True
        try:
            self._jobs.wait()
        finally:
            self._finishing = False
        if not self._dirty:
            return ""
        self._dirty = False
        try:
            stored = self._save(self._stamped_snapshot())
        except CoreformError as error:
            self._failed(error)
            return str(error)
        self._last_stored = stored
        self.saved.emit(stored)
        return ""

    def _stamped_snapshot(self) -> DraftT:
        record = self._snapshot()
        if self._last_stored is not None:
            # The storage compares these with its copy to spot saves made elsewhere.
            record.version = self._last_stored.version
            record.updated_at = self._last_stored.updated_at
            record.reference = self._last_stored.reference
        return record


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
        self._jobs = BackgroundJobs(self)
        self._again = False
        self.timer = QTimer(self)
        self.timer.setInterval(OUTBOX_CHECK_MS)
        self.timer.timeout.connect(self.send_due)

    @property
    def running(self) -> bool:
        return self._jobs.busy

    def send_due(self) -> None:
        if self._jobs.busy:
            self._again = True
            return
        self.started.emit()
        self._jobs.run(
            # Emitting from the worker is safe: Qt queues it to this object's (the GUI) thread.
            lambda: self._services.process_outbox(progress=self.progress.emit),
            done=lambda settled: self._on_done(settled, ""),
            failed=lambda error: self._on_done([], str(error)),
            what="Sending",
        )

    def _on_done(self, settled: list[OutboxItem], error: str) -> None:
        self.finished.emit(settled, error)
        if self._again:
            self._again = False
            self.send_due()

    def wait(self) -> None:
        """Blocks until the current run ends (on closing the window); starts no other."""
        self.timer.stop()
        self._again = False
        self._jobs.wait()
