"""What coreform did, in a rotating log file in the data folder (and on stderr in a terminal).

Log lines name records by reference and version, accounts by user name, and errors by type;
never a child, a family or anything typed into a record. Tracebacks a worker catches go here too.
"""

from __future__ import annotations

import logging
import sys
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

LOG_FILE = "coreform.log"
# Enough for months of ordinary use; the oldest of the files kept is deleted after these.
LOG_MAX_BYTES = 1_000_000
LOG_FILES_KEPT = 5
_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class _Formatter(logging.Formatter):
    """Tracebacks with their frames and exception types, never the exceptions' messages: those
    can quote anything, including what was typed into a record."""

    def format(self, record: logging.LogRecord) -> str:
        cached = record.exc_text  # another handler's formatter may have cached the full text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached

    def formatException(self, ei: Any) -> str:  # noqa: N802  # logging.Formatter names it
        error: BaseException | None = ei[1]
        parts: list[str] = []
        seen: set[int] = set()
        while error is not None and id(error) not in seen:
            seen.add(id(error))
            kind = type(error)
            frames = "".join(traceback.format_tb(error.__traceback__))
            parts.insert(0, f"{frames}{kind.__module__}.{kind.__qualname__} (message not logged)")
            error = error.__cause__ or error.__context__
        return "Traceback (most recent call last):\n" + "\nwhich led to:\n".join(parts)


def configure_logging(folder: Path, *, to_stderr: bool | None = None) -> Path:
    """Logs to `folder`/coreform.log (rotated), and to stderr when it is a terminal.

    Called once at start; a second call changes nothing. Returns the log file's path.
    """
    path = folder / LOG_FILE
    root = logging.getLogger()
    if any(getattr(handler, "coreform", False) for handler in root.handlers):
        return path
    folder.mkdir(parents=True, exist_ok=True)
    handlers: list[logging.Handler] = [
        RotatingFileHandler(
            path, maxBytes=LOG_MAX_BYTES, backupCount=LOG_FILES_KEPT, encoding="utf-8"
        )
    ]
    if to_stderr if to_stderr is not None else sys.stderr is not None and sys.stderr.isatty():
        handlers.append(logging.StreamHandler(sys.stderr))
    for handler in handlers:
        handler.setFormatter(_Formatter(_FORMAT))
        handler.coreform = True  # type: ignore[attr-defined]  # marks ours, for the guard above
        root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def stop_logging() -> None:
    """Closes coreform's log handlers (tests, and the end of a run)."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "coreform", False)]:
        root.removeHandler(handler)
        handler.close()
