"""The child's file: every contact (own and received) newest first, filtered by agency, type and
date; each entry opens its record (received minutes open read only); export as a PDF bundle, CSV,
XLSX or JSON with progress."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from coreform.chronology import ExportFormat
from coreform.inbox import ChronologyEntry, ChronologyFilter, EntryKind
from coreform.services import CoreformError, Services
from ui.models.paged_table import PagedTableModel
from ui.pages.banner import Banner, Level, heading_label
from ui.pages.child_picker import ChildPicker
from ui.pages.flow_layout import FlowLayout, kept_together
from ui.pages.list_table import list_table
from ui.pages.minutes_chart import ScalingChart
from ui.workers import BackgroundJobs

COLUMNS = ("Date", "Time", "Type", "What", "Agency", "By", "Child seen", "Reference", "Review")
_ANY_DATE = QDate(1900, 1, 1)
_SPLIT = [500, 300]  # chronology over the scaling chart, when there is scaling to chart


def _own_or_received(entry: ChronologyEntry) -> str:
    """Received core group minutes have no review: only records are reviewed."""
    return "Received" if entry.received else "Own record"


def _cells(entry: ChronologyEntry) -> tuple[str, ...]:
    return (
        f"{entry.day:%d/%m/%Y}",
        entry.time.strftime("%H:%M") if entry.time else "",
        entry.kind.label,
        entry.title,
        entry.agency,
        entry.by,
        {True: "Yes", False: "No", None: ""}[entry.child_seen],
        f"{entry.reference} v{entry.version}" if entry.version else entry.reference,
        entry.review_state.label if entry.review_state else _own_or_received(entry),
    )


class ChronologyPage(QWidget):
    open_requested = Signal(str)  # record id
    minutes_open_requested = Signal(str, int)  # received minutes: id, version
    export_progress = Signal(int, int)  # entries written, entries to write

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self.cancel_requested = False
        self._jobs = BackgroundJobs(self)
        self.export_progress.connect(self._progress)
        layout = QVBoxLayout(self)
        heading = heading_label("Child's file: chronology", self)
        layout.addWidget(heading)
        self.banner = Banner(self, dismissable=True, name="chronology_banner")
        self.banner.hide()
        layout.addWidget(self.banner)
        self.picker = ChildPicker(services, "&Child (type part of a name or reference):", self)
        self.picker.chosen.connect(lambda _child: self._child_changed())
        layout.addWidget(self.picker)
        grid = QGridLayout()
        self.agency = QLineEdit(self)
        self.agency.setPlaceholderText("any agency")
        self.date_from = self._date_edit("From")
        self.date_to = self._date_edit("To")
        for column, text, widget in (
            (0, "&Agency:", self.agency),
            (2, "F&rom:", self.date_from),
            (4, "&To:", self.date_to),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            grid.addWidget(label, 0, column)
            grid.addWidget(widget, 0, column + 1)
        grid.setColumnStretch(1, 1)
        kinds = QHBoxLayout()
        self.kinds: dict[EntryKind, QCheckBox] = {}
        for kind in EntryKind:
            box = QCheckBox(kind.label + "s", self)
            box.setChecked(True)
            box.toggled.connect(lambda _on: self.refresh())
            kinds.addWidget(box)
            self.kinds[kind] = box
        kinds.addStretch(1)
        grid.addLayout(kinds, 1, 0, 1, 6)
        layout.addLayout(grid)
        self.agency.textChanged.connect(lambda _t: self.refresh())
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.model: PagedTableModel[ChronologyEntry] = PagedTableModel(COLUMNS, _cells, self)
        self.table = list_table(self, self.model, "The child's chronology, newest first")
        self.table.activated.connect(lambda index: self._open(index.row()))
        self.table.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self._name_open(current.row())
        )
        # Issue 14: how the child's case was scaled at each core group, below the contacts.
        self.below = QSplitter(Qt.Orientation.Vertical, self)
        self.below.setChildrenCollapsible(False)
        self.below.addWidget(self.table)
        self.scaling = ScalingChart(self.below)
        self.below.addWidget(self.scaling)
        self.below.setSizes(_SPLIT)
        layout.addWidget(self.below, 1)
        # At 200% text the export wraps under the buttons, keeping to the right.
        bar = FlowLayout(spacing=layout.spacing(), fill=True)
        self.open_button = QPushButton("&Open record", self)
        self.open_button.clicked.connect(lambda: self._open(self.table.currentIndex().row()))
        self.form_button = QPushButton("&Fillable form for an agency…", self)
        self.form_button.setToolTip(
            "A PDF form with this family's children and your details on it, for a GP or school "
            "without coreform to fill in and email back."
        )
        self.form_button.clicked.connect(self.choose_form_folder)
        bar.add(kept_together(self, self.open_button, self.form_button), 1)
        export_label = QLabel("E&xport as:", self)
        self.format = QComboBox(self)
        for format in ExportFormat:
            self.format.addItem(format.label, format)
        export_label.setBuddy(self.format)
        self.export_button = QPushButton("&Export…", self)
        self.export_button.clicked.connect(self.choose_export)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName("Export progress")
        self.progress.setFormat("Exported %v of %m entries")
        self.cancel_button = QPushButton("Sto&p export", self)
        self.cancel_button.clicked.connect(self.cancel_export)
        bar.add(kept_together(self, export_label, self.format, self.export_button))
        layout.addLayout(bar)
        progress_row = QHBoxLayout()
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.cancel_button)
        layout.addLayout(progress_row)
        self._exporting(False)

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit(self)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        edit.setMinimumDate(_ANY_DATE)
        edit.setSpecialValueText("any date")  # shown at the minimum: no limit
        edit.setDate(_ANY_DATE)
        edit.setAccessibleName(f"{name} date (any date when empty)")
        edit.dateChanged.connect(lambda _d: self.refresh())
        return edit

    # ---- showing -----------------------------------------------------------------------------

    def load_children(self, select: str | None = None) -> None:
        """The children found again (families change elsewhere); `select` picks one by id. With
        none chosen yet, the first child found is shown, as a list's first row is."""
        if select is not None:
            self.picker.select(select)
        else:
            self.picker.refresh()
        if self.picker.child is None and self.picker.model.rowCount():
            self.picker.choose(self.picker.model.index(0, 0))
            return
        self._child_changed()

    def _child_changed(self) -> None:
        self.refresh()
        self._show_scaling()

    def _show_scaling(self) -> None:
        child_id = self.child_id()
        if child_id is None:
            return
        try:
            points = self._services.file_scaling_history(child_id)
        except CoreformError as error:
            self.banner.show_message(Level.ERROR, str(error))
            return
        self.scaling.show_scaling(self.picker.child.name if self.picker.child else "", points)
        # No scaling: the sentence alone, the chronology takes the room the chart had.
        self.below.setSizes(_SPLIT if points else [sum(_SPLIT), 0])

    def child_id(self) -> str | None:
        return self.picker.child_id()

    def where(self) -> ChronologyFilter:
        def day(edit: QDateEdit) -> dt.date | None:
            chosen = edit.date()
            if chosen == _ANY_DATE:
                return None
            return dt.date(chosen.year(), chosen.month(), chosen.day())

        return ChronologyFilter(
            agency=self.agency.text(),
            kinds=frozenset(kind for kind, box in self.kinds.items() if box.isChecked()),
            date_from=day(self.date_from),
            date_to=day(self.date_to),
        )

    def refresh(self) -> None:
        child_id = self.child_id()
        if child_id is None:
            self.model.reset(lambda _o, _l: [], 0)
            self.summary.setText(
                "No child is on file yet. Add a family, or match a received record."
            )
            self.export_button.setEnabled(False)
            self.form_button.setEnabled(False)
            return
        self.form_button.setEnabled(True)
        where = self.where()
        try:
            total = self._services.chronology_count(child_id, where)
            self.model.reset(
                lambda offset, limit: self._services.chronology_page(
                    child_id, where, offset, limit
                ),
                total,
            )
        except CoreformError as error:
            self.banner.show_message(Level.ERROR, f"The chronology could not be read: {error}")
            return
        self.summary.setText(
            f"{total} entr{'ies' if total != 1 else 'y'}, newest first. Select one and press Enter "
            "to open it."
        )
        self.export_button.setEnabled(total > 0 and not self.progress.isVisible())

    def _open(self, row: int) -> None:
        if 0 <= row < self.model.rowCount():
            entry = self.model.row(row)
            if entry.record_id is not None:
                self.open_requested.emit(entry.record_id)
            elif entry.minutes_id is not None and entry.version is not None:
                self.minutes_open_requested.emit(entry.minutes_id, entry.version)

    def report_error(self, message: str) -> None:
        self.banner.show_message(Level.ERROR, message)

    def _name_open(self, row: int) -> None:
        """The button says what the selected entry opens (the mnemonic stays Alt+O)."""
        minutes = 0 <= row < self.model.rowCount() and self.model.row(row).minutes_id is not None
        self.open_button.setText("&Open minutes" if minutes else "&Open record")

    # ---- the fillable form --------------------------------------------------------------------

    def choose_form_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self,
            "Save the fillable form in",
            "",
            QFileDialog.Option.ShowDirsOnly | QFileDialog.Option.DontUseNativeDialog,
        )
        if folder:
            self.save_form(Path(folder))

    def save_form(self, folder: Path) -> None:
        child = self.picker.child
        if child is None:
            return
        try:
            path = self._services.save_fillable_form(child.family_id, folder)
        except CoreformError as error:
            self.banner.show_message(Level.ERROR, f"The form was not saved: {error}")
            return
        self.banner.show_message(
            Level.SUCCESS,
            f"Saved {path.name} in {folder}. Email it to the GP, school or other agency; when "
            "it comes back filled in, import it (File → Import).",
        )

    # ---- exporting ---------------------------------------------------------------------------

    def choose_export(self) -> None:
        format = ExportFormat(self.format.currentData())
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Export the chronology",
            f"chronology.{format.value}",
            f"{format.label} (*.{format.value})",
            options=QFileDialog.Option.DontUseNativeDialog,
        )
        if chosen:
            self.export(Path(chosen), format)

    def export(self, path: Path, format: ExportFormat) -> None:
        child_id = self.child_id()
        if child_id is None:
            return
        self.cancel_requested = False
        self.progress.setRange(0, 0)
        self._exporting(True)
        where = self.where()
        self._jobs.run(
            lambda: self._services.export_chronology(
                child_id,
                where,
                path,
                format,
                # Emitted from the worker: Qt queues it to this page's (the GUI) thread.
                progress=self.export_progress.emit,
                cancelled=lambda: self.cancel_requested,
            ),
            done=lambda count: self._exported(count, ""),
            failed=lambda error: self._exported(-1, str(error)),
            what="The export",
        )

    def cancel_export(self) -> None:
        self.cancel_requested = True
        self.cancel_button.setEnabled(False)

    def _exporting(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.cancel_button.setEnabled(busy)
        self.export_button.setEnabled(not busy and self.model.total > 0)

    def _progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _exported(self, count: int, error: str) -> None:
        self._exporting(False)
        if error:
            self.banner.show_message(Level.ERROR, error)
        else:
            self.banner.show_message(Level.SUCCESS, f"Exported {count} entries.")

    def wait(self) -> None:
        self.cancel_requested = True
        self._jobs.wait()
