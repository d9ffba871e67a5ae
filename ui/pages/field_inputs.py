"""The inputs a form's field is typed or chosen in, beyond Qt's own: a closed list whose values
stay Python objects, and free text that Tab leaves."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QSizePolicy, QWidget


class ChoiceCombo(QComboBox):
    """A closed list of (label, value); values stay Python objects (Qt would turn enums to str)."""

    def __init__(self, choices: Sequence[tuple[str, Any]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._values = [value for _label, value in choices]
        self.addItems([label for label, _value in choices])
        # Wheel scrolling over a closed combo must not change an answer while scrolling the form.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def value(self) -> Any:
        index = self.currentIndex()
        return self._values[index] if index >= 0 else None

    def set_choices(self, choices: Sequence[tuple[str, Any]]) -> None:
        """Offers other choices (a next step's safety goals), keeping the answer if still there."""
        value = self.value()
        self.blockSignals(True)
        try:
            self.clear()
            self._values = [known for _label, known in choices]
            self.addItems([label for label, _known in choices])
            self.set_value(value)
        finally:
            self.blockSignals(False)

    def set_value(self, value: Any) -> None:
        # Same type as well as equal: `True == 1` must not pick an answer.
        matches = [
            i
            for i, known in enumerate(self._values)
            if type(known) is type(value) and known == value
        ]
        self.setCurrentIndex(matches[0] if matches else 0)

    def wheelEvent(self, event: Any) -> None:
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()


class LongTextEdit(QPlainTextEdit):
    """Free text; Tab moves on to the next field instead of typing a tab character."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

    def sizeHint(self) -> Any:
        hint = super().sizeHint()
        # About four lines, in the current font, so a doubled font keeps the same room.
        hint.setHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        return hint
