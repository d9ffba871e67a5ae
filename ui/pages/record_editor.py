"""The monitoring record editor: every field of the form, live checks, autosave and submit.

Sections and questions are those of `coreform.forms.monitoring` (000), shown where they apply; the
deadline banner stays in view above the scrolling form, and the problems list beside it jumps to
the field each problem is about.
"""

from __future__ import annotations

import copy
import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QPushButton, QVBoxLayout, QWidget

from coreform.forms.model import read_path, write_path
from coreform.forms.monitoring import MONITORING_FORM
from coreform.records import LONDON, MonitoringRecord
from coreform.services import CoreformError, KnownChild, Services, SubmitResult
from coreform.validation import Problem
from ui.accessibility import announce
from ui.pages.banner import Banner, heading_label
from ui.pages.child_panel import ChildPanel
from ui.pages.children_area import ChildrenArea
from ui.pages.conflict_bar import ConflictBar
from ui.pages.editor_banners import SUBMITTING, show_amendment, show_deadline
from ui.pages.editor_parts import (
    check_and_mark,
    checks_timer,
    form_beside_problems,
    nearest_row,
    save_bar,
    show_blocked,
    show_busy,
    show_lock_failed,
    show_save_failed,
    show_saved,
    warnings_once_saved,
)
from ui.pages.form_fields import FieldRow
from ui.pages.record_submission import Submission
from ui.pages.tab_order import fix_tab_order, focus_chain
from ui.workers import DraftSaver

