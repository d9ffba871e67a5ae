"""Reading a window as a screen reader does, through QAccessible (the interfaces Qt hands to
AT-SPI and UI Automation), and listing what it would get wrong."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface, QTextDocumentFragment
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QTableView,
    QTextEdit,
    QWidget,
)

from ui.accessibility import HEADING_PROPERTY
from ui.pages.banner import Banner

INPUTS = (
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QComboBox,
    QAbstractButton,
    QAbstractSpinBox,
    QAbstractItemView,
)
Name = QAccessible.Text.Name


def interface(widget: QWidget) -> QAccessibleInterface:
    found = QAccessible.queryAccessibleInterface(widget)
    assert found is not None, widget
    return found


def name(widget: QWidget) -> str:
    return interface(widget).text(Name)


def description(widget: QWidget) -> str:
    return interface(widget).text(QAccessible.Text.Description)


def role(widget: QWidget) -> QAccessible.Role:
    return interface(widget).role()


def label_of(widget: QWidget) -> list[str]:
    """The names of the labels a screen reader finds for `widget` (its label relation)."""
    return [
        other.text(Name)
        for other, relation in interface(widget).relations(QAccessible.RelationFlag.Label)
    ]


def _shown_text(label: QLabel) -> str:
    text = label.text()
    if label.textFormat() == Qt.TextFormat.RichText or "</" in text:  # Qt reads rich text plain
        return QTextDocumentFragment.fromHtml(text).toPlainText()
    if label.buddy() is not None:  # "&Passphrase:" shows as "Passphrase:"
        text = text.replace("&&", "\0").replace("&", "").replace("\0", "&")
    return text


def _value(widget: QWidget) -> str:
    if isinstance(widget, QComboBox):
        return widget.currentText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    return ""


def _read_by_its_owner(widget: QWidget) -> bool:
    """A table's headers and corner and a spin box's text field are read as their owner's."""
    return (
        isinstance(widget, QHeaderView)
        or isinstance(widget.parent(), QAbstractSpinBox)
        or widget.metaObject().className() == "QTableCornerButton"
    )


def misreadings(root: QWidget) -> list[str]:
    """What a screen reader would read wrongly among the visible widgets under `root`."""
    wrong: list[str] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        read = name(widget)
        if isinstance(widget, QLabel):
            if widget.text() and read != _shown_text(widget):
                wrong.append(f"label showing {widget.text()!r} is read as {read!r}")
            if widget.property(HEADING_PROPERTY) and role(widget) != QAccessible.Role.Heading:
                wrong.append(f"heading {widget.text()!r} is not read as a heading")
            icon = not widget.pixmap().isNull()
            if icon and isinstance(widget.parent(), Banner) and not read:
                wrong.append("a banner's icon has no name: its severity is not read")
        elif isinstance(widget, INPUTS) and not _read_by_its_owner(widget):
            value = _value(widget)
            if not read.strip():
                wrong.append(f"{type(widget).__name__} showing {value!r} has no name")
            elif value and read == value and not isinstance(widget, QAbstractButton):
                wrong.append(f"{type(widget).__name__} is named by its value {value!r}")
        if isinstance(widget, QScrollArea) and widget.focusPolicy() != Qt.FocusPolicy.NoFocus:
            wrong.append("a scroll area is a Tab stop")
        if isinstance(widget, QTableView) and widget.tabKeyNavigation():
            wrong.append(f"Tab does not leave the table {read!r}")
    return wrong


def headings(root: QWidget) -> list[str]:
    return [
        name(label)
        for label in root.findChildren(QLabel)
        if label.isVisible() and role(label) == QAccessible.Role.Heading
    ]
