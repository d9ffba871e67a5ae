"""The plan page's and the chronology's child pickers reach every family on file, not the first
200: the user types part of a name (accents left out) and picks from children read a page at a
time; New record's families and the plan page's meetings list scroll to their last (issue 15)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from coreform.records import Child, Family
from coreform.search_text import fold
from coreform.services import Services
from tests.qtbot import QtBot
from tests.ui.helpers import focus
from tests.ui.minutes_data import seed_family, store_meetings
from ui.main_window import MainWindow
from ui.navigation import NAV_PLAN
from ui.pages.child_picker import ChildPicker

WAIT = 20_000
GIVEN = (
    "Zoë", "Łukasz", "Fatima", "Imran", "Mei", "Oliwia", "Tanvir", "Kai", "Agnieszka", "Yusuf",
    "Nusrat", "Piotr", "Li", "Amira", "Bartłomiej", "Sadia", "Wiktoria", "Omar", "Hana", "Jakub",
)  # fmt: skip
# Sorted by name as the lists sort: 20 families of each Latin surname (240), then 20 Đặng
# families (so the 250th is one of theirs), then Polish and Arabic ones: 283 in all.
LATIN = (
    "Ahmed", "Begum", "Chowdhury", "Hussain", "Khan", "Kowalczyk",
    "Nguyen", "Nowak", "Pham", "Rahman", "Wiśniewski", "Zieliński",
)  # fmt: skip
VIETNAMESE = (
    "Văn Minh", "Thị Ánh", "Văn Hùng", "Thị Lan", "Thị Phương", "Văn Đức", "Thị Hằng",
    "Văn Long", "Thị Mai", "Văn Nam", "Thị Ngọc", "Văn Phúc", "Thị Quỳnh", "Văn Sơn",
    "Thị Thảo", "Văn Tuấn", "Thị Uyên", "Văn Việt", "Thị Xuân", "Văn Khoa",
)  # fmt: skip


def _file_families(services: Services) -> int:
    families = [(surname, f"{given} {surname}") for surname in LATIN for given in GIVEN]
    families += [("Đặng", f"Đặng {given}") for given in VIETNAMESE]
    families += [("Łukasiewicz", f"{given} Łukasiewicz") for given in GIVEN]
    families += [("حسن", name) for name in ("فَاطِمَة حسن", "يوسف حسن", "أمل حسن")]
    for surname, child in families:
        services.save_family(
            Family(name=surname, children=[Child(name=child, date_of_birth=dt.date(2019, 3, 2))])
        )
    return len(families)


def _pick(qtbot: QtBot, picker: ChildPicker, typed: str, wanted: str) -> None:
    """Types `typed`, moves down the children found to `wanted` and presses Enter."""
    focus(qtbot, picker.search)
    if typed.isascii():
        qtbot.keyClicks(picker.search, typed)
    else:  # an Arabic keyboard's words arrive through the input method (QTest types Latin-1)
        typing = QInputMethodEvent()
        typing.setCommitString(typed)
        QApplication.sendEvent(picker.search, typing)
    qtbot.waitUntil(lambda: picker.model.total >= 1, timeout=WAIT)
    qtbot.keyClick(picker.search, Qt.Key.Key_Down)
    assert picker.table.hasFocus()
    for _ in range(picker.model.rowCount()):
        if picker.table.currentIndex().data().startswith(wanted):
            break
        qtbot.keyClick(picker.table, Qt.Key.Key_Down)
    qtbot.keyClick(picker.table, Qt.Key.Key_Return)


def test_a_child_of_the_250th_family_is_picked_by_typing_its_name(
    qtbot: QtBot, window: MainWindow, ui_services: Services, tmp_path: Path
) -> None:
    filed = _file_families(ui_services)
    [listed] = ui_services.find_families(offset=249, limit=1)
    assert listed.name == "Đặng"
    [name] = listed.child_names
    window.go_to(NAV_PLAN)
    plan = window.plan_page
    qtbot.waitUntil(lambda: plan.picker.model.total == filed, timeout=WAIT)
    assert plan.picker.model.rowCount() == 200  # one page read, the rest as it scrolls
    _pick(qtbot, plan.picker, fold(name), name)  # "đặng thị ánh" typed "dang thi anh"
    assert plan.heading.text() == f"Plan — {name}"
    assert plan.picker.child is not None and plan.picker.child.family_id == listed.id
    assert plan.picker.summary.text() == f"Chosen: {name}, born 02/03/2019 (Đặng family)."
    plan.grab().save(str(tmp_path / "plan-picker.png"))

    window.show_chronology(plan.picker.child.id)  # as the plan's child, then another one
    chronology = window.chronology
    assert chronology.picker.child_id() == plan.picker.child.id
    _pick(qtbot, chronology.picker, "lukasz lukasiewicz", "Łukasz Łukasiewicz")
    assert chronology.picker.child is not None
    assert chronology.picker.child.name == "Łukasz Łukasiewicz"
    assert chronology.summary.text().startswith("0 entries")
    chronology.picker.search.clear()
    _pick(qtbot, chronology.picker, "فاطمة", "فَاطِمَة حسن")  # typed without the short vowels
    assert chronology.picker.child is not None and chronology.picker.child.family_name == "حسن"
    chronology.grab().save(str(tmp_path / "chronology-picker.png"))

    window.show_new_record()  # New record lists every family too, to its last by scrolling
    families = window.new_record.families
    assert window.new_record.model.total == filed and families.model().rowCount() == 200
    focus(qtbot, families)
    for _ in range(filed):
        qtbot.keyClick(families, Qt.Key.Key_PageDown)
        if families.currentIndex().row() == filed - 1:
            break
    assert families.currentIndex().data().startswith("حسن")  # the last family by name
    window.new_record.grab().save(str(tmp_path / "new-record.png"))


def test_the_meetings_list_scrolls_to_the_first_meeting(
    qtbot: QtBot, window: MainWindow, ui_services: Services, tmp_path: Path
) -> None:
    family, (nusrat, _arif) = seed_family(ui_services)
    first = dt.date(2022, 1, 4)
    meetings = 205  # a core group every four weeks for years: more than one page
    store_meetings(ui_services, family, tmp_path / "coreform.db", first, meetings)
    window.open_child_meetings(nusrat.id)
    panel = window.plan_page.meetings
    assert panel.model.total == meetings and panel.model.rowCount() == 200
    assert panel.summary.text() == f"{meetings} meetings."
    focus(qtbot, panel.meetings)
    for _ in range(meetings):  # Page Down to the end, as far as there are meetings
        qtbot.keyClick(panel.meetings, Qt.Key.Key_PageDown)
        if panel.meetings.currentIndex().row() == meetings - 1:
            break
    assert panel.model.rowCount() == meetings  # the second page read as the list scrolled
    assert panel.meetings.currentIndex().row() == meetings - 1
    assert f"{first:%-d %b %Y}" in panel.meetings.currentIndex().data()  # the oldest, last
    window.plan_page.grab().save(str(tmp_path / "plan-meetings.png"))
