"""End to end through AT-SPI, the bus Orca reads: the real app under Xvfb, read by pyatspi.

Needs Debian's at-spi2-core, python3-pyatspi, dbus and xvfb (`.ci/run` installs them). Outside
CI the test is skipped, saying so, when they are missing; in CI (`.ci/run` sets COREFORM_CI) it
fails instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from coreform import session
from coreform.errors import CoreformError
from coreform.services import Services

SYSTEM_PYTHON = "/usr/bin/python3"
READER = Path(__file__).with_name("atspi_reader.py")
PASSPHRASE = "Zofia Kowalczyk walks to school"
WRONG = "Zofia Kowalczyk walks to schoo1"


def _missing() -> str:
    needed = {
        "dbus-run-session (dbus)": shutil.which("dbus-run-session"),
        "xvfb-run (xvfb)": shutil.which("xvfb-run"),
        "at-spi-bus-launcher (at-spi2-core)": Path("/usr/libexec/at-spi-bus-launcher").exists(),
    }
    missing = [name for name, found in needed.items() if not found]
    has_pyatspi = Path(SYSTEM_PYTHON).exists() and (
        subprocess.run([SYSTEM_PYTHON, "-c", "import pyatspi"], capture_output=True).returncode == 0
    )
    if not has_pyatspi:
        missing.append(f"pyatspi for {SYSTEM_PYTHON} (python3-pyatspi)")
    return ", ".join(missing)


@pytest.fixture(scope="module")
def atspi() -> None:
    missing = _missing()
    if missing and not os.environ.get("COREFORM_CI"):
        pytest.skip(f"AT-SPI end-to-end check needs: {missing} (apt-get install them)")
    assert not missing, f"CI must have: {missing}"


def _read(folder: Path, *arguments: str) -> dict[str, Any]:
    """Runs the reader on a private session bus and X server; what it read, as a dict."""
    environment = {
        **os.environ,
        "COREFORM_DATA_DIR": str(folder / "data"),
        "COREFORM_CONFIG_DIR": str(folder / "config"),
        "XDG_CONFIG_HOME": str(folder / "xdg"),
        "XDG_RUNTIME_DIR": str(folder / "runtime"),
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    (folder / "runtime").mkdir(mode=0o700, exist_ok=True)
    command = [
        "dbus-run-session",
        "--",
        "xvfb-run",
        "-a",
        "-s",
        "-screen 0 1280x800x24",
        SYSTEM_PYTHON,
        str(READER),
        sys.executable,
        *arguments,
    ]
    result = subprocess.run(
        command, capture_output=True, text=True, timeout=240, env=environment, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    answer: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def test_a_screen_reader_reads_the_recovery_key_a_wrong_passphrase_and_my_records(
    atspi: None, tmp_path: Path
) -> None:
    first_run = _read(tmp_path, "first-run", PASSPHRASE)
    key = first_run["recovery_key"]
    assert len(key.split()) == 12, key  # the key itself, as shown, not "Recovery key"
    data = tmp_path / "data"
    opened = session.unlock_with_recovery_key(data, key)  # the key read out is the real one

    services = Services.open(opened.url)
    try:
        draft = services.new_record()
        draft.family_name = "Kowalczyk"
        draft = services.save_draft(draft)
    finally:
        services.close()
    with pytest.raises(CoreformError) as refused:
        session.unlock(data, WRONG)

    unlocking = _read(tmp_path, "unlock", WRONG, PASSPHRASE)
    assert unlocking["problem"] == str(refused.value)
    assert str(refused.value) in unlocking["announced"]
    assert unlocking["first_column"] == "Reference"
    assert unlocking["first_cell"] == draft.reference
    assert "My records" in unlocking["headings"]
