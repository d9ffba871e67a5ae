"""The monitoring record editor: every field of the form, live checks, autosave and submit.

Sections and questions are those of `coreform.forms.monitoring` (000), shown where they apply; the
deadline banner stays in view above the scrolling form, and the problems list beside it jumps to
the field each problem is about.
"""

from __future__ import annotations

import copy
import itertools
import re

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLayout,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from coreform.deadlines import COMPLETION_WORKING_DAYS, DeadlineState
from coreform.forms.model import read_path, write_path
from coreform.forms.monitoring import MONITORING_FORM
from coreform.records import LONDON, ChildObservation, MonitoringRecord
from coreform.services import CoreformError, Services, SubmitResult, ValidationFailedError
from coreform.validation import Problem, Severity
from ui.accessibility import announce, describe, form_scroll_area
from ui.dialogs.pdf_password import PdfPasswordDialog
from ui.dialogs.submit_summary import SubmitSummaryDialog
from ui.formatting import day_text
from ui.pages.banner import Banner, Level, heading_label
from ui.pages.child_panel import ChildPanel
from ui.pages.conflict_bar import ConflictBar
from ui.pages.form_fields import FieldRow, problem_text
from ui.workers import BackgroundJobs, DraftSaver

_CHILD_PATH = re.compile(r"^children\[(\d+)\]\.(.+)$")
_VALIDATE_DELAY_MS = 250
# Required because of another answer (a late visit date): marked at once, untouched or not.
_ALWAYS_MARKED = frozenset({"lateness_reason"})


