"""The plan page at the default window size: its form fits without a horizontal scrollbar at 100%
and 200% text; "Continue the minutes" finds the family's draft however many meetings come before
it in the meetings list (read 200 at a time)."""

from __future__ import annotations

import copy
import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from coreform.minutes import MinutesAmendment, MinutesState
from coreform.records import LONDON, new_id
from coreform.services import Services
from coreform.storage.engine import create_engine_for
from coreform.storage.unit_of_work import UnitOfWork
from tests.qtbot import QtBot
from tests.ui.helpers import click
from tests.ui.minutes_data import seed_family
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
    started = ui_services.start_minutes(family.id)
    engine = create_engine_for(f"sqlite:///{tmp_path / 'coreform.db'}")
    try:  # stored in one go, as a migration from paper would: the services save one at a time
        with UnitOfWork(engine) as uow:
            for held in range(meetings):
                minutes = copy.deepcopy(started)
                minutes.id, minutes.sequence = new_id(), held + 1
                minutes.reference = f"CGM-{first.year + held // 13}-{held + 1:04d}"
                minutes.actual_date = first + dt.timedelta(weeks=4 * held)
                minutes.state = MinutesState.FINAL
                uow.minutes.add(minutes)
                if held == 0:  # the oldest meeting's amendment, still being written: listed last
                    oldest = copy.deepcopy(minutes)
            oldest.version, oldest.state = 2, MinutesState.DRAFT
            oldest.amendment = MinutesAmendment(
                "Wiktoria Kowalczyk's school was named wrongly",
                dt.datetime(2026, 12, 23, 10, 0, tzinfo=LONDON),
            )
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
