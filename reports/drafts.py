"""Drafts for the user's own mail program: an unsent `.eml` file, opened with the program the
system picks, and cleared once no longer needed."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from coreform.safe_files import PARTIAL_SUFFIX, write_atomically


class DraftOpenError(Exception):
    """The draft was written but no mail program could be started; the message names the file."""


def write_eml_draft(message: EmailMessage, folder: Path) -> Path:
    """Writes an unsent `.eml` draft (attachment included) named from the record reference."""
    draft = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    del draft["X-Unsent"]
    # Mail programs open X-Unsent messages as drafts ready to send, not as received mail.
    draft["X-Unsent"] = "1"
    folder.mkdir(parents=True, exist_ok=True)
    stem = _draft_stem(message)
    data = draft.as_bytes(policy=policy.SMTP)
    number = 1
    while True:
        path = folder / (f"{stem}.eml" if number == 1 else f"{stem}-{number}.eml")
        try:
            write_atomically(path, data, exclusive=True)  # never over another draft
            return path
        except FileExistsError:
            number += 1


# Drafts hold readable PDFs, and the mail program reads one within moments of opening it, so
# coreform keeps its drafts for 1 day at most (deleted at start-up and on exit).
DRAFT_MAX_AGE = dt.timedelta(days=1)


def remove_old_drafts(
    folder: Path, *, max_age: dt.timedelta = DRAFT_MAX_AGE, now: float | None = None
) -> list[Path]:
    """Deletes the `.eml` drafts (and half-written ones) in coreform's drafts folder that are older
    than `max_age`; other files are left alone. A draft that cannot be deleted is skipped."""
    oldest = (time.time() if now is None else now) - max_age.total_seconds()
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []  # no drafts folder yet, or unreadable: nothing of ours to delete
    for path in entries:
        if not _is_draft(path.name):
            continue
        try:
            if path.is_file() and path.stat().st_mtime < oldest:
                path.unlink()
                removed.append(path)
        except OSError:
            continue  # open in the mail program on Windows: next time
    return removed


def _is_draft(name: str) -> bool:
    """A draft, or one a crash left half-written (`write_atomically`'s temporary file)."""
    return name.endswith(".eml") or (".eml" in name and name.endswith(PARTIAL_SUFFIX))


def _draft_stem(message: EmailMessage) -> str:
    for part in message.iter_attachments():
        filename = part.get_filename()
        if filename:
            return Path(filename).stem
    return "coreform-message"


def open_with_default_program(path: Path) -> None:
    """Opens the file in the program the system picks (the mail program for `.eml`)."""
    try:
        if sys.platform == "win32":
            os.startfile(path)  # type: ignore[attr-defined,unused-ignore]  # noqa: S606
            return
        opener = "open" if sys.platform == "darwin" else "xdg-open"
        process = subprocess.Popen(  # noqa: S603  # fixed program, the path is an argument
            [opener, str(path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as error:
        raise DraftOpenError(
            f"No program could be started to open the draft. Open it yourself: {path}"
        ) from error
    # Reap the opener in the background so the caller never waits for it.
    threading.Thread(target=process.wait, daemon=True).start()
