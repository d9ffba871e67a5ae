""" "I have sent it" confirms one message, named, on the record as in the Outbox: a record sent to
the key worker and to the parents is two messages, and confirming one claims nothing about the
other (issue 10, left over)."""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from coreform.outbox import OutboxState, RecipientKind
from coreform.records import MonitoringRecord
from coreform.services import Services
from tests.qtbot import QtBot
from tests.test_sending import with_parents
from tests.ui.helpers import click, click_item
from tests.ui.test_outbox import christmas_record, submit_in_window
from ui.main_window import MainWindow

KEY_WORKER = "version 1 to the key worker sam.lee@council.example"
PARENTS = "version 1 to the parent/carer grace@home.example"


def states(services: Services, record_id: str) -> dict[RecipientKind, OutboxState]:
    return {item.recipient_kind: item.state for item in services.sending_history(record_id)}


def test_i_have_sent_it_confirms_the_message_it_names_and_no_other(
    qtbot: QtBot,
    window: MainWindow,
    ui_services: Services,
    full_record: MonitoringRecord,
    opened_drafts: list[Path],
    tmp_path: Path,
) -> None:
    record = with_parents(ui_services, christmas_record(full_record), allowed=True)
    draft = submit_in_window(qtbot, window, ui_services, record)
    qtbot.waitUntil(lambda: len(opened_drafts) == 2, timeout=30_000)
    view = window.record_view
    qtbot.waitUntil(lambda: view.confirm_button.text().endswith("key worker"), timeout=30_000)

    # The record's button names one message; the keyboard presses it.
    button = view.confirm_button
    assert button.text() == "I have sent it to the key worker"
    assert KEY_WORKER in button.accessibleName()
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert view.status.text() == f"Recorded as sent from your email program: {KEY_WORKER}."
    assert states(ui_services, draft.id) == {
        RecipientKind.KEY_WORKER: OutboxState.CONFIRMED,
        RecipientKind.PARENTS: OutboxState.HANDED_OVER,  # not claimed by the other's click
    }
    # The next one waiting is offered by name, where the focus already is.
    assert button.text() == "I have sent it to the parent/carer"
    assert PARENTS in button.accessibleName() and window.focusWidget() is button
    QApplication.processEvents()
    folder = Path(os.environ.get("COREFORM_SCREENSHOTS", tmp_path))
    assert window.grab().save(str(folder / "record-confirm-one-message.png"))

    # The Outbox does the same for the row chosen, and says which message it recorded.
    click_item(qtbot, window.nav, "Outbox")
    page = window.outbox
    model = page.model
    [row] = [r for r in range(model.rowCount()) if model.row(r).recipient == "grace@home.example"]
    page.table.selectRow(row)
    assert PARENTS in page.confirm_button.accessibleName()
    click(qtbot, page.confirm_button)
    assert page.status.text() == f"Recorded as sent from your email program: {PARENTS}."
    assert set(states(ui_services, draft.id).values()) == {OutboxState.CONFIRMED}
    window.open_record(draft.id)
    assert not view.confirm_button.isVisible()
