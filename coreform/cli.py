"""The `coreform` command: with no subcommand it opens the window; subcommands do scripted work.

Kept light: nothing heavy (SQLAlchemy, Qt, reportlab) is imported until a command needs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from coreform import __version__
from coreform.records import date_in_range, out_of_range_message
from coreform.workdays import Nation


class _Parser(argparse.ArgumentParser):
    """Reports bad arguments as one line on stderr, exit status 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message}\n")


def _iso_date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date; write it as YYYY-MM-DD, for example 2026-12-24"
        ) from None
    if not date_in_range(day):
        raise argparse.ArgumentTypeError(out_of_range_message(day))
    return day


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="coreform",
        description="Multi-agency core group monitoring records. Without a command, opens the app.",
    )
    parser.add_argument("--version", action="version", version=f"coreform {__version__}")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="check this installation works (profiles, migrations, PDF and fonts, the window) "
        "against a throwaway database, then exit",
    )
    commands = parser.add_subparsers(dest="command", parser_class=_Parser)
    deadline = commands.add_parser(
        "deadline",
        help="print the date by which a visit's record must be completed and sent (000)",
    )
    deadline.add_argument("--visit", required=True, type=_iso_date, help="visit date, YYYY-MM-DD")
    _nation_option(deadline)
    timescales = commands.add_parser(
        "timescales",
        help="print one child's timescales under a policy profile as JSON (rule, last_met, due, "
        "state)",
    )
    timescales.add_argument(
        "--policy", required=True, help="the policy profile id, for example central-bedfordshire"
    )
    timescales.add_argument(
        "--history", required=True, type=Path, help="the child's history file (JSON)"
    )
    timescales.add_argument(
        "--today", type=_iso_date, help="the day to compute for, YYYY-MM-DD (default: today)"
    )
    _nation_option(timescales)
    database_help = "the database file (default: coreform.db in the user data folder)"
    backup = commands.add_parser("backup", help="back up the database, checked and encrypted")
    backup.add_argument("--database", type=Path, help=database_help)
    backup.add_argument(
        "--folder", type=Path, help="where backups go (default: backups/ beside it)"
    )
    backup.add_argument("--keep", type=int, default=None, help="how many backups to keep")
    restore = commands.add_parser("restore", help="replace the database with a checked backup")
    restore.add_argument("file", type=Path, help="the backup file to restore")
    restore.add_argument("--database", type=Path, help=database_help)
    verify = commands.add_parser(
        "verify", help="check the database and its audit trail; print the newest audit hash"
    )
    verify.add_argument("--database", type=Path, help=database_help)
    verify.add_argument("--head", help="an exported audit head (the line, or a file holding it)")
    verify.add_argument("--export-head", type=Path, help="write the newest audit hash to a file")
    verify.add_argument(
        "--upgrade",
        action="store_true",
        help="first bring a database last opened by an older coreform up to date, as opening "
        "it in coreform does",
    )
    account = commands.add_parser(
        "add-account",
        help="add a person's account (the first must be an administrator's; later ones need an "
        "administrator to sign in); asks for the passwords",
    )
    account.add_argument("user_name", help="the name they sign in with")
    account.add_argument(
        "--role",
        required=True,
        choices=["practitioner", "key_worker", "manager", "administrator"],
        help="what they may do",
    )
    account.add_argument("--display-name", default="", help="their full name, for the screen")
    account.add_argument("--database", type=Path, help=database_help)
    render = commands.add_parser(
        "render",
        help="write the PDF of a record or of core group minutes, given as the JSON a coreform "
        "PDF carries",
    )
    render.add_argument("record", type=Path, help="the record JSON (README: the record in the PDF)")
    render.add_argument("pdf", type=Path, help="the PDF file to write")
    render.add_argument("--password", help="encrypt the PDF (AES-256) with this password")
    extract = commands.add_parser(
        "extract", help="print the record (or minutes) JSON inside a coreform PDF"
    )
    extract.add_argument("pdf", type=Path, help="a PDF made by coreform")
    extract.add_argument("--password", help="the password of an encrypted PDF")
    return parser


def _nation_option(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--nation",
        type=str.upper,
        choices=[nation.value for nation in Nation],
        default=Nation.ENG.value,
        help="whose bank holidays count (default ENG: England and Wales)",
    )


def _timescales(options: argparse.Namespace) -> int:
    import json

    from coreform.history import HistoryError, read_history
    from coreform.policies import PolicyError, load_profile
    from coreform.records import now_london
    from coreform.timescales import compute_timescales
    from coreform.workdays import WorkingCalendar

    today = options.today or now_london().date()
    try:
        profile = load_profile(options.policy)
        history = read_history(options.history, today)
    except (PolicyError, HistoryError) as error:
        print(f"coreform timescales: error: {error}", file=sys.stderr)
        return 2
    statuses = compute_timescales(
        history.plan,
        history.contacts,
        history.core_groups,
        profile,
        WorkingCalendar(options.nation),
        today,
        date_of_birth=history.date_of_birth,
    )
    rows = [
        {
            "rule": status.rule.value,
            "last_met": status.last_met and status.last_met.isoformat(),
            "due": status.due and status.due.isoformat(),
            "state": status.state.value,
        }
        for status in statuses
    ]
    print(json.dumps(rows, indent=2))
    return 0


def _deadline(visit: dt.date, nation: Nation) -> int:
    from coreform.deadlines import due_date
    from coreform.workdays import WorkingCalendar

    print(due_date(visit, WorkingCalendar(nation)).isoformat())
    return 0


def _smoke() -> int:
    smoke = importlib.import_module("ui.smoke")  # by name, like the window (import contracts)
    code: int = smoke.run_smoke()
    return code


def _open_window(argv: list[str]) -> int:
    # Imported by name at run time: the core never depends on the Qt UI (import contracts).
    app = importlib.import_module("ui.app")
    code: int = app.run(argv)
    return code


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        options = _parser().parse_args(arguments)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 2
    if options.smoke:
        return _smoke()
    if options.command == "deadline":
        return _deadline(options.visit, Nation(options.nation))
    if options.command == "timescales":
        return _timescales(options)
    if options.command in ("backup", "restore", "verify", "add-account"):
        return _maintenance(options)
    if options.command in ("render", "extract"):
        return _pdf_command(options)
    return _open_window(arguments)


def _pdf_command(options: argparse.Namespace) -> int:
    # Imported by name at run time, as the window is: the core never depends on `reports`.
    commands = importlib.import_module("reports.cli")
    if options.command == "render":
        code: int = commands.render(options.record, options.pdf, options.password)
    else:
        code = commands.extract(options.pdf, options.password)
    return code


def _maintenance(options: argparse.Namespace) -> int:
    from coreform import maintenance

    database = options.database or maintenance.default_database()
    if options.command == "backup":
        return maintenance.run_backup(database, options.folder, options.keep)
    if options.command == "restore":
        return maintenance.run_restore(database, options.file)
    if options.command == "add-account":
        return maintenance.run_add_account(
            database, options.user_name, options.role, options.display_name
        )
    return maintenance.run_verify(
        database, options.head, options.export_head, upgrade=options.upgrade
    )
