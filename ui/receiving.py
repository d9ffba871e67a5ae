"""Receiving records in the main window: the File menu's import, files dropped on the window and
a watched folder, each batch after the one running; progress and the result show in the inbox."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, QUrl
from PySide6.QtWidgets import QFileDialog, QWidget

from coreform.inbox import ReceivedKind
from coreform.services import Services
from ui.dialogs.received_password import ReceivedPasswordDialog
from ui.importing import RECEIVED_SUFFIXES, FileImporter, FileResult, summary
from ui.pages.inbox import InboxPage
from ui.watched_folder import FolderWatcher


class Receiving(QObject):
    """`show_inbox` brings the inbox page forward, as choosing it in the navigation does."""

    def __init__(
        self,
        services: Services,
        settings: QSettings,
        inbox: InboxPage,
        show_inbox: Callable[[], None],
        window: QWidget,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._inbox = inbox
        self._show_inbox = show_inbox
        self.importer = FileImporter(services, self._ask_password, window)
        self.folder_watcher = FolderWatcher(settings, window)
        self._waiting: list[Path] = []
        inbox.import_requested.connect(self.choose_import)
        inbox.stop_button.clicked.connect(self.importer.cancel)
        inbox.watch_requested.connect(self.choose_watched_folder)
        self.importer.started.connect(self._started)
        self.importer.progress.connect(self._progress)
        self.importer.finished.connect(self._imported)
        self.folder_watcher.arrived.connect(lambda paths: self.import_files(paths, show=False))

    def choose_import(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(
            self._window,
            "Import received records or minutes",
            "",
            "Records or minutes received (*.pdf *.eml);;All files (*)",
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if chosen:
            self.import_files([Path(path) for path in chosen])

    def import_files(self, paths: list[Path], *, show: bool = True) -> None:
        """Files received PDFs and emails (after the import running now, if any); `show` opens
        the inbox, where progress and the result appear."""
        if show:
            self._show_inbox()
        if not self.importer.start(paths):
            self._waiting += paths

    def choose_watched_folder(self) -> None:
        if self.folder_watcher.folder is not None:
            self.folder_watcher.stop()
        else:
            chosen = QFileDialog.getExistingDirectory(
                self._window,
                "Import new records saved in this folder",
                "",
                QFileDialog.Option.ShowDirsOnly | QFileDialog.Option.DontUseNativeDialog,
            )
            if chosen:
                self.folder_watcher.watch(Path(chosen))
        self._inbox.show_watched(self.folder_watcher.folder)

    def _ask_password(self, file_name: str, wrong: bool) -> str | None:
        return ReceivedPasswordDialog.ask(file_name, wrong, self._window)

    def _started(self, total: int) -> None:
        self._inbox.progress.setRange(0, total)
        self._inbox.progress.setValue(0)
        self._inbox.show_progress(True)

    def _progress(self, done: int, total: int) -> None:
        self._inbox.progress.setValue(done)

    def _imported(self, results: list[FileResult]) -> None:
        self._inbox.show_progress(False)
        text, failed = summary(results, self._inbox.progress.maximum())
        self._inbox.report(text, failed)
        self._inbox.refresh()
        outcomes = [outcome for result in results for outcome in result.outcomes]
        if outcomes and outcomes[-1].kind is ReceivedKind.MINUTES:
            self._inbox.show_minutes(outcomes[-1].record_id, outcomes[-1].version)
        elif outcomes:
            self._inbox.select(outcomes[-1].record_id, outcomes[-1].version)
        waiting, self._waiting = self._waiting, []
        if waiting:
            self.import_files(waiting, show=False)

    def wait(self) -> None:
        """On closing: the file being read is settled and no further batch starts."""
        self._waiting = []
        self.importer.wait()


def received_paths(urls: list[QUrl]) -> list[Path]:
    """The local PDF and .eml files among dropped URLs."""
    return [
        Path(url.toLocalFile())
        for url in urls
        if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in RECEIVED_SUFFIXES
    ]
