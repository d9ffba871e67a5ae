"""The main window: a navigation list beside the page it opens; remembers its size and layout.

Beside it: ui/navigation.py (the entries, F6), ui/window_actions.py (menu and shortcuts),
ui/receiving.py (importing received records), ui/reminders.py (notices on starting).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt
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
from ui.minutes_pages import MinutesPages
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
from ui.pages.administration import AdministrationPage
from ui.pages.audit_trail import AuditTrailPage
from ui.pages.caseload import CaseloadPage
from ui.pages.chronology import ChronologyPage
from ui.pages.families import FamiliesPage
from ui.pages.inbox import InboxPage
from ui.pages.my_records import MyRecordsPage
from ui.pages.new_record import NewRecordPage
from ui.pages.outbox import OutboxPage
from ui.pages.plan_page import PlanPage
from ui.pages.record_editor import RecordEditor
from ui.pages.record_view import RecordView
from ui.pages.sending_reminder import SendingReminder
from ui.pages.settings_page import SettingsPage
from ui.receiving import Receiving, received_paths
from ui.reminders import show_recovered, start_up_banner
from ui.starting import GEOMETRY_KEY, WINDOW_TITLE, restore_geometry
from ui.window_actions import add_file_menu, add_shortcuts
from ui.workers import OutboxSender


class MainWindow(QMainWindow):
    def __init__(
        self, services: Services, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._settings = settings if settings is not None else QSettings("coreform", "coreform")
        self.setWindowTitle(WINDOW_TITLE)

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
        self.my_records = MyRecordsPage(services, self.stack)
        self.new_record = NewRecordPage(services, self.stack)
        self.editor = RecordEditor(services, self.stack)
        self.record_view = RecordView(services, self.stack)
        self.families = FamiliesPage(services, self.stack)
        self.inbox = InboxPage(services, self.stack)
        self.chronology = ChronologyPage(services, self.stack)
        self.receiving = Receiving(
            services, self._settings, self.inbox, lambda: self.go_to(NAV_INBOX), self
        )
        self.outbox_sender = OutboxSender(services, self)
        self.outbox = OutboxPage(services, self.outbox_sender, self.stack)
        self.settings_page = SettingsPage(services, self.stack)
        self.caseload = CaseloadPage(services, self.stack)
        self.plan_page = PlanPage(services, self.stack)
        self.minutes = MinutesPages(services, self.stack, self._show_page, self)
        self._nav_pages: dict[int, QWidget] = {
            NAV_MY_RECORDS: self.my_records,
            NAV_NEW_RECORD: self.new_record,
            NAV_FAMILIES: self.families,
            NAV_INBOX: self.inbox,
            NAV_CHRONOLOGY: self.chronology,
            NAV_OUTBOX: self.outbox,
            NAV_SETTINGS: self.settings_page,
            NAV_CASELOAD: self.caseload,
            NAV_PLAN: self.plan_page,
        }
        # What a page reloads each time it is shown (the editor and the view load one record).
        self._on_show: dict[QWidget, Callable[[], None]] = {
            self.my_records: self.my_records.refresh,
            self.new_record: self.new_record.refresh,
            self.families: self.families.refresh,
            self.settings_page: self.settings_page.refresh,
            self.outbox: self.outbox.refresh,
            self.inbox: self.inbox.refresh,
            self.chronology: self.chronology.load_children,
            self.caseload: self.caseload.refresh,
            self.plan_page: self.plan_page.refresh,
        }
        self.administration: AdministrationPage | None = None
        self.audit_trail: AuditTrailPage | None = None
        if services.can_administer():
            self.administration = AdministrationPage(services, self.stack)
            self._add_nav_page(NAV_ADMINISTRATION, ADMINISTRATION_LABEL, self.administration)
            self._on_show[self.administration] = self.administration.refresh
        if services.can_read_audit():
            self.audit_trail = AuditTrailPage(services, self.stack)
            self._add_nav_page(NAV_AUDIT, AUDIT_LABEL, self.audit_trail)
            self._on_show[self.audit_trail] = self.audit_trail.refresh
        for page in (
            self.my_records,
            self.new_record,
            self.editor,
            self.record_view,
            self.families,
            self.inbox,
            self.chronology,
            self.outbox,
            self.settings_page,
            self.caseload,
            self.plan_page,
        ):
            self.stack.addWidget(page)
        self.splitter.addWidget(self.nav)
        self.splitter.addWidget(self.stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([200, 1000])
        layout.addWidget(self.splitter, 1)
        self.setCentralWidget(central)

        self.nav.currentRowChanged.connect(self._go)
        self.nav.itemClicked.connect(lambda item: self._go(self.nav.row(item)))
        self.my_records.open_requested.connect(self.open_record)
        self.families.open_requested.connect(self.open_record)
        self.new_record.start_requested.connect(self.start_record)
        self.editor.submitted.connect(self._show_locked)
        self.editor.queued.connect(self._send_queued)
        self.outbox_sender.finished.connect(self.record_view.refresh_sending)
        self.outbox_sender.finished.connect(self.minutes.view.refresh_distribution)
        self.minutes.view.queued.connect(self.outbox_sender.send_due)
        self.record_view.copies.queued.connect(self.outbox_sender.send_due)
        self.outbox_sender.timer.start()
        self.record_view.amended.connect(self._edit)
        self.sending_reminder.outbox_requested.connect(lambda: self.go_to(NAV_OUTBOX))
        self.outbox.settings_requested.connect(self._settings_for_sending)
        self.inbox.open_requested.connect(self.open_record)
        self.inbox.chronology_requested.connect(self.show_chronology)
        self.inbox.queued.connect(self.outbox_sender.send_due)
        self.chronology.open_requested.connect(self.open_record)
        self.setAcceptDrops(True)
        self.import_action = add_file_menu(self, self.receiving.choose_import)
        self.caseload.open_child.connect(self.open_child_plan)
        self.caseload.open_meetings.connect(self.open_child_meetings)
        self.caseload.add_plan_requested.connect(lambda: self.go_to(NAV_PLAN))
        self.plan_page.record_opened.connect(self.open_record)
        meetings = self.plan_page.meetings
        meetings.start_requested.connect(lambda family: self.minutes.start(family, meetings.tell))
        meetings.open_requested.connect(lambda found: self.minutes.open(found, meetings.tell))
        self.minutes.changed.connect(self.plan_page.show_below)
        self.minutes.editor.discarded.connect(lambda: self.go_to(NAV_PLAN))
        add_shortcuts(self)
        self._restore_layout()
        install_help_menu(self, services.work_role)
        home = (
            NAV_CASELOAD
            if services.work_role in (Role.KEY_WORKER, Role.MANAGER)
            else NAV_MY_RECORDS
        )
        self.nav.setCurrentRow(home)

    def _add_nav_page(self, row: int, label: str, page: QWidget) -> None:
        """A page some users have, after the entries everyone has."""
        self._nav_pages[row] = page
        self.nav.addItem(label)
        self.stack.addWidget(page)

    # ---- navigation -------------------------------------------------------------------------

    def switch_pane(self) -> None:
        """F6 and Shift+F6: between the navigation list and the page (ui/navigation.py)."""
        switch_pane(self.nav, self.stack)

    def _go(self, row: int) -> None:
        self._show_page(self._nav_pages[row])

    def _show_page(self, page: QWidget) -> None:
        if self.stack.currentWidget() is self.editor and page is not self.editor:
            self.editor.flush_pending()  # leaving the editor: store edits without waiting
        if self.stack.currentWidget() is self.minutes.editor and page is not self.minutes.editor:
            self.minutes.editor.flush_pending()
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

    def _restore_layout(self) -> None:
        restore_geometry(self, self._settings)
        for key, splitter in (
            ("main_window/navigation", self.splitter),
            ("main_window/editor", self.editor.splitter),
        ):
            state = self._settings.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)

    def save_layout(self) -> None:
        self._settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self._settings.setValue("main_window/navigation", self.splitter.saveState())
        self._settings.setValue("main_window/editor", self.editor.splitter.saveState())
        self._settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        error = self.editor.finish_saving() or self.minutes.editor.finish_saving()
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
        self.chronology.wait()
        self.outbox_sender.wait()  # a message mid-send is settled before the database closes
        self.save_layout()
        event.accept()
