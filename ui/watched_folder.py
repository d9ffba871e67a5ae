"""An optional folder (where the mail program saves attachments) whose new PDFs and emails are
imported as they appear. Kept per computer in QSettings: the folder is this computer's."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, QSettings, QTimer, Signal

from ui.importing import RECEIVED_SUFFIXES

FOLDER_KEY = "inbox/watched_folder"
SEEN_KEY = "inbox/watched_until"
# A file still being written changes again within this time; import it once it is quiet.
SETTLE_MS = 800


class FolderWatcher(QObject):
    """Emits `arrived` with the received files that appeared since the last look."""

    arrived = Signal(object)  # list[Path]

    def __init__(self, settings: QSettings, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._settings = settings
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.setInterval(SETTLE_MS)
        self._settle.timeout.connect(self.look)
        self._watcher = QFileSystemWatcher(self)
        self._watcher.directoryChanged.connect(lambda _path: self._settle.start())
        self._folder: Path | None = None

    @property
    def folder(self) -> Path | None:
        return self._folder

    def restore(self) -> None:
        """Watches the folder chosen on this computer before, if it still exists."""
        saved = self._settings.value(FOLDER_KEY)
        if isinstance(saved, str) and saved and Path(saved).is_dir():
            self._watch(Path(saved))

    def watch(self, folder: Path) -> None:
        """From now on: files already there are not imported again, only new ones."""
        self._settings.setValue(FOLDER_KEY, str(folder))
        self._settings.setValue(SEEN_KEY, _newest(folder))
        self._watch(folder)

    def stop(self) -> None:
        if self._folder is not None:
            self._watcher.removePath(str(self._folder))
        self._folder = None
        self._settings.remove(FOLDER_KEY)

    def _watch(self, folder: Path) -> None:
        if self._folder is not None:
            self._watcher.removePath(str(self._folder))
        self._folder = folder
        self._watcher.addPath(str(folder))
        self.look()

    def look(self) -> None:
        """Imports files changed since the last look (also those saved while coreform was shut)."""
        if self._folder is None:
            return
        seen = float(self._settings.value(SEEN_KEY, 0.0) or 0.0)  # type: ignore[arg-type]
        try:
            new = sorted(
                path
                for path in self._folder.iterdir()
                if path.suffix.lower() in RECEIVED_SUFFIXES
                and path.is_file()
                and path.stat().st_mtime > seen
            )
        except OSError:
            return  # the folder went away (a network drive): look again on the next change
        if new:
            self._settings.setValue(SEEN_KEY, max(path.stat().st_mtime for path in new))
            self.arrived.emit(new)


def _newest(folder: Path) -> float:
    try:
        return max((path.stat().st_mtime for path in folder.iterdir()), default=0.0)
    except OSError:
        return 0.0
