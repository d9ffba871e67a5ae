"""The idle lock and the privacy screen: after a quiet spell, or on Ctrl+Shift+L, child data goes.

`PrivacyGuard` wraps the window's content in a stack with a lock screen, so locking replaces
every page at once (and the title holds no name). Key and mouse input anywhere in the app counts
as activity (an application event filter); a QTimer polls `coreform.accounts.IdleLock`, whose
clock tests control. The draft being typed is saved before the lock shows.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from coreform.accounts import IdleLock
from coreform.services import CoreformError
from ui.main_window import MainWindow
from ui.pages.banner import make_heading

# Raises CoreformError with a message to show when the secret does not bring the user back.
Reauthenticate = Callable[[str], None]
POLL_MS = 1000
LOCKED_TITLE = "coreform — locked"
PRIVACY_SHORTCUT = "Ctrl+Shift+L"
_ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
}


class LockScreen(QWidget):
    """Covers the whole window while locked; shows nothing about any child."""

    def __init__(self, reauthenticate: Reauthenticate | None, parent: QWidget | None = None):
        super().__init__(parent)
        self._reauthenticate = reauthenticate
        self.on_unlocked: Callable[[], None] = lambda: None
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        box = QWidget(self)
        # Wide enough for the explanation in the user's font (200% text included).
        box.setFixedWidth(self.fontMetrics().averageCharWidth() * 64)
        layout = QVBoxLayout(box)
        icon = QLabel(box)
        icon.setPixmap(
            self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxInformation).pixmap(48)
        )
        layout.addWidget(icon, 0, Qt.AlignmentFlag.AlignHCenter)
        title = QLabel("coreform is locked", box)
        make_heading(title)
        title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(title)
        self.explain = QLabel(box)  # short lines, unwrapped: the box scales with the font
        self.explain.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.explain)
        row = QHBoxLayout()
        self.secret = QLineEdit(box)
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName("Password or passphrase to unlock")
        self.secret.setPlaceholderText("Password or passphrase")
        self.unlock_button = QPushButton("Unlock", box)
        self.unlock_button.setDefault(True)
        row.addWidget(self.secret, 1)
        row.addWidget(self.unlock_button)
        layout.addLayout(row)
        self.problem = QLabel(box)
        self.problem.setObjectName("problem")
        self.problem.setWordWrap(True)
        self.problem.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.problem.setStyleSheet("QLabel#problem { color: #a4262c; font-weight: bold; }")
        layout.addWidget(self.problem)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        if reauthenticate is None:
            # A database without a passphrase (tests, explicit URLs): a privacy screen only.
            self.secret.hide()
            self.unlock_button.setText("Show coreform")
            self.explain.setText("Your records are hidden; nothing you typed was lost.")
        else:
            self.explain.setText(
                "Your records are hidden; nothing you typed was lost.\n"
                "Type your password or passphrase to carry on."
            )
        self.unlock_button.clicked.connect(self.try_unlock)
        self.secret.returnPressed.connect(self.try_unlock)

    def reset(self) -> None:
        self.secret.clear()
        self.problem.clear()

    def try_unlock(self) -> None:
        if self._reauthenticate is not None:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
            try:
                self._reauthenticate(self.secret.text())
            except CoreformError as error:
                self.problem.setText(str(error))
                self.secret.clear()
                self.secret.setFocus()
                return
            finally:
                QApplication.restoreOverrideCursor()
        self.reset()
        self.on_unlocked()


class PrivacyGuard(QObject):
    """Locks `window` after `timeout` without input, or at once on Ctrl+Shift+L."""

    def __init__(
        self,
        window: MainWindow,
        *,
        timeout: dt.timedelta,
        reauthenticate: Reauthenticate | None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self._window = window
        self.idle = IdleLock(timeout, clock=clock)
        self.lock_screen = LockScreen(reauthenticate, window)
        self.lock_screen.on_unlocked = self.unlock
        content = window.takeCentralWidget()
        assert content is not None  # MainWindow builds its content in __init__
        self._stack = QStackedWidget(window)
        self._stack.addWidget(content)
        self._stack.addWidget(self.lock_screen)
        window.setCentralWidget(self._stack)
        self._title = window.windowTitle()
        action = QAction("Hide everything now (privacy screen)", window)
        action.setShortcut(QKeySequence(PRIVACY_SHORTCUT))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(self.lock_now)
        window.addAction(action)
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)  # Qt drops the filter itself when the guard is deleted

    @property
    def locked(self) -> bool:
        return self._stack.currentWidget() is self.lock_screen

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and not self.locked:
            self.idle.activity()
        return False

    def poll(self) -> None:
        if self.idle.locked and not self.locked:
            self._show_lock()

    def lock_now(self) -> None:
        self.idle.lock_now()
        self._show_lock()

    def _show_lock(self) -> None:
        self._window.editor.flush_pending()  # the draft is stored before it disappears
        self.lock_screen.reset()
        self._stack.setCurrentWidget(self.lock_screen)
        self._window.setWindowTitle(LOCKED_TITLE)
        self.lock_screen.secret.setFocus()

    def unlock(self) -> None:
        self.idle.unlock()
        self._stack.setCurrentIndex(0)
        self._window.setWindowTitle(self._title)
