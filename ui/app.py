"""Composition root: the Qt application, the services over the user's database, the window."""

from __future__ import annotations

import datetime as dt
import gc
import sys
import time
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.starting import StartingWindow

# Only Qt loads before the first window paints (issue 15): the fonts, screen-reader support,
# logging, the dialogs, the key store, the services and SQLAlchemy's ORM load after it, and the
# window only once the database is open; a dialog only when it is shown.
if TYPE_CHECKING:
    from coreform.connection import ConnectionConfig
    from coreform.dispatch import Dispatcher
    from coreform.services import Services
    from coreform.session import OpenedDatabase
    from ui.collector import GuiThreadCollector
    from ui.main_window import MainWindow
    from ui.privacy import Reauthenticate


def application(argv: list[str] | None = None) -> QApplication:
    """The application, with the fonts and the screen-reader support every window needs."""
    app, made = _qt_application(argv)
    _install_support(app, fonts=made)
    return app


def _qt_application(argv: list[str] | None) -> tuple[QApplication, bool]:
    """The running application, or a new one (True)."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app, False
    app = QApplication(sys.argv if argv is None else ["coreform", *argv])
    app.setOrganizationName("coreform")
    app.setApplicationName("coreform")
    return app, True


def _install_support(app: QApplication, *, fonts: bool) -> None:
    from ui import accessibility

    if fonts:
        from ui.fonts import install_fallback_fonts

        install_fallback_fonts(app)
    accessibility.install()  # before the first page: what screen readers are told


def start_window(
    services: Services,
    settings: QSettings | None = None,
    *,
    reauthenticate: Reauthenticate | None = None,
    idle_clock: Callable[[], float] = time.monotonic,
) -> MainWindow:
    """Begins a session (reporting drafts a crashed run left) and builds the main window.

    The window locks after the user's idle time; `reauthenticate` checks what they type to
    come back (None: a database without a passphrase, whose lock is a privacy screen only).
    """
    from ui.main_window import MainWindow
    from ui.privacy import PrivacyGuard

    recovered = services.begin_session()
    window = MainWindow(services, settings)
    PrivacyGuard(
        window,
        timeout=dt.timedelta(minutes=services.get_settings().idle_lock_minutes),
        reauthenticate=reauthenticate,
        clock=idle_clock,
    )
    window.show_recovered(recovered)
    window.sending_reminder.refresh()  # drafts an earlier run handed over, not yet confirmed
    window.outbox_sender.send_due()  # what an earlier run left queued goes now
    return window


def open_database(folder: Path) -> OpenedDatabase | None:
    """First run makes the encrypted database; later runs unlock it. None: the user quit."""
    from coreform import session

    if not session.database_exists(folder):
        from ui.dialogs.first_run import FirstRunDialog

        return FirstRunDialog.run(folder)
    if not session.is_encrypted(folder):
        return session.open_unencrypted(folder)
    remembered = session.unlock_remembered(folder)
    if remembered is not None:
        return remembered
    from ui.dialogs.unlock import UnlockDialog

    return UnlockDialog.run(folder)


class Fallback(Enum):
    """What the user chose when the shared database could not be opened."""

    WORK_LOCALLY = "local"
    QUIT = "quit"


def open_shared(config: ConnectionConfig, dispatcher: Dispatcher) -> Services | Fallback:
    """Connects to the shared database, offering to try again, work locally or quit.

    The attempt runs off the GUI thread (a server that does not answer takes seconds), so the
    window keeps painting meanwhile.
    """
    from coreform import connection
    from coreform.connection import ConnectionConfig, Mode
    from coreform.errors import CoreformError
    from ui.workers import wait_for

    while True:
        try:
            return wait_for(
                lambda: connection.open_services(config.shared, dispatcher=dispatcher),
                what="Connecting to the shared database",
            )
        except CoreformError as error:
            problem = str(error)
        box = QMessageBox(QMessageBox.Icon.Warning, "Shared database", problem)
        box.setInformativeText(
            "“Work on this computer” opens the records kept on this computer from now on; an "
            "administrator can switch back in Settings → Shared database."
        )
        retry = box.addButton("Try again", QMessageBox.ButtonRole.AcceptRole)
        local = box.addButton("Work on this computer", QMessageBox.ButtonRole.ActionRole)
        box.addButton("Quit", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(retry)
        box.exec()
        chosen = box.clickedButton()
        box.deleteLater()
        if chosen is local:
            connection.save_config(ConnectionConfig(Mode.LOCAL, config.shared))
            return Fallback.WORK_LOCALLY
        if chosen is not retry:
            return Fallback.QUIT


def sign_in(services: Services, *, shared: bool = False) -> bool:
    """With accounts, the user signs in; alone, the passphrase was the sign-in. False: quit.

    A shared database always has accounts: its first user creates the administrator's.
    """
    if services.has_accounts():
        from ui.dialogs.sign_in import SignInDialog

        return SignInDialog.run(services) is not None
    if shared:
        from ui.dialogs.first_administrator import FirstAdministratorDialog

        return FirstAdministratorDialog.run(services) is not None
    services.record_passphrase_sign_in(ok=True)
    return True


def reauthenticator(services: Services, opened: OpenedDatabase | None) -> Reauthenticate | None:
    """How the idle lock checks the user on their return: their password, else the passphrase."""
    from coreform.errors import CoreformError

    account = services.account
    if account is not None:

        def password(typed: str) -> None:
            services.sign_in(account.user_name, typed)

        return password
    if opened is None or not opened.encrypted:
        return None

    def passphrase(typed: str) -> None:
        try:
            opened.check_passphrase(typed)
        except CoreformError:
            services.record_passphrase_sign_in(ok=False)
            raise
        services.record_passphrase_sign_in(ok=True)

    return passphrase


def run(argv: list[str] | None = None) -> int:
    """Opens the window on the shared database, or the one in the data folder, until it closes.

    A plain window paints first, before anything that touches the database loads (issue 15);
    the main window, or the first dialog, takes over from it.
    """
    app, made = _qt_application(argv)
    starting = StartingWindow()
    starting.paint_now()
    # A start makes some 100,000 objects the collector tracks, nearly all living as long as the
    # app (modules, the ORM's mappings, Qt's enums); it scanned them over and over, about a tenth
    # of the start (issue 15). Off until the window is up, then they are set aside (`_started`).
    gc.disable()
    _install_support(app, fonts=made)
    try:
        return _run(app, starting)
    finally:
        gc.unfreeze()  # what the start set aside is collected as usual again
        gc.enable()
        starting.close()
        starting.deleteLater()
        from coreform.logs import stop_logging

        stop_logging()  # the log file is closed with the run


def _started(app: QApplication) -> GuiThreadCollector:
    """What the start made lives as long as the run: set aside until it ends (`gc.freeze`; its
    garbage is a few hundred objects, classes made and replaced at import), so no collection
    scans it again; what the run makes is collected on the GUI thread (`ui.collector`)."""
    from ui.collector import GuiThreadCollector

    gc.freeze()
    return GuiThreadCollector(app)


def _drop_read_sources() -> None:
    """Frees the source text PySide6's import hook read: it reads each module imported after
    PySide6 whole, to see whether it names PySide6 (shibokensupport/feature.py), and `linecache`
    keeps it, about 20 MB at start. Freed between the big imports, the next ones reuse the memory
    (issue 15: peak memory); a traceback reads a file again when it needs it."""
    import linecache

    linecache.clearcache()


def _run(app: QApplication, starting: StartingWindow) -> int:
    import logging

    from coreform import __version__, connection
    from coreform.connection import Mode
    from coreform.errors import CoreformError
    from coreform.logs import configure_logging
    from coreform.settings import data_dir
    from reports.dispatch import MailDispatcher

    folder = data_dir()
    configure_logging(folder)
    log = logging.getLogger(__name__)
    log.info("coreform %s starting", __version__)
    dispatcher = MailDispatcher(folder / "drafts")
    opened: OpenedDatabase | None = None  # stays None on the shared database
    first_run = False  # the database was made in this run: the set-up wizard follows
    try:
        config = connection.load_config()
        shared = None
        if config.mode is Mode.SHARED:
            starting.message.setText("Connecting to the shared database…")
            shared = open_shared(config, dispatcher)
        if shared is Fallback.QUIT:
            return 0
        if shared is None or shared is Fallback.WORK_LOCALLY:
            from coreform import session

            first_run = not session.database_exists(folder)
            opened = open_database(folder)
            if opened is None:
                return 0
            url = opened.url  # loads SQLAlchemy's engine: the sources it read are freed next
            _drop_read_sources()
            from coreform.services import Services

            _drop_read_sources()
            services = Services.open(url, dispatcher=dispatcher)
        else:
            services = shared
    except CoreformError as error:
        log.warning("could not start: %s", type(error).__name__)
        QMessageBox.critical(None, "coreform cannot start", str(error))
        return 1
    try:
        if not sign_in(services, shared=opened is None):
            services.close()
            return 0
        if first_run:
            from ui.dialogs.setup_wizard import SetupWizard

            SetupWizard.run(services)  # skipping it is fine: Settings holds every answer
        window = start_window(services, reauthenticate=reauthenticator(services, opened))
        _drop_read_sources()
    except CoreformError as error:
        services.close()
        QMessageBox.critical(None, "coreform cannot start", str(error))
        return 1
    from ui.backups import BackupScheduler
    from ui.reminders import show_backup_problem

    # A shared database is backed up on its server, not by each computer.
    backups = None
    if opened is not None:
        backups = BackupScheduler(
            services, opened.backup_folder, services.get_settings().backups_keep, window
        )
        backups.finished.connect(
            lambda _path, error: show_backup_problem(window.recovered_banner, error)
        )
        backups.back_up_if_due()  # daily, in a worker thread
    window.show()
    starting.give_way()
    collector = _started(app)
    code = app.exec()
    collector.stop()  # `run` unfreezes and turns automatic collection back on
    collector.deleteLater()
    if backups is not None:
        backups.wait()
    try:
        services.end_session()
        if backups is not None:
            services.backup(backups.folder, keep=backups.keep)  # on a clean exit
    except CoreformError as error:
        print(f"coreform: {error}", file=sys.stderr)
    finally:
        services.close()
    return code
