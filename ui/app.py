"""Composition root: the Qt application, the services over the user's database, the window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from coreform.services import CoreformError, Services
from coreform.settings import data_dir
from reports.dispatch import MailDispatcher
from ui.main_window import MainWindow


def application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    app = QApplication(sys.argv if argv is None else ["coreform", *argv])
    app.setOrganizationName("coreform")
    app.setApplicationName("coreform")
    return app


def start_window(services: Services, settings: QSettings | None = None) -> MainWindow:
    """Begins a session (reporting drafts a crashed run left) and builds the main window."""
    recovered = services.begin_session()
    window = MainWindow(services, settings)
    window.show_recovered(recovered)
    window.outbox_sender.send_due()  # what an earlier run left queued goes now
    return window


def run(argv: list[str] | None = None) -> int:
    """Opens the window on the default database ($COREFORM_DATA_DIR honoured) until it closes."""
    app = application(argv)
    try:
        services = Services.open(dispatcher=MailDispatcher(data_dir() / "drafts"))
        window = start_window(services)
    except CoreformError as error:
        QMessageBox.critical(None, "coreform cannot start", str(error))
        return 1
    window.show()
    code = app.exec()
    try:
        services.end_session()
    except CoreformError as error:
        print(f"coreform: {error}", file=sys.stderr)
    finally:
        services.close()
    return code
