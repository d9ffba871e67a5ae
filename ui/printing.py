"""Printing a record's PDF through Qt's print dialog.

Qt's printing rather than the system's PDF viewer: the pages are drawn from memory, so no
readable copy of a child's record is left in a temporary folder for a viewer to open; it works
the same on a locked-down PC with no PDF viewer (or one IT has not approved); and coreform knows
the pages went to the printer, so the audit trail can say so. QtPdf is not in
PySide6-Essentials, so pypdfium2 (imported only when printing) draws each page.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QWidget

from ui.dialogs.modal import run_modal

# Sharp enough for text on paper; 1200 dpi pages would take ~140 MB of memory each.
MAX_PRINT_DPI = 300
PDF_POINTS_PER_INCH = 72

NO_PRINTER = (
    "No printer is set up on this computer. Ask your IT team to add one, or choose “Save as "
    "PDF…” and print the file on a computer that has a printer."
)


class PrintingError(Exception):
    """The printer could not take the pages; the message says what to do."""


def no_printer_message() -> str:
    """NO_PRINTER when the system knows no printer, else ""."""
    return "" if QPrinterInfo.availablePrinters() else NO_PRINTER


def print_pdf(parent: QWidget, pdf: bytes, title: str, printer: QPrinter | None = None) -> bool:
    """Shows the print dialog for the PDF's pages (the system's printer unless one is given);
    True when the pages were sent to it, False when the user cancelled."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        pages = len(document)
        printer = printer or QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        printer.setFromTo(1, pages)
        dialog = QPrintDialog(printer, parent)
        dialog.setWindowTitle(f"Print {title}")
        dialog.setMinMax(1, pages)
        if run_modal(dialog, lambda _accepted: True) is None:
            return False
        draw_pages(document, printer)
        return True
    finally:
        document.close()


def draw_pages(document: Any, printer: QPrinter) -> None:
    """Each chosen page as an image fitted to the printable area."""
    painter = QPainter()
    if not painter.begin(printer):
        raise PrintingError(
            "The printer could not be started. Check that it is switched on and connected, "
            "then choose “Print…” again."
        )
    try:
        first = printer.fromPage() or 1
        last = printer.toPage() or len(document)
        scale = min(printer.resolution(), MAX_PRINT_DPI) / PDF_POINTS_PER_INCH
        area = painter.viewport()
        for number in range(first, last + 1):
            if number > first:
                printer.newPage()
            page = document[number - 1]
            bitmap = page.render(scale=scale, prefer_bgrx=True, rev_byteorder=True)
            image = QImage(
                bytes(bitmap.buffer),
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGBX8888,
            ).copy()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.topLeft(), size), image)
    finally:
        painter.end()
