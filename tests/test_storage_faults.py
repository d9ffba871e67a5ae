"""Errors named for what they are (issue 9): a read-only folder, a full disk, a missing file and a
locked database each say so, in the app and the command line; only a wrong key is called one."""

from __future__ import annotations

import copy
import datetime as dt
import errno
import io
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from coreform.cli import main
from coreform.records import MonitoringRecord, RecordFormatError, record_from_dict, record_to_dict
from coreform.services import (
    DatabaseBusyError,
    DatabaseMissingError,
    DateOutOfRangeError,
    DiskFullError,
    ReadOnlyStorageError,
    Services,
    UnexpectedError,
)
from coreform.storage.keys import (
    DatabaseUnavailableError,
    WrongPassphraseError,
    create_database,
    database_url,
    unlock_with_passphrase,
)
from coreform.storage_faults import StorageFault, diagnose
from ui.formatting import parse_date

PASSPHRASE = "otter lantern velvet"
Clock = Callable[[], dt.datetime]


def _mount(*arguments: str) -> bool:
    if os.name != "posix" or os.geteuid() != 0:
        return False
    return subprocess.run(["mount", *arguments], capture_output=True).returncode == 0


@contextmanager
def small_disk(folder: Path, size: str) -> Iterator[Path]:
    """A tmpfs of `size` at `folder` (root on Linux only; the test is skipped elsewhere)."""
    folder.mkdir(parents=True)
    if not _mount("-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)):
        pytest.skip("needs root and tmpfs to make a small disk")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=True)


@contextmanager
def read_only(folder: Path) -> Iterator[None]:
    """Makes `folder` (a tmpfs from `small_disk`, or any folder when not root) read-only."""
    if os.geteuid() == 0:
        if not _mount("-o", "remount,ro", str(folder)):
            pytest.skip("cannot remount the folder read-only")
        try:
            yield
        finally:
            _mount("-o", "remount,rw", str(folder))
    else:
        folder.chmod(0o555)
        try:
            yield
        finally:
            folder.chmod(0o755)


def _fill(folder: Path) -> Path:
    """Writes until the disk is full; the file is removed to free the space again."""
    filler = folder / "filler"
    with filler.open("wb") as stream:
        try:
            while True:
                stream.write(b"\0" * 65536)
                stream.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def test_the_right_key_in_a_read_only_folder_is_not_called_wrong(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with small_disk(tmp_path / "data", "8m") as folder:
        database = folder / "coreform.db"
        key = create_database(database, PASSPHRASE).key
        Services.open(database_url(database, key)).close()
        with read_only(folder):
            with pytest.raises(DatabaseUnavailableError) as raised:
                unlock_with_passphrase(database, PASSPHRASE)
            assert raised.value.fault is StorageFault.READ_ONLY
            assert "read-only" in str(raised.value) and "key" not in str(raised.value)
            with pytest.raises(WrongPassphraseError):  # a wrong one is still called wrong
                unlock_with_passphrase(database, "not the passphrase at all")
            monkeypatch.setattr(sys, "stdin", io.StringIO(PASSPHRASE + "\n"))
            assert main(["verify", "--database", str(database)]) == 1
            err = capsys.readouterr().err
            assert "read-only" in err and "does not belong" not in err


def test_opening_a_read_only_folder_says_so(
    tmp_path: Path, clock: Clock, full_record: MonitoringRecord
) -> None:
    with small_disk(tmp_path / "data", "8m") as folder:
        url = f"sqlite:///{folder / 'coreform.db'}"
        Services.open(url, clock=clock).close()
        with read_only(folder), pytest.raises(ReadOnlyStorageError) as raised:
            Services.open(url, clock=clock)
        assert "read-only" in str(raised.value)
        services = Services.open(url, clock=clock)
        try:
            assert services.save_draft(full_record).observations == full_record.observations
        finally:
            services.close()


def test_a_full_disk_says_so_and_the_save_succeeds_once_space_is_freed(
    tmp_path: Path, clock: Clock, full_record: MonitoringRecord
) -> None:
    with small_disk(tmp_path / "data", "2m") as folder:
        database = folder / "coreform.db"
        key = create_database(database, PASSPHRASE).key
        services = Services.open(database_url(database, key), clock=clock)
        try:
            services.get_settings()
            filler = _fill(folder)
            large = copy.deepcopy(full_record)
            large.observations = "Mẹ bé An nói rằng… " * 20_000  # about 400 KB of Vietnamese
            with pytest.raises(DiskFullError) as raised:
                services.save_draft(large)
            assert "disk is full" in str(raised.value)
            filler.unlink()
            assert services.save_draft(large).observations == large.observations
        finally:
            services.close()


def test_an_injected_no_space_error_is_a_full_disk() -> None:
    assert diagnose(OSError(errno.ENOSPC, "No space left on device")) is StorageFault.DISK_FULL
    assert diagnose(OSError(errno.EROFS, "Read-only file system")) is StorageFault.READ_ONLY


def test_a_missing_data_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(DatabaseMissingError) as raised:
        Services.open(f"sqlite:///{tmp_path / 'unplugged-drive' / 'coreform.db'}")
    assert "missing" in str(raised.value)


def test_a_locked_database_says_another_program_is_using_it(
    services: Services, database_url: str, full_record: MonitoringRecord
) -> None:
    services.get_settings()
    holder = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    try:
        holder.execute("BEGIN EXCLUSIVE")
        with pytest.raises(DatabaseBusyError) as raised:
            services.save_draft(full_record)  # waits out the busy timeout first
        assert "another coreform window" in str(raised.value)
    finally:
        holder.close()
    assert services.save_draft(full_record).id == full_record.id


def test_a_fresh_encrypted_database_submits_at_once(
    tmp_path: Path, clock: Clock, full_record: MonitoringRecord
) -> None:
    database = tmp_path / "coreform.db"
    key = create_database(database, PASSPHRASE).key
    services = Services.open(database_url(database, key), clock=clock)
    try:
        submitted = services.submit_record(full_record)  # the first thing this run does
    finally:
        services.close()
    assert submitted.locked


def test_a_visit_in_9999_is_refused_at_input_and_never_breaks_the_list(
    services: Services, full_record: MonitoringRecord
) -> None:
    with pytest.raises(ValueError, match="between 1900 and 2100"):
        parse_date("31/12/9999")
    draft = copy.deepcopy(full_record)
    draft.visit_date = dt.date(9999, 12, 31)  # a draft kept from before the check
    services.save_draft(draft)
    (listed,) = services.list_records()
    assert listed.deadline is None
    with pytest.raises(DateOutOfRangeError):
        services.completion_deadline(dt.date(9999, 12, 31))
    assert any("between 1900 and 2100" in p.message for p in services.validate(draft))
    travelled = record_to_dict(full_record)
    travelled["record"]["visit_date"] = "9999-12-31"
    with pytest.raises(RecordFormatError, match="between 1900 and 2100"):
        record_from_dict(travelled)


def test_a_lone_surrogate_is_a_typed_error(
    services: Services, full_record: MonitoringRecord
) -> None:
    sent = json.dumps(record_to_dict(full_record)).replace("Clinic weigh-in.", "\\ud800")
    with pytest.raises(RecordFormatError, match="broken character"):
        record_from_dict(json.loads(sent))
    broken = copy.deepcopy(full_record)
    broken.observations = "Ola said \ud800"
    with pytest.raises(UnexpectedError, match="broken character"):
        services.save_draft(broken)
    assert services.list_records() == []
