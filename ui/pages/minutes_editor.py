"""The core group minutes editor: the Suffolk "Record of Core Group Meeting" (001 template), every
section of `coreform.forms.minutes` in its order, live checks, autosave and Finalise.

Driven by the form like the monitoring editor: fields are FieldRows, facts (the due date, "seen in
timescales") are shown and never typed, repeated items are panels (minutes_items). The problems
list beside the form jumps to the field each problem is about.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from coreform.forms.minutes import MINUTES_TITLE
from coreform.minutes import CoreGroupMinutes
from coreform.records import LONDON
from coreform.services import CoreformError, Services, ValidationFailedError
from coreform.validation import Problem, Severity
from ui.accessibility import announce, describe, form_scroll_area
from ui.dialogs.finalise_minutes import FinaliseMinutesDialog
from ui.dialogs.modal import confirm_destructive
from ui.pages.banner import Banner, Level, heading_label
from ui.pages.form_fields import FieldRow
from ui.pages.minutes_form import MinutesForm
from ui.pages.minutes_text import schedule_message
from ui.pages.problems_panel import ProblemsPanel
from ui.workers import BackgroundJobs, DraftSaver

_VALIDATE_DELAY_MS = 250


class MinutesEditor(QWidget):
    """Edits one draft of minutes; `finalised` carries the stored, locked minutes."""

    finalised = Signal(object)
    discarded = Signal()  # the draft is gone (a meeting started by mistake, an amendment)
    saved = Signal(object)

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._loading = False
        self._problems: list[Problem] = []
        self._saver: DraftSaver[CoreGroupMinutes] | None = None
        self._jobs = BackgroundJobs(self)
        self._all_marks = False
        outer = QVBoxLayout(self)
        self.title = heading_label(MINUTES_TITLE, self)
        outer.addWidget(self.title)
        self.schedule_banner = Banner(self, name="schedule_banner")
        outer.addWidget(self.schedule_banner)
        self.amendment_banner = Banner(self, name="amendment_banner")
        outer.addWidget(self.amendment_banner)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setChildrenCollapsible(False)
        self.scroll_area = form_scroll_area(splitter)
        self.form = MinutesForm(self.scroll_area)
        self.form.changed.connect(self._on_changed)
        self.form.refused.connect(self._show_refusal)
        self.scroll_area.setWidget(self.form)
        self.problems_panel = ProblemsPanel(splitter, action=("finalise", "finalising"))
        self.problems_panel.chosen.connect(self.focus_field)
        splitter.addWidget(self.scroll_area)
        splitter.addWidget(self.problems_panel)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([760, 300])
        outer.addWidget(splitter, 1)
        self.action_banner = Banner(self, name="minutes_action_banner")
        self.action_banner.hide()
        outer.addWidget(self.action_banner)
        bar = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        describe(self.status, "Save status")
        bar.addWidget(self.status, 1)
        self.save_button = QPushButton("Save draft now (Ctrl+S)", self)
        self.save_button.clicked.connect(self.save_now)
        bar.addWidget(self.save_button)
        self.discard_button = QPushButton("Discard this draft…", self)
        self.discard_button.clicked.connect(self.discard)
        bar.addWidget(self.discard_button)
        self.finalise_button = QPushButton("Check and finalise… (Ctrl+Enter)", self)
        self.finalise_button.clicked.connect(self.finalise)
        bar.addWidget(self.finalise_button)
        outer.addLayout(bar)
        self._validate_timer = QTimer(self)
        self._validate_timer.setSingleShot(True)
        self._validate_timer.setInterval(_VALIDATE_DELAY_MS)
        self._validate_timer.timeout.connect(self.refresh_checks)

    # ---- loading and reading ----------------------------------------------------------------

    def load(self, minutes: CoreGroupMinutes) -> None:
        """Shows a draft; a save pending for the previous draft finishes first."""
        self.flush_pending()
        self._loading = True
        try:
            self.form.show_minutes(minutes)
        finally:
            self._loading = False
        self._saver = DraftSaver(self._services.save_minutes_draft, self.form.current_minutes, self)
        self._saver.saving.connect(lambda: self.status.setText("Saving…"))
        self._saver.saved.connect(self._on_saved)
        self._saver.failed.connect(self._on_save_failed)
        self._all_marks = minutes.version > 1
        self.status.setText("Every change is saved as a draft as you type.")
        self.action_banner.hide()
        self._show_title()
        self._show_amendment()
        self.refresh_checks()
        self.scroll_area.verticalScrollBar().setValue(0)

    def minutes_id(self) -> str:
        return self.form.stored().id

    def current_minutes(self) -> CoreGroupMinutes:
        return self.form.current_minutes()

    # ---- changes, checks and autosave -------------------------------------------------------

    def _on_changed(self) -> None:
        if self._loading:
            return
        self.form.update_visibility()
        self._validate_timer.start()
        if self._saver is not None:
            self._saver.schedule()

    def refresh_checks(self) -> None:
        """Re-runs the core's checks and shows them in the list and beside their fields."""
        self._validate_timer.stop()
        minutes = self.form.current_minutes()
        self._show_schedule(minutes)
        rows = dict(self.form.all_rows())
        typed = [
            Problem(path, row.entry_error(), Severity.ERROR)
            for path, row in rows.items()
            if row.entry_error()
        ]
        unreadable = {problem.field for problem in typed}
        found = [
            problem
            for problem in self._services.validate_minutes(minutes)
            if problem.field not in unreadable
        ]
        by_path: dict[str, list[Problem]] = {}
        for problem in found:
            by_path.setdefault(problem.field, []).append(problem)
        for path, row in rows.items():
            shown = row.touched or self._all_marks
            row.set_problems(by_path.get(path, []) if shown else [])
        self._problems = typed + found
        # The list names whose answer each problem is about ("Attendee 3: Li Wei: …").
        self.problems_panel.show_problems(
            [replace(p, message=self.form.place_of(p.field) + p.message) for p in self._problems]
        )

    def problems(self) -> list[Problem]:
        return list(self._problems)

    def focus_field(self, path: str) -> None:
        """Moves the focus to the field a problem names, or the nearest part that holds it."""
        target = self.form.target_for(path)
        if target is None:
            return
        self.scroll_area.ensureWidgetVisible(target)
        if isinstance(target, FieldRow):
            target.focus_input()
        else:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_refusal(self, message: str) -> None:
        if message:
            self.action_banner.show_message(Level.ERROR, message)
        else:
            self.action_banner.hide()

    def _show_title(self) -> None:
        minutes = self.form.stored()
        reference = f" {minutes.reference}" if minutes.reference else ""
        family = f"{minutes.family_name} family" if minutes.family_name else "family not named"
        self.title.setText(
            f"{MINUTES_TITLE}{reference} — {family}, core group {minutes.sequence} (draft)"
        )

    def _show_schedule(self, minutes: CoreGroupMinutes) -> None:
        level, text = schedule_message(minutes, self._services.minutes_deadline(minutes))
        if (level, text) != (self.schedule_banner.level, self.schedule_banner.text()):
            self.schedule_banner.show_message(level, text)

    def _show_amendment(self) -> None:
        amendment = self.form.stored().amendment
        if amendment is None:
            self.amendment_banner.hide()
            return
        self.amendment_banner.show_message(
            Level.INFO,
            f"You are amending finalised minutes (version {amendment.previous_version} stays as "
            f"it was). Reason: {amendment.reason}",
        )

    def _on_saved(self, stored: CoreGroupMinutes) -> None:
        kept = self.form.stored()
        kept.version, kept.updated_at = stored.version, stored.updated_at
        kept.reference = stored.reference
        if self._saver is not None and self._saver.pending:
            self.status.setText("Saving…")
        else:
            self.status.setText(f"Saved {stored.updated_at.astimezone(LONDON):%H:%M:%S}")
        self._show_title()
        self.saved.emit(stored)

    def _on_save_failed(self, message: str) -> None:
        self.status.setText(
            f"Not saved: {message} What you typed is still here; press Ctrl+S to try again."
        )
        announce(self.status, self.status.text(), urgent=True)

    def save_now(self) -> None:
        if self._saver is not None:
            self._saver.save_soon()

    def flush_pending(self) -> None:
        if self._saver is not None:
            self._saver.flush()

    def finish_saving(self) -> str:
        """Stores every edit before the window closes; returns an error message or ""."""
        self._jobs.wait()
        return self._saver.finish() if self._saver is not None else ""

    def discard(self) -> None:
        """Removes this draft after asking; finalised minutes before an amendment stay."""
        stored = self.form.stored()
        kept = (
            " The finalised version before this amendment stays as it is."
            if stored.amendment
            else ""
        )
        if not confirm_destructive(
            self,
            "Discard this draft",
            f"Discard the draft minutes of core group {stored.sequence}?{kept}\n\nThis cannot "
            "be undone. The discarding is written to the audit trail.",
            "Discard draft",
        ):
            return
        if self._saver is not None:
            self._saver.finish()  # the last edits reach the database before the draft goes
        try:
            self._services.discard_minutes_draft(stored.id)
        except CoreformError as error:
            self.action_banner.show_message(Level.ERROR, f"Not discarded: {error}")
            return
        self._saver = None
        self.discarded.emit()

    # ---- finalising -------------------------------------------------------------------------

    def finalise(self) -> None:
        """Checks; errors stop it, warnings are asked about; then the minutes are locked."""
        self._all_marks = True
        self.refresh_checks()
        errors = [p for p in self._problems if p.severity is Severity.ERROR]
        if errors:
            self._refuse(errors)
            return
        if self._saver is not None and (error := self._saver.finish()):
            self._on_save_failed(error)
            return
        minutes = self.form.current_minutes()
        warnings = [p for p in self._problems if p.severity is Severity.WARNING]
        if not FinaliseMinutesDialog.ask(self, warnings):
            return
        self._busy(True)
        self._jobs.run(
            lambda: self._services.finalise_minutes(minutes),
            done=self._on_finalised,
            failed=self._on_finalise_failed,
            what="Finalising the minutes",
        )

    @property
    def finalising(self) -> bool:
        return self._jobs.busy

    def _busy(self, busy: bool) -> None:
        for widget in (self.form, self.save_button, self.finalise_button):
            widget.setEnabled(not busy)
        if busy:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
            self.action_banner.show_message(Level.INFO, "Finalising the minutes…")
        else:
            QApplication.restoreOverrideCursor()
            self.action_banner.hide()

    def _on_finalised(self, stored: CoreGroupMinutes) -> None:
        self._busy(False)
        self._saver = None
        self.finalised.emit(stored)

    def _on_finalise_failed(self, error: CoreformError) -> None:
        self._busy(False)
        if isinstance(error, ValidationFailedError):
            self._refuse([p for p in error.problems if p.severity is Severity.ERROR])
        else:
            self.action_banner.show_message(Level.ERROR, f"Not finalised: {error}")

    def _refuse(self, errors: list[Problem]) -> None:
        count = len(errors)
        self.action_banner.show_message(
            Level.ERROR,
            f"Not finalised: {count} error{'s' if count != 1 else ''} must be fixed first. "
            "They are listed under Problems; select one to go to its field.",
        )
        self.problems_panel.focus_first()
