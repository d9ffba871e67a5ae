"""The `coreform render` and `coreform extract` commands, for checking, support and scripts.

coreform.cli parses the arguments and imports this module by name when one of these commands
runs: the core never imports `reports` (import contracts), and the command line is, like
`ui.app` for the window, where the parts are put together.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

from coreform.minutes import (
    MINUTES_SCHEMA_NAME,
    CoreGroupMinutes,
    minutes_from_dict,
)
from coreform.records import MonitoringRecord, RecordFormatError, now_london, record_from_dict
from coreform.safe_files import write_atomically


class _BadInputError(Exception):
    """Bad input: one line for stderr."""


def render(record_file: Path, pdf_file: Path, password: str | None) -> int:
    """Writes the PDF of a record, or of core group minutes, given as embedded-data JSON (any
    schema version read)."""
    from reports.pdf import build_monitoring_pdf
    from reports.pdf.minutes import build_minutes_pdf

    try:
        document = _read_record(record_file)
        if password == "":
            raise _BadInputError("--password is empty; give a password or leave the option out")
        if isinstance(document, CoreGroupMinutes):
            data = build_minutes_pdf(document, generated_at=now_london(), password=password)
        else:
            data = build_monitoring_pdf(document, generated_at=now_london(), password=password)
        try:
            write_atomically(pdf_file, data)
        except OSError as error:
            raise _BadInputError(f"cannot write {pdf_file}: {error.strerror or error}") from error
    except _BadInputError as refused:
        return _fail("render", str(refused))
    return 0


def extract(pdf_file: Path, password: str | None) -> int:
    """Prints the record (or minutes) JSON inside a coreform PDF."""
    from reports.pdf import NotACoreformPdf, PdfImportError
    from reports.pdf.container import read_record_from_pdf, record_json
    from reports.pdf.minutes import minutes_json, read_minutes_from_pdf

    # pypdf logs what it repairs; the one line on stderr is ours.
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)
    try:
        data = _read_bytes(pdf_file)
        try:
            text = record_json(read_record_from_pdf(data, password))
        except NotACoreformPdf:
            text = minutes_json(read_minutes_from_pdf(data, password))
    except _BadInputError as refused:
        return _fail("extract", str(refused))
    except PdfImportError as error:
        return _fail("extract", f"{pdf_file}: {error}")
    sys.stdout.write(text.decode("utf-8") + "\n")
    return 0


def _read_record(path: Path) -> MonitoringRecord | CoreGroupMinutes:
    raw = _read_bytes(path)
    try:
        parsed = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise _BadInputError(
            f"{path} is not UTF-8 JSON; give the JSON a coreform PDF carries"
        ) from error
    try:
        if isinstance(parsed, dict) and parsed.get("schema") == MINUTES_SCHEMA_NAME:
            return minutes_from_dict(parsed)
        return record_from_dict(parsed)
    except RecordFormatError as error:
        raise _BadInputError(f"{path}: {str(error).rstrip('.')}") from error
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError) as error:
        raise _BadInputError(f"{path} is not a coreform record (unexpected content)") from error


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as error:
        raise _BadInputError(f"cannot read {path}: {error.strerror or error}") from error


def _fail(command: str, message: str) -> int:
    sys.stderr.write(f"coreform {command}: error: {' '.join(message.split())}\n")
    return 2
