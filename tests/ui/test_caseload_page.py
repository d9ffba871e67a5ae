"""The caseload dashboard and a child's plan, driven as a key worker or manager would."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QComboBox, QHeaderView

from coreform.policies import RuleId
from coreform.records import LONDON, Child
from coreform.services import Services
from tests.conftest import MovingClock
from tests.qtbot import QtBot
from tests.ui.caseload_data import seed_caseload
from tests.ui.helpers import click, click_item, focus
from ui.app import start_window
from ui.main_window import MainWindow

CHRISTMAS_EVE = dt.datetime(2026, 12, 24, 16, 0, tzinfo=LONDON)


@pytest.fixture
def clock() -> MovingClock:
    """Christmas Eve for conftest's `services`, moved on by the tests."""
    return MovingClock(CHRISTMAS_EVE)


@pytest.fixture
def children(services: Services) -> dict[str, Child]:
    return seed_caseload(services)


@pytest.fixture
def window(
    qtbot: QtBot, services: Services, children: dict[str, Child], tmp_path: Path
) -> MainWindow:
    built = start_window(services, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(built)
    built.show()
    qtbot.waitExposed(built)
    return built


def _show_caseload(qtbot: QtBot, window: MainWindow) -> None:
    with qtbot.waitSignal(window.caseload.computed, timeout=10_000):
        click_item(qtbot, window.nav, "Caseload")


def _column(window: MainWindow, title: str) -> list[str]:
    model = window.caseload.model
    column = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == title
    )
    return [model.index(row, column).data() for row in range(model.rowCount())]


def _choose(qtbot: QtBot, combo: QComboBox, text: str) -> None:
    focus(qtbot, combo)
    while combo.currentText() != text:
        qtbot.keyClick(combo, Qt.Key.Key_Down)


def test_the_dashboard_sorts_filters_and_opens_a_child(qtbot: QtBot, window: MainWindow) -> None:
    _show_caseload(qtbot, window)
    page = window.caseload
    # Most urgent first; the state is in words as well as colour.
    assert _column(window, "Most urgent") == [
        "Overdue",
        "Overdue",
        "Overdue",
        "Due soon",
        "Due soon",
    ]
    assert _column(window, "Child")[0] == "Zofia Kowalska"
    assert "Overdue · Mon 14 Dec" in _column(window, "Home visit")[0]
    assert "overdue 3, due soon 2" in page.summary.text()
    header = page.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=_centre(header, 0))
    names = _column(window, "Child")
    assert names == sorted(names, key=str.casefold)
    _choose(qtbot, page.key_worker_filter, "Sam Lee")
    assert set(_column(window, "Key worker")) == {"Sam Lee"} and len(_column(window, "Child")) == 3
    _choose(qtbot, page.plan_filter, "CIN")
    assert _column(window, "Child") == ["Nguyễn Văn Minh"]
    focus(qtbot, page.table)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.plan_page
    assert window.plan_page.heading.text() == "Plan — Nguyễn Văn Minh"


def _centre(header: QHeaderView, section: int) -> QPoint:
    left = header.sectionViewportPosition(section)
    return QPoint(left + header.sectionSize(section) // 2, header.height() // 2)


def test_a_plan_edit_changes_the_due_dates_shown(
    qtbot: QtBot, window: MainWindow, children: dict[str, Child]
) -> None:
    _show_caseload(qtbot, window)
    assert _column(window, "Home visit")[0] == "Overdue · Mon 14 Dec"  # Zofia: 10 WD after 30 Nov
    window.open_child_plan(children["Zofia"].id)
    plan = window.plan_page
    home = plan.override_inputs[RuleId.HOME_VISIT]
    focus(qtbot, home)
    qtbot.keyClicks(home, "5 working days")  # the conference set weekly visits (002 §7)
    click(qtbot, plan.save_button)
    assert plan.status.text() == "Plan saved."
    _show_caseload(qtbot, window)
    assert _column(window, "Home visit")[0] == "Overdue · Mon 7 Dec"


def test_an_escalation_appears_when_its_day_passes(
    qtbot: QtBot, window: MainWindow, clock: MovingClock
) -> None:
    clock.now = dt.datetime(2026, 12, 18, 9, 0, tzinfo=LONDON)  # Zofia last seen by Aisha 30 Nov
    _show_caseload(qtbot, window)
    page = window.caseload
    assert page.escalations.count() == 0 and page.escalations_label.text().endswith("none")
    clock.now = dt.datetime(2026, 12, 21, 9, 0, tzinfo=LONDON)  # 20 calendar days passed (002 §4)
    with qtbot.waitSignal(page.computed, timeout=10_000):
        click(qtbot, page.refresh_button)
    texts = [page.escalations.item(row).text() for row in range(page.escalations.count())]
    told = "Not seen by key worker — overdue, due Sun 20 Dec 2026. Tell: team manager."
    assert f"Zofia Kowalska (Kowalski): {told}" in texts


def test_the_timeline_names_each_record_and_opens_it(
    qtbot: QtBot, window: MainWindow, children: dict[str, Child]
) -> None:
    window.open_child_plan(children["Yusuf"].id)
    facts = window.plan_page.timeline.facts
    texts = [facts.item(row).text() for row in range(facts.count())]
    assert texts[0].endswith("Mon 30 Nov 2026, home visit by key worker: bedroom seen")
    assert "Review conference booked — Mon 11 Jan 2027" in texts
    focus(qtbot, facts)
    qtbot.keyClick(facts, Qt.Key.Key_Home)
    qtbot.keyClick(facts, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.record_view
    shown = window.record_view.record()
    assert shown is not None and shown.visit_date == dt.date(2026, 11, 30)
