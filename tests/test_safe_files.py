"""The one safe file write: all or nothing, never over a file it must not replace."""

from __future__ import annotations

from pathlib import Path

import pytest

from coreform.safe_files import move_into_place, partial_beside, write_atomically


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


def test_a_file_written_in_steps_appears_whole_or_not_at_all(tmp_path: Path) -> None:
    path = tmp_path / "chronology.csv"
    with pytest.raises(RuntimeError), partial_beside(path) as part:
        part.write_text("Chowdhury, Ayesha\n", encoding="utf-8")
        raise RuntimeError("cancelled halfway")
    assert list(tmp_path.iterdir()) == []
    with partial_beside(path) as part:
        part.write_text("Chowdhury, Ayesha\nKowalski, Zofia\n", encoding="utf-8")
        move_into_place(part, path)
    assert path.read_text(encoding="utf-8") == "Chowdhury, Ayesha\nKowalski, Zofia\n"
    assert [p.name for p in tmp_path.iterdir()] == ["chronology.csv"]
