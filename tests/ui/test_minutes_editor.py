"""Issue 14, acceptance 1: a key worker writes the minutes of a first and a second core group as a
user does (clicks and typing). The second starts from the first; an agreed safety goal cannot be
removed; "ASAP" is no date; an inquorate meeting is flagged."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QLabel,
    QPushButton,
    QTabWidget,
    QWidget,
)

from coreform.records import LONDON, Child, Family
from coreform.services import Services
from tests.conftest import MovingClock, open_mailing
from tests.qtbot import QtBot
from tests.ui.conftest import when_dialog_opens
from tests.ui.helpers import answer, click, click_item, focus, tab, type_into
from tests.ui.minutes_data import MEMBERS, held_meeting, seed_family
from tests.ui.screen_reader import misreadings
from ui.app import start_window
from ui.dialogs.amend_reason import AmendReasonDialog
from ui.dialogs.finalise_minutes import FinaliseMinutesDialog
from ui.main_window import MainWindow
from ui.pages.form_fields import FieldRow
from ui.pages.minutes_editor import MinutesEditor
from ui.pages.minutes_items import ItemPanel, goal_label
from ui.pages.tab_order import focus_chain

WAIT = 20_000  # a condition, not a time: generous on a loaded machine
GOAL = "Nusrat and Arif sleep at home every night with no adult arguing"
WORRY = "Shouting and fighting at night wakes the children and frightens them"


@pytest.fixture
def clock() -> MovingClock:
    return MovingClock(dt.datetime(2026, 12, 22, 15, 0, tzinfo=LONDON))


@pytest.fixture
def services(tmp_path: Path, clock: MovingClock) -> Iterator[Services]:
    opened = open_mailing(f"sqlite:///{tmp_path / 'coreform.db'}", tmp_path, clock)
    yield opened
    opened.close()


@pytest.fixture
def family(services: Services) -> tuple[Family, list[Child]]:
    return seed_family(services)


@pytest.fixture
def window(
    qtbot: QtBot, services: Services, family: tuple[Family, list[Child]], tmp_path: Path
) -> Iterator[MainWindow]:
    built = start_window(services, QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(built)
    built.resize(1400, 900)
    built.show()
    qtbot.waitExposed(built)
    yield built
    built.minutes.editor.finish_saving()


def _start_meeting(qtbot: QtBot, window: MainWindow, child: Child) -> MinutesEditor:
    """Child's plan → the "Core group meetings" tab → "Write the minutes of a core group…"."""
    window.open_child_plan(child.id)  # what Enter on the caseload's row does
    plan = window.plan_page
    tabs = plan.below.tabBar()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(1).center())
    assert plan.below.currentWidget() is plan.meetings
    click(qtbot, plan.meetings.start_button)
    editor = window.minutes.editor
    qtbot.waitUntil(lambda: window.stack.currentWidget() is editor, timeout=WAIT)
    return editor


def _add(qtbot: QtBot, editor: MinutesEditor, section: str) -> ItemPanel:
    """Clicks the section's "Add…" button; the new panel."""
    button = editor.form.areas[section].add_button
    assert button is not None
    click(qtbot, button)
    return _panels(editor, section)[-1]


def _panels(editor: MinutesEditor, section: str) -> list[ItemPanel]:
    return editor.form.areas[section].panels


def _attendee(editor: MinutesEditor, name: str) -> ItemPanel:
    return next(p for p in _panels(editor, "attendees") if p.rows["name"].value() == name)


def _retype(qtbot: QtBot, row: FieldRow, text: str) -> None:
    """Selects what the field holds and types over it, as a user does."""
    widget = row.inputs[0]
    focus(qtbot, widget)
    qtbot.keyClick(widget, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(widget, text)


def _messages(editor: MinutesEditor) -> list[str]:
    return [problem.message for problem in editor.problems()]


def _finalise(qtbot: QtBot, window: MainWindow, editor: MinutesEditor) -> list[str]:
    """Check and finalise…, then "Finalise and lock" in the dialog; the warnings it listed."""
    listed: list[str] = []

    def confirm(dialog: QDialog) -> None:
        assert isinstance(dialog, FinaliseMinutesDialog)
        listed.extend(dialog.warnings.item(r).text() for r in range(dialog.warnings.count()))
        click(qtbot, dialog.finalise_button)

    when_dialog_opens(confirm)
    click(qtbot, editor.finalise_button)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.minutes.view, timeout=WAIT)
    window.activateWindow()  # the offscreen platform does not give it back when a dialog closes
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    return listed


