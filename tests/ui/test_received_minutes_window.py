"""Core group minutes received in a member's coreform, through the window: the key worker's
coreform distributes them through a loopback SMTP server; the PDF that arrived is imported by
the menu, listed in the inbox, opened read only with its attendees and the scaling chart; the
same PDF again, a damaged one and a foreign one each say so. Minutes past retention are deleted
only when a manager confirms."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QDialog
from reportlab.pdfgen.canvas import Canvas

from coreform.minutes import Attendee, ChildMinutes, CoreGroupMinutes, MinutesState
from coreform.records import LONDON, Child, Family
from coreform.services import Services
from reports.pdf.minutes import build_minutes_pdf
from tests import test_received_minutes
from tests.qtbot import QtBot
from tests.test_mail import Inbox
from tests.test_minutes_distribution import CHILDREN, WORKER, finalised
from tests.test_received_minutes import attached_pdf, distributed
from tests.ui.conftest import choose_file_when_asked, press_when_asked, when_dialog_opens
from tests.ui.helpers import click, click_item
from tests.ui.test_administration_page import _select, retention_review
from tests.ui.test_inbox_window import drop, show_inbox
from ui.dialogs.child_match import NEW_FAMILY, ChildMatchDialog
from ui.fonts import install_fallback_fonts
from ui.main_window import MainWindow
from ui.pages.inbox import MINUTES_FILTER

# The key worker's coreform and its loopback STARTTLS server (tests/test_minutes_distribution).
dispatcher = test_received_minutes.dispatcher
sending = test_received_minutes.sending
busy_inbox = test_received_minutes.busy_inbox
smtp_port = test_received_minutes.smtp_port
family = test_received_minutes.family


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    """The key worker's database, beside the window's own (`ui_services`)."""
    (tmp_path / "key-worker").mkdir()
    return f"sqlite:///{tmp_path / 'key-worker' / 'coreform.db'}"


@pytest.fixture
def fallback_fonts(qapp: QApplication) -> Iterator[None]:
    """The bundled fonts as the app installs them (names in every script, not boxes), taken
    back afterwards so later tests see the application as they expect."""
    substituted = QFont.substitutes(qapp.font().family())
    install_fallback_fonts(qapp)
    yield
    QFont.removeSubstitutions(qapp.font().family())
    if substituted:
        QFont.insertSubstitutions(qapp.font().family(), substituted)


def screenshots(tmp_path: Path) -> Path:
    return Path(os.environ.get("COREFORM_SCREENSHOTS", tmp_path))


def _import(qtbot: QtBot, window: MainWindow, path: Path, expected: str) -> None:
    drop(window, path)
    qtbot.waitUntil(
        lambda: expected in window.inbox.banner.text() and not window.receiving.importer.running,
        timeout=20000,
    )


@pytest.mark.usefixtures("fallback_fonts")
def test_minutes_received_are_imported_opened_and_refused_through_the_window(
    qtbot: QtBot,
    window: MainWindow,
    sending: Services,
    family: Family,
    smtp_port: int,
    busy_inbox: Inbox,
    tmp_path: Path,
) -> None:
    minutes = finalised(sending, family, scaling=(6, 7, 5))
    received = tmp_path / "CGM-received.pdf"
    received.write_bytes(attached_pdf(distributed(sending, minutes, smtp_port, busy_inbox)))
    show_inbox(qtbot, window)

    choose_file_when_asked(received)
    window.import_action.trigger()
    inbox = window.inbox
    panel = inbox.minutes
    qtbot.waitUntil(
        lambda: panel.model.rowCount() == 1 and not window.receiving.importer.running,
        timeout=20000,
    )
    assert "The core group minutes are filed." in inbox.banner.text()
    assert "The core group minutes name a child not on file yet" in inbox.banner.text()
    assert inbox.filter.currentIndex() == MINUTES_FILTER and panel.isVisible()
    assert not inbox.records.isVisible()
    cells = [panel.model.index(0, column).data() for column in range(6)]
    assert cells[1] == f"{minutes.reference} v1" and cells[3] == "Khan"
    assert cells[4] == ", ".join(CHILDREN) and cells[5] == "Core group 1, 02/03/2026"
    assert panel.selected() is not None and panel.open_button.isEnabled()
    assert "Not on file yet: " + ", ".join(CHILDREN) in panel.details.text()
    window.grab().save(str(screenshots(tmp_path) / "inbox-minutes.png"))

    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Return)  # as Open minutes does
    view = window.minutes.view
    qtbot.waitUntil(lambda: window.stack.currentWidget() is view, timeout=20000)
    text = view.text.toPlainText()
    for name in ("Wang Xiaoming 王小明", "Zofia Wiśniewska-Łęcka", "Nguyễn Thị Hương", *CHILDREN):
        assert name in text
    assert "received from" in view.banner.text() and "Read only" in view.banner.text()
    assert not view.send_button.isVisible() and not view.amend_button.isVisible()
    assert view.child.count() == 2 and view.child.currentText() == CHILDREN[0]
    table = view.chart.table  # initial conference and this core group: child, parents, pros
    cells = [
        [table.model().index(row, c).data() for c in range(1, 4)] for row in range(table.rowCount())
    ]
    assert cells == [["5", "6", "4"], ["6", "7", "5"]]
    window.grab().save(str(screenshots(tmp_path) / "minutes-received.png"))

    click_item(qtbot, window.nav, "Inbox")
    qtbot.waitUntil(lambda: window.stack.currentWidget() is inbox, timeout=20000)
    _import(qtbot, window, received, "The core group minutes were already filed (nothing changed).")
    damaged = tmp_path / "CGM-damaged.pdf"
    damaged.write_bytes(received.read_bytes()[:4000])
    _import(qtbot, window, damaged, "damaged")
    leaflet = tmp_path / "leaflet.pdf"
    canvas = Canvas(str(leaflet))
    canvas.drawString(72, 720, "Record of Core Group Meeting CONFIDENTIAL")
    canvas.save()
    _import(qtbot, window, leaflet, "does not contain a coreform record or core group minutes")
    assert panel.model.rowCount() == 1

    # Both children are new here: a family from the minutes puts them on the children's files.
    def new_family(dialog: QDialog) -> None:
        assert isinstance(dialog, ChildMatchDialog)
        assert "minutes" in dialog.windowTitle()
        for combo in dialog.choices.values():
            combo.setCurrentIndex(combo.findData(NEW_FAMILY))
        click(qtbot, dialog.apply_button)

    panel.table.selectRow(0)
    when_dialog_opens(new_family)
    click(qtbot, panel.match_button)
    qtbot.waitUntil(lambda: "children's files" in inbox.banner.text(), timeout=20000)
    assert "Not on file yet" not in panel.details.text()
    click(qtbot, panel.file_button)
    chronology = window.chronology
    qtbot.waitUntil(lambda: window.stack.currentWidget() is chronology, timeout=20000)
    qtbot.waitUntil(lambda: chronology.model.rowCount() == 1, timeout=20000)
    row = [chronology.model.index(0, c).data() for c in range(chronology.model.columnCount())]
    assert row[3] == "Core group meeting: minutes received" and row[5] == WORKER[0]
    assert row[7:] == [f"{minutes.reference} v1", "Received"]
    # The child's file charts the received minutes' scaling too, marked as received.
    chart = chronology.scaling
    qtbot.waitUntil(lambda: chart.table.rowCount() == 2, timeout=20000)
    scaled = [[chart.table.model().index(r, c).data() for c in range(1, 4)] for r in range(2)]
    assert scaled == [["5", "6", "4"], ["6", "7", "5"]]
    received_row = chart.rows_text()[-1]
    assert received_row.startswith("Core group 1 (received), ")
    assert received_row.endswith("child 6 of 10, parents 7 of 10, professionals 5 of 10")
    assert "No scaling recorded" not in chart.caption.text()
    assert chart.plot is not None and chart.plot.isVisible() and chart.table.isVisible()

    # On the child's file the entry opens the minutes received, read only, as the inbox does.
    chronology.table.setFocus()
    qtbot.keyClick(chronology.table, Qt.Key.Key_Down)
    assert chronology.table.currentIndex().row() == 0
    assert chronology.open_button.text() == "&Open minutes"
    window.grab().save(str(screenshots(tmp_path) / "chronology-minutes-received.png"))
    qtbot.keyClick(chronology.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is view, timeout=20000)
    assert "received from" in view.banner.text() and "Read only" in view.banner.text()
    assert CHILDREN[0] in view.text.toPlainText()
    assert not view.send_button.isVisible() and not view.amend_button.isVisible()


def test_a_child_without_scaling_has_the_sentence_and_no_chart(
    qtbot: QtBot, window: MainWindow, ui_services: Services, tmp_path: Path
) -> None:
    kept = ui_services.save_family(
        Family(
            name="Rahman", children=[Child(name="Ayaan Rahman", date_of_birth=dt.date(2018, 6, 9))]
        )
    )
    window.show_chronology(kept.children[0].id)
    chronology = window.chronology
    qtbot.waitUntil(lambda: window.stack.currentWidget() is chronology, timeout=20000)
    chart = chronology.scaling
    assert chart.caption.text() == "No scaling recorded for Ayaan Rahman yet."
    assert chart.caption.isVisible()
    assert not chart.table.isVisible() and (chart.plot is None or not chart.plot.isVisible())
    assert chronology.table.height() > chronology.below.height() - 3 * chart.caption.height()
    window.grab().save(str(screenshots(tmp_path) / "chronology-no-scaling.png"))


def _old_minutes() -> CoreGroupMinutes:
    """Minutes of a core group held in 2001 about a child born in 1999: past 25 years."""
    return CoreGroupMinutes(
        reference="CGM-2001-00007",
        state=MinutesState.FINAL,
        family_name="Nowak",
        worker_name="Łucja Kowalczyk",
        actual_date=dt.date(2001, 5, 14),
        attendees=[Attendee(name="Łucja Kowalczyk", role="Social worker", chair=True)],
        children=[
            ChildMinutes(child_id="c" * 32, name="Zuzanna Nowak", date_of_birth=dt.date(1999, 2, 1))
        ],
        finalised_at=dt.datetime(2001, 5, 15, 9, 0, tzinfo=LONDON),
    )


def test_a_manager_deletes_minutes_past_retention_only_when_confirming(
    qtbot: QtBot, ui_services: Services, tmp_path: Path
) -> None:
    old = _old_minutes()
    made = dt.datetime(2001, 5, 15, 9, 0, tzinfo=LONDON)
    ui_services.receive_file("CGM.pdf", build_minutes_pdf(old, generated_at=made))
    window, page = retention_review(qtbot, ui_services, tmp_path)
    model = page.retention_table.model()
    qtbot.waitUntil(lambda: model.rowCount() == 1, timeout=20000)
    assert [model.index(0, c).data() for c in range(3)] == [
        old.reference,
        "Core group minutes (received)",
        "14 May 2001",
    ]
    assert "25 years from the youngest child's date of birth" in model.index(0, 4).data()
    _select(qtbot, page, "retention", old.reference)
    window.grab().save(str(screenshots(tmp_path) / "administration-retention-minutes.png"))
    asked: list[str] = []

    _select(qtbot, page, "retention", old.reference)
    press_when_asked(qtbot, "Keep it", asked)
    click(qtbot, page.delete_button)
    assert model.rowCount() == 1 and ui_services.received_minutes_count() == 1
    _select(qtbot, page, "retention", old.reference)
    press_when_asked(qtbot, "Delete minutes", asked)
    click(qtbot, page.delete_button)
    qtbot.waitUntil(lambda: model.rowCount() == 0, timeout=20000)
    assert ui_services.received_minutes_count() == 0
    assert old.reference in asked[0] and "cannot be undone" in asked[0]
    assert "Zuzanna" not in asked[0] and "Nowak" not in asked[0]
