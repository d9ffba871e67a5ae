"""Automatic backups: daily when the app starts, off the GUI thread (and on exit, by `run`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from coreform.services import CoreformError, Services


class _Relay(QObject):
    done = Signal(str, str)  # the backup's path or "", an error message or ""


class _BackupJob(QRunnable):
    def __init__(self, services: Services, folder: Path, keep: int, relay: _Relay) -> None:
        super().__init__()
        self._services = services
        self._folder = folder
        self._keep = keep
        self._relay = relay

    def run(self) -> None:
        try:
            made = self._services.backup(self._folder, keep=self._keep)
        except CoreformError as error:
            self._relay.done.emit("", str(error))
        except Exception as error:  # a bug must not kill the worker thread silently
            self._relay.done.emit("", f"The backup stopped ({type(error).__name__}: {error}).")
        else:
            self._relay.done.emit(str(made), "")


class BackupScheduler(QObject):
    """Runs a checked, encrypted, rotated backup in a worker thread; one at a time."""

    finished = Signal(str, str)  # path or "", error message or ""

    def __init__(
        self, services: Services, folder: Path, keep: int, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self.folder = folder
        self.keep = keep
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._relay = _Relay(self)
        self._relay.done.connect(self._on_done)
        self._running = False

    @property
    def running(self) -> bool:
        return self._running

    def back_up_if_due(self) -> bool:
        """Starts a backup when none was made in the last day; True if one started."""
        try:
            due = self._services.backup_due(self.folder)
        except OSError as error:
            self.finished.emit("", f"The backup folder cannot be read: {error}")
            return False
        if not due or self._running:
            return False
        self._running = True
        self._pool.start(_BackupJob(self._services, self.folder, self.keep, self._relay))
        return True

    def _on_done(self, path: str, error: str) -> None:
        self._running = False
        self.finished.emit(path, error)

    def wait(self) -> None:
        """Blocks until a running backup ends (before the database closes)."""
        self._pool.waitForDone()
