"""A layout that sets widgets side by side and wraps them onto the next line when the width runs
out, as text does: at 200% text the minutes' attendee rows reflow instead of needing a
horizontal scrollbar. Widgets keep their order, so Tab (ui.pages.tab_order) still reads left to
right, top to bottom."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QHBoxLayout, QLayout, QLayoutItem, QWidget


@dataclass
class _Placed:
    item: QLayoutItem
    width: int
    height: int = 0


class FlowLayout(QLayout):
    """Each widget at its preferred width, as many to a line as fit; `fill` shares a line's spare
    width by each widget's stretch (`add(widget, stretch)`), else the line stays left-aligned.
    Within a line widgets meet at the bottom, so inputs under labels of unequal height align."""

    def __init__(self, *, spacing: int = 12, fill: bool = False) -> None:
        super().__init__()
        self._items: list[QLayoutItem] = []
        self._stretches: list[int] = []
        self._fill = fill
        self.setContentsMargins(QMargins(0, 0, 0, 0))
        self.setSpacing(spacing)

    def add(self, widget: QWidget, stretch: int = 0) -> None:
        self.addWidget(widget)
        self._stretches[-1] = stretch

    # ---- QLayout ----------------------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)
        self._stretches.append(0)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        if not 0 <= index < len(self._items):
            return None
        del self._stretches[index]
        return self._items.pop(index)

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        margins = self.contentsMargins()
        inner = width - margins.left() - margins.right()
        lines = self._lines(inner)
        return self._height(lines) + margins.top() + margins.bottom()

    def minimumSize(self) -> QSize:
        """The widest widget's minimum: below that nothing can wrap any further."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        margins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def sizeHint(self) -> QSize:
        """Everything on one line."""
        shown = self._shown()
        width = sum(_preferred(item) for item in shown) + self.spacing() * max(len(shown) - 1, 0)
        return QSize(width, self.heightForWidth(width))

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        inner = rect.marginsRemoved(self.contentsMargins())
        y = inner.y()
        for line in self._lines(inner.width()):
            height = max(placed.height for placed in line)
            right = self._fill and not any(self._stretch(placed) for placed in line)
            x = inner.x() + (self._spare(line, inner.width()) if right else 0)
            for placed in line:
                top = y + height - placed.height
                placed.item.setGeometry(QRect(QPoint(x, top), QSize(placed.width, placed.height)))
                x += placed.width + self.spacing()
            y += height + self.spacing()

    # ---- placing ----------------------------------------------------------------------------

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _lines(self, width: int) -> list[list[_Placed]]:
        lines: list[list[_Placed]] = []
        used = 0
        for item in self._shown():
            wanted = max(item.minimumSize().width(), min(_preferred(item), width))
            if lines and used + self.spacing() + wanted <= width:
                lines[-1].append(_Placed(item, wanted))
                used += self.spacing() + wanted
            else:
                lines.append([_Placed(item, wanted)])
                used = wanted
        for line in lines:
            if self._fill:
                self._share(line, width)
            for placed in line:
                item = placed.item
                placed.height = (
                    item.heightForWidth(placed.width)
                    if item.hasHeightForWidth()
                    else item.sizeHint().height()
                )
        return lines

    def _spare(self, line: list[_Placed], width: int) -> int:
        return max(width - sum(p.width for p in line) - self.spacing() * (len(line) - 1), 0)

    def _share(self, line: list[_Placed], width: int) -> None:
        """The line's spare width, shared by stretch (a widget of stretch 0 keeps its width);
        a line with nothing to stretch (buttons wrapped under the rest) keeps to the right."""
        total = sum(self._stretch(placed) for placed in line)
        spare = self._spare(line, width)
        if total <= 0 or spare <= 0:
            return
        for placed in line:
            placed.width += spare * self._stretch(placed) // total

    def _stretch(self, placed: _Placed) -> int:
        return self._stretches[self._items.index(placed.item)]

    def _height(self, lines: list[list[_Placed]]) -> int:
        heights = [max(placed.height for placed in line) for line in lines]
        return sum(heights) + self.spacing() * max(len(heights) - 1, 0)


def _preferred(item: QLayoutItem) -> int:
    return max(item.sizeHint().width(), item.minimumSize().width())


def kept_together(parent: QWidget, *widgets: QWidget, stretch: int = 0) -> QWidget:
    """Widgets that wrap as one, a label and its field: side by side in a widget of their own,
    the last taking `stretch` of the group's spare width. Being already in the window, they keep
    their place in the Tab order."""
    group = QWidget(parent)
    row = QHBoxLayout(group)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget, stretch if widget is widgets[-1] else 0)
    if not stretch:
        row.addStretch(1)
    return group
