"""A submitted record's copies at any time: any version saved as a PDF that reads back to it,
and printed through the print dialog (driven to a PDF printer), each listed where it went."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QDialog, QFileDialog

from coreform.records import MonitoringRecord
from coreform.services import Services
from reports.pdf import read_record_from_pdf
from tests.qtbot import QtBot
from tests.ui.conftest import when_dialog_opens
from tests.ui.helpers import click
from ui.dialogs.pdf_password import PdfPasswordDialog
from ui.main_window import MainWindow
from ui.printing import NO_PRINTER

PASSWORD = "Orchard-Lantern-26"


@pytest.fixture
def amended(ui_services: Services, full_record: MonitoringRecord) -> MonitoringRecord:
    """Version 1 of the Wiśniewski family's record, and version 2 amending its visit time."""
    full_record.family_name = "Wiśniewski"
    full_record.lateness_reason = "The school was closed for the strike."
    first = ui_services.submit_record(ui_services.save_draft(full_record))
    draft = ui_services.amend_record(first.id, "The visit time was wrong.")
    draft.visit_time = dt.time(15, 40)
    return ui_services.submit_record(draft)


def test_an_earlier_version_saved_as_a_protected_pdf_reads_back(
    qtbot: QtBot, window: MainWindow, amended: MonitoringRecord, tmp_path: Path
) -> None:
    window.open_record(amended.id)
    copies = window.record_view.copies
    assert copies.version.isVisible()
    assert copies.made.text() == "Not saved or printed yet."
    copies.version.setFocus()
    qtbot.keyClick(copies.version, Qt.Key.Key_Down)  # newest first: down to version 1
    assert copies.chosen_version() == 1
    target = tmp_path / "Wiśniewski v1.pdf"

    def type_password(dialog: QDialog) -> None:
        assert isinstance(dialog, PdfPasswordDialog)
        qtbot.keyClicks(dialog.password, PASSWORD)
        qtbot.keyClicks(dialog.again, PASSWORD)
        qtbot.keyClick(dialog.again, Qt.Key.Key_Return)

    def choose_file(dialog: QDialog) -> None:
        assert isinstance(dialog, QFileDialog)
        assert dialog.selectedFiles()[0].endswith(f"{amended.reference} v1.pdf")
        dialog.selectFile(str(target))
        when_dialog_opens(type_password)
        dialog.accept()

    when_dialog_opens(choose_file)
    click(qtbot, copies.save_button)
    qtbot.waitUntil(lambda: "saved as" in copies.status.text(), timeout=20000)
    assert "protected with a password" in copies.status.text()
    back = read_record_from_pdf(target.read_bytes(), PASSWORD)
    assert (back.id, back.version, back.visit_time) == (amended.id, 1, dt.time(14, 15))
    assert copies.made.text().startswith("Saved or printed: Version 1 saved as a PDF by ")


def test_print_reaches_the_dialog_and_the_pages_reach_a_pdf_printer(
    qtbot: QtBot,
    window: MainWindow,
    ui_services: Services,
    amended: MonitoringRecord,
    tmp_path: Path,
) -> None:
    window.open_record(amended.id)
    copies = window.record_view.copies
    if not QPrinterInfo.availablePrinters():  # this machine has none: the user is told so
        click(qtbot, copies.print_button)
        assert copies.problem.text() == NO_PRINTER
    pdf = ui_services.record_pdf(amended.id, 2)
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    seen: list[str] = []

    def accept(dialog: QDialog) -> None:
        assert isinstance(dialog, QPrintDialog)
        seen.append(dialog.windowTitle())
        dialog.accept()

    when_dialog_opens(accept)
    copies.print_pdf(pdf, 2, printer)
    assert seen == [f"Print {amended.reference} v2"]
    printed = PdfReader(tmp_path / "printed.pdf")
    assert len(printed.pages) == len(PdfReader(io.BytesIO(pdf)).pages)
    assert copies.status.text() == "Version 2 sent to the printer."
    assert "Version 2 printed by " in copies.made.text()


def test_the_email_draft_is_made_again_after_it_was_deleted(
    qtbot: QtBot,
    window: MainWindow,
    ui_services: Services,
    full_record: MonitoringRecord,
    opened_drafts: list[Path],
) -> None:
    full_record.family_name = "Chowdhury"
    full_record.lateness_reason = "The school was closed for the strike."
    sent = ui_services.submit_and_send(ui_services.save_draft(full_record)).record
    ui_services.process_outbox()
    (first,) = [path for path in opened_drafts]
    first.unlink()  # gone from the drafts folder, as coreform once deleted them
    window.open_record(sent.id)
    copies = window.record_view.copies
    assert copies.draft_button.isVisible()
    click(qtbot, copies.draft_button)
    qtbot.waitUntil(lambda: len(opened_drafts) == 2, timeout=20000)
    assert opened_drafts[1].exists()
    assert "being written again" in copies.status.text()
