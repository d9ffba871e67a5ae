"""The core group minutes in the main window (issue 14): the editor and the read-only view in the
window's page stack, and the ways into them (a family's meetings on the child's plan page)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QStackedWidget, QWidget

from coreform.minutes import CoreGroupMinutes
from coreform.services import CoreformError, Services
from ui.pages.minutes_editor import MinutesEditor
from ui.pages.minutes_view import MinutesView


class MinutesPages(QObject):
    """`changed` fires when minutes are finalised, amended or discarded, for the lists of them."""

    changed = Signal()

    def __init__(
        self,
        services: Services,
        stack: QStackedWidget,
        show_page: Callable[[QWidget], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._services = services
        self._show_page = show_page
        self.editor = MinutesEditor(services, stack)
        self.view = MinutesView(services, stack)
        stack.addWidget(self.editor)
        stack.addWidget(self.view)
        self.editor.finalised.connect(self._finalised)
        self.editor.discarded.connect(self.changed)
        self.view.amended.connect(self._amended)

    def start(self, family_id: str, tell: Callable[[str], None]) -> None:
        """A new meeting's draft, carried forward from the last; `tell` says why not."""
        try:
            minutes = self._services.start_minutes(family_id)
        except CoreformError as error:
            tell(str(error))
            return
        self.edit(minutes)
        self.editor.form.rows["actual_date"].focus_input()

    def open(self, minutes_id: str, tell: Callable[[str], None]) -> None:
        try:
            minutes = self._services.get_minutes(minutes_id)
        except CoreformError as error:
            tell(str(error))
            return
        if minutes.locked:
            self.show_locked(minutes)
        else:
            self.edit(minutes)

    def open_received(self, minutes_id: str, version: int, tell: Callable[[str], None]) -> None:
        """Minutes received from another key worker, read only."""
        try:
            minutes, received = self._services.open_received_minutes(minutes_id, version)
        except CoreformError as error:
            tell(str(error))
            return
        self.view.show_minutes(minutes, received)
        self._show_page(self.view)
        self.view.text.setFocus()

    def edit(self, minutes: CoreGroupMinutes) -> None:
        self._show_page(self.editor)
        self.editor.load(minutes)

    def show_locked(self, minutes: CoreGroupMinutes) -> None:
        self.view.show_minutes(minutes)
        self._show_page(self.view)
        self.view.send_button.setFocus()

    def _finalised(self, minutes: CoreGroupMinutes) -> None:
        self.show_locked(minutes)
        self.changed.emit()

    def _amended(self, draft: CoreGroupMinutes) -> None:
        self.edit(draft)
        self.changed.emit()
