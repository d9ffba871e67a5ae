"""A message strip with an icon, words and a colour, so state is never shown by colour alone."""

from __future__ import annotations

from enum import Enum

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QStyle, QWidget

from ui.accessibility import MessageLabel, announce, mark_heading

HEADING_SCALE = 1.4


def problem_label(parent: QWidget) -> QLabel:
    """The line under a form that says what is wrong and what to do (text, not colour alone).

    Its text is what a screen reader reads, and each new message is announced at once."""
    label = MessageLabel(parent, urgent=True)
    label.setObjectName("problem")
    label.setStyleSheet("QLabel#problem { color: #a4262c; font-weight: bold; }")
    return label


def heading_label(text: str, parent: QWidget) -> QLabel:
    """A page heading scaled from the user's font (a fixed point size would ignore 200% text),
    read as a heading by screen readers."""
    label = QLabel()
    mark_heading(label)  # before it has a parent or text: Qt may make its interface on either
    label.setParent(parent)
    label.setText(text)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * HEADING_SCALE)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


class Level(Enum):
    """Colours, icon and the word a screen reader says for the icon."""

    INFO = ("#e8f0fb", "#1d4f91", QStyle.StandardPixmap.SP_MessageBoxInformation, "Information")
    SUCCESS = ("#e6f4ea", "#1e5e2f", QStyle.StandardPixmap.SP_DialogApplyButton, "Done")
    WARNING = ("#fff4d6", "#6b4500", QStyle.StandardPixmap.SP_MessageBoxWarning, "Warning")
    ERROR = ("#fde8e8", "#8a1010", QStyle.StandardPixmap.SP_MessageBoxCritical, "Error")


class Banner(QFrame):
    """Icon + word-wrapped text; optionally a Dismiss button (non-modal notices)."""

    dismissed = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, dismissable: bool = False, name: str = ""
    ) -> None:
        super().__init__(parent)
        self.setObjectName(name or "banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        self._icon = QLabel(self)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self._icon, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        if dismissable:
            close = QPushButton("Dismiss", self)
            close.setAccessibleName("Dismiss this message")
            close.clicked.connect(self._dismiss)
            layout.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)
        self.level = Level.INFO

    def show_message(self, level: Level, text: str) -> None:
        self.level = level
        changed = (level, text) != (self.level, self.label.text()) or self.isHidden()
        background, foreground, icon, word = level.value
        size = self.label.fontMetrics().height() + 4
        self._icon.setPixmap(self.style().standardIcon(icon).pixmap(size, size))
        self._icon.setAccessibleName(word)
        self.label.setText(text)
        self.setStyleSheet(
            f"#{self.objectName()} {{ background: {background}; border: 1px solid {foreground};"
            f" border-radius: 4px; }} #{self.objectName()} QLabel {{ color: {foreground}; }}"
        )
        self.show()
        if changed:
            announce(self.label, f"{word}: {text}", urgent=level in (Level.WARNING, Level.ERROR))

    def text(self) -> str:
        return self.label.text()

    def _dismiss(self) -> None:
        self.hide()
        self.dismissed.emit()
