"""Submitting a checked record: who receives it, the PDF password, then off the GUI thread."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from coreform.records import MonitoringRecord
from coreform.services import Services
from coreform.validation import Problem
from ui.dialogs.pdf_password import PdfPasswordDialog
from ui.dialogs.submit_summary import SubmitSummaryDialog
from ui.workers import BackgroundJobs


class Submission(QObject):
    """One submit at a time. `started` once the user has agreed; then `done` or `failed`."""

    started = Signal()
    done = Signal(object)  # SubmitResult
    failed = Signal(object)  # CoreformError

    def __init__(self, services: Services, parent: QWidget) -> None:
        super().__init__(parent)
        self._services = services
        self._window = parent
        self._jobs = BackgroundJobs(self)

    @property
    def busy(self) -> bool:
        return self._jobs.busy

    def wait(self) -> None:
        """A submit under way ends (or is refused) before the database closes."""
        self._jobs.wait()

    def start(self, record: MonitoringRecord, warnings: list[Problem]) -> None:
        """Shows who will receive it and the warnings; nothing happens if the user cancels."""
        recipients = self._services.recipients(record)
        if not SubmitSummaryDialog.ask(self._window, record, recipients, warnings):
            return
        password: str | None = None
        if self._services.get_settings().mail.asks_pdf_password:
            password = PdfPasswordDialog.ask(self._window)
            if password is None:
                return
        self.started.emit()
        # Rendering and encrypting the PDF takes a moment: off the GUI thread.
        self._jobs.run(
            lambda: self._services.submit_and_send(record, pdf_password=password),
            done=self.done.emit,
            failed=self.failed.emit,
            what="Submitting",
        )
