"""The offer, under a typed child's date of birth, to use a child already on file with the same
name and date of birth: so one child keeps one history, not two under two families.

Decided (issue 15, left over from issue 10): the same name and date of birth is offered, never
assumed. Two children can share both (a common name in a large area), and filing one child's
visit in another child's history would put the wrong child's risks on record, which is worse
than a duplicate. So coreform says which family the child on file is in and asks; until the
user chooses "Use that child" the typed child stays a new child, and "A different child" puts
the question away for that name and date of birth. Nothing is blocked: submitting without
answering files a new child, as before.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from coreform.services import KnownChild
from ui.accessibility import MessageLabel
from ui.formatting import day_text


class KnownChildOffer(QFrame):
    """Hidden until a child on file matches; `use_requested` carries the child chosen."""

    use_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        self.message = MessageLabel(self)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        self.use_button = QPushButton(self)
        self.use_button.clicked.connect(self._use)
        self.different_button = QPushButton("A &different child", self)
        self.different_button.clicked.connect(self._different)
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.different_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self._found: KnownChild | None = None
        self._declined: set[str] = set()  # child ids the user said are someone else
        self.hide()

    def offer(self, typed_name: str, found: list[KnownChild]) -> None:
        """The first child on file not declined, or nothing."""
        candidates = [known for known in found if known.child.id not in self._declined]
        self._found = candidates[0] if candidates else None
        if self._found is None:
            self.hide()
            return
        known = self._found
        family = f"the {known.family_name} family" if known.family_name else "a family not named"
        born = day_text(known.child.date_of_birth) if known.child.date_of_birth else ""
        others = len(candidates) - 1
        also = f" (and {others} more with the same name and birthday)" if others else ""
        self.message.setText(
            f"{known.child.name}, born {born}, is already on file in {family}{also}. If this is "
            "the same child, use that child so their visits stay in one history. If not, "
            "carry on: a different child of the same name is added as a new child."
        )
        self.use_button.setText(f"&Use the child in {family}")
        self.use_button.setAccessibleName(f"Use {known.child.name} of {family}")
        self.different_button.setAccessibleName(f"{typed_name or 'This'} is a different child")
        self.use_button.show()
        self.different_button.show()
        self.show()

    def show_used(self, known: KnownChild) -> None:
        family = f"the {known.family_name} family" if known.family_name else "their family"
        self._found = None
        self.use_button.hide()
        self.different_button.hide()
        self.message.setText(
            f"Using {known.child.name} of {family}: this record goes into their history, and "
            "they stay filed under that family."
        )
        self.show()

    def _use(self) -> None:
        if self._found is not None:
            self.use_requested.emit(self._found)

    def _different(self) -> None:
        if self._found is not None:
            self._declined.add(self._found.child.id)
        self._found = None
        self.hide()
