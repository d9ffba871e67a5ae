"""Families & contacts and Settings work through the services, typed into as a user would."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QPushButton

from coreform.records import PlanType
from coreform.services import Services
from coreform.workdays import Nation
from tests.qtbot import QtBot
from tests.ui.helpers import answer, click, click_item, type_into
from ui.main_window import MainWindow


def test_settings_page_saves_nation_and_my_details(
    qtbot: QtBot, window: MainWindow, ui_services: Services
) -> None:
    click_item(qtbot, window.nav, "Settings")
    page = window.settings_page
    assert page.rows["me.name"].value() == "Sam Patel"
    answer(qtbot, page.rows["nation"], Nation.SCT.label)
    page.rows["me.role"].inputs[0].clear()  # type: ignore[attr-defined]
    type_into(qtbot, page.rows["me.role"], "Health visitor")
    type_into(qtbot, page.rows["organisation"], "NHS Fife")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert page.status.text() == "Settings saved."
    stored = ui_services.get_settings()
    assert stored.nation is Nation.SCT
    assert stored.me.role == "Health visitor" and stored.organisation == "NHS Fife"
    assert ui_services.new_record().completed_by.role == "Health visitor"


def test_settings_page_sets_the_idle_lock_and_backups_kept(
    qtbot: QtBot, window: MainWindow, ui_services: Services
) -> None:
    click_item(qtbot, window.nav, "Settings")
    page = window.settings_page
    assert page.rows["idle_lock_minutes"].value() == 5  # issue 5: the default
    answer(qtbot, page.rows["idle_lock_minutes"], "15 minutes")
    answer(qtbot, page.rows["backups_keep"], "20")
    click(qtbot, page.save_button)
    stored = ui_services.get_settings()
    assert (stored.idle_lock_minutes, stored.backups_keep) == (15, 20)


def test_families_page_adds_a_family_with_child_and_carer(
    qtbot: QtBot, window: MainWindow, ui_services: Services
) -> None:
    click_item(qtbot, window.nav, "Families & contacts")
    page = window.families
    click(qtbot, page.new_button)
    type_into(qtbot, page.rows["name"], "Nowak")
    type_into(qtbot, page.rows["key_worker.email"], "kw@council.example")
    type_into(qtbot, page.rows["children[0].name"], "Ola Nowak")
    type_into(qtbot, page.rows["children[0].date_of_birth"], "12/02/2025")
    answer(qtbot, page.rows["children[0].plan_type"], PlanType.CIN.label)
    form = page.scroll_area.widget()
    assert form is not None
    buttons = {b.text(): b for b in form.findChildren(QPushButton)}
    click(qtbot, buttons["Add a parent or carer"])
    type_into(qtbot, page.rows["parents_carers[0].name"], "Ewa Nowak")
    type_into(qtbot, page.rows["parents_carers[0].email"], "ewa@example.org")
    click(qtbot, page.save_button)
    assert page.status.text() == "Saved Nowak."
    [listed] = ui_services.find_families()
    family = ui_services.get_family(listed.id)
    assert family.key_worker.email == "kw@council.example"
    assert family.children[0].date_of_birth == dt.date(2025, 2, 12)
    assert family.children[0].plan_type is PlanType.CIN
    assert family.parents_carers[0].email == "ewa@example.org"
    assert page.family_model.rowCount() == 1
    assert "Ola Nowak" in page.family_model.index(0, 0).data()


def test_keyboard_shortcuts_new_save_and_submit(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.stack.currentWidget() is window.new_record
    click(qtbot, window.new_record.new_family_button)
    editor = window.editor
    type_into(qtbot, editor.rows["purpose"], "Visit")
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    # A bound on the wait, not on the save: generous, as the machine may be loaded.
    qtbot.waitUntil(lambda: editor.status.text().startswith("Saved "), timeout=20_000)
    qtbot.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert "Not submitted" in editor.submit_banner.text()
    assert window.stack.currentWidget() is editor


def test_settings_page_shows_the_installation_code_to_copy(
    qtbot: QtBot, window: MainWindow, ui_services: Services
) -> None:
    click_item(qtbot, window.nav, "Settings")
    page = window.settings_page
    code = ui_services.installation_code()
    reference = ui_services.save_draft(ui_services.new_record()).reference
    assert page.installation_code.text() == code and f"-{code}-" in reference
    assert page.installation_code.isReadOnly()
    click(qtbot, page.copy_code_button)
    assert QGuiApplication.clipboard().text() == code
    assert page.status.text() == "Installation code copied."
