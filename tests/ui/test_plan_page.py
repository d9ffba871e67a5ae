"""The plan page at the default window size: its form fits without a horizontal scrollbar at 100%
and 200% text; "Continue the minutes" finds the family's draft however many meetings come before
it in the meetings list (read 200 at a time)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from coreform.minutes import MinutesAmendment, MinutesState
from coreform.records import LONDON
from coreform.services import Services
from coreform.storage.engine import create_engine_for
from coreform.storage.unit_of_work import UnitOfWork
from tests.qtbot import QtBot
from tests.ui.helpers import click
from tests.ui.minutes_data import seed_family, store_meetings
from ui.app import start_window
from ui.main_window import MainWindow
from ui.starting import DEFAULT_SIZE

WAIT = 20_000


@pytest.fixture(params=[1.0, 2.0], ids=["100%", "200%"])
def text_scale(request: pytest.FixtureRequest) -> Iterator[float]:
    """The user's text size, set before the window exists as a system setting would be."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original = app.font()
    scaled = app.font()
    scaled.setPointSizeF(original.pointSizeF() * request.param)
    app.setFont(scaled)
    yield request.param
    app.setFont(original)


def _window(qtbot: QtBot, services: Services, tmp_path: Path) -> MainWindow:
    window = start_window(services, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.resize(*DEFAULT_SIZE)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_the_plan_form_fits_the_default_window(
    qtbot: QtBot, ui_services: Services, tmp_path: Path, text_scale: float
) -> None:
    _family, (nusrat, _arif) = seed_family(ui_services)
    window = _window(qtbot, ui_services, tmp_path)
    window.open_child_plan(nusrat.id)
    plan = window.plan_page
    form = plan.form_area
    qtbot.waitUntil(lambda: not form.horizontalScrollBar().isVisible(), timeout=WAIT)
    body = form.widget()
    assert body is not None and body.width() <= form.viewport().width()
    # The page fits what a 1200-pixel window leaves beside the navigation, at 200% too (other
    # pages may widen the window there: the plan page is not one of them).
    assert plan.minimumSizeHint().width() <= DEFAULT_SIZE[0] - (window.width() - plan.width())
    folder = Path(os.environ.get("COREFORM_SCREENSHOTS", tmp_path))
    assert window.grab().save(str(folder / f"plan-{int(text_scale * 100)}.png"))
    window.close()


def test_a_draft_beyond_the_first_page_of_meetings_is_continued(
    qtbot: QtBot, ui_services: Services, tmp_path: Path
) -> None:
    family, (nusrat, _arif) = seed_family(ui_services)
    first = dt.date(2010, 1, 5)
    meetings = 205  # a core group every four weeks for years: more than a page of 200
    database = tmp_path / "coreform.db"
    oldest = store_meetings(ui_services, family, database, first, meetings, MinutesState.FINAL)
    # The oldest meeting's amendment, still being written: listed last.
    oldest.version, oldest.state = 2, MinutesState.DRAFT
    oldest.amendment = MinutesAmendment(
        "Wiktoria Kowalczyk's school was named wrongly",
        dt.datetime(2026, 12, 23, 10, 0, tzinfo=LONDON),
    )
    engine = create_engine_for(f"sqlite:///{database}")
    try:
        with UnitOfWork(engine) as uow:
            uow.minutes.add(oldest)
    finally:
        engine.dispose()
    window = _window(qtbot, ui_services, tmp_path)
    window.open_child_meetings(nusrat.id)
    panel = window.plan_page.meetings
    assert panel.model.total == meetings and panel.model.rowCount() == 200  # not read yet
    assert (
        panel.start_button.text()
        .replace("&", "")
        .startswith("Continue the minutes of core group 1 (draft)")
    )
    click(qtbot, panel.start_button)
    editor = window.minutes.editor
    qtbot.waitUntil(lambda: window.stack.currentWidget() is editor, timeout=WAIT)
    assert editor.minutes_id() == oldest.id
    editor.finish_saving()
    window.close()