def _scale(
    qtbot: QtBot, panel: ItemPanel, column: str, child: str, parents: str, pros: str
) -> None:
    for who, value in (("child", child), ("parents", parents), ("professionals", pros)):
        answer(qtbot, panel.rows[f"scaling.{who}.{column}"], value)


def test_a_first_and_a_second_core_group_as_a_user(
    qtbot: QtBot, window: MainWindow, family: tuple[Family, list[Child]], clock: MovingClock
) -> None:
    _family, (nusrat, _arif) = family
    editor = _start_meeting(qtbot, window, nusrat)

    # Prefilled: the core group members, both children, "seen in timescales" from the engine.
    names = [panel.rows["name"].value() for panel in _panels(editor, "attendees")]
    assert names == [name for name, *_ in MEMBERS]
    children = _panels(editor, "views")
    assert [panel.title() for panel in children] == ["Nusrat Chowdhury", "Arif Chowdhury"]
    assert children[0].facts["seen_in_timescales"].value.text() in ("Yes", "No")

    type_into(qtbot, editor.form.rows["actual_date"], "21/12/2026")
    type_into(qtbot, editor.form.rows["venue"], "Riverside Primary School")
    for name in ("Aisha Rahman", "Ewa Nowak", "Li Wei"):
        answer(qtbot, _attendee(editor, name).rows["attended"], "Yes")
    answer(qtbot, _attendee(editor, "Aisha Rahman").rows["chair"], "Yes")
    type_into(qtbot, editor.form.rows["family_says"], "Farhana says the evenings are calmer.")
    type_into(qtbot, children[0].rows["child_says"], "Nusrat: 'I like my new bedtime story.'")

    goal = _add(qtbot, editor, "safety_goals")
    type_into(qtbot, goal.rows["goal"], GOAL)
    type_into(qtbot, goal.rows["worry"], WORRY)
    step = _add(qtbot, editor, "next_steps")
    type_into(qtbot, step.rows["action"], "Refer Farhana to the domestic abuse programme")
    type_into(qtbot, step.rows["who"], "Aisha Rahman")
    type_into(qtbot, step.rows["by_when"], "ASAP")
    qtbot.waitUntil(lambda: "ASAP" in step.rows["by_when"].marker.text(), timeout=WAIT)
    assert "003 §3" in step.rows["by_when"].entry_error()

    # "ASAP" is refused: finalising stops and says so.
    click(qtbot, editor.finalise_button)
    assert editor.action_banner.text().startswith("Not finalised")
    assert any("ASAP" in message for message in _messages(editor))
    _retype(qtbot, step.rows["by_when"], "15/01/2027")
    answer(qtbot, step.rows["goal_id"], goal_label([goal.item()], goal.item_id()))

    scaling = _panels(editor, "scaling")
    _scale(qtbot, scaling[0], "initial_conference", "3", "6", "2")
    _scale(qtbot, scaling[0], "this_meeting", "4", "7", "4")
    editor.refresh_checks()
    assert not [p for p in editor.problems() if p.severity.value == "error"], _messages(editor)
    assert misreadings(editor) == []
    _finalise(qtbot, window, editor)
    view = window.minutes.view
    assert view.minutes() is not None and view.minutes().locked  # type: ignore[union-attr]
    assert GOAL in view.text.toPlainText()
    assert view.chart.rows_text()[-1].endswith(
        "child 4 of 10, parents 7 of 10, professionals 4 of 10"
    )

    # The second meeting starts from the first.
    clock.now = dt.datetime(2027, 1, 26, 10, 0, tzinfo=LONDON)
    editor = _start_meeting(qtbot, window, nusrat)
    assert "Core group 1" in window.plan_page.meetings.model.index(0, 0).data()
    assert [p.rows["name"].value() for p in _panels(editor, "attendees")] == names
    [goal] = _panels(editor, "safety_goals")
    assert goal.rows["goal"].value() == GOAL
    [step] = _panels(editor, "next_steps")
    assert step.rows["who"].value() == "Aisha Rahman"
    assert step.rows["by_when"].value() == dt.date(2027, 1, 15)
    cells = _panels(editor, "scaling")[0].rows
    assert cells["scaling.child.initial_conference"].value() == 3  # the column stays
    assert cells["scaling.parents.last_meeting"].value() == 7  # last time's "this meeting"
    assert cells["scaling.child.this_meeting"].value() is None

    # An agreed safety goal cannot be deleted: only marked achieved, or changed by conference.
    assert goal.remove_button is not None
    click(qtbot, goal.remove_button)
    assert editor.action_banner.text().startswith("Not removed")
    assert len(_panels(editor, "safety_goals")) == 1

    # Only one professional attends: the meeting is not quorate (001 §4.7).
    type_into(qtbot, editor.form.rows["actual_date"], "25/01/2027")
    answer(qtbot, _attendee(editor, "Ewa Nowak").rows["attended"], "Yes")
    answer(qtbot, _attendee(editor, "Farhana Chowdhury").rows["attended"], "Yes")
    editor.refresh_checks()
    quorum = [m for m in _messages(editor) if "quorate" in m.casefold()]
    assert quorum and quorum[0].endswith("(001 §4.7)")
    click_item(qtbot, editor.problems_panel.list, quorum[0])


