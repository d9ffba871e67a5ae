"""What a screen reader is told: one place for names, descriptions, roles and announcements.

Qt names a label by its accessible name *instead of* its text, so labels that show information
keep no name of their own (their text is their name) and say what they are in their description.
Inputs are named by their question (`name_input`), never by their value. Messages that appear
are announced (`announce`, Qt >= 6.8's announcement event; AT-SPI "object:announcement").

Qt 6.12 cannot mark an input "required" or "invalid entry" (QAccessible::State has neither and
its AT-SPI bridge maps no such state), so `name_input` puts both at the start of the description.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QAccessibleInterface
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAccessibleWidget,
    QApplication,
    QComboBox,
    QLabel,
    QScrollArea,
    QWidget,
)

HEADING_PROPERTY = "coreform_heading"
REQUIRED_WORD = "Required."
INVALID_WORD = "Invalid:"


class _HeadingInterface(QAccessibleWidget):
    """A label read as a heading (Qt gives every label the static-text role)."""

    def __init__(self, label: QLabel) -> None:
        super().__init__(label, QAccessible.Role.Heading)
        self._label = label

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return self._label.accessibleName() or self._label.text()
        return super().text(kind)


class _ComboBoxInterface(QAccessibleWidget):
    """A combo box named by its question; Qt on Linux names it by its current value instead."""

    def __init__(self, combo: QComboBox) -> None:
        super().__init__(combo, QAccessible.Role.ComboBox)
        self._combo = combo

    def text(self, kind: QAccessible.Text) -> str:
        if kind == QAccessible.Text.Name:
            return super().text(kind)  # its accessible name, else its buddy label's text
        if kind == QAccessible.Text.Value:
            return self._combo.currentText()
        return super().text(kind)

    # The drop-down list stays the combo box's child, so its selected item (the answer) is found.
    def childCount(self) -> int:
        return 1

    def child(self, index: int) -> QAccessibleInterface:  # index is 0: there is one child
        return QAccessible.queryAccessibleInterface(self._combo.view())

    def indexOfChild(self, child: QAccessibleInterface) -> int:
        return 0 if child.object() is self._combo.view() else -1

    def actionNames(self) -> list[str]:
        return [QAccessibleWidget.showMenuAction(), *super().actionNames()]

    def doAction(self, name: str) -> None:
        if name in (QAccessibleWidget.showMenuAction(), QAccessibleWidget.pressAction()):
            self._combo.showPopup()
        else:
            super().doAction(name)


def _interface_for(class_name: str, owner: QObject) -> QAccessibleInterface | None:
    if class_name == "QLabel" and isinstance(owner, QLabel) and owner.property(HEADING_PROPERTY):
        return _HeadingInterface(owner)
    if isinstance(owner, QComboBox) and not owner.isEditable() and class_name == "QComboBox":
        return _ComboBoxInterface(owner)
    return None


_installed: list[QApplication] = []


def install() -> None:
    """Headings and combo boxes read as above, from now on. Needs the QApplication; once per
    application (PySide ignores a factory installed before it exists)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication) or app in _installed:
        return
    QAccessible.installFactory(_interface_for)
    _installed.append(app)


def mark_heading(label: QLabel) -> None:
    """Call before the label has a parent or text: the interface Qt makes then is kept."""
    label.setProperty(HEADING_PROPERTY, True)


def describe(label: QLabel, what: str) -> None:
    """Says what a label showing information is, without hiding its text (its name)."""
    label.setAccessibleName("")
    label.setAccessibleDescription(what)


def name_input(
    widget: QWidget,
    question: str,
    *,
    hint: str = "",
    required: bool = False,
    invalid: str = "",
) -> None:
    """Names an input by its question. Its description says, in this order: required, what is
    wrong (the message), then the hint. Unchanged values are not set again, so a screen reader
    hears no change while a date is typed unless the message itself changed."""
    words = [REQUIRED_WORD] if required else []
    if invalid:
        words.append(f"{INVALID_WORD} {invalid}")
    if hint:
        words.append(hint)
    description = " ".join(words)
    if widget.accessibleName() != question:
        widget.setAccessibleName(question)
    if widget.accessibleDescription() != description:
        widget.setAccessibleDescription(description)


def announce(source: QObject, message: str, *, urgent: bool = False) -> None:
    """Tells a screen reader about a message that just appeared; urgent ones interrupt."""
    if not message or not QAccessible.isActive():
        return
    event = QAccessibleAnnouncementEvent(source, message)
    event.setPoliteness(
        QAccessible.AnnouncementPoliteness.Assertive
        if urgent
        else QAccessible.AnnouncementPoliteness.Polite
    )
    QAccessible.updateAccessibility(event)


class MessageLabel(QLabel):
    """A label whose new messages are announced: problems urgently, statuses politely."""

    def __init__(self, parent: QWidget | None = None, *, urgent: bool = False) -> None:
        super().__init__(parent)
        self._urgent = urgent
        self.setWordWrap(True)

    def setText(self, text: str) -> None:
        changed = text != self.text()
        super().setText(text)
        if changed:
            announce(self, text, urgent=self._urgent)


def let_tab_leave(view: QAbstractItemView) -> None:
    """Tab and Shift+Tab leave a table (arrows move within); Qt's tables keep Tab by default."""
    view.setTabKeyNavigation(False)


def form_scroll_area(parent: QWidget, kind: type[QScrollArea] = QScrollArea) -> QScrollArea:
    """A resizable scroll area that is not a Tab stop: focus goes to the fields inside it, and
    it scrolls to each one as it is reached."""
    area = kind(parent)
    area.setWidgetResizable(True)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return area
