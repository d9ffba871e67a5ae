"""Tab follows what the eye sees: widgets in the order their layouts place them."""

from __future__ import annotations

import itertools

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLayout, QWidget


def focus_chain(root: QWidget) -> list[QWidget]:
    """The inputs and buttons under `root` in visual order (what Tab walks through)."""
    return [widget for widget in _widgets_in_layout_order(root) if _takes_tab_focus(widget)]


def fix_tab_order(root: QWidget) -> None:
    """Sets Tab to the visual order, also for widgets added after `root` was built."""
    for first, second in itertools.pairwise(focus_chain(root)):
        QWidget.setTabOrder(first, second)


def _widgets_in_layout_order(root: QWidget) -> list[QWidget]:
    """Every widget under `root`, in the order its layouts place them (top to bottom)."""
    layout = root.layout()
    return _layout_widgets(layout) if layout is not None else []


def _layout_widgets(layout: QLayout) -> list[QWidget]:
    found: list[QWidget] = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        if item is None:
            continue
        if (widget := item.widget()) is not None:
            found.append(widget)
            found.extend(_widgets_in_layout_order(widget))
        elif (inner := item.layout()) is not None:
            found.extend(_layout_widgets(inner))
    return found


def _takes_tab_focus(widget: QWidget) -> bool:
    return bool(widget.focusPolicy() & Qt.FocusPolicy.TabFocus) and widget.isEnabled()
