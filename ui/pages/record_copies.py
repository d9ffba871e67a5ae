"""A submitted record's copies at any time (issue 10): any version saved as a PDF or printed, and
where the saved and printed copies went (the emailed ones are the record's sending history)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coreform.outbox import OutboxItem, RecipientKind, Transport
from coreform.records import MonitoringRecord, RecordState
from coreform.services import CopyMade, CoreformError, Services
from coreform.settings import PdfProtection
from ui.accessibility import MessageLabel, describe
from ui.dialogs.pdf_password import PdfPasswordDialog
from ui.pages.banner import problem_label
from ui.sending_text import moment_text
from ui.workers import BackgroundJobs

if TYPE_CHECKING:
    from PySide6.QtPrintSupport import QPrinter


def copy_line(made: CopyMade) -> str:
    """'Version 2 printed by jpatel on Tue 1 Dec 2026 13:40'."""
    return f"Version {made.version} {made.kind.value} by {made.by} on {moment_text(made.at)}"


class RecordCopies(QWidget):
    """`queued` when a draft is to be written again: the outbox then writes and opens it."""

    queued = Signal()

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._record: MonitoringRecord | None = None
        self._jobs = BackgroundJobs(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row = QHBoxLayout()
        self.version_label = QLabel("Version:", self)
        self.version = QComboBox(self)
        self.version.setAccessibleName("Version to save or print")
        self.version_label.setBuddy(self.version)
        self.version.currentIndexChanged.connect(self._show_draft_button)
        row.addWidget(self.version_label)
        row.addWidget(self.version)
        self.save_button = QPushButton("Save as PDF…", self)
        self.save_button.clicked.connect(self.save_pdf)
        row.addWidget(self.save_button)
        self.print_button = QPushButton("Print…", self)
        self.print_button.clicked.connect(self.print_record)
        row.addWidget(self.print_button)
        self.draft_button = QPushButton("Make the email draft again", self)
        self.draft_button.setToolTip(
            "Writes the key worker's email again, with this version's PDF, and opens it in your "
            "email program."
        )
        self.draft_button.clicked.connect(self.remake_draft)
        row.addWidget(self.draft_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.made = QLabel(self)
        self.made.setWordWrap(True)
        self.made.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard)
        describe(self.made, "Copies saved or printed")
        layout.addWidget(self.made)
        self.status = MessageLabel(self)
        layout.addWidget(self.status)
        self.problem = problem_label(self)
        layout.addWidget(self.problem)
        for label in (self.status, self.problem):
            label.hide()

    def show_record(self, record: MonitoringRecord) -> None:
        self._record = record
        self._show(self.status, "")
        self._show(self.problem, "")
        self.version.clear()
        try:
            versions = self._services.submitted_versions(record.id)
        except CoreformError as error:
            self._show(self.problem, f"The record's versions could not be read: {error}")
            versions = [record]
        for stored in reversed(versions):  # newest first
            amended = " (amended)" if stored.state is RecordState.AMENDED else ""
            self.version.addItem(f"Version {stored.version}{amended}", stored.version)
        self.version.setCurrentIndex(max(self.version.findData(record.version), 0))
        # One version needs no choosing.
        self.version_label.setVisible(len(versions) > 1)
        self.version.setVisible(len(versions) > 1)
        self._show_draft_button()
        self.refresh_made()

    def chosen_version(self) -> int:
        assert self._record is not None
        return int(self.version.currentData() or self._record.version)

    def refresh_made(self) -> None:
        if self._record is None:
            return
        try:
            made = self._services.copies_made(self._record.id)
        except CoreformError as error:
            self.made.setText(f"The copies made could not be read: {error}")
            return
        lines = [copy_line(copy) for copy in made]
        self.made.setText(
            "Saved or printed: " + "; ".join(lines) + "." if lines else "Not saved or printed yet."
        )

    # ---- saving ------------------------------------------------------------------------------

    def save_pdf(self) -> None:
        if self._record is None:
            return
        version = self.chosen_version()
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        name = f"{self._record.reference} v{version}.pdf"
        chosen, _ = QFileDialog.getSaveFileName(
            self, "Save the record as a PDF", str(Path(folder) / name), "PDF files (*.pdf)"
        )
        if not chosen:
            return
        path = Path(chosen).with_suffix(".pdf")
        password = self._password()
        if password is None:
            return
        self._busy(True)
        self._show(self.status, f"Saving version {version} as a PDF…")
        record_id = self._record.id
        self._jobs.run(
            lambda: self._services.export_pdf(
                record_id, path, version=version, password=password or None
            ),
            done=lambda saved: self._saved(saved, version, protected=bool(password)),
            failed=self._not_saved,
            what="Saving the PDF",
        )

    def _password(self) -> str | None:
        """The organisation's rule: its own password, one typed for every PDF, or a choice."""
        protection = self._services.get_settings().mail.pdf_protection
        if protection is PdfProtection.ORGANISATION:
            return ""  # the services apply the organisation's password
        optional = protection is PdfProtection.NONE
        return PdfPasswordDialog.ask(self, optional=optional, action="Protect and save")

    def _saved(self, path: Path, version: int, *, protected: bool) -> None:
        self._busy(False)
        lock = ""
        if protected or self._services.get_settings().mail.pdf_protection is not PdfProtection.NONE:
            lock = " It is protected with a password: keep the password apart from the file."
        self._show(self.status, f"Version {version} saved as {path}.{lock}")
        self.refresh_made()

    def _not_saved(self, error: CoreformError) -> None:
        self._busy(False)
        self._show(self.status, "")
        self._show(self.problem, f"The PDF was not saved: {error}")

    # ---- printing ----------------------------------------------------------------------------

    def print_record(self) -> None:
        if self._record is None:
            return
        from ui.printing import no_printer_message  # Qt's printing loads when first needed

        self._show(self.problem, "")
        self._show(self.status, "")
        missing = no_printer_message()
        if missing:
            self._show(self.problem, missing)
            return
        version = self.chosen_version()
        try:
            pdf = self._services.record_pdf(self._record.id, version)
        except CoreformError as error:
            self._show(self.problem, f"Not printed: {error}")
            return
        self.print_pdf(pdf, version)

    def print_pdf(self, pdf: bytes, version: int, printer: QPrinter | None = None) -> None:
        """The print dialog for these pages (the system's printer unless one is given); audited
        once they went to the printer."""
        from ui.printing import PrintingError, print_pdf

        assert self._record is not None
        title = f"{self._record.reference} v{version}"
        try:
            printed = print_pdf(self, pdf, title, printer)
        except PrintingError as error:
            self._show(self.problem, str(error))
            return
        if not printed:
            return
        try:
            self._services.record_printed(self._record.id, version)
        except CoreformError as error:
            self._show(self.problem, f"Printed, but the audit trail could not record it: {error}")
            return
        self._show(self.status, f"Version {version} sent to the printer.")
        self.refresh_made()

    # ---- the email draft ----------------------------------------------------------------------

    def _key_worker_draft(self) -> OutboxItem | None:
        """The chosen version's message to the key worker, if it went as a draft for the
        user's email program (through the mail server there is no draft to make)."""
        assert self._record is not None
        version = self.chosen_version()
        try:
            history = self._services.sending_history(self._record.id)
        except CoreformError:
            return None
        return next(
            (
                item
                for item in reversed(history)
                if item.record_version == version
                and item.recipient_kind is RecipientKind.KEY_WORKER
                and item.transport is Transport.EML
            ),
            None,
        )

    def _show_draft_button(self) -> None:
        shown = self._record is not None and self.version.count() > 0
        self.draft_button.setVisible(shown and self._key_worker_draft() is not None)

    def remake_draft(self) -> None:
        """The Outbox's "Open again" for this version's draft (the sending services own the
        draft and its states): written anew from the stored message and opened."""
        item = self._key_worker_draft() if self._record is not None else None
        if item is None or item.id is None:
            return
        self._show(self.problem, "")
        try:
            self._services.retry_outbox_item(item.id)
        except CoreformError as error:
            self._show(self.problem, f"The draft was not made again: {error}")
            return
        self._show(
            self.status,
            f"Version {item.record_version}'s email to the key worker is being written again: "
            "it opens in your email program in a moment.",
        )
        self.queued.emit()

    def _show(self, label: QLabel, text: str) -> None:
        """A message takes room only while there is one."""
        label.setText(text)
        label.setVisible(bool(text))

    def _busy(self, busy: bool) -> None:
        for button in (self.save_button, self.print_button, self.draft_button):
            button.setEnabled(not busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()
