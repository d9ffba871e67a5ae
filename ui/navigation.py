"""The main window's navigation: its entries in order, the list that shows them, and F6 between
the list and the page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QStackedWidget, QWidget

(
    NAV_MY_RECORDS,
    NAV_NEW_RECORD,
    NAV_FAMILIES,
    NAV_INBOX,
    NAV_CHRONOLOGY,
    NAV_OUTBOX,
    NAV_SETTINGS,
) = range(7)
NAV_CASELOAD, NAV_PLAN = 7, 8  # issue 12: the key worker's and manager's home page
NAV_LABELS = (
    "My records",
    "New record",
    "Families & contacts",
    "Inbox",
    "Child's file",
    "Outbox",
    "Settings",
    "Caseload",
    "Child's plan",
)
# Issue 5: managers and administrators (a single-user installation counts as one) see the
# Administration page and, as the last entry, the audit trail.
NAV_ADMINISTRATION = len(NAV_LABELS)
ADMINISTRATION_LABEL = "Administration"
NAV_AUDIT = NAV_ADMINISTRATION + 1
AUDIT_LABEL = "Audit trail"


def navigation_list(parent: QWidget) -> QListWidget:
    nav = QListWidget(parent)
    nav.setAccessibleName("Go to")
    nav.setStyleSheet("QListWidget::item { padding: 6px; }")
    nav.addItems(list(NAV_LABELS))
    # As wide as its longest entry in the user's font, so 200% text is never cut off.
    widest = max(nav.fontMetrics().horizontalAdvance(label) for label in NAV_LABELS)
    nav.setMinimumWidth(widest + 40)
    return nav


def switch_pane(nav: QListWidget, stack: QStackedWidget) -> None:
    """F6: from the navigation list to where the page was left (else its first field), and
    back; the way out of any page without tabbing through it."""
    if not nav.isVisible():
        return  # locked: the privacy screen keeps the focus
    if not nav.hasFocus():
        nav.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return
    page = stack.currentWidget()
    if page is None:
        return
    target: QWidget | None = page.focusWidget()
    if target is None or not target.isVisible() or not target.isEnabled():
        target = _first_tab_stop(page)
    if target is not None:
        target.setFocus(Qt.FocusReason.ShortcutFocusReason)


def _first_tab_stop(page: QWidget) -> QWidget | None:
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page:
        if (
            page.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None