def test_every_minutes_input_is_named_and_tab_walks_the_form_in_order(
    qtbot: QtBot, window: MainWindow, family: tuple[Family, list[Child]]
) -> None:
    _family, (nusrat, _arif) = family
    editor = _start_meeting(qtbot, window, nusrat)
    _add(qtbot, editor, "safety_goals")
    _add(qtbot, editor, "next_steps")
    assert misreadings(window) == []
    chain = [widget for widget in focus_chain(editor.form) if widget.isVisible()]
    names = [widget.accessibleName() for widget in chain if not isinstance(widget, QPushButton)]
    assert all(names) and len(names) == len(set(names)), names  # each says which question
    assert "Attendee 2: Attended" in names
    assert "Nusrat Chowdhury: Scaling: Parents, This Meeting" in names
    # Tab goes from field to field in the order they are shown, buttons included.
    focus(qtbot, chain[0])
    for expected in chain[1:40]:
        assert tab(qtbot) is expected


def test_the_scaling_chart_has_its_figures_in_a_table(
    qtbot: QtBot, window: MainWindow, family: tuple[Family, list[Child]], services: Services
) -> None:
    chowdhury, (nusrat, _arif) = family
    held_meeting(
        services, chowdhury, dt.date(2026, 12, 21), {"Nusrat": (4, 6, 3), "Arif": (5, 5, 4)}
    )
    window.open_child_plan(nusrat.id)
    plan = window.plan_page
    tabs = plan.below.tabBar()
    qtbot.mouseClick(tabs, Qt.MouseButton.LeftButton, pos=tabs.tabRect(2).center())
    chart = plan.scaling
    assert chart.rows_text() == [
        "Initial conference, Mon 7 Dec 2026: child 3 of 10, parents 5 of 10, professionals 2 of 10",
        "Core group 1, Mon 21 Dec 2026: child 4 of 10, parents 6 of 10, professionals 3 of 10",
    ]
    assert chart.table.accessibleName().startswith("Scaling at each meeting")
    assert misreadings(plan) == []
    # The same chart in the child's file.
    click_item(qtbot, window.nav, "Child's file")
    window.chronology.load_children(select=nusrat.id)
    assert window.chronology.scaling.rows_text() == chart.rows_text()


