"""The one safe file write: all or nothing, never over a file it must not replace."""

from __future__ import annotations

from pathlib import Path

import pytest

from coreform.safe_files import move_into_place, write_atomically


def test_a_write_replaces_the_whole_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "connection.json"
    path.write_bytes(b"old settings, longer than the new ones")
    write_atomically(path, b"new")
    assert path.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["connection.json"]


def test_an_exclusive_write_never_overwrites_and_cleans_up(tmp_path: Path) -> None:
    path = tmp_path / "coreform.key"
    write_atomically(path, "Nguyễn Thị Lan, Wiśniewska, 王芳".encode(), exclusive=True)
    with pytest.raises(FileExistsError):
        write_atomically(path, b"another key", exclusive=True)
    assert path.read_bytes().decode() == "Nguyễn Thị Lan, Wiśniewska, 王芳"
    assert [p.name for p in tmp_path.iterdir()] == ["coreform.key"]


def test_a_failed_write_keeps_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    path.write_bytes(b"kept")
    with pytest.raises(TypeError):
        write_atomically(path, "not bytes")  # type: ignore[arg-type]
    assert path.read_bytes() == b"kept"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]


def test_a_file_written_elsewhere_moves_into_place(tmp_path: Path) -> None:
    written = tmp_path / "backup.partial"
    written.write_bytes(b"backup")
    move_into_place(written, tmp_path / "backup.db")
    assert [p.name for p in tmp_path.iterdir()] == ["backup.db"]