_NOT_SUBMITTED = "Not submitted"
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
        self._saver: DraftSaver[MonitoringRecord] | None = None
        self._submission = Submission(services, self)
        self._submission.started.connect(lambda: self._show_submitting(True))
        self._submission.done.connect(self._on_submitted)
        self._submission.failed.connect(self._on_submit_failed)
        self._old_savers: list[DraftSaver[MonitoringRecord]] = []
        self._all_marks = False
        self._stored_once = False

        outer = QVBoxLayout(self)
        self.title = heading_label("", self)
        outer.addWidget(self.title)
        self.deadline_banner = Banner(self, name="deadline_banner")
        outer.addWidget(self.deadline_banner)
        self.amendment_banner = Banner(self, name="amendment_banner")
        outer.addWidget(self.amendment_banner)

        self.splitter, self.scroll_area, self.problems_panel = form_beside_problems(
            self, action=("submit", "submitting"), form_width=700
        )
        self.form = QWidget(self.scroll_area)
        self.form.setObjectName("record_form")
        self._build_form()
        self.scroll_area.setWidget(self.form)
        self.problems_panel.chosen.connect(self.focus_field)
        self.problem_list = self.problems_panel.list
        outer.addWidget(self.splitter, 1)

        self.submit_banner = Banner(self, name="submit_banner")
        self.submit_banner.hide()
        outer.addWidget(self.submit_banner)
        self.conflict_bar = ConflictBar(services, self.current_record, self)
        self.conflict_bar.kept.connect(self._on_kept_as_new_version)
        outer.addWidget(self.conflict_bar)
        bar, self.status, self.save_button = save_bar(self, self.save_now)
        # Autosave is not announced (it would talk over the typing); Ctrl+S and failures are.
        self._announce_save = False
        self.submit_button = QPushButton("Check and submit… (Ctrl+Enter)", self)
        self.submit_button.clicked.connect(self.submit)
        bar.addWidget(self.submit_button)
        outer.addLayout(bar)

        self._validate_timer = checks_timer(self, self.refresh_checks)

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
                self.children_area = ChildrenArea(
                    self._typed_record, box, find_known=self._children_like
                )
                self.children_area.changed.connect(self._on_changed)
                self.children_area.panels_changed.connect(self._fix_tab_order)
                self.add_child_button = self.children_area.add_child_button
                box_layout.addWidget(self.children_area)
            layout.addWidget(box)
        layout.addStretch(1)

    def _children_like(self, name: str, born: dt.date | None) -> list[KnownChild]:
        try:
            return self._services.children_like(name, born)
        except CoreformError:
            return []  # the offer only helps: a failed look-up must not stop the typing

    def _fix_tab_order(self) -> None:
        """Tab follows the visual order, also for child panels added after the form was built."""
        fix_tab_order(self.form)

    def focus_chain(self) -> list[QWidget]:
        """The form's inputs and buttons in visual order (what Tab walks through)."""
        return focus_chain(self.form)

    # ---- loading and reading ----------------------------------------------------------------

    def load(self, record: MonitoringRecord) -> None:
        """Shows a draft; a save pending for the previous record finishes in the background."""
        self._retire_saver()
        self._loading = True
        try:
            self._record = copy.deepcopy(record)
            for path, row in self.rows.items():
                row.set_value(read_path(self._record, path))
            self.children_area.show_children(self._record.children)
        finally:
            self._loading = False
        self._saver = DraftSaver(self._services.save_draft, self.current_record, self)
        self._saver.saving.connect(lambda: self.status.setText("Saving…"))
        self._saver.saved.connect(self._on_saved)
        self._saver.failed.connect(self._on_save_failed)
        self._saver.conflicted.connect(self.conflict_bar.show_conflict)
        self.conflict_bar.hide()
        self._stored_once = record.version > 1 or self._known_to_storage(record)
        self._all_marks = self._stored_once
        self.status.setText(
            "Every change is saved as a draft as you type."
            if not self._stored_once
            else f"Saved {record.updated_at.astimezone(LONDON):%H:%M:%S}"
        )
        self.submit_banner.hide()
        self._show_title()
        show_amendment(self.amendment_banner, self._record.amendment)
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
        record.children = self.children_area.observations()
        return record

    def _typed_record(self) -> MonitoringRecord:
        """The record with the answers outside the child panels as typed."""
        record = copy.copy(self._record)
        record.key_worker = copy.copy(self._record.key_worker)
        record.completed_by = copy.copy(self._record.completed_by)
        for path, row in self.rows.items():
            write_path(record, path, row.safe_value(read_path(self._record, path)))
        return record

    def all_rows(self) -> dict[str, FieldRow]:
        """Every row by the path a problem names (`children[1].seen` for a child's)."""
        rows = dict(self.rows)
        for index, panel in enumerate(self.panels()):
            rows.update({f"children[{index}].{key}": row for key, row in panel.rows.items()})
        return rows

    def panels(self) -> list[ChildPanel]:
        return self.children_area.panels()

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
        self.children_area.set_context(record)

    def refresh_checks(self) -> None:
        """Re-runs validation and shows the problems in the list and beside their fields."""
        self._validate_timer.stop()
        visit_date = self.rows["visit_date"].safe_value(None)
        show_deadline(self.deadline_banner, self._services, visit_date)
        record = self.current_record()
        self._problems = check_and_mark(
            self.all_rows(), self._services.validate(record), self._marks_shown
        )
        self.problems_panel.show_problems(self._problems)

    def _marks_shown(self, row: FieldRow) -> bool:
        """A new, empty form is not covered in red: marks appear once a field is touched, a
        submit was tried, or the draft was saved before."""
        return row.touched or self._all_marks or row.spec.key in _ALWAYS_MARKED

    def problems(self) -> list[Problem]:
        return list(self._problems)

    def focus_field(self, path: str) -> None:
        """Moves the keyboard focus to the field a problem path names (or its nearest owner)."""
        row = nearest_row(path, self.all_rows().get)
        if row is not None:
            row.setVisible(True)
            target: QWidget = row.inputs[0]
        elif path.startswith("children") and self.panels():
            target = self.panels()[0].rows["child.name"].inputs[0]
        else:
            target = self.add_child_button
        self.scroll_area.ensureWidgetVisible(row or target)
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_title(self) -> None:
        family = self._record.family_name or "new family"
        reference = f" {self._record.reference}" if self._record.reference else ""
        self.title.setText(f"Monitoring record{reference} — {family} (draft)")

    def _on_saved(self, stored: MonitoringRecord) -> None:
        self._record.version = stored.version
        self._record.updated_at = stored.updated_at
        self._record.reference = stored.reference
        self._stored_once = True
        pending = self._saver is not None and self._saver.pending
        show_saved(self.status, stored.updated_at, pending=pending)
        if not pending and self._announce_save:
            self._announce_save = False
            announce(self.status, self.status.text())
        self._show_title()
        self.saved.emit(stored)

    def _on_save_failed(self, message: str) -> None:
        show_save_failed(self.status, message)

    def _on_kept_as_new_version(self, stored: MonitoringRecord) -> None:
        """After a conflict my copy is a draft of its own; theirs stays as it was (issue 9)."""
        if self._saver is not None:
            self._saver.drop_pending()
        theirs = self._record.reference
        self.load(stored)
        self.status.setText(f"Yours is kept as {stored.reference}; theirs stays as {theirs}.")

    def save_now(self) -> None:
        if self._saver is not None:
            self._announce_save = True
            self._saver.save_soon()

    def flush_pending(self) -> None:
        if self._saver is not None:
            self._saver.flush()

    def finish_saving(self) -> str:
        """Stores every edit before the window closes; returns an error message or ""."""
        self._submission.wait()
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
        warnings = warnings_once_saved(
            self._problems, self._saver, blocked=self._block_submit, not_saved=self._on_save_failed
        )
        if warnings is not None:
            self._submission.start(self.current_record(), warnings)

    @property
    def submitting(self) -> bool:
        return self._submission.busy

    def _show_submitting(self, busy: bool) -> None:
        show_busy(
            (self.form, self.save_button, self.submit_button),
            self.submit_banner,
            SUBMITTING if busy else None,
        )

    def _on_submitted(self, result: SubmitResult) -> None:
        self._show_submitting(False)
        self._saver = None
        self.submitted.emit(result.record)
        self.queued.emit(result.pdf_encrypted)

    def _on_submit_failed(self, error: CoreformError) -> None:
        self._show_submitting(False)
        show_lock_failed(error, self.submit_banner, _NOT_SUBMITTED, self._block_submit)

    def _block_submit(self, errors: list[Problem]) -> None:
        show_blocked(self.submit_banner, _NOT_SUBMITTED, len(errors))
        self.problems_panel.focus_first()
