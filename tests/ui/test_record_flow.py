"""The practitioner's whole journey through the window: settings, new record, errors, submit,
locked view, amendment, and the deadline across the Christmas bank holidays (000)."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit

from coreform.records import Child, Family, MonitoringRecord, RecordState, Setting
from coreform.services import RecordLockedError, Services
from tests.qtbot import QtBot
from tests.ui.conftest import when_dialog_opens
from tests.ui.helpers import answer, click, click_item, click_row, tab, type_here, type_into
from tests.ui.test_outbox import christmas_record, submit_in_window
from ui.dialogs.amend_reason import AmendReasonDialog
from ui.dialogs.submit_summary import SubmitSummaryDialog
from ui.main_window import MainWindow
from ui.pages.banner import Level


def _fill_child(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.editor
    click(qtbot, editor.add_child_button)
    panel = editor.panels()[0]
    # Adding a child puts the cursor in its name; Tab then walks the child's fields in order.
    assert QApplication.focusWidget() is panel.rows["child.name"].inputs[0]
    type_here(qtbot, "Amara Okafor")
    assert tab(qtbot) is panel.rows["child.date_of_birth"].inputs[0]
    type_here(qtbot, "03/05/2019")
    answer(qtbot, panel.rows["seen"], "Yes")
    answer(qtbot, panel.rows["spoken_with"], "Yes")
    answer(qtbot, panel.rows["seen_alone"], "Yes")
    answer(qtbot, panel.rows["bedroom_seen"], "Yes")
    type_into(qtbot, panel.rows["presentation"], "She looked unkempt.")
    type_into(qtbot, panel.rows["wishes_and_feelings"], "I like my new bed, she said.")


def test_whole_flow_submit_lock_and_amend(
    qtbot: QtBot, window: MainWindow, ui_services: Services
) -> None:
    editor = window.editor
    click_item(qtbot, window.nav, "New record")
    assert window.stack.currentWidget() is window.new_record
    click(qtbot, window.new_record.new_family_button)
    assert window.stack.currentWidget() is editor

    # Completed by comes from the settings; the deadline banner asks for the visit date first.
    assert editor.rows["completed_by.name"].value() == "Sam Patel"
    assert "Enter the visit date" in editor.deadline_banner.text()

    type_into(qtbot, editor.rows["visit_date"], "24/12/2026")
    assert tab(qtbot) is editor.rows["visit_time"].inputs[0]
    type_here(qtbot, "10:15")
    qtbot.waitUntil(lambda: "Wed 30 Dec 2026" in editor.deadline_banner.text())
    # Thu 24 Dec + 2 working days skips Christmas Day, the weekend and Boxing Day (observed).
    assert editor.deadline_banner.text().startswith(
        "Complete and send by Wed 30 Dec 2026 — 2 working days after the visit"
    )
    assert "Christmas Day" in editor.deadline_banner.text()
    assert editor.deadline_banner.level is Level.INFO
    answer(qtbot, editor.rows["setting"], Setting.HOME.label)
    type_into(qtbot, editor.rows["family_name"], "Okafor")

    # Submitting too early is refused, and says why; the errors are listed and marked inline.
    click(qtbot, editor.submit_button)
    assert not editor.submit_banner.isHidden()
    assert "must be fixed first" in editor.submit_banner.text()
    listed = [editor.problem_list.item(r).text() for r in range(editor.problem_list.count())]
    assert "Error: Add at least one child." in listed
    assert "Error: Say what the visit was for: which task of the plan it served. (000)" in listed
    # 002 §6: a home visit record says who was present; 'no one else' is an answer.
    assert any(line.startswith("Error: Say who was present on this home visit") for line in listed)
    purpose = editor.rows["purpose"]
    assert "Error: Say what the visit was for" in purpose.marker.text()
    assert "Invalid: Say what the visit was for" in purpose.inputs[0].accessibleDescription()
    # Choosing a problem jumps to its field.
    click_item(qtbot, editor.problem_list, "Say what the visit was for")
    assert QApplication.focusWidget() is purpose.inputs[0]
    qtbot.keyClicks(purpose.inputs[0], "Check the sleeping arrangements agreed in the plan.")

    _fill_child(qtbot, window)
    presentation = editor.panels()[0].rows["presentation"]
    qtbot.waitUntil(lambda: "Warning: Instead of “unkempt”" in presentation.marker.text())

    type_into(qtbot, editor.rows["key_worker.name"], "Jo Key")
    type_into(qtbot, editor.rows["key_worker.email"], "jo.key@council.example")
    answer(qtbot, editor.rows["immediate_concerns"], "No")
    answer(qtbot, editor.rows["parents_informed"], "Yes")
    answer(qtbot, editor.rows["copy_to_parents"], "No")
    assert editor.rows["no_copy_reason"].isVisible()
    type_into(qtbot, editor.rows["no_copy_reason"], "Mother's partner would see it.")
    # What 002 §6 asks every home visit record for.
    type_into(qtbot, editor.rows["others_present"], "Mother only.")
    type_into(qtbot, editor.rows["observations"], "Cot and bed made up; food in the fridge.")
    type_into(qtbot, editor.rows["home_conditions"], "Warm; Amara sleeps in her own bed.")
    type_into(qtbot, editor.rows["family_circumstances"], "Mother has started a course.")
    answer(qtbot, editor.rows["new_incidents"], "No")

    qtbot.waitUntil(lambda: not any(p.severity == "error" for p in editor.problems()), timeout=3000)
    # Autosave: the draft is in the database within about a second.
    qtbot.waitUntil(lambda: editor.status.text().startswith("Saved "), timeout=3000)
    draft = ui_services.get_record(editor.record_id())
    assert draft.state is RecordState.DRAFT and draft.family_name == "Okafor"

    seen_in_dialog: list[str] = []

    def confirm(dialog: QDialog) -> None:
        assert isinstance(dialog, SubmitSummaryDialog)
        rows = dialog.recipient_list
        seen_in_dialog.extend(rows.item(r).text() for r in range(rows.count()))
        click(qtbot, dialog.submit_button)

    when_dialog_opens(confirm)
    click(qtbot, editor.submit_button)
    assert seen_in_dialog == ["Key worker: Jo Key <jo.key@council.example>"]
    # The PDF is made off the GUI thread; meanwhile the form is held still and says so.
    assert editor.submitting and not editor.form.isEnabled()
    assert "Submitting" in editor.submit_banner.text()
    # The first PDF loads reportlab and the fonts: a loaded machine can take many seconds.
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.record_view, timeout=60_000)

    stored = ui_services.get_record(editor.record_id())
    assert stored.state is RecordState.SUBMITTED
    assert stored.visit_date == dt.date(2026, 12, 24)
    assert stored.visit_time == dt.time(10, 15)
    assert stored.setting is Setting.HOME
    assert stored.purpose == "Check the sleeping arrangements agreed in the plan."
    assert stored.children[0].child.name == "Amara Okafor"
    assert stored.children[0].child.date_of_birth == dt.date(2019, 5, 3)
    assert stored.children[0].seen is True and stored.children[0].bedroom_seen is True
    assert stored.copy_to_parents is False
    assert stored.date_completed == dt.date(2026, 12, 24)

    # Locked: a read-only view with no inputs, and storage refuses changes.
    view = window.record_view
    assert "Locked" in view.banner.text() and "Submitted on Thu 24 Dec 2026" in view.banner.text()
    assert view.text.isReadOnly()
    assert not view.findChildren(QLineEdit)
    with pytest.raises(RecordLockedError):
        ui_services.save_draft(stored)

    # Amend: the reason is required; the new draft opens in the editor.
    def give_reason(dialog: QDialog) -> None:
        assert isinstance(dialog, AmendReasonDialog)
        click(qtbot, dialog.amend_button)
        assert "give the reason" in dialog.error.text()
        qtbot.keyClicks(dialog.reason, "Wrong purpose written.")
        click(qtbot, dialog.amend_button)

    when_dialog_opens(give_reason)
    click(qtbot, view.amend_button)
    assert window.stack.currentWidget() is editor
    assert "Wrong purpose written." in editor.amendment_banner.text()
    purpose = editor.rows["purpose"]
    purpose.inputs[0].setFocus()
    purpose.inputs[0].selectAll()  # type: ignore[attr-defined]
    qtbot.keyClicks(purpose.inputs[0], "Check the bedroom and the new bed.")
    when_dialog_opens(lambda dialog: click(qtbot, dialog.submit_button))  # type: ignore[attr-defined]
    click(qtbot, editor.submit_button)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is view, timeout=60_000)

    versions = ui_services.record_versions(stored.id)
    assert [v.state for v in versions] == [RecordState.SUBMITTED, RecordState.AMENDED]
    assert versions[0].purpose == "Check the sleeping arrangements agreed in the plan."
    assert versions[1].purpose == "Check the bedroom and the new bed."
    shown = view.text.toPlainText()
    assert "What this amendment changed" in shown
    assert (
        "The visit / interaction — Purpose of the visit / interaction: was “Check the sleeping "
        "arrangements agreed in the plan.”, now “Check the bedroom and the new bed.”" in shown
    )

    # My records lists it as locked.
    click_item(qtbot, window.nav, "My records")
    model = window.my_records.model
    assert model.rowCount() == 1
    assert model.index(0, 5).data() == "Amended (locked)"


@pytest.mark.parametrize(
    ("visit", "level", "words"),
    [
        ("22/12/2026", Level.WARNING, "Due today. Complete and send by Thu 24 Dec 2026"),
        ("21/12/2026", Level.ERROR, "Late. Complete and send by Wed 23 Dec 2026"),
    ],
)
def test_deadline_banner_due_today_and_late_in_words(
    qtbot: QtBot, window: MainWindow, visit: str, level: Level, words: str
) -> None:
    window.start_record(None)
    editor = window.editor
    type_into(qtbot, editor.rows["visit_date"], visit)
    qtbot.waitUntil(lambda: editor.deadline_banner.text().startswith(words))
    assert editor.deadline_banner.level is level
    lateness = [p for p in editor.problems() if p.field == "lateness_reason"]
    assert bool(lateness) is (level is Level.ERROR)
    if lateness:
        assert "Error: This record was due by" in editor.rows["lateness_reason"].marker.text()


def test_unreadable_date_is_kept_and_blocks_submit(qtbot: QtBot, window: MainWindow) -> None:
    window.start_record(None)
    editor = window.editor
    type_into(qtbot, editor.rows["visit_date"], "31/02/2026")
    qtbot.waitUntil(lambda: "There is no such date" in editor.rows["visit_date"].marker.text())
    assert editor.rows["visit_date"].inputs[0].text() == "31/02/2026"  # type: ignore[attr-defined]
    click(qtbot, editor.submit_button)
    assert "must be fixed first" in editor.submit_banner.text()


def test_repeat_visit_is_prefilled_from_the_remembered_family(
    qtbot: QtBot, window: MainWindow, ui_services: Services
) -> None:
    from coreform.records import Child, Family, KeyWorker, PlanType

    family = ui_services.save_family(
        Family(
            name="Okafor",
            children=[
                Child(name="Amara", date_of_birth=dt.date(2019, 5, 3), plan_type=PlanType.CIN)
            ],
            key_worker=KeyWorker(name="Jo Key", email="jo.key@council.example"),
        )
    )
    click_item(qtbot, window.nav, "New record")
    qtbot.keyClicks(window.new_record.search, "Okaf")
    click_row(qtbot, window.new_record.families, "Okafor")
    click(qtbot, window.new_record.start_button)
    editor = window.editor
    record = editor.current_record()
    assert record.family_id == family.id
    assert record.key_worker.email == "jo.key@council.example"
    assert [o.child.name for o in record.children] == ["Amara"]
    assert editor.panels()[0].rows["child.plan_type"].value() is PlanType.CIN
    assert QApplication.focusWidget() is editor.rows["visit_date"].inputs[0]


def test_a_record_for_one_family_naming_a_child_filed_under_another_submits(
    qtbot: QtBot, window: MainWindow, ui_services: Services, full_record: MonitoringRecord
) -> None:
    ada = full_record.children[0].child
    okafor = ui_services.save_family(Family(name="Okafor", children=[copy.deepcopy(ada)]))
    bello = ui_services.save_family(Family(name="Bello", children=[Child(name="Yusuf Bello")]))
    record = christmas_record(full_record)
    record.family_id, record.family_name = bello.id, "Bello"  # Bello chosen, Ada named
    draft = submit_in_window(qtbot, window, ui_services, record)  # once: "could not submit"
    assert ui_services.get_record(draft.id).state is RecordState.SUBMITTED
    assert "Locked" in window.record_view.banner.text()
    assert [c.id for c in ui_services.get_family(okafor.id).children] == [ada.id]  # kept once
