"""Importing received files (menu, drop, watched folder): one file at a time off the GUI thread,
asking for a protected PDF's password in it, with progress and a way to stop between files."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QObject, Signal

from coreform.errors import FilePasswordError, IntakeError
from coreform.inbox import Filing, ImportOutcome, ReceivedKind
from coreform.services import CoreformError, Services
from ui.workers import BackgroundJobs

# Files the import offers and a drop accepts.
RECEIVED_SUFFIXES = (".pdf", ".eml")

# (file name, whether the last password was wrong) -> the password, or None to skip the file
PasswordAsker = Callable[[str, bool], str | None]


@dataclass
class FileResult:
    """What importing one file did: its records filed, or why it was not."""

    path: Path
    outcomes: list[ImportOutcome] = field(default_factory=list)
    error: str = ""


class FileImporter(QObject):
    """Runs one batch at a time; `finished` carries a FileResult per file tried."""

    started = Signal(int)  # files in the batch
    progress = Signal(int, int)  # files done, files in the batch
    finished = Signal(object)  # list[FileResult]

    def __init__(
        self, services: Services, ask_password: PasswordAsker, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._ask_password = ask_password
        self._jobs = BackgroundJobs(self)
        self._waiting: list[Path] = []
        self._results: list[FileResult] = []
        self._total = 0
        self._running = False
        self._stop = False

    @property
    def running(self) -> bool:
        return self._running

    def start(self, paths: list[Path]) -> bool:
        """False when a batch is already running (the caller says so) or nothing was given."""
        if self._running or not paths:
            return False
        self._waiting = list(paths)
        self._results = []
        self._total = len(paths)
        self._running = True
        self._stop = False
        self.started.emit(self._total)
        self._next(None)
        return True

    def cancel(self) -> None:
        """Stops after the file being read; what was filed stays filed."""
        self._stop = True

    def wait(self) -> None:
        self._stop = True
        self._jobs.wait()

    def _next(self, password: str | None) -> None:
        if self._stop or not self._waiting:
            self._running = False
            self.finished.emit(self._results)
            return
        path = self._waiting[0]
        self._jobs.run(
            lambda: self._import(path, password),
            done=self._file_done,
            failed=lambda error: self._file_failed(path, error),
            what="Importing a received file",
        )

    def _import(self, path: Path, password: str | None) -> FileResult:
        """On the worker thread."""
        try:
            data = path.read_bytes()
        except OSError as error:
            raise IntakeError(
                f"The file could not be read ({error.strerror}). Check it still exists."
            ) from error
        return FileResult(path, self._services.receive_file(path.name, data, password=password))

    def _file_failed(self, path: Path, error: CoreformError) -> None:
        if isinstance(error, FilePasswordError) and not self._stop:
            password = self._ask_password(path.name, error.wrong)
            if password:
                self._next(password)
                return
            self._file_done(FileResult(path, error="Not imported: no password was given."))
        else:
            self._file_done(FileResult(path, error=str(error)))

    def _file_done(self, result: FileResult) -> None:
        self._waiting.pop(0)
        self._results.append(result)
        self.progress.emit(len(self._results), self._total)
        self._next(None)


# (filing, kind) -> the sentence for {n} of them, for one among others, for the batch's only one
_FILED_SENTENCES = {
    (Filing.FILED, ReceivedKind.RECORD): ("{n} new records are filed.", "1 new record is filed."),
    (Filing.AMENDMENT, ReceivedKind.RECORD): (
        "{n} amendments are filed, earlier versions kept.",
        "1 amendment is filed, earlier versions kept.",
    ),
    (Filing.DUPLICATE, ReceivedKind.RECORD): (
        "{n} records were already filed (nothing changed).",
        "1 record was already filed (nothing changed).",
    ),
    (Filing.FILED, ReceivedKind.MINUTES): (
        "{n} sets of core group minutes are filed.",
        "1 set of core group minutes is filed.",
        "The core group minutes are filed.",
    ),
    (Filing.AMENDMENT, ReceivedKind.MINUTES): (
        "{n} sets of amended core group minutes are filed, earlier versions kept.",
        "1 set of amended core group minutes is filed, earlier versions kept.",
        "The amended core group minutes are filed, earlier versions kept.",
    ),
    (Filing.DUPLICATE, ReceivedKind.MINUTES): (
        "{n} sets of core group minutes were already filed (nothing changed).",
        "1 set of core group minutes was already filed (nothing changed).",
        "The core group minutes were already filed (nothing changed).",
    ),
}
_MATCH = "select {it} and choose “Match child…”."
_UNKNOWN_CHILD_SENTENCES = {
    ReceivedKind.RECORD: (
        "{n} records name a child not on file yet: " + _MATCH.format(it="them"),
        "1 record names a child not on file yet: " + _MATCH.format(it="it"),
    ),
    ReceivedKind.MINUTES: (
        "{n} sets of minutes name a child not on file yet: " + _MATCH.format(it="them"),
        "1 set of minutes names a child not on file yet: " + _MATCH.format(it="it"),
        "The core group minutes name a child not on file yet: " + _MATCH.format(it="them"),
    ),
}


def _counted(n: int, sentences: tuple[str, ...], alone: bool = False) -> str:
    """`alone`: the batch holds only this one of its kind, so "the minutes" says which."""
    many, one, *only = sentences
    if n != 1:
        return many.format(n=n)
    return only[0] if alone and only else one


def summary(results: list[FileResult], total: int) -> tuple[str, bool]:
    """One paragraph saying what the batch did, and whether anything went wrong."""
    outcomes = [o for r in results for o in r.outcomes]
    of_kind = {k: sum(o.kind is k for o in outcomes) for k in ReceivedKind}
    filed = [
        _counted(n, sentences, of_kind[kind] == 1)
        for (filing, kind), sentences in _FILED_SENTENCES.items()
        if (n := sum(o.filing is filing and o.kind is kind for o in outcomes))
    ]
    failed = [r for r in results if r.error]
    lines = [" ".join(filed) or "Nothing filed."]
    lines += [f"{r.path.name}: {r.error}" for r in failed]
    if len(results) < total:
        lines.append(
            "Stopped: "
            + _counted(total - len(results), ("{n} files not imported.", "1 file not imported."))
        )
    for kind, sentences in _UNKNOWN_CHILD_SENTENCES.items():
        unknown = sum(bool(o.unknown_children) and o.kind is kind for o in outcomes)
        if unknown:
            lines.append(_counted(unknown, sentences, of_kind[kind] == 1))
    return "\n".join(lines), bool(failed)
