"""Details the practitioner reads while filling in and submitting: the child's age on the visit
date beside the date of birth, and every recipient's address in full before submitting."""

from __future__ import annotations

from coreform.recipients import Recipients
from coreform.records import Child, ChildObservation, KeyWorker, MonitoringRecord, ParentCarer
from tests.qtbot import QtBot
from tests.ui.helpers import click, click_item, type_here, type_into
from ui.dialogs.submit_summary import SubmitSummaryDialog
from ui.main_window import MainWindow


def test_the_age_on_the_visit_date_shows_beside_the_date_of_birth(
    qtbot: QtBot, window: MainWindow
) -> None:
    click_item(qtbot, window.nav, "New record")
    click(qtbot, window.new_record.new_family_button)
    editor = window.editor
    click(qtbot, editor.add_child_button)
    type_here(qtbot, "Zainab Al-Hashimi")
    born = editor.panels()[0].rows["child.date_of_birth"]
    type_into(qtbot, born, "01/09/2025")
    assert born.aside is not None and born.aside.isHidden()  # no visit date, no age
    type_into(qtbot, editor.rows["visit_date"], "24/12/2026")
    qtbot.waitUntil(lambda: born.aside is not None and born.aside.isVisible())
    assert born.aside.text() == "Age on the visit date: 15 months (baby)"
    assert "15 months (baby)" in born.inputs[0].accessibleDescription()
    editor.rows["visit_date"].inputs[0].clear()  # type: ignore[attr-defined]
    type_into(qtbot, editor.rows["visit_date"], "01/09/2027")
    qtbot.waitUntil(lambda: born.aside is not None and "2 years" in born.aside.text())


def test_the_submit_summary_shows_every_address_in_full(qtbot: QtBot) -> None:
    record = MonitoringRecord(children=[ChildObservation(child=Child(name="Yusuf Al-Hashimi"))])
    to = Recipients(
        KeyWorker(
            name="Małgorzata Wiśniewska-Kowalczyk",
            email="malgorzata.wisniewska-kowalczyk@childrens-services.suffolk.gov.uk",
        ),
        (
            ParentCarer(name="Fatima Al-Hashimi", email="fatima.alhashimi1987@example-mail.co.uk"),
            ParentCarer(name="Omar Al-Hashimi", email="omar.h@example.org"),
        ),
        "",
    )
    dialog = SubmitSummaryDialog(record, to, [])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    view = dialog.recipient_list
    assert not view.horizontalScrollBar().isVisible()
    assert not view.verticalScrollBar().isVisible()
    shown = view.viewport().rect()
    for row in range(view.count()):
        assert shown.contains(view.visualItemRect(view.item(row)))
    rows = [view.item(row).text() for row in range(view.count())]
    assert rows[1] == "Parent or carer: Fatima Al-Hashimi <fatima.alhashimi1987@example-mail.co.uk>"
