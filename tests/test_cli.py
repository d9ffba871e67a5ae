"""The `coreform` command, in-process through main() and as the installed entry point."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import cast

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


def _history(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "history.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


HISTORY = {
    "date_of_birth": "2026-03-01",
    "conferences": [
        {"kind": "initial", "date": "2026-11-02"},
        {"kind": "review", "date": "2027-02-01"},
    ],
    "core_groups": [{"date": "2026-11-13"}],
    "contacts": [
        {
            "date": "2026-11-20",
            "by": "key worker",
            "setting": "home",
            "seen": True,
            "baby_awake": True,
            "bedroom_seen": True,
        },
        {"date": "2026-11-26", "by": "core group member", "setting": "nursery", "seen": True},
        {"date": "2026-11-27", "by": "key worker", "setting": "home", "seen": False},
    ],
}


def test_timescales_prints_the_documented_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _history(tmp_path, HISTORY)
    args = ["timescales", "--policy", "central-bedfordshire", "--history", str(path)]
    assert main([*args, "--today", "2026-12-01"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows == [
        {"rule": "home_visit", "last_met": "2026-11-20", "due": "2026-12-04", "state": "met"},
        {"rule": "seen_alone", "last_met": "2026-11-20", "due": "2026-12-04", "state": "met"},
        {"rule": "bedroom_seen", "last_met": "2026-11-20", "due": "2026-12-18", "state": "met"},
        {
            "rule": "not_seen_by_key_worker",
            "last_met": "2026-11-20",
            "due": "2026-12-10",
            "state": "met",
        },
        {
            "rule": "not_seen_by_any_agency",
            "last_met": "2026-11-26",
            "due": "2027-01-12",
            "state": "met",
        },
        {
            "rule": "failed_visit_follow_up",
            "last_met": None,
            "due": "2026-12-04",
            "state": "due soon",
        },
    ]
    # Scotland: St Andrew's Day (Mon 30 Nov 2026) moves the 10-working-day home visit.
    assert main([*args, "--today", "2026-12-01", "--nation", "SCT"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["due"] == "2026-12-07"


@pytest.mark.parametrize(
    ("policy", "data", "says"),
    [
        ("lambeth", HISTORY, "no policy profile 'lambeth'"),
        ("suffolk", "{not json", "is not JSON"),
        ("suffolk", {"conferences": []}, "exactly one 'initial' conference"),
        (
            "suffolk",
            {
                **HISTORY,
                "contacts": [
                    {"date": "2026-13-01", "by": "key worker", "setting": "home", "seen": True}
                ],
            },
            "contacts[0].date: '2026-13-01' is not a date",
        ),
        (
            "suffolk",
            {
                **HISTORY,
                "contacts": [
                    {"date": "2026-11-01", "by": "teacher", "setting": "home", "seen": True}
                ],
            },
            "contacts[0].by must be 'key worker' or 'core group member'",
        ),
        (
            "suffolk",
            {
                **HISTORY,
                "contacts": [
                    {"date": "2026-11-01", "by": "key worker", "setting": "home", "seen": "yes"}
                ],
            },
            "contacts[0].seen must be true or false",
        ),
    ],
)
def test_timescales_bad_input_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], policy: str, data: object, says: str
) -> None:
    path = _history(tmp_path, data)
    assert main(["timescales", "--policy", policy, "--history", str(path)]) == 2


def test_render_and_extract_a_record_in_every_script(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:

    from pypdf import PdfReader
    from pypdf.generic import DictionaryObject

    from coreform.records import Child, ChildObservation, PlanType, record_to_dict
    from tests.test_pdf import make_record
    from tests.test_pdf_scripts import NAMES

    record = make_record()
    record.children = [
        ChildObservation(child=Child(name, dt.date(2016, 4, 1), PlanType.CIN))
        for name in NAMES.values()
    ]
    source = tmp_path / "record.json"
    source.write_text(json.dumps(record_to_dict(record), ensure_ascii=False), encoding="utf-8")
    pdf = tmp_path / "record.pdf"
    assert main(["render", str(source), str(pdf)]) == 0
    reader = PdfReader(pdf)
    assert str(reader.root_object["/Lang"]) == "en-GB"
    text = "\n".join(page.extract_text() for page in reader.pages)
    for script in ("Polish", "Greek", "Cyrillic", "Arabic", "mixed", "Urdu", "Chinese", "emoji"):
        assert NAMES[script] in text
    for page in reader.pages:
        resources = page["/Resources"]
        assert isinstance(resources, DictionaryObject)
        for font in cast(DictionaryObject, resources["/Font"].get_object()).values():
            descriptor = cast(DictionaryObject, font.get_object())["/FontDescriptor"]
            assert "/FontFile2" in cast(DictionaryObject, descriptor)  # embedded TrueType
    capsys.readouterr()
    assert main(["extract", str(pdf)]) == 0
    assert json.loads(capsys.readouterr().out) == record_to_dict(record)


def test_render_encrypts_and_extract_needs_the_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:

    from coreform.records import record_to_dict
    from tests.test_pdf import make_record

    source = tmp_path / "record.json"
    source.write_text(json.dumps(record_to_dict(make_record())), encoding="utf-8")
    pdf = tmp_path / "locked.pdf"
    assert main(["render", str(source), str(pdf), "--password", "correct horse"]) == 0
    capsys.readouterr()
    assert main(["extract", str(pdf)]) == 2
    error = capsys.readouterr().err
    assert len(error.strip().splitlines()) == 1 and "protected with a password" in error
    assert main(["extract", str(pdf), "--password", "correct horse"]) == 0
    assert json.loads(capsys.readouterr().out)["record"]["reference"] == "CG-2026-00042"


@pytest.mark.parametrize(
    ("command", "content", "says"),
    [
        ("render", b"{not json", "is not UTF-8 JSON"),
        ("render", b'{"schema": "other"}', "not a coreform monitoring record"),
        ("render", b"[1, 2]", "not a coreform"),
        ("extract", b"{}", "not a PDF coreform can read"),
        ("extract", b"%PDF-1.7\n%%EOF", "not a PDF coreform can read"),
    ],
)
def test_render_and_extract_refuse_bad_input_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str, content: bytes, says: str
) -> None:
    given = tmp_path / "given"
    given.write_bytes(content)
    args = [command, str(given)] + ([str(tmp_path / "out.pdf")] if command == "render" else [])
    assert main(args) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.strip().splitlines()) == 1
    assert says in captured.err


def test_timescales_missing_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "nope.json")
    assert main(["timescales", "--policy", "suffolk", "--history", missing]) == 2
    assert "cannot be read" in capsys.readouterr().err

    assert not (tmp_path / "out.pdf").exists()
