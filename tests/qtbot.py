"""pytest-qt's `qtbot`, typed: pytest-qt passes QTest's key and mouse helpers on untyped, so tests
annotate `qtbot: QtBot` from here and mypy checks those calls like any other."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pytestqt.qtbot import QtBot as _QtBot

if TYPE_CHECKING:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtGui import QWindow
    from PySide6.QtWidgets import QWidget

    class QtBot(_QtBot):
        @staticmethod
        def keyClick(
            widget: QWidget | QWindow,
            key: Qt.Key | int | str,
            modifier: Qt.KeyboardModifier = ...,
            delay: int = ...,
        ) -> None: ...

        @staticmethod
        def keyClicks(
            widget: QWidget, sequence: str, modifier: Qt.KeyboardModifier = ..., delay: int = ...
        ) -> None: ...

        @staticmethod
        def mouseClick(
            widget: QWidget | QWindow,
            button: Qt.MouseButton,
            modifier: Qt.KeyboardModifier = ...,
            pos: QPoint = ...,
            delay: int = ...,
        ) -> None: ...

else:
    QtBot = _QtBot
