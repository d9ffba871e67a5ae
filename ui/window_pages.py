"""The main window's pages, each built the first time it is wanted (issue 15: building every
page at once, the record editor's 67 fields among them, was most of the start-up). A page's
attribute builds it on first access; MainWindow, built on this, supplies where the pages lead."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, TypeVar, cast

from PySide6.QtCore import QByteArray, QObject, QSettings, Signal
from PySide6.QtWidgets import QMainWindow, QSplitter, QStackedWidget, QWidget

from coreform.records import MonitoringRecord
from coreform.services import Services
from ui.navigation import NAV_PLAN
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


class WindowPages(QMainWindow):
    # The settings page saved (relayed, as the page itself may not be built yet).
    settings_saved = Signal()

    # Set by MainWindow before any page is built.
    stack: QStackedWidget
    outbox_sender: OutboxSender
    _may_administer: bool
    _may_read_audit: bool
    # Where the pages lead: MainWindow's navigation.
    go_to: Callable[[int], None]
    open_record: Callable[[str], None]
    start_record: Callable[[str | None], None]
    open_child_plan: Callable[[str], None]
    open_child_meetings: Callable[[str], None]
    _show_page: Callable[[QWidget], None]
    _edit: Callable[[MonitoringRecord], None]
    _show_locked: Callable[[MonitoringRecord], None]
    _send_queued: Callable[[bool], None]
    _settings_for_sending: Callable[[str], None]

    def __init__(self, services: Services, settings: QSettings, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._services = services
        self._settings = settings
        self._pages: dict[str, QObject] = {}
        # What a page reloads each time it is shown (the editor and the view load one record).
        self._on_show: dict[QWidget, Callable[[], None]] = {}

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
        page.minutes_open_requested.connect(
            lambda found, version: self.minutes.open_received(found, version, page.report_error)
        )
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

    def _restore_splitter(self, key: str, splitter: QSplitter) -> None:
        state = self._settings.value(key)
        if isinstance(state, QByteArray) and not state.isEmpty():
            splitter.restoreState(state)
