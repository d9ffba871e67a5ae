"""The main window: a navigation list beside the page it opens; remembers its size and layout.

Beside it: ui/window_pages.py (the pages, each built when first shown), ui/navigation.py (the
entries, F6), ui/window_actions.py (menu and shortcuts), ui/receiving.py (importing received
records), ui/reminders.py (notices on starting).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
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
from ui.window_pages import WindowPages
from ui.workers import OutboxSender

if TYPE_CHECKING:
    from ui.pages.chronology import ChronologyPage


class MainWindow(WindowPages):
    """Each page is built the first time it is shown (ui/window_pages.py)."""

    def __init__(
        self, services: Services, settings: QSettings | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            services,
            settings if settings is not None else QSettings("coreform", "coreform"),
            parent,
        )
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
        self.outbox_sender = OutboxSender(services, self)
        # Built now: importing (a watched folder, a dropped file) reports on it.
        self.inbox = self._add_page(InboxPage(services, self.stack), InboxPage.refresh)
        self.receiving = Receiving(
            services, self._settings, self.inbox, lambda: self.go_to(NAV_INBOX), self
        )
        self.inbox.open_requested.connect(self.open_record)
        self.inbox.chronology_requested.connect(self.show_chronology)
        self.inbox.minutes_open_requested.connect(
            lambda found, version: self.minutes.open_received(
                found, version, self.inbox.report_error
            )
        )
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
