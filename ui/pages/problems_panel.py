"""The editor's side panel: what is wrong with the record, each problem a way to its field."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from coreform.validation import Problem, Severity
from ui.pages.form_fields import problem_text


class ProblemsPanel(QWidget):
    """A heading that counts errors and warnings, and the list of them; choosing one emits the
    path of the field it is about."""

    chosen = Signal(str)

    def __init__(
        self, parent: QWidget | None = None, *, action: tuple[str, str] = ("submit", "submitting")
    ) -> None:
        super().__init__(parent)
        self._action = action  # a record is submitted, minutes are finalised
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        self.heading = QLabel("Problems", self)
        self.heading.setWordWrap(True)
        self.heading.setStyleSheet("font-weight: bold;")
        layout.addWidget(self.heading)
        self.list = QListWidget(self)
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        # Whole messages, re-wrapped when the panel is resized, never cut off with "…".
        self.list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.setItemDelegate(_WrappingDelegate(self.list))
        self.list.setAccessibleName("Problems to fix: select one to go to its field")
        self.heading.setBuddy(self.list)
        self.list.itemActivated.connect(self._on_chosen)
        self.list.itemClicked.connect(self._on_chosen)
        layout.addWidget(self.list, 1)

    def show_problems(self, problems: list[Problem]) -> None:
        self.list.clear()
        errors = sum(p.severity is Severity.ERROR for p in problems)
        warnings = len(problems) - errors
        if not problems:
            self.heading.setText(f"No problems found: ready to {self._action[0]}.")
        else:
            parts = []
            if errors:
                plural = "s" if errors != 1 else ""
                parts.append(f"{errors} error{plural} to fix before {self._action[1]}")
            if warnings:
                parts.append(f"{warnings} warning{'s' if warnings != 1 else ''} to consider")
            self.heading.setText("Problems: " + "; ".join(parts))
        for problem in problems:
            icon = (
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if problem.severity is Severity.ERROR
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            item = QListWidgetItem(self.style().standardIcon(icon), problem_text(problem))
            item.setData(Qt.ItemDataRole.UserRole, problem.field)
            item.setToolTip(problem_text(problem))
            self.list.addItem(item)

    def focus_first(self) -> None:
        self.list.setFocus()
        self.list.setCurrentRow(0)

    def _on_chosen(self, item: QListWidgetItem) -> None:
        self.chosen.emit(str(item.data(Qt.ItemDataRole.UserRole)))


class _WrappingDelegate(QStyledItemDelegate):
    """Item heights from the text wrapped to the room beside the icon (Qt's own guess is short)."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        view = self.parent()
        assert isinstance(view, QListWidget)
        icon = option.decorationSize.width() + 16
        width = max(view.viewport().width() - icon - 2 * view.spacing() - 8, 40)
        text = str(index.data(Qt.ItemDataRole.DisplayRole) or "")
        wrapped = option.fontMetrics.boundingRect(
            QRect(0, 0, width, 100_000), int(Qt.TextFlag.TextWordWrap), text
        )
        return QSize(hint.width(), max(hint.height(), wrapped.height() + 8))
