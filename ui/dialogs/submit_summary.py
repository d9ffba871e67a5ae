"""The last look before submitting: who will receive the record, and the warnings left."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from coreform.records import MonitoringRecord, ParentCarer
from coreform.services import CoreformError, Services
from coreform.validation import Problem
from ui.pages.form_fields import problem_text


@dataclass(frozen=True)
class Recipients:
    key_worker: str
    parents: tuple[str, ...]
    parents_note: str  # why parents get no copy, or "" when they do


def recipients_for(services: Services, record: MonitoringRecord) -> Recipients:
    """000: the key worker always; the parents/carers unless a copy would put the child at risk."""
    worker = record.key_worker
    key_worker = f"{worker.name} <{worker.email}>" if worker.email else worker.name
    if record.copy_to_parents is not True:
        reason = record.no_copy_reason.strip() or "not answered"
        return Recipients(key_worker, (), f"Parents and carers will not get a copy: {reason}")
    carers: list[ParentCarer] = []
    if record.family_id:
        try:
            carers = services.get_family(record.family_id).parents_carers
        except CoreformError:
            carers = []
    with_email = tuple(f"{c.name} <{c.email}>" for c in carers if c.email)
    if not with_email:
        return Recipients(
            key_worker,
            (),
            "A copy is allowed, but no parent or carer has an email address. Add one under "
            "Families & contacts, or give them a printed copy.",
        )
    return Recipients(key_worker, with_email, "")


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
        self.recipient_list.addItem(f"Key worker: {recipients.key_worker}")
        for parent_carer in recipients.parents:
            self.recipient_list.addItem(f"Parent or carer: {parent_carer}")
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
