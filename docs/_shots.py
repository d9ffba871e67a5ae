"""What the README's screenshot scripts share: Qt offscreen, a throwaway database on a fixed clock
(Christmas Eve 2026, so the pictures are repeatable), the user, and saving a settled window."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from coreform.records import LONDON, Practitioner
from coreform.services import Services
from reports.dispatch import MailDispatcher
from ui.app import application, start_window
from ui.main_window import MainWindow

OUT = Path(__file__).resolve().parent / "screenshots"
NOW = dt.datetime(2026, 12, 24, 16, 0, tzinfo=LONDON)
ME = Practitioner(
    name="Sam Patel",
    role="School nurse",
    agency="Riverside Primary School",
    email="sam.patel@riverside.example",
    phone="01632 960123",
)


def throwaway_services(*, email_drafts: bool = False) -> tuple[Services, Path]:
    """The application, and services on a new database in a temporary folder (returned too);
    with `email_drafts`, messages become drafts there for a mail program that does nothing."""
    OUT.mkdir(parents=True, exist_ok=True)
    application([])
    folder = Path(tempfile.mkdtemp(prefix="coreform-shots-"))
    database = f"sqlite:///{folder / 'coreform.db'}"
    if email_drafts:
        dispatcher = MailDispatcher(folder / "drafts", open_draft=lambda _path: None)
        services = Services.open(database, clock=lambda: NOW, dispatcher=dispatcher)
    else:
        services = Services.open(database, clock=lambda: NOW)
    settings = services.get_settings()
    settings.me = ME
    settings.organisation = ME.agency
    services.save_settings(settings)
    return services, folder


def main_window(services: Services, folder: Path) -> MainWindow:
    window = start_window(services, QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat))
    window.resize(1280, 860)
    window.show()
    return window


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def save(widget: QWidget, name: str) -> None:
    settle()
    widget.grab().save(str(OUT / name))
    print(f"wrote {OUT / name}")
