"""Automatic backups: daily when the app starts, off the GUI thread (and on exit, by `run`)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from ui.workers import BackgroundJobs

if TYPE_CHECKING:
    from coreform.services import Services


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
        self._jobs = BackgroundJobs(self)

    @property
    def running(self) -> bool:
        return self._jobs.busy

    def back_up_if_due(self) -> bool:
        """Starts a backup when none was made in the last day; True if one started."""
        try:
            due = self._services.backup_due(self.folder)
        except OSError as error:
            self.finished.emit("", f"The backup folder cannot be read: {error}")
            return False
        if not due or self._jobs.busy:
            return False
        self._jobs.run(
            lambda: self._services.backup(self.folder, keep=self.keep),
            done=lambda made: self.finished.emit(str(made), ""),
            failed=lambda error: self.finished.emit("", str(error)),
            what="The backup",
        )
        return True

    def wait(self) -> None:
        """Blocks until a running backup ends (before the database closes)."""
        self._jobs.wait()