class RecordEditor(QWidget):
    """Edits one draft. Submitting emits `submitted` with the stored, locked record."""

    submitted = Signal(object)
    queued = Signal(bool)  # after `submitted`: its messages wait in the outbox; PDF encrypted?
    saved = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._record = MonitoringRecord()
        self._loading = False
        self._problems: list[Problem] = []
        self._panels: list[ChildPanel] = []
        self._saver: DraftSaver | None = None
        self._jobs = BackgroundJobs(self)
        self._old_savers: list[DraftSaver] = []
        self._all_marks = False
        self._stored_once = False

        outer = QVBoxLayout(self)
        self.title = heading_label("", self)
        outer.addWidget(self.title)
        self.deadline_banner = Banner(self, name="deadline_banner")
        outer.addWidget(self.deadline_banner)
        self.amendment_banner = Banner(self, name="amendment_banner")
        outer.addWidget(self.amendment_banner)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(False)
        self.scroll_area = form_scroll_area(self.splitter)
        self.form = QWidget(self.scroll_area)
        self.form.setObjectName("record_form")
        self._build_form()
        self.scroll_area.setWidget(self.form)

        side = QWidget(self.splitter)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(6, 0, 0, 0)
        self.problems_heading = QLabel("Problems", side)
        self.problems_heading.setWordWrap(True)
        self.problems_heading.setStyleSheet("font-weight: bold;")
        side_layout.addWidget(self.problems_heading)
        self.problem_list = QListWidget(side)
        self.problem_list.setWordWrap(True)
        self.problem_list.setSpacing(3)
        # Whole messages, re-wrapped when the panel is resized, never cut off with "…".
        self.problem_list.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.problem_list.setResizeMode(QListView.ResizeMode.Adjust)
        self.problem_list.setItemDelegate(_WrappingDelegate(self.problem_list))
        self.problem_list.setAccessibleName("Problems to fix: select one to go to its field")
        self.problems_heading.setBuddy(self.problem_list)
        self.problem_list.itemActivated.connect(self._on_problem_chosen)
        self.problem_list.itemClicked.connect(self._on_problem_chosen)
        side_layout.addWidget(self.problem_list, 1)
        self.splitter.addWidget(self.scroll_area)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([700, 300])
        outer.addWidget(self.splitter, 1)

        self.submit_banner = Banner(self, name="submit_banner")
        self.submit_banner.hide()
        outer.addWidget(self.submit_banner)
        self.conflict_bar = ConflictBar(services, self.current_record, self)
        self.conflict_bar.kept.connect(self._on_kept_as_new_version)
        outer.addWidget(self.conflict_bar)
        bar = QHBoxLayout()
        # Autosave is not announced (it would talk over the typing); Ctrl+S and failures are.
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        describe(self.status, "Save status")
        self._announce_save = False
        bar.addWidget(self.status, 1)
        self.save_button = QPushButton("Save draft now (Ctrl+S)", self)
        self.save_button.clicked.connect(self.save_now)
        bar.addWidget(self.save_button)
        self.submit_button = QPushButton("Check and submit… (Ctrl+Enter)", self)
        self.submit_button.clicked.connect(self.submit)
        bar.addWidget(self.submit_button)
        outer.addLayout(bar)

        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(_VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.refresh_checks)

    # ---- building ---------------------------------------------------------------------------

    def _build_form(self) -> None:
        layout = QVBoxLayout(self.form)
        self.rows: dict[str, FieldRow] = {}
        self.sections: dict[str, QGroupBox] = {}
        for section in MONITORING_FORM.sections:
            box = QGroupBox(section.title, self.form)
            box.setStyleSheet("QGroupBox { font-weight: bold; }")
            box_layout = QVBoxLayout(box)
            self.sections[section.key] = box
            # Facts (when it was completed and sent, and how) are shown once submitted, not typed.
            for spec in (spec for spec in section.fields if not spec.fact):
                row = FieldRow(spec, box)
                row.changed.connect(self._on_changed)
                box_layout.addWidget(row)
                self.rows[spec.key] = row
            if section.items is not None:
                self._add_children_area(box, box_layout)
            layout.addWidget(box)
        layout.addStretch(1)

    def _add_children_area(self, box: QGroupBox, layout: QVBoxLayout) -> None:
        self._panel_layout = QVBoxLayout()
        layout.addLayout(self._panel_layout)
        self.add_child_button = QPushButton("Add another child", box)
        self.add_child_button.setAccessibleName("Add another child to this record")
        self.add_child_button.clicked.connect(lambda: self._add_panel(ChildObservation(), True))
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_child_button)
        add_row.addStretch(1)
        layout.addLayout(add_row)

    def _add_panel(self, observation: ChildObservation, user: bool = False) -> ChildPanel:
        panel = ChildPanel(observation, self.form)
        panel.set_index(len(self._panels))
        panel.changed.connect(self._on_changed)
        panel.remove_requested.connect(self._remove_panel)
        self._panel_layout.addWidget(panel)
        # Shown now, not when the layout gets round to it, so Tab can reach it at once.
        panel.setVisible(self.form.isVisible())
        self._panels.append(panel)
        self._update_visibility()
        self._fix_tab_order()
        if user:
            panel.rows["child.name"].focus_input()
            self._on_changed()
        return panel

    def _drop_panel(self, panel: ChildPanel) -> None:
        # Blocked so the text boxes it destroys later do not report an edit to the record.
        panel.blockSignals(True)
        self._panels.remove(panel)
        self._panel_layout.removeWidget(panel)
        panel.deleteLater()

    def _remove_panel(self, panel: ChildPanel) -> None:
        self._drop_panel(panel)
        for index, remaining in enumerate(self._panels):
            remaining.set_index(index)
        self._fix_tab_order()
        self.add_child_button.setFocus()
        self._on_changed()

    def _fix_tab_order(self) -> None:
        """Tab follows the visual order, also for child panels added after the form was built."""
        chain = [w for w in _widgets_in_layout_order(self.form) if _takes_tab_focus(w)]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def focus_chain(self) -> list[QWidget]:
        """The form's inputs and buttons in visual order (what Tab walks through)."""
        return [w for w in _widgets_in_layout_order(self.form) if _takes_tab_focus(w)]

    # ---- loading and reading ----------------------------------------------------------------

    def load(self, record: MonitoringRecord) -> None:
        """Shows a draft; a save pending for the previous record finishes in the background."""
        self._retire_saver()
        self._loading = True
        try:
            self._record = copy.deepcopy(record)
            for path, row in self.rows.items():
                row.set_value(read_path(self._record, path))
            for panel in list(self._panels):
                self._drop_panel(panel)
            for observation in self._record.children:
                self._add_panel(observation)
        finally:
            self._loading = False
        self._saver = DraftSaver(self._services.save_draft, self.current_record, self)
        self._saver.saving.connect(lambda: self._set_status("Saving…"))
        self._saver.saved.connect(self._on_saved)
        self._saver.failed.connect(self._on_save_failed)
        self._saver.conflicted.connect(self.conflict_bar.show_conflict)
        self.conflict_bar.hide()
        self._stored_once = record.version > 1 or self._known_to_storage(record)
        self._all_marks = self._stored_once
        self._set_status(
            "Every change is saved as a draft as you type."
            if not self._stored_once
            else f"Saved {record.updated_at.astimezone(LONDON):%H:%M:%S}"
        )
        self.submit_banner.hide()
        self._show_title()
        self._show_amendment()
        self._update_visibility()
        self._fix_tab_order()
        self.refresh_checks()
        self.scroll_area.verticalScrollBar().setValue(0)

    def _known_to_storage(self, record: MonitoringRecord) -> bool:
        try:
            self._services.get_record(record.id)
        except CoreformError:
            return False
        return True

    def record_id(self) -> str:
        return self._record.id

    def current_record(self) -> MonitoringRecord:
        """A fresh copy of the record as typed (unreadable dates keep their last readable value)."""
        record = copy.deepcopy(self._typed_record())
        record.children = [panel.observation() for panel in self._panels]
        return record

    def _typed_record(self) -> MonitoringRecord:
        """The record with the answers outside the child panels as typed."""
        record = copy.copy(self._record)
        record.key_worker = copy.copy(self._record.key_worker)
        record.completed_by = copy.copy(self._record.completed_by)
        for path, row in self.rows.items():
            write_path(record, path, row.safe_value(read_path(self._record, path)))
        return record

    def row_for(self, path: str) -> FieldRow | None:
        """The row a problem path points at (`children[1].seen` -> that panel's row)."""
        if path in self.rows:
            return self.rows[path]
        match = _CHILD_PATH.match(path)
        if match and int(match.group(1)) < len(self._panels):
            return self._panels[int(match.group(1))].rows.get(match.group(2))
        return None

    def panels(self) -> list[ChildPanel]:
        return list(self._panels)

    # ---- changes, checks and autosave -------------------------------------------------------

    def _on_changed(self) -> None:
        if self._loading:
            return
        self._update_visibility()
        self._validate_timer.start()
        self.submit_banner.hide()
        if self._saver is not None:
            self._saver.schedule()

    def _update_visibility(self) -> None:
        """Shows the questions the form asks given the answers so far."""
        record = self._typed_record()
        for row in self.rows.values():
            row.setVisible(row.spec.applies_to(record, record))
        for panel in self._panels:
            panel.set_context(record)

    def refresh_checks(self) -> None:
        """Re-runs validation and shows the problems in the list and beside their fields."""
        self._validate_timer.stop()
        self._show_deadline()
        record = self.current_record()
        problems = self._services.validate(record)
        by_path: dict[str, list[Problem]] = {}
        for problem in problems:
            by_path.setdefault(problem.field, []).append(problem)
        typed = [
            Problem(row.spec.key, row.entry_error(), Severity.ERROR)
            for row in self.rows.values()
            if row.entry_error()
        ]
        for index, panel in enumerate(self._panels):
            typed += [
                Problem(f"children[{index}].{row.spec.key}", row.entry_error(), Severity.ERROR)
                for row in panel.rows.values()
                if row.entry_error()
            ]
        # A typed date that cannot be read is one error, said once: not also "enter the date".
        unreadable = {problem.field for problem in typed}
        problems = [problem for problem in problems if problem.field not in unreadable]
        by_path = {path: found for path, found in by_path.items() if path not in unreadable}
        for path, row in self.rows.items():
            row.set_problems(by_path.get(path, []) if self._marks_shown(row) else [])
        for index, panel in enumerate(self._panels):
            for path, row in panel.rows.items():
                shown = self._marks_shown(row)
                row.set_problems(by_path.get(f"children[{index}].{path}", []) if shown else [])
        self._problems = typed + problems
        self._show_problem_list()

    def _marks_shown(self, row: FieldRow) -> bool:
        """A new, empty form is not covered in red: marks appear once a field is touched, a
        submit was tried, or the draft was saved before."""
        return row.touched or self._all_marks or row.spec.key in _ALWAYS_MARKED

    def problems(self) -> list[Problem]:
        return list(self._problems)

    def _show_problem_list(self) -> None:
        self.problem_list.clear()
        errors = sum(p.severity is Severity.ERROR for p in self._problems)
        warnings = len(self._problems) - errors
        if not self._problems:
            self.problems_heading.setText("No problems found: ready to submit.")
        else:
            parts = []
            if errors:
                parts.append(f"{errors} error{'s' if errors != 1 else ''} to fix before submitting")
            if warnings:
                parts.append(f"{warnings} warning{'s' if warnings != 1 else ''} to consider")
            self.problems_heading.setText("Problems: " + "; ".join(parts))
        for problem in self._problems:
            icon = (
                QStyle.StandardPixmap.SP_MessageBoxCritical
                if problem.severity is Severity.ERROR
                else QStyle.StandardPixmap.SP_MessageBoxWarning
            )
            item = QListWidgetItem(self.style().standardIcon(icon), problem_text(problem))
            item.setData(Qt.ItemDataRole.UserRole, problem.field)
            item.setToolTip(problem_text(problem))
            self.problem_list.addItem(item)

    def _on_problem_chosen(self, item: QListWidgetItem) -> None:
        self.focus_field(str(item.data(Qt.ItemDataRole.UserRole)))

    def focus_field(self, path: str) -> None:
        """Moves the keyboard focus to the field a problem path names (or its nearest owner)."""
        row = self.row_for(path)
        candidate = path
        while row is None and "." in candidate:
            candidate = candidate.rpartition(".")[0]
            row = self.row_for(candidate)
        if row is not None:
            row.setVisible(True)
            target: QWidget = row.inputs[0]
        elif path.startswith("children") and self._panels:
            target = self._panels[0].rows["child.name"].inputs[0]
        else:
            target = self.add_child_button
        self.scroll_area.ensureWidgetVisible(row or target)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_deadline(self) -> None:
        days = f"{COMPLETION_WORKING_DAYS} working days"
        visit_date = self.rows["visit_date"].safe_value(None)
        due = self._services.deadline(visit_date)
        if due is None and visit_date is not None:
            self.deadline_banner.show_message(
                Level.WARNING,
                f"The visit date, {day_text(visit_date)}, is still to come: the deadline starts "
                "once the visit has happened. Please check the date.",
            )
            return
        if due is None:
            self.deadline_banner.show_message(
                Level.INFO,
                f"Enter the visit date: the record must be completed and sent to the key worker "
                f"within {days} of the visit.",
            )
            return
        text = f"Complete and send by {day_text(due.due)} — {days} after the visit"
        if due.holidays_skipped:
            text += f" (bank holidays not counted: {', '.join(due.holidays_skipped)})"
        state = due.state
        if state is DeadlineState.DUE_TODAY:
            self.deadline_banner.show_message(Level.WARNING, f"Due today. {text}")
        elif state is DeadlineState.LATE:
            self.deadline_banner.show_message(
                Level.ERROR, f"Late. {text}. Give the reason for lateness under Sending."
            )
        else:
            self.deadline_banner.show_message(Level.INFO, text)

    def _show_title(self) -> None:
        family = self._record.family_name or "new family"
        reference = f" {self._record.reference}" if self._record.reference else ""
        self.title.setText(f"Monitoring record{reference} — {family} (draft)")

    def _show_amendment(self) -> None:
        amendment = self._record.amendment
        if amendment is None:
            self.amendment_banner.hide()
            return
        self.amendment_banner.show_message(
            Level.INFO,
            f"You are amending a submitted record (version {amendment.previous_version} stays as "
            f"it was). Reason: {amendment.reason}",
        )

    def _set_status(self, text: str) -> None:
        self.status.setText(text)

    def _on_saved(self, stored: MonitoringRecord) -> None:
        self._record.version = stored.version
        self._record.updated_at = stored.updated_at
        self._record.reference = stored.reference
        self._stored_once = True
        if self._saver is not None and self._saver.pending:
            self._set_status("Saving…")
        else:
            self._set_status(f"Saved {stored.updated_at.astimezone(LONDON):%H:%M:%S}")
            if self._announce_save:
                self._announce_save = False
                announce(self.status, self.status.text())
        self._show_title()
        self.saved.emit(stored)

    def _on_save_failed(self, message: str) -> None:
        self._set_status(
            f"Not saved: {message} What you typed is still here; press Ctrl+S to try again."
        )
        announce(self.status, self.status.text(), urgent=True)

    def _on_kept_as_new_version(self, stored: MonitoringRecord) -> None:
        """After a conflict my copy is a draft of its own; theirs stays as it was (issue 9)."""
        if self._saver is not None:
            self._saver.drop_pending()
        theirs = self._record.reference
        self.load(stored)
        self._set_status(f"Yours is kept as {stored.reference}; theirs stays as {theirs}.")

    def save_now(self) -> None:
        if self._saver is not None:
            self._announce_save = True
            self._saver.save_soon()

    def flush_pending(self) -> None:
        if self._saver is not None:
            self._saver.flush()

    def finish_saving(self) -> str:
        """Stores every edit before the window closes; returns an error message or ""."""
        self._jobs.wait()  # a submit under way ends (or is refused) before the database closes
        errors = [saver.finish() for saver in [*self._old_savers, self._saver] if saver]
        return next((error for error in errors if error), "")

    def _retire_saver(self) -> None:
        if self._saver is None:
            return
        saver = self._saver
        self._saver = None
        saver.saved.disconnect(self._on_saved)
        saver.failed.disconnect(self._on_save_failed)
        saver.conflicted.disconnect(self.conflict_bar.show_conflict)
        if saver.pending:
            saver.flush()
            self._old_savers.append(saver)
        self._old_savers = [old for old in self._old_savers if old.pending]

    # ---- submitting -------------------------------------------------------------------------

    def submit(self) -> None:
        """Checks, shows who will receive it, then submits and locks the record."""
        self._all_marks = True
        self.refresh_checks()
        errors = [p for p in self._problems if p.severity is Severity.ERROR]
        if errors:
            self._block_submit(errors)
            return
        if self._saver is not None:
            error = self._saver.finish()
            if error:
                self._on_save_failed(error)
                return
        record = self.current_record()
        warnings = [p for p in self._problems if p.severity is Severity.WARNING]
        if not SubmitSummaryDialog.ask(self, record, self._services.recipients(record), warnings):
            return
        password: str | None = None
        if self._services.get_settings().mail.asks_pdf_password:
            password = PdfPasswordDialog.ask(self)
            if password is None:
                return
        # Rendering and encrypting the PDF takes a moment: off the GUI thread, form held still.
        self._show_submitting(True)
        self._jobs.run(
            lambda: self._services.submit_and_send(record, pdf_password=password),
            done=self._on_submitted,
            failed=self._on_submit_failed,
            what="Submitting",
        )

    @property
    def submitting(self) -> bool:
        return self._jobs.busy

    def _show_submitting(self, busy: bool) -> None:
        for widget in (self.form, self.save_button, self.submit_button):
            widget.setEnabled(not busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            self.submit_banner.show_message(
                Level.INFO, "Submitting: making the PDF and queueing the messages…"
            )
        else:
            QApplication.restoreOverrideCursor()
            self.submit_banner.hide()

    def _on_submitted(self, result: SubmitResult) -> None:
        self._show_submitting(False)
        self._saver = None
        self.submitted.emit(result.record)
        self.queued.emit(result.pdf_encrypted)

    def _on_submit_failed(self, error: CoreformError) -> None:
        self._show_submitting(False)
        if isinstance(error, ValidationFailedError):
            self._block_submit([p for p in error.problems if p.severity is Severity.ERROR])
        else:
            self.submit_banner.show_message(Level.ERROR, f"Not submitted: {error}")

    def _block_submit(self, errors: list[Problem]) -> None:
        count = len(errors)
        self.submit_banner.show_message(
            Level.ERROR,
            f"Not submitted: {count} error{'s' if count != 1 else ''} must be fixed first. "
            "They are listed under Problems; select one to go to its field.",
        )
        self.problem_list.setFocus()
        self.problem_list.setCurrentRow(0)


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
