"""Drafts for the user's own mail program: an unsent `.eml` file, opened with the program the
system picks, and cleared once no longer needed."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import threading
import time
from collections.abc import Sequence
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from coreform.safe_files import PARTIAL_SUFFIX, write_atomically


class DraftOpenError(Exception):
    """The draft was written but no program could open it; the message names the file."""


def write_eml_draft(message: EmailMessage, folder: Path) -> Path:
    """Writes an unsent `.eml` draft (attachment included) named from the record reference,
    readable by the user only (`write_atomically` creates files 0600, the folder is 0700)."""
    draft = BytesParser(policy=policy.default).parsebytes(message.as_bytes())
    del draft["X-Unsent"]
    # Mail programs open X-Unsent messages as drafts ready to send, not as received mail.
    draft["X-Unsent"] = "1"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
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


# A draft a crash left half-written is useless; after a day no run is still writing it.
PARTIAL_DRAFT_MAX_AGE = dt.timedelta(days=1)


def remove_drafts(folder: Path, paths: Sequence[str], *, now: float | None = None) -> list[str]:
    """Deletes the drafts at `paths` (only `.eml` files in `folder`: the services say which the
    user no longer needs) and half-written drafts older than a day; returns those of `paths`
    that are gone. A draft that cannot be deleted now (open in the mail program on Windows) is
    left for next time."""
    gone = []
    for name in paths:
        path = Path(name)
        if path.parent != folder or path.suffix != ".eml":
            continue  # not a draft of ours: never delete it
        try:
            path.unlink(missing_ok=True)
        except OSError:
            continue
        gone.append(name)
    oldest = (time.time() if now is None else now) - PARTIAL_DRAFT_MAX_AGE.total_seconds()
    try:
        entries = list(folder.iterdir())
    except OSError:
        return gone  # no drafts folder yet, or unreadable
    for path in entries:
        try:
            if _is_partial_draft(path.name) and path.stat().st_mtime < oldest:
                path.unlink()
        except OSError:
            continue
    return gone


def _is_partial_draft(name: str) -> bool:
    """A draft a crash left half-written (`write_atomically`'s temporary file)."""
    return ".eml" in name and name.endswith(PARTIAL_SUFFIX)


def _draft_stem(message: EmailMessage) -> str:
    for part in message.iter_attachments():
        filename = part.get_filename()
        if filename:
            return Path(filename).stem
    return "coreform-message"


# xdg-open and open exit once a program has the file, non-zero when none takes it (xdg-open:
# 3 or 4); an opener still running after this long is taken to be running the program itself.
OPENER_WAIT_SECONDS = 10.0


def not_opened_message(path: Path) -> str:
    return (
        f"No email program on this computer could open the draft. It is saved as {path}: open "
        "it yourself, or choose “Send through the mail server instead”."
    )


def open_with_default_program(path: Path, *, wait_seconds: float = OPENER_WAIT_SECONDS) -> None:
    """Opens the file in the program the system picks (the mail program for `.eml`); raises
    DraftOpenError when no program could open it. Called off the GUI thread: it may wait."""
    try:
        if sys.platform == "win32":
            # Raises when no program is associated with `.eml` (WinError 1155).
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
        raise DraftOpenError(not_opened_message(path)) from error
    try:
        status = process.wait(timeout=wait_seconds)
    except subprocess.TimeoutExpired:
        threading.Thread(target=process.wait, daemon=True).start()  # reaped when it ends
        return
    if status != 0:
        raise DraftOpenError(not_opened_message(path))
