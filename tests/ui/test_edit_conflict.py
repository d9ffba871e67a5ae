"""Issue 9: when another window changed the draft, the editor offers to keep mine as a new
version or to show theirs, and never suggests discarding what was typed."""

from __future__ import annotations

from pathlib import Path

from coreform.services import Services
from tests.qtbot import QtBot
from tests.ui.conftest import CHRISTMAS_EVE
from tests.ui.helpers import click, click_item, type_into
from ui.main_window import MainWindow


def test_a_conflict_offers_keep_mine_or_show_theirs(
    qtbot: QtBot, window: MainWindow, ui_services: Services, tmp_path: Path
) -> None:
    editor = window.editor
    click_item(qtbot, window.nav, "New record")
    click(qtbot, window.new_record.new_family_button)
    type_into(qtbot, editor.rows["family_name"], "Rahman")  # QTest types ASCII only
    editor.save_now()
    qtbot.waitUntil(lambda: editor.status.text().startswith("Saved "), timeout=10_000)
    record_id = editor.record_id()

    other = Services.open(f"sqlite:///{tmp_path / 'coreform.db'}", clock=lambda: CHRISTMAS_EVE)
    try:
        theirs = other.get_record(record_id)
        theirs.purpose = "Changed in the other window: check the baby's sleeping place."
        other.save_draft(theirs)
    finally:
        other.close()

    type_into(qtbot, editor.rows["purpose"], "Mine: school attendance.")
    editor.save_now()
    bar = editor.conflict_bar
    qtbot.waitUntil(bar.isVisible, timeout=10_000)
    assert "keep yours as a new version, or show theirs" in bar.message.text()
    assert "without saving" not in editor.status.text()

    click(qtbot, bar.theirs_button)
    assert "sleeping place" in bar.theirs.toPlainText()
    click(qtbot, bar.keep_button)
    qtbot.waitUntil(lambda: editor.record_id() != record_id, timeout=10_000)
    assert "Yours is kept as" in editor.status.text()
    assert editor.rows["purpose"].value() == "Mine: school attendance."
    assert ui_services.get_record(record_id).purpose.startswith("Changed in the other window")
    assert ui_services.get_record(editor.record_id()).purpose == "Mine: school attendance."
