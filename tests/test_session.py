"""Opening the app's database through coreform.session: first run, wrong secrets, the keyring."""

from __future__ import annotations

from pathlib import Path

import pytest

from coreform import session
from coreform.services import Services
from tests.conftest import MemoryKeyring

PASSPHRASE = "otter lantern velvet"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_first_run_makes_an_encrypted_database_the_services_open(tmp_path: Path) -> None:
    assert not session.database_exists(tmp_path)
    opened = session.create_encrypted(tmp_path, PASSPHRASE)
    assert session.database_exists(tmp_path) and session.is_encrypted(tmp_path)
    assert len(opened.recovery_key.split("-")) == 12
    assert opened.url.startswith("sqlite+pysqlcipher://")
    assert PASSPHRASE not in repr(opened) and opened.recovery_key not in repr(opened)
    services = Services.open(opened.url)
    services.close()
    assert (tmp_path / "coreform.db").read_bytes()[:16] != b"SQLite format 3\x00"


def test_first_run_never_overwrites(tmp_path: Path) -> None:
    session.create_encrypted(tmp_path, PASSPHRASE)
    before = _files(tmp_path)
    with pytest.raises(session.UnlockError, match="will not overwrite"):
        session.create_encrypted(tmp_path, "another long passphrase")
    assert _files(tmp_path) == before


def test_short_passphrase_is_refused_before_anything_is_made(tmp_path: Path) -> None:
    with pytest.raises(session.UnlockError, match="at least 12 characters"):
        session.create_encrypted(tmp_path, "short")
    assert list(tmp_path.iterdir()) == []


def test_wrong_passphrase_is_refused_and_writes_nothing(tmp_path: Path) -> None:
    made = session.create_encrypted(tmp_path, PASSPHRASE)
    Services.open(made.url).close()
    before = _files(tmp_path)
    with pytest.raises(session.WrongSecretError, match="Caps Lock"):
        session.unlock(tmp_path, "not the passphrase")
    with pytest.raises(session.WrongSecretError):
        session.unlock_with_recovery_key(tmp_path, "AAAA-" * 11 + "AAAA")
    assert _files(tmp_path) == before
    assert session.unlock(tmp_path, PASSPHRASE).url == made.url
    assert session.unlock_with_recovery_key(tmp_path, made.recovery_key.lower()).url == made.url


def test_recovery_key_then_new_passphrase(tmp_path: Path) -> None:
    made = session.create_encrypted(tmp_path, PASSPHRASE)
    recovered = session.unlock_with_recovery_key(tmp_path, made.recovery_key)
    recovered.set_passphrase("a brand new passphrase")
    assert session.unlock(tmp_path, "a brand new passphrase").url == made.url


def test_remember_on_this_computer(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    made = session.create_encrypted(tmp_path, PASSPHRASE)
    assert session.unlock_remembered(tmp_path) is None
    made.remember()
    remembered = session.unlock_remembered(tmp_path)
    assert remembered is not None and remembered.url == made.url
    made.forget()
    assert session.unlock_remembered(tmp_path) is None


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ("", "random words"),
        ("abc", "9 more characters"),
        ("aaaaaaaaaaaaaa", "easy to guess"),
        ("otter lantern", "Good"),
        ("otter lantern velvet tram", "Strong"),
    ],
)
def test_passphrase_hint(typed: str, hint: str) -> None:
    assert hint in session.passphrase_hint(typed)
