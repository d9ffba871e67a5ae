"""The core group minutes editor: the Suffolk "Record of Core Group Meeting" (001 template), every
section of `coreform.forms.minutes` in its order, live checks, autosave and Finalise.

Driven by the form like the monitoring editor: fields are FieldRows, facts (the due date, "seen in
timescales") are shown and never typed, repeated items are panels (minutes_items). The problems
list beside the form jumps to the field each problem is about.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from coreform.forms.minutes import MINUTES_TITLE
from coreform.minutes import CoreGroupMinutes
from coreform.services import CoreformError, Services
from coreform.validation import Problem
from ui.dialogs.finalise_minutes import FinaliseMinutesDialog
from ui.dialogs.modal import confirm_destructive
from ui.pages.banner import Banner, Level, heading_label
from ui.pages.editor_parts import (
    check_and_mark,
    checks_timer,
    form_beside_problems,
    save_bar,
    show_blocked,
    show_busy,
    show_lock_failed,
    show_save_failed,
    show_saved,
    warnings_once_saved,
)
from ui.pages.form_fields import FieldRow
from ui.pages.minutes_form import MinutesForm
from ui.pages.minutes_text import schedule_message
from ui.workers import BackgroundJobs, DraftSaver

_NOT_FINALISED = "Not finalised"


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
        splitter, self.scroll_area, self.problems_panel = form_beside_problems(
            self, action=("finalise", "finalising"), form_width=760
        )
        self.form = MinutesForm(self.scroll_area)
        self.form.changed.connect(self._on_changed)
        self.form.refused.connect(self._show_refusal)
        self.scroll_area.setWidget(self.form)
        self.problems_panel.chosen.connect(self.focus_field)
        outer.addWidget(splitter, 1)
        self.action_banner = Banner(self, name="minutes_action_banner")
        self.action_banner.hide()
        outer.addWidget(self.action_banner)
        bar, self.status, self.save_button = save_bar(self, self.save_now)
        self.discard_button = QPushButton("Discard this draft…", self)
        self.discard_button.clicked.connect(self.discard)
        bar.addWidget(self.discard_button)
        self.finalise_button = QPushButton("Check and finalise… (Ctrl+Enter)", self)
        self.finalise_button.clicked.connect(self.finalise)
        bar.addWidget(self.finalise_button)
        outer.addLayout(bar)
        self._validate_timer = checks_timer(self, self.refresh_checks)

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
        self._problems = check_and_mark(
            dict(self.form.all_rows()),
            self._services.validate_minutes(minutes),
            lambda row: row.touched or self._all_marks,
        )
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
        pending = self._saver is not None and self._saver.pending
        show_saved(self.status, stored.updated_at, pending=pending)
        self._show_title()
        self.saved.emit(stored)

    def _on_save_failed(self, message: str) -> None:
        show_save_failed(self.status, message)

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
        warnings = warnings_once_saved(
            self._problems, self._saver, blocked=self._refuse, not_saved=self._on_save_failed
        )
        if warnings is None:
            return
        minutes = self.form.current_minutes()
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
        show_busy(
            (self.form, self.save_button, self.finalise_button),
            self.action_banner,
            "Finalising the minutes…" if busy else None,
        )

    def _on_finalised(self, stored: CoreGroupMinutes) -> None:
        self._busy(False)
        self._saver = None
        self.finalised.emit(stored)

    def _on_finalise_failed(self, error: CoreformError) -> None:
        self._busy(False)
        show_lock_failed(error, self.action_banner, _NOT_FINALISED, self._refuse)

    def _refuse(self, errors: list[Problem]) -> None:
        show_blocked(self.action_banner, _NOT_FINALISED, len(errors))
        self.problems_panel.focus_first()
