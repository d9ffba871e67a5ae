"""Writing a child's chronology to a file (issue 13): CSV, XLSX and JSON, one entry at a time so a
long chronology streams from the database page by page. The PDF bundle is built by the services
from each record's own PDF.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from coreform.inbox import ChronologyEntry


class ExportFormat(StrEnum):
    PDF = "pdf"
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"

    @property
    def label(self) -> str:
        return _FORMAT_LABELS[self]


_FORMAT_LABELS = {
    ExportFormat.PDF: "PDF bundle of the records",
    ExportFormat.CSV: "CSV (comma-separated values)",
    ExportFormat.XLSX: "Excel workbook (XLSX)",
    ExportFormat.JSON: "JSON",
}

COLUMNS = (
    "Date",
    "Time",
    "Type",
    "What",
    "Agency",
    "By",
    "Child seen",
    "Reference",
    "Version",
    "Received",
    "Review",
)


def entry_row(entry: ChronologyEntry) -> list[Any]:
    """One entry as the columns above; dates as ISO text so every reader sorts them alike."""
    seen = {True: "Yes", False: "No", None: ""}[entry.child_seen]
    return [
        entry.day.isoformat(),
        entry.time.strftime("%H:%M") if entry.time else "",
        entry.kind.label,
        entry.title,
        entry.agency,
        entry.by,
        seen,
        entry.reference,
        entry.version if entry.version is not None else "",
        "Yes" if entry.received else "No",
        entry.review_state.label if entry.review_state else "",
    ]


class TableWriter(Protocol):
    def write(self, entries: Iterable[ChronologyEntry]) -> None: ...

    def close(self) -> None: ...


class _CsvWriter:
    def __init__(self, path: Path) -> None:
        # utf-8-sig: Excel on Windows reads the accents and scripts of every family's names.
        self._file = path.open("w", encoding="utf-8-sig", newline="")
        self._writer = csv.writer(self._file)
        self._writer.writerow(COLUMNS)

    def write(self, entries: Iterable[ChronologyEntry]) -> None:
        self._writer.writerows(entry_row(entry) for entry in entries)

    def close(self) -> None:
        self._file.close()


class _JsonWriter:
    """A JSON array written as it goes, so a long chronology never sits whole in memory."""

    def __init__(self, path: Path) -> None:
        self._file: io.TextIOWrapper = path.open("w", encoding="utf-8")
        self._file.write('{"schema": "coreform.chronology", "schema_version": 1, "entries": [')
        self._first = True

    def write(self, entries: Iterable[ChronologyEntry]) -> None:
        for entry in entries:
            item = dict(zip(_JSON_KEYS, entry_row(entry), strict=True))
            item.update(
                type=entry.kind.value,
                child_seen=entry.child_seen,
                received=entry.received,
                review=entry.review_state.value if entry.review_state else None,
            )
            self._file.write(
                ("\n" if self._first else ",\n") + json.dumps(item, ensure_ascii=False)
            )
            self._first = False

    def close(self) -> None:
        self._file.write("\n]}\n")
        self._file.close()


_JSON_KEYS = (
    "date",
    "time",
    "type",
    "what",
    "agency",
    "by",
    "child_seen",
    "reference",
    "version",
    "received",
    "review",
)


class _XlsxWriter:
    def __init__(self, path: Path) -> None:
        from openpyxl import Workbook  # takes a while to import; only exports need it

        self._path = path
        self._book = Workbook(write_only=True)
        self._sheet = self._book.create_sheet("Chronology")
        self._sheet.append(list(COLUMNS))

    def write(self, entries: Iterable[ChronologyEntry]) -> None:
        for entry in entries:
            self._sheet.append(entry_row(entry))

    def close(self) -> None:
        self._book.save(self._path)


def table_writer(format: ExportFormat, path: Path) -> TableWriter:
    """A writer for CSV, XLSX or JSON at `path` (the PDF bundle is built elsewhere)."""
    if format is ExportFormat.XLSX:
        return _XlsxWriter(path)
    if format is ExportFormat.JSON:
        return _JsonWriter(path)
    return _CsvWriter(path)