def test_finalised_minutes_are_sent_and_amended_with_a_reason(
    qtbot: QtBot, window: MainWindow, family: tuple[Family, list[Child]], services: Services
) -> None:
    chowdhury, (nusrat, _arif) = family
    held_meeting(
        services, chowdhury, dt.date(2026, 12, 21), {"Nusrat": (4, 6, 3), "Arif": (5, 5, 4)}
    )
    window.open_child_meetings(nusrat.id)  # Enter on the caseload's minutes column
    meetings = window.plan_page.meetings.meetings
    focus(qtbot, meetings)
    qtbot.keyClick(meetings, Qt.Key.Key_Home)
    qtbot.keyClick(meetings, Qt.Key.Key_Return)
    view = window.minutes.view
    qtbot.waitUntil(lambda: window.stack.currentWidget() is view, timeout=WAIT)
    assert "Distribute the minutes by" in view.distribution.text()
    assert misreadings(view) == []

    click(qtbot, view.send_button)
    qtbot.waitUntil(lambda: "Queued in the Outbox" in view.distribution.text(), timeout=WAIT)
    assert "for 4 recipients" in view.distribution.text()  # every member has an address
    qtbot.waitUntil(lambda: not window.outbox_sender.running, timeout=WAIT)

    def give_reason(dialog: QDialog) -> None:
        assert isinstance(dialog, AmendReasonDialog)
        qtbot.keyClicks(dialog.reason, "The venue was the family centre, not the school.")
        click(qtbot, dialog.amend_button)

    when_dialog_opens(give_reason)
    click(qtbot, view.amend_button)
    editor = window.minutes.editor
    qtbot.waitUntil(lambda: window.stack.currentWidget() is editor, timeout=WAIT)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)
    assert "the family centre" in editor.amendment_banner.text()
    _retype(qtbot, editor.form.rows["venue"], "Riverside Family Centre")
    qtbot.keyClick(
        editor.form.rows["venue"].inputs[0], Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: editor.status.text().startswith("Saved"), timeout=WAIT)
    _finalise(qtbot, window, editor)
    amended = view.minutes()
    assert amended is not None and amended.venue == "Riverside Family Centre"
    assert view.banner.text().startswith("Amended and finalised")


def test_a_draft_is_continued_not_started_twice_and_can_be_discarded(
    qtbot: QtBot, window: MainWindow, family: tuple[Family, list[Child]]
) -> None:
    _family, (nusrat, _arif) = family
    editor = _start_meeting(qtbot, window, nusrat)
    type_into(qtbot, editor.form.rows["venue"], "Riverside Family Centre")
    qtbot.waitUntil(lambda: editor.status.text().startswith("Saved"), timeout=WAIT)
    draft_id = editor.minutes_id()

    window.open_child_meetings(nusrat.id)
    meetings = window.plan_page.meetings
    assert (
        meetings.start_button.text()
        .replace("&", "")
        .startswith("Continue the minutes of core group 1")
    )
    click(qtbot, meetings.start_button)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is editor, timeout=WAIT)
    assert editor.minutes_id() == draft_id
    assert editor.form.rows["venue"].value() == "Riverside Family Centre"

    when_dialog_opens(lambda box: click(qtbot, _discard_button(box)))
    click(qtbot, editor.discard_button)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.plan_page, timeout=WAIT)
    assert meetings.start_button.text().replace("&", "").startswith("Write the minutes")
    assert meetings.summary.text() == "No core group minutes yet."


def _discard_button(box: QDialog) -> QPushButton:
    return next(b for b in box.findChildren(QPushButton) if b.text() == "Discard draft")


def _access_keys(page: QWidget) -> list[str]:
    """The Alt+letter of every button, label and tab on `page` ("&Save plan" -> "s")."""
    texts = [w.text() for w in page.findChildren(QAbstractButton) + page.findChildren(QLabel)]
    for tabs in page.findChildren(QTabWidget):
        texts += [tabs.tabText(index) for index in range(tabs.count())]
    return [m.group(1).lower() for text in texts if (m := re.search(r"&(\w)", text))]


def test_access_keys_on_the_plan_page_and_the_minutes_do_not_clash(
    window: MainWindow, family: tuple[Family, list[Child]]
) -> None:
    _family, (nusrat, _arif) = family
    window.open_child_meetings(nusrat.id)
    menus = {"f", "h"}  # File, Help
    for page in (window.plan_page, window.minutes.view, window.minutes.editor):
        keys = _access_keys(page)
        assert len(keys) == len(set(keys)) and not menus & set(keys), (page, sorted(keys))
