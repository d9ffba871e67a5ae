"""The `coreform` command, in-process through main() and as the installed entry point."""

from __future__ import annotations

import subprocess
import sys

import pytest

from coreform import __version__
from coreform.cli import main


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["uv", "run", "coreform", *args], capture_output=True, text=True, timeout=120, check=False
    )


def test_version_through_the_entry_point() -> None:
    result = _run("--version")
    assert (result.returncode, result.stdout.strip()) == (0, f"coreform {__version__}")


def test_deadline_through_the_entry_point() -> None:
    # 000: 2 working days; Christmas Day and the Boxing Day substitute (Mon 28 Dec) do not count.
    result = _run("deadline", "--visit", "2026-12-24", "--nation", "ENG")
    assert (result.returncode, result.stdout) == (0, "2026-12-30\n")


def test_bad_date_through_the_entry_point_is_one_line_and_exit_2() -> None:
    result = _run("deadline", "--visit", "24/12/2026")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "YYYY-MM-DD" in result.stderr


def test_python_m_coreform_is_the_same_command() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "coreform", "deadline", "--visit", "2026-12-24"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (result.returncode, result.stdout) == (0, "2026-12-30\n")


@pytest.mark.parametrize(
    ("args", "due"),
    [
        (["--visit", "2026-12-24"], "2026-12-30"),
        (["--visit", "2026-11-27", "--nation", "SCT"], "2026-12-02"),  # St Andrew's Day 2026
        (["--visit", "2026-11-27", "--nation", "eng"], "2026-12-01"),
        (["--visit", "2027-03-16", "--nation", "NIR"], "2027-03-19"),  # St Patrick's Day 2027
    ],
)
def test_deadline_in_process(args: list[str], due: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["deadline", *args]) == 0
    assert capsys.readouterr().out == f"{due}\n"


@pytest.mark.parametrize(
    "args",
    [
        ["deadline", "--visit", "2026-02-30"],
        ["deadline"],
        ["deadline", "--visit", "2026-12-24", "--nation", "WAL"],
        ["frobnicate"],
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert captured.err.startswith("coreform")


def test_version_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"coreform {__version__}\n"


def _heavy_modules_after_importing(module: str) -> str:
    code = (
        f"import sys, {module}; "
        "print(sorted({m.split('.')[0] for m in sys.modules} "
        "& {'sqlalchemy', 'alembic', 'PySide6', 'reportlab', 'pypdf', 'holidays', 'ui'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.strip()


def test_the_command_module_loads_nothing_heavy() -> None:
    assert _heavy_modules_after_importing("coreform.cli") == "[]"


def test_the_first_dialog_comes_before_the_storage_layer_loads() -> None:
    """The app module needs Qt for its dialogs, but no database or PDF code until one is open."""
    assert _heavy_modules_after_importing("ui.app") == "['PySide6', 'ui']"
