"""The idle lock and the privacy screen: after a quiet spell, or on Ctrl+Shift+L, child data goes.

`PrivacyGuard` wraps the window's content in a stack with a lock screen, so locking replaces
every page at once (and the title holds no name). Dialogs and other windows of the app are covered
too, each by its own lock screen (a modal dialog blocks the window's): their content is hidden, not
closed, so what was typed in them is still there after unlocking. Key and mouse input anywhere in
the app counts as activity (an application event filter); a QTimer polls
`coreform.accounts.IdleLock`, whose clock tests control. The draft being typed is saved before the
lock shows; a new idle time saved in Settings applies at once.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
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
from coreform.errors import CoreformError
from ui.main_window import MainWindow
from ui.pages.banner import heading_label, problem_label

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
        title = heading_label("coreform is locked", box)
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
        self.problem = problem_label(box)
        self.problem.setAlignment(Qt.AlignmentFlag.AlignHCenter)
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

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Keys stop here: Return or Escape must not reach a dialog underneath (its default button).
        event.accept()

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


def _is_privacy_key(event: QKeyEvent) -> bool:
    pressed = QKeySequence(event.keyCombination())
    wanted = QKeySequence(PRIVACY_SHORTCUT)
    return event.type() == QEvent.Type.KeyPress and pressed.matches(wanted) is (
        QKeySequence.SequenceMatch.ExactMatch
    )


def _is_window(watched: QObject) -> bool:
    return isinstance(watched, QWidget) and watched.isWindow()


@dataclass
class _Covered:
    """What a covered window showed before the lock, to put back after it."""

    cover: LockScreen
    hidden: list[QWidget]
    title: str
    size: QSize
    focus: QWidget | None


_TRANSIENT = (Qt.WindowType.Popup, Qt.WindowType.ToolTip)


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
        self._reauthenticate = reauthenticate
        self._covered: dict[QWidget, _Covered] = {}
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
        window.settings_saved.connect(self._apply_settings)
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
        if isinstance(event, QKeyEvent) and _is_privacy_key(event) and not self.locked:
            # A modal dialog blocks the window's own shortcut; the key works from any window.
            self.lock_now()
            return True
        if event.type() in _ACTIVITY and not self.locked:
            self.idle.activity()
        elif event.type() == QEvent.Type.Show and self.locked and _is_window(watched):
            # A dialog that opened while locked (a worker's message) is covered as it appears.
            assert isinstance(watched, QWidget)
            QTimer.singleShot(0, lambda: self._cover(watched))
        return False

    def _apply_settings(self) -> None:
        minutes = self._window.settings_page.settings.idle_lock_minutes
        self.idle.timeout = dt.timedelta(minutes=minutes)

    def poll(self) -> None:
        if self.idle.locked and not self.locked:
            self._show_lock()

    def lock_now(self) -> None:
        self.idle.lock_now()
        self._show_lock()

    def _show_lock(self) -> None:
        self._window.flush_record_editor()  # the draft is stored before it disappears
        self.lock_screen.reset()
        self._stack.setCurrentWidget(self.lock_screen)
        self._window.setWindowTitle(LOCKED_TITLE)
        self.lock_screen.secret.setFocus()
        for widget in QApplication.topLevelWidgets():
            if widget is not self._window and widget.isVisible():
                self._cover(widget)

    def _cover(self, window: QWidget) -> None:
        """Hides the content of another window of the app behind a lock screen of its own."""
        if not self.locked or not shiboken6.isValid(window) or window in self._covered:
            return
        if window is self._window or not window.isWindow() or not window.isVisible():
            return
        if window.windowType() in _TRANSIENT:
            window.close()  # an open list or tooltip holds nothing typed
            return
        focus = window.focusWidget()
        hidden = [
            child
            for child in window.findChildren(
                QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
            )
            if not child.isHidden() and not child.isWindow()
        ]
        for child in hidden:
            child.hide()
        cover = LockScreen(self._reauthenticate, window)
        cover.on_unlocked = self.unlock
        cover.setAutoFillBackground(True)
        self._covered[window] = _Covered(cover, hidden, window.windowTitle(), window.size(), focus)
        window.setWindowTitle(LOCKED_TITLE)
        window.resize(window.size().expandedTo(cover.sizeHint()))
        cover.setGeometry(window.rect())
        cover.show()
        cover.secret.setFocus()

    def _uncover(self) -> None:
        covered, self._covered = self._covered, {}
        for window, was in covered.items():
            if not shiboken6.isValid(window):
                continue  # closed while locked
            was.cover.hide()
            was.cover.deleteLater()
            for child in was.hidden:
                if shiboken6.isValid(child):
                    child.show()
            window.setWindowTitle(was.title)
            window.resize(was.size)
            if was.focus is not None and shiboken6.isValid(was.focus):
                was.focus.setFocus()

    def unlock(self) -> None:
        self.idle.unlock()
        self._uncover()
        self._stack.setCurrentIndex(0)
        self._window.setWindowTitle(self._title)
