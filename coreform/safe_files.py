"""One safe way to write a file: a temporary file beside it, fsync, rename, fsync of the folder.

A crash or power cut then leaves either the old file or the new one, never half of either. Every
writer of keys, settings, backups, mail drafts, PDFs and connection files goes through here.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

# A file being written is `<name><random>.tmp` beside its final `<name>` until it is renamed.
PARTIAL_SUFFIX = ".tmp"


def write_atomically(path: Path, data: bytes, *, exclusive: bool = False) -> None:
    """Writes `data` to `path` all at once; with `exclusive`, fails if `path` already exists.

    Raises OSError (FileExistsError when `exclusive` and the file is there).
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=PARTIAL_SUFFIX)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if exclusive:
            os.link(temporary, path)  # fails if the file appeared meanwhile
            os.unlink(temporary)
        else:
            os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    fsync_folder(path.parent)


@contextlib.contextmanager
def partial_beside(path: Path) -> Iterator[Path]:
    """An empty temporary file beside `path`, for a writer that works in steps (an export page
    by page); `move_into_place` makes it `path`. Whatever is left of it is removed at the end.

    Raises OSError when the folder cannot be written.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=PARTIAL_SUFFIX)
    os.close(handle)
    partial = Path(temporary)
    try:
        yield partial
    finally:
        partial.unlink(missing_ok=True)


def move_into_place(written: Path, path: Path) -> None:
    """Renames a file written some other way (a database backup) to `path`, made durable the
    same way: its content synced first, the folder after."""
    with open(written, "rb") as stream:
        os.fsync(stream.fileno())
    os.replace(written, path)
    fsync_folder(path.parent)


def fsync_folder(folder: Path) -> None:
    """Makes a rename or a new file in `folder` survive a power cut (POSIX needs this)."""
    if os.name == "nt":
        return  # Windows cannot open a folder for fsync; NTFS journals the rename itself
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
