"""The main window: a navigation list beside the page it opens; remembers its size and layout.

Beside it: ui/navigation.py (the entries, F6), ui/window_actions.py (menu and shortcuts),
ui/receiving.py (importing received records), ui/reminders.py (notices on starting).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar, cast

from PySide6.QtCore import QByteArray, QObject, QSettings, Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coreform.records import MonitoringRecord, Role
from coreform.services import CoreformError, RecordSummary, Services
from ui.help import install_help_menu
from ui.navigation import (
    ADMINISTRATION_LABEL,
    AUDIT_LABEL,
    NAV_ADMINISTRATION,
    NAV_AUDIT,
    NAV_CASELOAD,
    NAV_CHRONOLOGY,
    NAV_FAMILIES,
    NAV_INBOX,
    NAV_MY_RECORDS,
    NAV_NEW_RECORD,
    NAV_OUTBOX,
    NAV_PLAN,
    NAV_SETTINGS,
    navigation_list,
    switch_pane,
)
from ui.pages.inbox import InboxPage
from ui.pages.sending_reminder import SendingReminder
from ui.receiving import Receiving, received_paths
from ui.reminders import show_recovered, start_up_banner
from ui.starting import GEOMETRY_KEY, WINDOW_TITLE, restore_geometry
from ui.window_actions import add_file_menu, add_shortcuts
from ui.workers import OutboxSender

if TYPE_CHECKING:
    from ui.minutes_pages import MinutesPages
    from ui.pages.administration import AdministrationPage
    from ui.pages.audit_trail import AuditTrailPage
    from ui.pages.caseload import CaseloadPage
    from ui.pages.chronology import ChronologyPage
    from ui.pages.families import FamiliesPage
    from ui.pages.minutes_editor import MinutesEditor
    from ui.pages.my_records import MyRecordsPage
    from ui.pages.new_record import NewRecordPage
    from ui.pages.outbox import OutboxPage
    from ui.pages.plan_page import PlanPage
    from ui.pages.record_editor import RecordEditor
    from ui.pages.record_view import RecordView
    from ui.pages.settings_page import SettingsPage

P = TypeVar("P", bound=QObject)


class MainWindow(QMainWindow):
    """Each page is built the first time it is wanted (issue 15: building all of them at once
    made the start 12× a bare window): its attribute here builds it on first access."""

    # The settings page saved (relayed, as the page itself may not be built yet).
    settings_saved = Signal()

    def __init__(
        self, services: Services, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._settings = settings if settings is not None else QSettings("coreform", "coreform")
        self.setWindowTitle(WINDOW_TITLE)
        self._pages: dict[str, QObject] = {}
        # What a page reloads each time it is shown (the editor and the view load one record).
        self._on_show: dict[QWidget, Callable[[], None]] = {}

        central = QWidget(self)
        layout = QVBoxLayout(central)
        self.recovered_banner = start_up_banner(central)
        layout.addWidget(self.recovered_banner)
        self.sending_reminder = SendingReminder(services, central)
        layout.addWidget(self.sending_reminder)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.splitter.setChildrenCollapsible(False)
        self.nav = navigation_list(self.splitter)
        self.stack = QStackedWidget(self.splitter)
        self.outbox_sender = OutboxSender(services, self)
        # Built now: importing (a watched folder, a dropped file) reports on it.
        self.inbox = self._add_page(InboxPage(services, self.stack), InboxPage.refresh)
        self.receiving = Receiving(
            services, self._settings, self.inbox, lambda: self.go_to(NAV_INBOX), self
        )
        self.inbox.open_requested.connect(self.open_record)
        self.inbox.chronology_requested.connect(self.show_chronology)
        self.inbox.queued.connect(self.outbox_sender.send_due)
        self._nav_pages: dict[int, Callable[[], QWidget]] = {
            NAV_MY_RECORDS: lambda: self.my_records,
            NAV_NEW_RECORD: lambda: self.new_record,
            NAV_FAMILIES: lambda: self.families,
            NAV_INBOX: lambda: self.inbox,
            NAV_CHRONOLOGY: lambda: self.chronology,
            NAV_OUTBOX: lambda: self.outbox,
            NAV_SETTINGS: lambda: self.settings_page,
            NAV_CASELOAD: lambda: self.caseload,
            NAV_PLAN: lambda: self.plan_page,
        }
        # Issue 5: decided once, on opening the window, as the navigation entries are.
        self._may_administer = services.can_administer()
        self._may_read_audit = services.can_read_audit()
        if self._may_administer:
            self._nav_pages[NAV_ADMINISTRATION] = self._administration_page
            self.nav.addItem(ADMINISTRATION_LABEL)
        if self._may_read_audit:
            self._nav_pages[NAV_AUDIT] = self._audit_page
            self.nav.addItem(AUDIT_LABEL)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([200, 1000])
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.nav.currentRowChanged.connect(self._go)
        self.nav.itemClicked.connect(lambda item: self._go(self.nav.row(item)))
        self.outbox_sender.timer.start()
        self.sending_reminder.outbox_requested.connect(lambda: self.go_to(NAV_OUTBOX))
        self.setAcceptDrops(True)
        self.import_action = add_file_menu(self, self.receiving.choose_import)
        add_shortcuts(self)
        restore_geometry(self, self._settings)
        self._restore_splitter("main_window/navigation", self.splitter)
        install_help_menu(self, services.work_role)
        home = (
            NAV_CASELOAD
            if services.work_role in (Role.KEY_WORKER, Role.MANAGER)
            else NAV_MY_RECORDS
        )
        self.nav.setCurrentRow(home)

    # ---- the pages, each built on first access ------------------------------------------------

    def _page(self, name: str, build: Callable[[], P]) -> P:
        page = self._pages.get(name)
        if page is None:
            page = self._pages[name] = build()
        return cast(P, page)

    def _add_page(self, page: P, on_show: Callable[[P], None] | None = None) -> P:
        assert isinstance(page, QWidget)
        self.stack.addWidget(page)
        if on_show is not None:
            self._on_show[page] = partial(on_show, page)
        return page

    @property
    def my_records(self) -> MyRecordsPage:
        return self._page("my_records", self._build_my_records)

    def _build_my_records(self) -> MyRecordsPage:
        from ui.pages.my_records import MyRecordsPage

        page = self._add_page(MyRecordsPage(self._services, self.stack), MyRecordsPage.refresh)
        page.open_requested.connect(self.open_record)
        return page

    @property
    def new_record(self) -> NewRecordPage:
        return self._page("new_record", self._build_new_record)

    def _build_new_record(self) -> NewRecordPage:
        from ui.pages.new_record import NewRecordPage

        page = self._add_page(NewRecordPage(self._services, self.stack), NewRecordPage.refresh)
        page.start_requested.connect(self.start_record)
        return page

    @property
    def editor(self) -> RecordEditor:
        return self._page("editor", self._build_editor)

    def _build_editor(self) -> RecordEditor:
        from ui.pages.record_editor import RecordEditor

        editor = self._add_page(RecordEditor(self._services, self.stack))
        editor.submitted.connect(self._show_locked)
        editor.queued.connect(self._send_queued)
        self._restore_splitter("main_window/editor", editor.splitter)
        return editor

    @property
    def record_view(self) -> RecordView:
        return self._page("record_view", self._build_record_view)

    def _build_record_view(self) -> RecordView:
        from ui.pages.record_view import RecordView

        view = self._add_page(RecordView(self._services, self.stack))
        self.outbox_sender.finished.connect(view.refresh_sending)
        view.copies.queued.connect(self.outbox_sender.send_due)
        view.amended.connect(self._edit)
        return view

    @property
    def families(self) -> FamiliesPage:
        return self._page("families", self._build_families)

    def _build_families(self) -> FamiliesPage:
        from ui.pages.families import FamiliesPage

        page = self._add_page(FamiliesPage(self._services, self.stack), FamiliesPage.refresh)
        page.open_requested.connect(self.open_record)
        return page

    @property
    def chronology(self) -> ChronologyPage:
        return self._page("chronology", self._build_chronology)

    def _build_chronology(self) -> ChronologyPage:
        from ui.pages.chronology import ChronologyPage

        page = self._add_page(ChronologyPage(self._services, self.stack))
        self._on_show[page] = page.load_children
        page.open_requested.connect(self.open_record)
        return page

    @property
    def outbox(self) -> OutboxPage:
        return self._page("outbox", self._build_outbox)

    def _build_outbox(self) -> OutboxPage:
        from ui.pages.outbox import OutboxPage

        page = self._add_page(
            OutboxPage(self._services, self.outbox_sender, self.stack), OutboxPage.refresh
        )
        page.settings_requested.connect(self._settings_for_sending)
        return page

    @property
    def settings_page(self) -> SettingsPage:
        return self._page("settings_page", self._build_settings_page)

    def _build_settings_page(self) -> SettingsPage:
        from ui.pages.settings_page import SettingsPage

        page = self._add_page(SettingsPage(self._services, self.stack), SettingsPage.refresh)
        page.saved.connect(self.settings_saved)
        return page

    @property
    def caseload(self) -> CaseloadPage:
        return self._page("caseload", self._build_caseload)

    def _build_caseload(self) -> CaseloadPage:
        from ui.pages.caseload import CaseloadPage

        page = self._add_page(CaseloadPage(self._services, self.stack), CaseloadPage.refresh)
        page.open_child.connect(self.open_child_plan)
        page.open_meetings.connect(self.open_child_meetings)
        page.add_plan_requested.connect(lambda: self.go_to(NAV_PLAN))
        return page

    @property
    def plan_page(self) -> PlanPage:
        return self._page("plan_page", self._build_plan_page)

    def _build_plan_page(self) -> PlanPage:
        from ui.pages.plan_page import PlanPage

        page = self._add_page(PlanPage(self._services, self.stack), PlanPage.refresh)
        page.record_opened.connect(self.open_record)
        meetings = page.meetings
        meetings.start_requested.connect(lambda family: self.minutes.start(family, meetings.tell))
        meetings.open_requested.connect(lambda found: self.minutes.open(found, meetings.tell))
        return page

    @property
    def minutes(self) -> MinutesPages:
        return self._page("minutes", self._build_minutes)

    def _build_minutes(self) -> MinutesPages:
        from ui.minutes_pages import MinutesPages

        minutes = MinutesPages(self._services, self.stack, self._show_page, self)
        self.outbox_sender.finished.connect(minutes.view.refresh_distribution)
        minutes.view.queued.connect(self.outbox_sender.send_due)
        minutes.changed.connect(lambda: self.plan_page.show_below())
        minutes.editor.discarded.connect(lambda: self.go_to(NAV_PLAN))
        return minutes

    @property
    def administration(self) -> AdministrationPage | None:
        """None for a user who may not administer (no such entry in the navigation)."""
        return self._administration_page() if self._may_administer else None

    def _administration_page(self) -> AdministrationPage:
        from ui.pages.administration import AdministrationPage

        return self._page(
            "administration",
            lambda: self._add_page(
                AdministrationPage(self._services, self.stack), AdministrationPage.refresh
            ),
        )

    @property
    def audit_trail(self) -> AuditTrailPage | None:
        """None for a user who may not read the audit trail."""
        return self._audit_page() if self._may_read_audit else None

    def _audit_page(self) -> AuditTrailPage:
        from ui.pages.audit_trail import AuditTrailPage

        return self._page(
            "audit_trail",
            lambda: self._add_page(
                AuditTrailPage(self._services, self.stack), AuditTrailPage.refresh
            ),
        )

    def _built_editor(self) -> RecordEditor | None:
        """The record editor if it was ever shown (nothing to save otherwise)."""
        return cast("RecordEditor | None", self._pages.get("editor"))

    def _built_editors(self) -> list[RecordEditor | MinutesEditor]:
        editor = self._built_editor()
        minutes = cast("MinutesPages | None", self._pages.get("minutes"))
        return [
            *([] if editor is None else [editor]),
            *([] if minutes is None else [minutes.editor]),
        ]

    def flush_record_editor(self) -> None:
        """Stores the record editor's pending edits now, if it was ever opened."""
        editor = self._built_editor()
        if editor is not None:
            editor.flush_pending()

    # ---- navigation -------------------------------------------------------------------------

    def switch_pane(self) -> None:
        """F6 and Shift+F6: between the navigation list and the page (ui/navigation.py)."""
        switch_pane(self.nav, self.stack)

    def _go(self, row: int) -> None:
        self._show_page(self._nav_pages[row]())

    def _show_page(self, page: QWidget) -> None:
        shown = self.stack.currentWidget()
        for editor in self._built_editors():
            if editor is shown and page is not shown:
                editor.flush_pending()  # leaving an editor: store edits without waiting
        refresh = self._on_show.get(page)
        if refresh is not None:
            refresh()
        self.stack.setCurrentWidget(page)

    def _select_nav(self, row: int) -> None:
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(row)
        self.nav.blockSignals(False)

    def go_to(self, row: int) -> None:
        """Selects a navigation entry and shows its page, as a click on it does."""
        self._select_nav(row)
        self._go(row)

    def open_child_plan(self, child_id: str) -> None:
        """From the caseload: the child's plan, timescales and timeline."""
        self.go_to(NAV_PLAN)
        self.plan_page.load(child_id, self.caseload.child_name(child_id))

    def open_child_meetings(self, child_id: str) -> None:
        """From the caseload's core group columns: the family's meetings and their minutes."""
        self.open_child_plan(child_id)
        self.plan_page.below.setCurrentWidget(self.plan_page.meetings)

    def show_new_record(self) -> None:
        self.go_to(NAV_NEW_RECORD)
        self.new_record.focus_search()

    def start_record(self, family_id: str | None) -> None:
        try:
            record = self._services.new_record(family_id)
        except CoreformError as error:
            self.new_record.message.setText(str(error))
            return
        self._select_nav(NAV_NEW_RECORD)
        self._edit(record)
        self.editor.rows["visit_date"].focus_input()

    def open_record(self, record_id: str) -> None:
        try:
            record = self._services.open_record(record_id)  # audited as viewed
        except CoreformError as error:
            self.my_records.summary.setText(str(error))
            return
        self._select_nav(NAV_MY_RECORDS)
        if record.locked:
            self._show_locked(record)
        else:
            self._edit(record)

    def show_chronology(self, child_id: str) -> None:
        self._select_nav(NAV_CHRONOLOGY)
        self._show_page(self.chronology)
        self.chronology.load_children(select=child_id)

    def _edit(self, record: MonitoringRecord) -> None:
        self._show_page(self.editor)
        self.editor.load(record)

    def _show_locked(self, record: MonitoringRecord) -> None:
        self.record_view.show_record(record)
        self._show_page(self.record_view)
        self.record_view.amend_button.setFocus()

    def _send_queued(self, pdf_encrypted: bool) -> None:
        """A record was just submitted: its messages go now, off the GUI thread."""
        if pdf_encrypted:
            self.record_view.remind_password()
        self.outbox_sender.send_due()

    # ---- received files dropped on the window, notices on starting -----------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if received_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = received_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.receiving.import_files(paths)

    def show_recovered(self, recovered: list[RecordSummary]) -> None:
        show_recovered(self.recovered_banner, recovered)

    def _settings_for_sending(self, what_to_do: str) -> None:
        """Sending by the mail server needs its settings: there, saying what to fill in."""
        self.go_to(NAV_SETTINGS)
        self.settings_page.status.setText(what_to_do)
        self.settings_page.mail.method.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---- remembering the layout ---------------------------------------------------------------

    def _restore_splitter(self, key: str, splitter: QSplitter) -> None:
        state = self._settings.value(key)
        if isinstance(state, QByteArray) and not state.isEmpty():
            splitter.restoreState(state)

    def save_layout(self) -> None:
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self._settings.setValue("main_window/navigation", self.splitter.saveState())
        editor = self._built_editor()
        if editor is not None:  # else the layout kept from an earlier run stays
            self._settings.setValue("main_window/editor", editor.splitter.saveState())
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        error = next(
            (error for editor in self._built_editors() if (error := editor.finish_saving())), ""
        )
        if error:
            answer = QMessageBox.warning(
                self,
                "Your last changes are not saved",
                f"{error}\n\nClose anyway? Choose No to stay and try again with Ctrl+S.",
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
        self.receiving.wait()
        chronology = cast("ChronologyPage | None", self._pages.get("chronology"))
        if chronology is not None:
            chronology.wait()
        self.outbox_sender.wait()  # a message mid-send is settled before the database closes
        self.save_layout()
        event.accept()
