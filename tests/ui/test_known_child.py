"""A child typed again under another family is offered as the child on file (saying which
family), never assumed: "Use that child" keeps one child and one history; "A different child"
adds a genuine second child of the same name and birthday (issue 10, left over)."""

from __future__ import annotations

import copy
import datetime as dt
import os
from pathlib import Path

from PySide6.QtCore import Qt

from coreform.records import Child, ChildObservation, Family, MonitoringRecord, PlanType
from coreform.services import Services
from tests.qtbot import QtBot
from tests.ui.helpers import click, click_item, tab, type_into
from tests.ui.test_outbox import christmas_record, submit_confirmed
from ui.main_window import MainWindow

ADA_BORN = dt.date(2016, 5, 17)
MUHAMMAD_BORN = dt.date(2015, 3, 4)


def test_a_child_on_file_in_another_family_is_offered_and_a_namesake_is_not_forced(
    qtbot: QtBot,
    window: MainWindow,
    ui_services: Services,
    full_record: MonitoringRecord,
    tmp_path: Path,
) -> None:
    ada = Child(name="Ada Okafor", date_of_birth=ADA_BORN, plan_type=PlanType.CP)
    ui_services.save_family(Family(name="Okafor", children=[ada]))
    namesake = Child(name="Muhammad Khan", date_of_birth=MUHAMMAD_BORN, plan_type=PlanType.CIN)
    ui_services.save_family(Family(name="Khan", children=[namesake]))
    # Ada now lives with her grandmother; the visit is recorded under that household, with a
    # foster brother who shares a name and birthday with a child already on file.
    record = christmas_record(full_record)
    record.family_name = "Wiśniewska"
    seen = record.children[0]
    record.children = [
        ChildObservation(**{**seen.__dict__, "child": Child(plan_type=PlanType.CP)}),
        ChildObservation(
            **{**copy.deepcopy(seen).__dict__, "child": Child(plan_type=PlanType.CIN)}
        ),
    ]
    draft = ui_services.save_draft(record)
    window.open_record(draft.id)
    first, second = window.editor.panels()

    type_into(qtbot, first.rows["child.name"], "Ada Okafor")
    type_into(qtbot, first.rows["child.date_of_birth"], "17/05/2016")
    offer = first.known
    qtbot.waitUntil(offer.isVisible, timeout=20_000)
    assert offer.message.text().startswith(
        "Ada Okafor, born Tue 17 May 2016, is already on file in the Okafor family."
    )
    assert offer.use_button.text().replace("&", "") == "Use the child in the Okafor family"
    assert tab(qtbot) is offer.use_button  # straight after the date of birth
    qtbot.keyClick(offer.use_button, Qt.Key.Key_Space)
    assert first.child_id() == ada.id
    assert offer.message.text().startswith("Using Ada Okafor of the Okafor family")

    type_into(qtbot, second.rows["child.name"], "Muhammad Khan")
    type_into(qtbot, second.rows["child.date_of_birth"], "04/03/2015")
    qtbot.waitUntil(second.known.isVisible, timeout=20_000)
    assert "already on file in the Khan family" in second.known.message.text()
    listed = window.editor.problems_panel.list

    def names_checked() -> bool:
        texts = [listed.item(row).text() for row in range(listed.count())]
        return not any("name" in text or "date of birth" in text for text in texts)

    qtbot.waitUntil(names_checked, timeout=20_000)  # the checks run a moment after typing
    window.editor.scroll_area.ensureWidgetVisible(second.known)
    folder = Path(os.environ.get("COREFORM_SCREENSHOTS", tmp_path))
    assert window.grab().save(str(folder / "editor-known-child.png"))
    click(qtbot, second.known.different_button)
    assert not second.known.isVisible() and second.child_id() != namesake.id

    submit_confirmed(qtbot, window)

    # One Ada, in her family, with this visit in her history; two children called Muhammad Khan.
    [only_ada] = ui_services.children_like("Ada Okafor", ADA_BORN)
    assert (only_ada.child.id, only_ada.family_name) == (ada.id, "Okafor")
    okafor = ui_services.get_family(only_ada.family_id)
    assert [child.name for child in okafor.children] == ["Ada Okafor"]  # nobody moved in
    stored = ui_services.get_record(draft.id)
    assert stored.children[0].child.id == ada.id
    khans = ui_services.children_like("Muhammad Khan", MUHAMMAD_BORN)
    assert sorted(k.family_name for k in khans) == ["Khan", "Wiśniewska"]


def test_the_families_page_asks_once_about_a_child_on_file_in_another_family(
    qtbot: QtBot, window: MainWindow, ui_services: Services, tmp_path: Path
) -> None:
    namesake = Child(name="Muhammad Khan", date_of_birth=MUHAMMAD_BORN, plan_type=PlanType.CIN)
    ui_services.save_family(Family(name="Khan", children=[namesake]))
    click_item(qtbot, window.nav, "Families & contacts")
    page = window.families
    click(qtbot, page.new_button)
    type_into(qtbot, page.rows["name"], "Begum")
    type_into(qtbot, page.rows["children[0].name"], "Muhammad Khan")
    type_into(qtbot, page.rows["children[0].date_of_birth"], "04/03/2015")
    click(qtbot, page.save_button)
    assert page.status.text().startswith(
        "Not saved yet: Muhammad Khan, born Wed 4 Mar 2015, is already on file in the Khan "
        "family. If it is the same child, remove them here"
    )
    assert len(ui_services.children_like("Muhammad Khan", MUHAMMAD_BORN)) == 1
    status = page.status
    qtbot.waitUntil(
        lambda: status.height() >= status.heightForWidth(status.width()), timeout=20_000
    )
    folder = Path(os.environ.get("COREFORM_SCREENSHOTS", tmp_path))
    assert window.grab().save(str(folder / "families-known-child.png"))
    click(qtbot, page.save_button)  # a different child: saved when asked again
    assert page.status.text() == "Saved Begum."
    khans = ui_services.children_like("Muhammad Khan", MUHAMMAD_BORN)
    assert sorted(k.family_name for k in khans) == ["Begum", "Khan"]
    click(qtbot, page.save_button)  # saving the family again asks nothing more
    assert page.status.text() == "Saved Begum."
