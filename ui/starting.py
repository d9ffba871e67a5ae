"""The window a start paints first, while the records are opened behind it (issue 15).

It needs nothing but Qt, so it appears about as soon as a bare Qt window does; the main window
or the first dialog replaces it. It takes the main window's place and size so nothing jumps.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

WINDOW_TITLE = "coreform — core group monitoring records"
GEOMETRY_KEY = "main_window/geometry"
DEFAULT_SIZE = (1200, 800)


def restore_geometry(window: QWidget, settings: QSettings) -> None:
    """Where the user last left the main window, else its default size."""
    geometry = settings.value(GEOMETRY_KEY)
    if isinstance(geometry, QByteArray) and not geometry.isEmpty():
        window.restoreGeometry(geometry)
    else:
        window.resize(*DEFAULT_SIZE)


class StartingWindow(QWidget):
    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.setWindowTitle(WINDOW_TITLE)
        self.setAccessibleName("coreform is opening")
        layout = QVBoxLayout(self)
        self.message = QLabel("Opening coreform…", self)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.message)
        restore_geometry(self, settings if settings is not None else QSettings())

    def paint_now(self) -> None:
        """Shows and paints at once: what follows keeps the event loop busy for a while."""
        self.show()
        self.repaint()
        QApplication.processEvents()
