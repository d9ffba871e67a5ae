"""The window a start paints first, while the records are opened behind it (issue 15).

It needs nothing but Qt, so it appears about as soon as a bare Qt window does; the main window
or the first dialog replaces it. It takes the main window's place and size so nothing jumps.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QVBoxLayout, QWidget

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
        # Centred by stretches, not an alignment flag: the first use of `Qt` builds all of its
        # enums (about a tenth of importing Qt), which the main window pays later instead.
        self.message = QLabel("Opening coreform…", self)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.message)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        restore_geometry(self, settings if settings is not None else QSettings())

    def paint_now(self) -> None:
        """Shows and paints at once: what follows keeps the event loop busy for a while."""
        self.show()
        self.repaint()
        QApplication.processEvents()

    def give_way(self) -> None:
        """Closes, and frees the window's pixels (4 MB at its default size) before the main
        window paints its own in their place (issue 15: peak memory)."""
        self.close()
        self.destroy()
