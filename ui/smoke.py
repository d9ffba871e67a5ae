"""`coreform --smoke`: proves an installed copy works, from source or from the bundle.

Each check uses the real parts against a throwaway folder (never the user's data): the policy
profiles load, a new database migrates to the newest schema, a record's PDF renders with the
bundled fonts and reads back to the same record, pypdfium2 (Print) draws its pages to a PDF
printer, and the main window opens offscreen. An IT
team runs it after deploying; `.ci/run` runs it from source.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path

from coreform.records import Child, ChildObservation, KeyWorker, MonitoringRecord, now_london

# A name in each script the PDF must carry (issue 11), so a missing font shows here.
_SMOKE_NAMES = ("Zoë Ødegård-Nguyễn", "Wiktoria Żółć", "محمد", "علی", "অনন্যা", "李小龙")


def run_smoke() -> int:
    """Runs every check; prints one line each; 0 when all pass, 1 with the reasons otherwise."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    failures = 0
    with tempfile.TemporaryDirectory(prefix="coreform-smoke-") as scratch:
        folder = Path(scratch)
        checks: list[tuple[str, Callable[[], str]]] = [
            ("policy profiles", _policy_profiles),
            ("database and migrations", lambda: _database(folder)),
            ("PDF with the bundled fonts", _pdf),
            ("printing (pypdfium2)", lambda: _printing(folder)),
            ("main window", lambda: _main_window(folder)),
        ]
        for name, check in checks:
            try:
                detail = check()
            except Exception as error:
                failures += 1
                print(f"FAILED {name}: {type(error).__name__}: {error}")
                traceback.print_exc(file=sys.stderr)
            else:
                print(f"ok     {name}: {detail}")
    print("coreform smoke check passed" if not failures else f"{failures} check(s) failed")
    return 0 if not failures else 1


def _policy_profiles() -> str:
    from coreform.policies import load_profile, profile_ids

    ids = profile_ids()
    if not ids:
        raise RuntimeError("no policy profiles are bundled")
    for profile_id in ids:
        load_profile(profile_id)
    return ", ".join(ids)


def _database(folder: Path) -> str:
    from coreform.services import Services

    services = Services.open(f"sqlite:///{folder / 'smoke.db'}")
    try:
        if not services.schema_is_current():
            raise RuntimeError("the database did not reach the newest schema")
        record = services.save_draft(_sample_record())
        services.get_record(record.id)
    finally:
        services.close()
    return "a new database migrated to the newest schema and saved a draft"


def _pdf() -> str:
    from reports.pdf.container import read_record_from_pdf
    from reports.pdf.monitoring import build_monitoring_pdf

    record = _sample_record()
    pdf = build_monitoring_pdf(record, generated_at=now_london())
    back = read_record_from_pdf(pdf)
    names = [child.child.name for child in back.children]
    if names != list(_SMOKE_NAMES):
        raise RuntimeError(f"the record read back from the PDF differs: {names!r}")
    return f"{len(pdf):,} bytes, record read back unchanged"


def _printing(folder: Path) -> str:
    """Print draws pages with pdfium: a bundle missing its library fails here, not at a desk."""
    import pypdfium2
    from PySide6.QtPrintSupport import QPrinter

    from reports.pdf.monitoring import build_monitoring_pdf
    from ui.app import application
    from ui.printing import draw_pages

    application([])
    printed = folder / "printed.pdf"
    document = pypdfium2.PdfDocument(
        build_monitoring_pdf(_sample_record(), generated_at=now_london())
    )
    try:
        printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        draw_pages(document, printer)
        pages = len(document)
    finally:
        document.close()
    if not printed.is_file() or printed.stat().st_size == 0:
        raise RuntimeError("nothing was printed")
    return f"{pages} page(s) drawn to a PDF printer, {printed.stat().st_size:,} bytes"


def _main_window(folder: Path) -> str:
    from PySide6.QtCore import QSettings

    from coreform.services import Services
    from ui.app import application
    from ui.main_window import MainWindow

    app = application([])
    services = Services.open(f"sqlite:///{folder / 'window.db'}")
    try:
        window = MainWindow(
            services, QSettings(str(folder / "window.ini"), QSettings.Format.IniFormat)
        )
        window.show()
        app.processEvents()  # one pass, so every page is built and painted once
        shown = window.isVisible()
        window.close()
        window.deleteLater()
        app.processEvents()
    finally:
        services.close()
    if not shown:
        raise RuntimeError("the main window did not show")
    return f"opened and closed ({app.platformName()})"


def _sample_record() -> MonitoringRecord:
    return MonitoringRecord(
        family_name="Smoke test",
        children=[
            ChildObservation(child=Child(name=name, date_of_birth=dt.date(2019, 4, 2)))
            for name in _SMOKE_NAMES
        ],
        key_worker=KeyWorker(name="Key worker", email="key.worker@example.org"),
        visit_date=dt.date(2026, 3, 3),
    )
