"""The last look before finalising core group minutes: they lock, and the warnings left."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLabel, QListWidget, QVBoxLayout, QWidget

from coreform.validation import Problem
from ui.dialogs.modal import action_row, run_modal
from ui.pages.form_fields import problem_text


class FinaliseMinutesDialog(QDialog):
    """Asks "Finalise and lock?"; lists the warnings still standing, if any."""

    def __init__(self, warnings: list[Problem], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Finalise these minutes?")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "Once finalised the minutes are locked: a later change is made as an amendment, with "
            "its reason, and this version is kept. They can then be sent to the core group.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.warnings = QListWidget(self)
        self.warnings.setAccessibleName("Warnings still standing")
        self.warnings.setWordWrap(True)
        if warnings:
            heading = QLabel(
                f"{len(warnings)} warning{'s' if len(warnings) != 1 else ''} still standing: "
                "finalise anyway?",
                self,
            )
            heading.setWordWrap(True)
            heading.setBuddy(self.warnings)
            layout.addWidget(heading)
            self.warnings.addItems([problem_text(problem) for problem in warnings])
            layout.addWidget(self.warnings)
        else:
            self.warnings.hide()
        row, self.back_button, self.finalise_button = action_row(
            self, "Go back", "Finalise and lock"
        )
        self.back_button.clicked.connect(self.reject)
        self.finalise_button.clicked.connect(self.accept)
        layout.addLayout(row)
        self.resize(self.fontMetrics().horizontalAdvance("0") * 70, self.sizeHint().height())

    @classmethod
    def ask(cls, parent: QWidget, warnings: list[Problem]) -> bool:
        return bool(run_modal(cls(warnings, parent), lambda _dialog: True))
