"""The "Remember on this computer" tick box of the first-run and unlock dialogs."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from coreform.session import NO_PASSWORD_STORE, can_remember


def remember_option(parent: QWidget, layout: QVBoxLayout, tip: str) -> QCheckBox:
    """Added to `layout`; where the OS has no password store it is off, and says so in words."""
    box = QCheckBox("Remember on this computer (protected by your login)", parent)
    box.setToolTip(tip)
    layout.addWidget(box)
    if not can_remember():
        box.setEnabled(False)
        box.setAccessibleDescription(NO_PASSWORD_STORE)
        note = QLabel(NO_PASSWORD_STORE, parent)
        note.setWordWrap(True)
        layout.addWidget(note)
    return box
