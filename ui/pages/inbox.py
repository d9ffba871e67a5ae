"""The key worker's inbox: every received record, newest first, with its review; Import, Accept,
Has issues, Share with the core group, Match child, and the child's file. "Show: Core group
minutes received" lists the minutes other key workers distributed instead (`inbox_minutes`)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coreform.inbox import InboxEntry, ReviewState
from coreform.outbox import OutboxState
from coreform.records import LONDON
from coreform.services import (
    CoreformError,
    PasswordNeededError,
    Services,
    ValidationFailedError,
)
from ui.dialogs.has_issues import HasIssuesDialog
from ui.dialogs.pdf_password import PdfPasswordDialog
from ui.models.paged_table import PagedTableModel
from ui.pages.banner import Banner, Level, heading_label
from ui.pages.flow_layout import FlowLayout, kept_together
from ui.pages.inbox_minutes import ReceivedMinutesPanel
from ui.pages.received_list import (
    Received,
    child_to_show,
    connect_buttons,
    match_children,
    not_on_file_line,
    received_table,
    select_entry,
    selected_entry,
)
from ui.sending_text import list_state_text

COLUMNS = ("Received", "Reference", "From", "Agency", "Children", "Visit", "On time?", "Review")
_FILTERS: tuple[tuple[str, tuple[ReviewState, ...]], ...] = (
    ("All received records", ()),
    ("Waiting for review", (ReviewState.RECEIVED,)),
    ("Has issues", (ReviewState.HAS_ISSUES,)),
    ("Accepted", (ReviewState.ACCEPTED,)),
)
# The last choice of "Show:" lists received core group minutes instead of records.
MINUTES_FILTER = len(_FILTERS)


def late_text(days: int) -> str:
    """000: completed and sent within 2 working days of the visit."""
    if days <= 0:
        return "On time"
    return f"Late by {days} working day{'s' if days != 1 else ''}"


def _cells(entry: InboxEntry) -> tuple[str, ...]:
    return (
        f"{entry.received_at.astimezone(LONDON):%d %b %Y %H:%M}",
        f"{entry.reference} v{entry.version}",
        entry.completed_by,
        entry.agency,
        ", ".join(entry.child_names),
        f"{entry.visit_date:%d/%m/%Y}" if entry.visit_date else "",
        late_text(entry.working_days_late),
        entry.review_state.label,
    )


class InboxPage(QWidget):
    import_requested = Signal()
    open_requested = Signal(str)  # record id
    chronology_requested = Signal(str)  # a child's id here
    queued = Signal()  # messages were queued: the window sends them
    watch_requested = Signal()  # choose a folder to watch, or stop watching it
    minutes_open_requested = Signal(str, int)  # received minutes: id, version

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        layout = QVBoxLayout(self)
        heading = heading_label("Inbox: records and minutes received", self)
        layout.addWidget(heading)
        intro = QLabel(
            "Records other practitioners sent you, and core group minutes key workers "
            "distributed. Import their PDFs or emails (File → Import, or drop them on the "
            "window), review each record, then share it with the core group.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = Banner(self, dismissable=True, name="inbox_banner")
        self.banner.hide()
        layout.addWidget(self.banner)
        # At 200% text the buttons wrap under the filter, keeping to the right.
        top = FlowLayout(spacing=layout.spacing(), fill=True)
        show = QLabel("&Show:", self)
        self.filter = QComboBox(self)
        for text, _states in _FILTERS:
            self.filter.addItem(text)
        self.filter.addItem("Core group minutes received")
        show.setBuddy(self.filter)
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        top.add(kept_together(self, show, self.filter), 1)
        self.watched = QLabel(self)
        self.watched.setWordWrap(True)  # a long folder path wraps instead of widening the page
        self.watch_button = QPushButton(self)
        self.watch_button.clicked.connect(self.watch_requested)
        top.addWidget(self.watched)
        top.addWidget(self.watch_button)
        self.show_watched(None)  # the button's words from the start: never a blank button
        self.import_button = QPushButton("&Import received records or minutes…", self)
        self.import_button.clicked.connect(self.import_requested)
        top.addWidget(self.import_button)
        layout.addLayout(top)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Import progress")
        self.progress.setFormat("Importing file %v of %m")
        self.stop_button = QPushButton("S&top importing", self)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.stop_button)
        layout.addLayout(progress_row)
        self.show_progress(False)
        # One of the two lists shows at a time (a hidden one takes no room; a stacked widget
        # would cut the wrapped details under the list short).
        self.records = records = QWidget(self)
        records_layout = QVBoxLayout(records)
        records_layout.setContentsMargins(0, 0, 0, 0)
        self.model: PagedTableModel[InboxEntry] = PagedTableModel(COLUMNS, _cells, self)
        self.table, self.details = received_table(
            records,
            records_layout,
            self.model,
            "Received records, newest first",
            "The selected record's review",
            self._selection_changed,
            self.open_selected,
        )
        heading.setBuddy(self.table)
        self.minutes = ReceivedMinutesPanel(services, self.banner, self)
        self.minutes.open_requested.connect(self.minutes_open_requested)
        self.minutes.chronology_requested.connect(self.chronology_requested)
        layout.addWidget(records, 1)
        layout.addWidget(self.minutes, 1)
        self.minutes.hide()
        bar = FlowLayout(spacing=layout.spacing())  # wraps at 200% text
        records_layout.addLayout(bar)
        self.open_button = QPushButton("&Open record", records)
        self.accept_button = QPushButton("&Accept", records)
        self.issues_button = QPushButton("&Has issues…", records)
        self.share_button = QPushButton("Sha&re with the core group", records)
        self.match_button = QPushButton("&Match child…", records)
        self.file_button = QPushButton("Child's &file", records)
        connect_buttons(
            (
                (self.open_button, self.open_selected),
                (self.accept_button, self.accept_selected),
                (self.issues_button, self.raise_issues),
                (self.share_button, self.share_selected),
                (self.match_button, self.match_children),
                (self.file_button, self.show_file),
            ),
            bar.add,
        )
        self._selection_changed()

    # ---- the list ----------------------------------------------------------------------------

    def show_minutes(self, minutes_id: str, version: int) -> None:
        """Lists the minutes received and selects that version (after importing it)."""
        self.filter.setCurrentIndex(MINUTES_FILTER)  # refreshes
        self.minutes.select(minutes_id, version)

    def refresh(self) -> None:
        if self.filter.currentIndex() == MINUTES_FILTER:
            self.records.hide()
            self.minutes.show()
            self.minutes.refresh()
            return
        self.minutes.hide()
        self.records.show()
        current = self.selected()
        states = _FILTERS[self.filter.currentIndex()][1]
        try:
            total = self._services.inbox_count(states)
            self.model.reset(
                lambda offset, limit: self._services.inbox_page(offset, limit, states), total
            )
        except CoreformError as error:
            self.banner.show_message(Level.ERROR, f"The inbox could not be listed: {error}")
            return
        if current is not None:
            self.select(current.record_id, current.version)
        self._selection_changed()

    def select(self, record_id: str, version: int) -> None:
        if self.filter.currentIndex() == MINUTES_FILTER:
            self.filter.setCurrentIndex(0)  # refreshes: the records are listed again
        select_entry(
            self.table,
            self.model,
            lambda entry: (entry.record_id, entry.version),
            (record_id, version),
        )

    def selected(self) -> InboxEntry | None:
        return selected_entry(self.table, self.model)

    def show_progress(self, shown: bool) -> None:
        self.progress.setVisible(shown)
        self.stop_button.setVisible(shown)

    def show_watched(self, folder: Path | None) -> None:
        self.watched.setText(f"New files in {folder} are imported." if folder else "")
        self.watch_button.setText("Stop &watching" if folder else "&Watch a folder…")
        self.watch_button.setAccessibleName(self.watch_button.text().replace("&", "").rstrip("…"))

    def report(self, text: str, failed: bool) -> None:
        self.banner.show_message(Level.ERROR if failed else Level.SUCCESS, text)

    def report_error(self, text: str) -> None:
        self.report(text, True)

    def _selection_changed(self, *_: QItemSelection) -> None:
        entry = self.selected()
        for button in (self.open_button, self.issues_button, self.match_button, self.file_button):
            button.setEnabled(entry is not None)
        reviewable = entry is not None and entry.review_state in (
            ReviewState.RECEIVED,
            ReviewState.HAS_ISSUES,
        )
        self.accept_button.setEnabled(reviewable)
        self.issues_button.setEnabled(
            entry is not None and entry.review_state is ReviewState.RECEIVED
        )
        self.share_button.setEnabled(
            entry is not None and entry.review_state is ReviewState.ACCEPTED
        )
        self.details.setText(self._details(entry) if entry is not None else "Select a record.")

    def _details(self, entry: InboxEntry) -> str:
        lines = [
            f"{entry.reference} version {entry.version}, from {entry.completed_by or 'unknown'}"
            f"{' (' + entry.agency + ')' if entry.agency else ''}: {entry.review_state.label}. "
            f"{late_text(entry.working_days_late)}."
        ]
        if entry.missing:
            lines.append(f"Left empty on the form: {len(entry.missing)} answer(s); open it to see.")
        if entry.issues:
            lines.append(f"Asked to correct: {entry.issues}")
        try:
            unknown = self._services.unknown_children(entry.record_id, entry.version)
            shares = self._services.shares(entry.record_id)
        except CoreformError as error:
            return "\n".join([*lines, str(error)])
        if unknown:
            lines.append(not_on_file_line(unknown))
        for share in shares:
            when = f"{share.shared_at.astimezone(LONDON):%d/%m/%Y %H:%M}"
            lines.append(
                f"Version {share.record_version} shared with {share.member_name} "
                f"({share.member_role or share.member_agency}) on {when}: "
                f"{list_state_text(OutboxState(share.outbox_state), share.sent_at)}."
            )
        return "\n".join(lines)

    # ---- actions ------------------------------------------------------------------------------

    def open_selected(self) -> None:
        entry = self.selected()
        if entry is not None:
            self.open_requested.emit(entry.record_id)

    def accept_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        try:
            self._services.accept_received(entry.record_id, entry.version)
        except CoreformError as error:
            self.banner.show_message(Level.ERROR, f"Not accepted: {error}")
            return
        self.banner.show_message(
            Level.SUCCESS, f"{entry.reference} accepted. Share it with the core group next."
        )
        self.refresh()

    def raise_issues(self) -> None:
        entry = self.selected()
        if entry is None:
            return

        def send(issues: str) -> str:
            try:
                self._services.raise_issues(entry.record_id, entry.version, issues)
            except ValidationFailedError as error:
                return error.problems[0].message
            except CoreformError as error:
                return str(error)
            return ""

        if HasIssuesDialog.ask(entry.reference, entry.completed_by, send, self):
            self.banner.show_message(
                Level.SUCCESS,
                f"The request to correct {entry.reference} is in the Outbox, to "
                f"{entry.completed_by or 'the sender'}.",
            )
            self.refresh()
            self.queued.emit()

    def share_selected(self) -> None:
        entry = self.selected()
        if entry is None:
            return
        password: str | None = None
        while True:
            try:
                shares = self._services.share_received(
                    entry.record_id, entry.version, pdf_password=password
                )
            except PasswordNeededError:
                password = PdfPasswordDialog.ask(self)
                if password is None:
                    return
                continue
            except CoreformError as error:
                self.banner.show_message(Level.ERROR, f"Not shared: {error}")
                return
            break
        names = ", ".join(share.member_name or share.member_email for share in shares)
        self.banner.show_message(
            Level.SUCCESS, f"{entry.reference} version {entry.version} is on its way to {names}."
        )
        self.refresh()
        self.queued.emit()

    def _received(self, entry: InboxEntry) -> Received:
        record_id, version = entry.record_id, entry.version
        return Received(
            unknown_children=lambda: self._services.unknown_children(record_id, version),
            add_family=lambda ids: self._services.add_family_from_record(record_id, version, ids),
            child_on_file=lambda: self._services.child_on_file(record_id, version),
            what="record",
            where="on this record",
            filed="The record is",
        )

    def match_children(self) -> None:
        entry = self.selected()
        if entry is not None and match_children(
            self._services, self._received(entry), self.banner, self
        ):
            self._selection_changed()

    def show_file(self) -> None:
        entry = self.selected()
        child_id = child_to_show(self._received(entry), self.banner) if entry else None
        if child_id is not None:
            self.chronology_requested.emit(child_id)
