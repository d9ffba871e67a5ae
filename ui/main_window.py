"""The main window: a navigation list beside the page it opens; remembers its size and layout."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt, QUrl
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from coreform.records import MonitoringRecord, Role
from coreform.services import CoreformError, RecordSummary, Services
from ui.dialogs.received_password import ReceivedPasswordDialog
from ui.help import install_help_menu
from ui.importing import RECEIVED_SUFFIXES, FileImporter, FileResult, summary
from ui.pages.administration import AdministrationPage
from ui.pages.audit_trail import AuditTrailPage
from ui.pages.banner import Banner, Level
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
from ui.pages.settings_page import SettingsPage
from ui.starting import GEOMETRY_KEY, WINDOW_TITLE, restore_geometry
from ui.watched_folder import FolderWatcher
from ui.workers import OutboxSender

(
    NAV_MY_RECORDS,
    NAV_NEW_RECORD,
    NAV_FAMILIES,
    NAV_INBOX,
    NAV_CHRONOLOGY,
    NAV_OUTBOX,
    NAV_SETTINGS,
) = range(7)
NAV_CASELOAD, NAV_PLAN = 7, 8  # issue 12: the key worker's and manager's home page
_NAV_LABELS = (
    "My records",
    "New record",
    "Families & contacts",
    "Inbox",
    "Child's file",
    "Outbox",
    "Settings",
    "Caseload",
    "Child's plan",
)
# Issue 5: managers and administrators (a single-user installation counts as one) see the
# Administration page and, as the last entry, the audit trail.
NAV_ADMINISTRATION = len(_NAV_LABELS)
ADMINISTRATION_LABEL = "Administration"
NAV_AUDIT = NAV_ADMINISTRATION + 1
AUDIT_LABEL = "Audit trail"


def recovered_text(recovered: list[RecordSummary]) -> str:
    count = len(recovered)
    drafts = "1 draft that was" if count == 1 else f"{count} drafts that were"
    return f"Recovered {drafts} not closed properly — nothing was lost"


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
        self.recovered_banner = Banner(central, dismissable=True, name="recovered_banner")
        self.recovered_banner.hide()
        layout.addWidget(self.recovered_banner)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, central)
        self.splitter.setChildrenCollapsible(False)
        self.nav = QListWidget(self.splitter)
        self.nav.setAccessibleName("Go to")
        self.nav.setStyleSheet("QListWidget::item { padding: 6px; }")
        self.nav.addItems(list(_NAV_LABELS))
        # As wide as its longest entry in the user's font, so 200% text is never cut off.
        widest = max(self.nav.fontMetrics().horizontalAdvance(label) for label in _NAV_LABELS)
        self.nav.setMinimumWidth(widest + 40)
        self.stack = QStackedWidget(self.splitter)
        self.my_records = MyRecordsPage(services, self.stack)
        self.new_record = NewRecordPage(services, self.stack)
        self.editor = RecordEditor(services, self.stack)
        self.record_view = RecordView(services, self.stack)
        self.families = FamiliesPage(services, self.stack)
        self.inbox = InboxPage(services, self.stack)
        self.chronology = ChronologyPage(services, self.stack)
        self.importer = FileImporter(services, self._ask_password, self)
        self.folder_watcher = FolderWatcher(self._settings, self)
        self._waiting_imports: list[Path] = []
        self.outbox_sender = OutboxSender(services, self)
        self.outbox = OutboxPage(services, self.outbox_sender, self.stack)
        self.settings_page = SettingsPage(services, self.stack)
        self.caseload = CaseloadPage(services, self.stack)
        self.plan_page = PlanPage(services, self.stack)
        self.administration: AdministrationPage | None = None
        self.audit_trail: AuditTrailPage | None = None
        if services.can_administer():
            self.administration = AdministrationPage(services, self.stack)
            self.nav.addItem(ADMINISTRATION_LABEL)
            self.stack.addWidget(self.administration)
        if services.can_read_audit():
            self.audit_trail = AuditTrailPage(services, self.stack)
            self.nav.addItem(AUDIT_LABEL)
            self.stack.addWidget(self.audit_trail)
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
        self.outbox_sender.timer.start()
        self.record_view.amended.connect(self._edit)
        self.inbox.import_requested.connect(self.choose_import)
        self.inbox.open_requested.connect(self.open_record)
        self.inbox.chronology_requested.connect(self.show_chronology)
        self.inbox.queued.connect(self.outbox_sender.send_due)
        self.inbox.stop_button.clicked.connect(self.importer.cancel)
        self.chronology.open_requested.connect(self.open_record)
        self.importer.started.connect(self._import_started)
        self.importer.progress.connect(self._import_progress)
        self.importer.finished.connect(self._imported)
        self.inbox.watch_requested.connect(self.choose_watched_folder)
        self.folder_watcher.arrived.connect(lambda paths: self.import_files(paths, show=False))
        self.setAcceptDrops(True)
        self._add_menu()
        self.caseload.open_child.connect(self.open_child_plan)
        self.caseload.add_plan_requested.connect(lambda: self.go_to(NAV_PLAN))
        self.plan_page.record_opened.connect(self.open_record)
        self._add_shortcuts()
        self._restore_layout()
        install_help_menu(self, services.work_role)
        home = (
            NAV_CASELOAD
            if services.work_role in (Role.KEY_WORKER, Role.MANAGER)
            else NAV_MY_RECORDS
        )
        self.nav.setCurrentRow(home)

    def _add_menu(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.import_action = QAction("&Import received records…", self)
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.triggered.connect(self.choose_import)
        file_menu.addAction(self.import_action)

    def _add_shortcuts(self) -> None:
        actions = (
            ("New record", [QKeySequence("Ctrl+N")], self.show_new_record),
            ("Save draft", [QKeySequence("Ctrl+S")], self._save_shortcut),
            (
                "Submit record",
                [QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")],
                self._submit_shortcut,
            ),
            (
                "Move between the navigation and the page",
                [QKeySequence("F6"), QKeySequence("Shift+F6")],
                self.switch_pane,
            ),
        )
        for text, keys, slot in actions:
            action = QAction(text, self)
            action.setShortcuts(keys)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    # ---- navigation -------------------------------------------------------------------------

    def switch_pane(self) -> None:
        """F6: from the navigation list to where the page was left (else its first field), and
        back; the way out of any page without tabbing through it."""
        if not self.nav.isVisible():
            return  # locked: the privacy screen keeps the focus
        if not self.nav.hasFocus():
            self.nav.setFocus(Qt.FocusReason.ShortcutFocusReason)
            return
        page = self.stack.currentWidget()
        if page is None:
            return
        target: QWidget | None = page.focusWidget()
        if target is None or not target.isVisible() or not target.isEnabled():
            target = _first_tab_stop(page)
        if target is not None:
            target.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _go(self, row: int) -> None:
        page: QWidget = {
            NAV_MY_RECORDS: self.my_records,
            NAV_NEW_RECORD: self.new_record,
            NAV_FAMILIES: self.families,
            NAV_INBOX: self.inbox,
            NAV_CHRONOLOGY: self.chronology,
            NAV_OUTBOX: self.outbox,
            NAV_SETTINGS: self.settings_page,
            NAV_CASELOAD: self.caseload,
            NAV_PLAN: self.plan_page,
            **({NAV_ADMINISTRATION: self.administration} if self.administration else {}),
            **({NAV_AUDIT: self.audit_trail} if self.audit_trail is not None else {}),
        }[row]
        self._show_page(page)

    def _show_page(self, page: QWidget) -> None:
        if self.stack.currentWidget() is self.editor and page is not self.editor:
            self.editor.flush_pending()  # leaving the editor: store edits without waiting
        if page is self.my_records:
            self.my_records.refresh()
        elif page is self.new_record:
            self.new_record.refresh()
        elif page is self.families:
            self.families.refresh()
        elif page is self.settings_page:
            self.settings_page.refresh()
        elif page is self.outbox:
            self.outbox.refresh()
        elif page is self.inbox:
            self.inbox.refresh()
        elif page is self.chronology:
            self.chronology.load_children()
        elif page is self.caseload:
            self.caseload.refresh()
        elif page is self.plan_page:
            self.plan_page.refresh()
        elif self.audit_trail is not None and page is self.audit_trail:
            self.audit_trail.refresh()
        elif self.administration is not None and page is self.administration:
            self.administration.refresh()
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

    def show_new_record(self) -> None:
        self._select_nav(NAV_NEW_RECORD)
        self._show_page(self.new_record)
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

    def _save_shortcut(self) -> None:
        if self.stack.currentWidget() is self.editor:
            self.editor.save_now()
        elif self.stack.currentWidget() is self.families:
            self.families.save()
        elif self.stack.currentWidget() is self.settings_page:
            self.settings_page.save()

    def _submit_shortcut(self) -> None:
        if self.stack.currentWidget() is self.editor:
            self.editor.submit()

    # ---- receiving records --------------------------------------------------------------------

    def choose_import(self) -> None:
        chosen, _ = QFileDialog.getOpenFileNames(
            self,
            "Import received records",
            "",
            "Records received (*.pdf *.eml);;All files (*)",
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if chosen:
            self.import_files([Path(path) for path in chosen])

    def import_files(self, paths: list[Path], *, show: bool = True) -> None:
        """Files received PDFs and emails (after the import running now, if any); `show` opens
        the inbox, where progress and the result appear."""
        if show:
            self._select_nav(NAV_INBOX)
            self._show_page(self.inbox)
        if not self.importer.start(paths):
            self._waiting_imports += paths

    def choose_watched_folder(self) -> None:
        if self.folder_watcher.folder is not None:
            self.folder_watcher.stop()
        else:
            chosen = QFileDialog.getExistingDirectory(
                self,
                "Import new records saved in this folder",
                "",
                QFileDialog.Option.ShowDirsOnly | QFileDialog.Option.DontUseNativeDialog,
            )
            if chosen:
                self.folder_watcher.watch(Path(chosen))
        self.inbox.show_watched(self.folder_watcher.folder)

    def _ask_password(self, file_name: str, wrong: bool) -> str | None:
        return ReceivedPasswordDialog.ask(file_name, wrong, self)

    def _import_started(self, total: int) -> None:
        self.inbox.progress.setRange(0, total)
        self.inbox.progress.setValue(0)
        self.inbox.show_progress(True)

    def _import_progress(self, done: int, total: int) -> None:
        self.inbox.progress.setValue(done)

    def _imported(self, results: list[FileResult]) -> None:
        self.inbox.show_progress(False)
        text, failed = summary(results, self.inbox.progress.maximum())
        self.inbox.report(text, failed)
        self.inbox.refresh()
        outcomes = [outcome for result in results for outcome in result.outcomes]
        if outcomes:
            self.inbox.select(outcomes[-1].record_id, outcomes[-1].version)
        waiting, self._waiting_imports = self._waiting_imports, []
        if waiting:
            self.import_files(waiting, show=False)

    def show_chronology(self, child_id: str) -> None:
        self._select_nav(NAV_CHRONOLOGY)
        self._show_page(self.chronology)
        self.chronology.load_children(select=child_id)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _received_paths(event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = _received_paths(event.mimeData().urls())
        if paths:
            event.acceptProposedAction()
            self.import_files(paths)

    def show_recovered(self, recovered: list[RecordSummary]) -> None:
        """A non-modal notice that drafts from a run that crashed were kept."""
        if recovered:
            self.recovered_banner.show_message(Level.SUCCESS, recovered_text(recovered))

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
        error = self.editor.finish_saving()
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
        self.importer.wait()
        self.chronology.wait()
        self.outbox_sender.wait()  # a message mid-send is settled before the database closes
        self.save_layout()
        event.accept()


def _received_paths(urls: list[QUrl]) -> list[Path]:
    """The local PDF and .eml files among dropped URLs."""
    return [
        Path(url.toLocalFile())
        for url in urls
        if url.isLocalFile() and Path(url.toLocalFile()).suffix.lower() in RECEIVED_SUFFIXES
    ]


def _first_tab_stop(page: QWidget) -> QWidget | None:
    widget = page.nextInFocusChain()
    while widget is not None and widget is not page:
        if (
            page.isAncestorOf(widget)
            and widget.isVisible()
            and widget.isEnabled()
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
        ):
            return widget
        widget = widget.nextInFocusChain()
    return None
