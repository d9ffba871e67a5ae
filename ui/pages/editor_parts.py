"""What the monitoring record editor and the minutes editor do alike, written once: the form
beside its problems list, the save status bar, marking each field's problems, and the checks
before a draft is locked (submitted or finalised)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QWidget,
)

from coreform.records import LONDON
from coreform.services import CoreformError, ValidationFailedError
from coreform.validation import Problem, Severity
from ui.accessibility import announce, describe, form_scroll_area
from ui.pages.banner import Banner, Level
from ui.pages.flow_layout import FlowLayout
from ui.pages.form_fields import FieldRow
from ui.pages.problems_panel import ProblemsPanel
from ui.workers import DraftSaver

_VALIDATE_DELAY_MS = 250  # checks run once typing pauses, not on every key


class _FormArea(QScrollArea):
    """As wide as the form's narrowest layout (200% text): the splitter narrows the problems
    list first, so the form scrolls sideways only when the window cannot be wider."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        form = self.widget()
        if form is None:
            return hint
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        width = form.minimumSizeHint().width() + 2 * self.frameWidth() + scroll_bar
        return QSize(max(hint.width(), width), hint.height())


def form_beside_problems(
    parent: QWidget, *, action: tuple[str, str], form_width: int
) -> tuple[QSplitter, QScrollArea, ProblemsPanel]:
    """The scrolling form (its widget set by the caller) with the problems list on its right."""
    splitter = QSplitter(Qt.Orientation.Horizontal, parent)
    splitter.setChildrenCollapsible(False)
    scroll_area = form_scroll_area(splitter, _FormArea)
    problems_panel = ProblemsPanel(splitter, action=action)
    splitter.addWidget(scroll_area)
    splitter.addWidget(problems_panel)
    splitter.setStretchFactor(0, 3)
    splitter.setStretchFactor(1, 1)
    splitter.setSizes([form_width, 300])
    return splitter, scroll_area, problems_panel


def save_bar(
    parent: QWidget, save_now: Callable[[], None]
) -> tuple[FlowLayout, QLabel, QPushButton]:
    """The save status (read by screen readers as "Save status") and Save draft now; the
    editor adds its other buttons. At 200% text the buttons wrap onto a second line instead
    of squeezing the status to a word a line and holding the window wider than the screen."""
    bar = FlowLayout(fill=True)
    status = QLabel(parent)
    status.setWordWrap(True)
    describe(status, "Save status")
    bar.add(status, 1)
    save_button = QPushButton("Save draft now (Ctrl+S)", parent)
    save_button.clicked.connect(save_now)
    bar.addWidget(save_button)
    return bar, status, save_button


def checks_timer(parent: QWidget, refresh: Callable[[], None]) -> QTimer:
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(_VALIDATE_DELAY_MS)
    timer.timeout.connect(refresh)
    return timer


def check_and_mark(
    rows: Mapping[str, FieldRow], found: Iterable[Problem], marked: Callable[[FieldRow], bool]
) -> list[Problem]:
    """Every problem, and each row's beside it when `marked`: what cannot be read as typed first.

    A typed date that cannot be read is one error, said once: not also "enter the date".
    """
    typed = [
        Problem(path, row.entry_error(), Severity.ERROR)
        for path, row in rows.items()
        if row.entry_error()
    ]
    unreadable = {problem.field for problem in typed}
    checked = [problem for problem in found if problem.field not in unreadable]
    by_path: dict[str, list[Problem]] = {}
    for problem in checked:
        by_path.setdefault(problem.field, []).append(problem)
    for path, row in rows.items():
        row.set_problems(by_path.get(path, []) if marked(row) else [])
    return typed + checked


def nearest_row(path: str, row_for: Callable[[str], FieldRow | None]) -> FieldRow | None:
    """The row a problem path names, else the nearest one that holds it (`children[1]` for
    `children[1].seen` when that row is not there)."""
    row = row_for(path)
    candidate = path
    while row is None and "." in candidate:
        candidate = candidate.rpartition(".")[0]
        row = row_for(candidate)
    return row


def show_saved(status: QLabel, updated_at: dt.datetime, *, pending: bool) -> None:
    status.setText("Saving…" if pending else f"Saved {updated_at.astimezone(LONDON):%H:%M:%S}")


def show_save_failed(status: QLabel, message: str) -> None:
    status.setText(f"Not saved: {message} What you typed is still here; press Ctrl+S to try again.")
    announce(status, status.text(), urgent=True)


def warnings_once_saved(
    problems: Sequence[Problem],
    saver: DraftSaver[Any] | None,
    *,
    blocked: Callable[[list[Problem]], None],
    not_saved: Callable[[str], None],
) -> list[Problem] | None:
    """Before locking: errors stop it (`blocked`), then every edit is stored (`not_saved` says
    why not); returns the warnings to ask about, or None when it cannot go on."""
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        blocked(errors)
        return None
    if saver is not None and (error := saver.finish()):
        not_saved(error)
        return None
    return [p for p in problems if p.severity is Severity.WARNING]


def show_busy(widgets: Iterable[QWidget], banner: Banner, doing: str | None) -> None:
    """While `doing` is said in the banner, the form and its buttons wait (None: done)."""
    for widget in widgets:
        widget.setEnabled(doing is None)
    if doing is not None:
        QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        banner.show_message(Level.INFO, doing)
    else:
        QApplication.restoreOverrideCursor()
        banner.hide()


def show_blocked(banner: Banner, not_done: str, errors: int) -> None:
    banner.show_message(
        Level.ERROR,
        f"{not_done}: {errors} error{'s' if errors != 1 else ''} must be fixed first. "
        "They are listed under Problems; select one to go to its field.",
    )


def show_lock_failed(
    error: CoreformError,
    banner: Banner,
    not_done: str,
    blocked: Callable[[list[Problem]], None],
) -> None:
    """The core refused to lock: its errors are listed, any other reason is said in the banner."""
    if isinstance(error, ValidationFailedError):
        blocked([p for p in error.problems if p.severity is Severity.ERROR])
    else:
        banner.show_message(Level.ERROR, f"{not_done}: {error}")
