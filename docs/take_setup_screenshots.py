"""Renders the set-up wizard's pages and the Help window offscreen for the README:
`uv run python docs/take_setup_screenshots.py` (throwaway database, nothing sent)."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtWidgets import QApplication

from coreform.records import Role
from coreform.services import Services
from ui.app import application
from ui.dialogs.setup_wizard import SetupWizard
from ui.help import HelpDialog

OUT = Path(__file__).resolve().parent / "screenshots"


def _settle() -> None:
    for _ in range(5):
        QApplication.processEvents()


def main() -> None:
    application([])
    with tempfile.TemporaryDirectory() as scratch:
        services = Services.open(f"sqlite:///{Path(scratch) / 'setup.db'}")
        wizard = SetupWizard(services)
        wizard.rows["organisation"].set_value("Riverside Primary School")
        wizard.rows["me.name"].set_value("Nguyễn Thị Mai")
        wizard.rows["me.role"].set_value("School nurse")
        wizard.show()
        for name in ("organisation", "role", "details", "key-workers", "mail"):
            _settle()
            wizard.grab().save(str(OUT / f"setup-{name}.png"))
            wizard.next()
        wizard.close()
        help_dialog = HelpDialog(Role.PRACTITIONER)
        help_dialog.show()
        _settle()
        help_dialog.grab().save(str(OUT / "help.png"))
        help_dialog.close()
        services.close()


if __name__ == "__main__":
    main()
