"""My records and Families & contacts as a user finds things: search, sort, a family's records,
discarding a draft, and a caseload of 25,000 records paged from the database (issues 10, 15)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from bench.synthetic import build_database
from coreform.audit import AuditAction
from coreform.records import Child, ChildObservation, Family, KeyWorker, RecordState
from coreform.services import Services
from tests.qtbot import QtBot
from tests.ui.conftest import CHRISTMAS_EVE, when_dialog_opens
from tests.ui.helpers import click, click_item
from ui.app import start_window
from ui.main_window import MainWindow
from ui.models.paged_table import PAGE_SIZE

LARGE = 25_000


@pytest.fixture(scope="session")
def large_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """25,000 synthetic records, built once per test run with the bench's generator."""
    url = f"sqlite:///{tmp_path_factory.mktemp('large') / 'coreform.db'}"
    build_database(url, LARGE)
    return url


@pytest.fixture
def large_window(qtbot: QtBot, large_database: str, tmp_path: Path) -> Iterator[MainWindow]:
    services = Services.open(large_database, clock=lambda: CHRISTMAS_EVE)
    window = start_window(services, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    services.close()


def test_my_records_pages_25000_records_to_the_end(qtbot: QtBot, large_window: MainWindow) -> None:
    page = large_window.my_records
    click_item(qtbot, large_window.nav, "My records")
    total = page.model.total
    assert total >= LARGE
    assert page.model.rowCount() == PAGE_SIZE  # the first screen, not the whole table
    first = page.model.row(0)

    def more_rows_than(shown: int) -> Callable[[], bool]:
        return lambda: page.model.rowCount() > shown

    assert first.state is RecordState.DRAFT  # drafts first, the most urgent on top
    assert "draft" in page.summary.text() and "submitted" in page.summary.text()
    page.table.setFocus()
    while page.model.canFetchMore():
        grown = more_rows_than(page.model.rowCount())
        qtbot.keyClick(page.table, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(grown)
    assert page.model.rowCount() == total
    last = page.model.row(total - 1)
    assert last.state is not RecordState.DRAFT and last.submitted_at is not None
    assert last.submitted_at <= page.model.row(total - 2).submitted_at  # type: ignore[operator]


def test_search_ignores_accents_and_a_column_heading_sorts(
    qtbot: QtBot, window: MainWindow, ui_services: Services
) -> None:
    for family, child in (("Ødegård-Nguyễn", "Zoë Ødegård-Nguyễn"), ("Chen", "王芳 Chen")):
        record = ui_services.new_record()
        record.family_name = family
        record.children = [ChildObservation(child=Child(name=child))]
        record.visit_date = dt.date(2026, 12, 21)
        ui_services.save_draft(record)
    page = window.my_records
    click_item(qtbot, window.nav, "My records")
    assert page.model.rowCount() == 2
    page.search_box.setFocus()
    qtbot.keyClicks(page.search_box, "zoe nguyen")
    qtbot.waitUntil(lambda: page.model.rowCount() == 1)
    assert page.model.index(0, 1).data() == "Ødegård-Nguyễn"
    assert page.summary.text().startswith("1 record found")
    click(qtbot, page.clear_button)
    qtbot.waitUntil(lambda: page.model.rowCount() == 2)
    header = page.table.horizontalHeader()
    family_column = QPoint(header.sectionViewportPosition(1) + 10, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=family_column)
    qtbot.waitUntil(lambda: page.model.index(0, 1).data() == "Chen")
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=family_column)
    qtbot.waitUntil(lambda: page.model.index(0, 1).data() == "Ødegård-Nguyễn")


def test_a_draft_started_by_mistake_is_discarded_after_confirming(
    qtbot: QtBot, window: MainWindow, ui_services: Services
) -> None:
    draft = ui_services.save_draft(ui_services.new_record())
    page = window.my_records
    click_item(qtbot, window.nav, "My records")
    page.table.selectRow(0)
    assert page.discard_button.isEnabled()

    def keep(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox) and draft.reference in dialog.text()
        [kept] = [b for b in dialog.buttons() if b.text() == "Keep it"]
        kept.click()

    when_dialog_opens(keep)
    click(qtbot, page.discard_button)
    assert ui_services.count_records() == 1

    def discard(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox)
        [chosen] = [b for b in dialog.buttons() if b.text() == "Discard draft"]
        chosen.click()

    when_dialog_opens(discard)
    click(qtbot, page.discard_button)
    qtbot.waitUntil(lambda: page.model.rowCount() == 0)
    assert page.summary.text().startswith(f"Draft {draft.reference} discarded.")
    newest = ui_services.audit_page(0, 1)[0]
    assert newest.action is AuditAction.DELETED
    assert newest.record_reference.startswith(draft.reference)
    assert not page.discard_button.isEnabled()


def test_a_familys_and_a_childs_records_newest_first_and_one_opens(
    qtbot: QtBot, window: MainWindow, ui_services: Services
) -> None:
    family = ui_services.save_family(
        Family(
            name="Begum",
            children=[Child(name="Ayesha Begum"), Child(name="Tanvir Begum")],
            key_worker=KeyWorker(name="Fatima Rahman", email="f.rahman@council.example"),
        )
    )
    ayesha, tanvir = family.children
    for day, seen in ((14, [ayesha]), (16, [ayesha, tanvir]), (18, [tanvir])):
        record = ui_services.new_record(family.id)
        record.children = [ChildObservation(child=child) for child in seen]
        record.visit_date = dt.date(2026, 12, day)
        ui_services.save_draft(record)
    page = window.families
    click_item(qtbot, window.nav, "Families & contacts")
    qtbot.waitUntil(lambda: page.records_model.rowCount() == 3)
    visits = [page.records_model.index(row, 3).data() for row in range(3)]
    assert visits == ["Fri 18 Dec 2026", "Wed 16 Dec 2026", "Mon 14 Dec 2026"]
    page.child_filter.setCurrentIndex(1)  # Ayesha
    qtbot.waitUntil(lambda: page.records_model.rowCount() == 2)
    assert page.records_model.index(0, 3).data() == "Wed 16 Dec 2026"
    page.records_table.setFocus()
    page.records_table.selectRow(0)
    qtbot.keyClick(page.records_table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.editor)
    assert window.editor.rows["visit_date"].inputs[0].text() == "16/12/2026"  # type: ignore[attr-defined]


def test_families_are_found_by_a_childs_name_without_accents(
    qtbot: QtBot, window: MainWindow, ui_services: Services
) -> None:
    ui_services.save_family(Family(name="Wiśniewski", children=[Child(name="Łukasz Wiśniewski")]))
    ui_services.save_family(Family(name="Smith", children=[Child(name="Kai Smith")]))
    page = window.families
    click_item(qtbot, window.nav, "Families & contacts")
    assert page.family_model.rowCount() == 2
    page.search_box.setFocus()
    qtbot.keyClicks(page.search_box, "lukasz")
    qtbot.waitUntil(lambda: page.family_model.rowCount() == 1)
    assert "Łukasz Wiśniewski" in page.family_model.index(0, 0).data()
