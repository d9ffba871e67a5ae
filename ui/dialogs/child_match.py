"""Which child here is the child a received record (or received minutes) names: one of the same
name and date of birth, a new family from the record, or decide later."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from coreform.inbox import ChildMatch
from ui.dialogs.modal import action_row, run_modal

LATER = "later"
NEW_FAMILY = "new"


class ChildMatchDialog(QDialog):
    def __init__(
        self, unknown: tuple[ChildMatch, ...], parent: QWidget | None = None, what: str = "record"
    ) -> None:
        """`what`: "record", or "minutes" for core group minutes received."""
        super().__init__(parent)
        self.setWindowTitle(f"Match the children in this {what}")
        layout = QVBoxLayout(self)
        shows = "appear" if what == "minutes" else "appears"
        intro = QLabel(
            f"This {what} names children not on file here. Choose who each one is, so the {what} "
            f"{shows} on their chronology.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.choices: dict[str, QComboBox] = {}
        for match in unknown:
            combo = QComboBox(self)
            for child_id, family in match.candidates:
                combo.addItem(f"{match.name}, born the same day, of the {family} family", child_id)
            combo.addItem(f"A child not on file: add a new family from this {what}", NEW_FAMILY)
            combo.addItem("Decide later", LATER)
            born = f" (born {match.date_of_birth:%d/%m/%Y})" if match.date_of_birth else ""
            label = QLabel(f"{match.name}{born}:", self)
            label.setBuddy(combo)
            combo.setAccessibleName(f"Who is {match.name}")
            form.addRow(label, combo)
            self.choices[match.received_child_id] = combo
        layout.addLayout(form)
        row, cancel, self.apply_button = action_row(self, "Cancel", "&Apply")
        cancel.clicked.connect(self.reject)
        self.apply_button.clicked.connect(self.accept)
        layout.addLayout(row)

    @classmethod
    def ask(
        cls, unknown: tuple[ChildMatch, ...], parent: QWidget, what: str = "record"
    ) -> dict[str, str] | None:
        """received child id -> a child id here, NEW_FAMILY or LATER; None when cancelled."""
        return run_modal(
            cls(unknown, parent, what),
            lambda dialog: {key: str(combo.currentData()) for key, combo in dialog.choices.items()},
        )
