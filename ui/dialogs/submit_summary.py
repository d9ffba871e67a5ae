"""The last look before submitting: who will receive the record, and the warnings left."""

from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from coreform.recipients import Recipients
from coreform.records import MonitoringRecord
from coreform.validation import Problem
from ui.pages.form_fields import problem_text


def _fit_to_rows(view: QListWidget) -> None:
    """Every recipient in full: as tall as its rows and as wide as the longest one."""
    frame = 2 * view.frameWidth()
    metrics = view.fontMetrics()
    rows = [view.item(row).text() for row in range(view.count())]
    width = max((metrics.horizontalAdvance(text) for text in rows), default=0)
    height = sum(view.sizeHintForRow(row) for row in range(view.count()))
    view.setMinimumWidth(width + frame + 2 * metrics.averageCharWidth())
    view.setFixedHeight(height + frame + 4)


def _person(name: str, email: str) -> str:
    return f"{name} <{email}>" if email.strip() else name


class SubmitSummaryDialog(QDialog):
    """Asks "Submit and send?" showing the recipients; the record locks once submitted."""

    def __init__(
        self,
        record: MonitoringRecord,
        recipients: Recipients,
        warnings: list[Problem],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Submit this record?")
        layout = QVBoxLayout(self)
        children = ", ".join(name for name in record.child_names() if name) or "no child named"
        intro = QLabel(
            f"Record about {children}. Once submitted it is locked: later changes are made as an "
            "amendment, and the original is kept.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        heading = QLabel("It will be sent to:", self)
        heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(heading)
        self.recipient_list = QListWidget(self)
        self.recipient_list.setAccessibleName("Who will receive the record")
        heading.setBuddy(self.recipient_list)
        worker = recipients.key_worker
        self.recipient_list.addItem(f"Key worker: {_person(worker.name, worker.email)}")
        for carer in recipients.parents:
            self.recipient_list.addItem(f"Parent or carer: {_person(carer.name, carer.email)}")
        _fit_to_rows(self.recipient_list)
        layout.addWidget(self.recipient_list)
        if recipients.parents_note:
            note = QLabel(recipients.parents_note, self)
            note.setWordWrap(True)
            layout.addWidget(note)
        if warnings:
            warn = QLabel(
                "Warnings (they do not stop you submitting):\n"
                + "\n".join(problem_text(p) for p in warnings),
                self,
            )
            warn.setWordWrap(True)
            layout.addWidget(warn)
        buttons = QDialogButtonBox(self)
        self.submit_button = buttons.addButton(
            "Submit and send", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.back_button = buttons.addButton("Go back", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.submit_button.setDefault(True)

    def showEvent(self, event: QShowEvent) -> None:
        # As wide as the longest address (no sideways scrolling), up to most of the screen.
        screen = self.screen().availableGeometry()
        self.resize(min(self.sizeHint().width(), screen.width() * 9 // 10), self.height())
        self.adjustSize()
        super().showEvent(event)

    @classmethod
    def ask(
        cls,
        parent: QWidget,
        record: MonitoringRecord,
        recipients: Recipients,
        warnings: list[Problem],
    ) -> bool:
        """Runs the dialog; True when the user chose to submit."""
        dialog = cls(record, recipients, warnings, parent)
        try:
            return dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            dialog.deleteLater()
