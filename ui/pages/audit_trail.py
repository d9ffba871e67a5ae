"""The audit trail for managers and administrators: every entry, the chain check, the head."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coreform.safe_files import write_atomically
from coreform.services import CoreformError, Services
from ui.models.audit_table import AuditTableModel
from ui.pages.banner import Banner, Level, heading_label
from ui.pages.list_table import list_table


class AuditTrailPage(QWidget):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        layout = QVBoxLayout(self)
        title = heading_label("Audit trail", self)
        layout.addWidget(title)
        intro = QLabel(
            "Everything done with the records, newest first. Records are named by reference, "
            "never by a child's name. Each entry is chained to the one before, so a change to "
            "any of them is found by “Verify chain”. Keep the exported newest hash somewhere "
            "else (a printout, another disk), so entries cut off the end are found too.",
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = Banner(self, name="audit_banner")
        layout.addWidget(self.banner)
        buttons = QHBoxLayout()
        self.verify_button = QPushButton("Verify chain", self)
        self.export_button = QPushButton("Export newest hash…", self)
        buttons.addWidget(self.verify_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.model = AuditTableModel(self)
        self.table = list_table(self, self.model, "Audit trail entries")
        layout.addWidget(self.table, 1)
        self.verify_button.clicked.connect(self.verify)
        self.export_button.clicked.connect(self.export_head)

    def refresh(self) -> None:
        try:
            total = self._services.audit_count()
        except CoreformError as error:
            self.banner.show_message(Level.ERROR, str(error))
            return
        self.model.reset(self._services.audit_page, total)

    def verify(self) -> None:
        try:
            result = self._services.verify_audit()
        except CoreformError as error:
            self.banner.show_message(Level.ERROR, str(error))
            return
        shown = " ".join((result.message, *(f"Not proven: {limit}" for limit in result.limits)))
        self.banner.show_message(Level.SUCCESS if result.ok else Level.ERROR, shown)

    def export_head(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Export the newest audit hash",
            "coreform-audit-head.txt",
            "Text files (*.txt)",
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if chosen:
            self.save_head(Path(chosen))

    def save_head(self, path: Path) -> None:
        try:
            line = self._services.audit_head_line()
            write_atomically(path, (line + "\n").encode("utf-8"))
        except (CoreformError, OSError) as error:
            self.banner.show_message(Level.ERROR, f"The hash was not saved: {error}")
            return
        self.banner.show_message(
            Level.SUCCESS, f"Saved to {path}: {line}. Keep a copy away from this computer."
        )
