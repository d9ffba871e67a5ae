"""The README's pictures of a record's copies and the details around submitting:
`uv run python docs/take_copies_screenshots.py` (throwaway database, fixed clock).

A submitted and amended record with Save as PDF…, Print…, Make the email draft again and the
copies made; the optional PDF
password; the print dialog; the submit summary; a child's age beside the date of birth.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PySide6.QtPrintSupport import QPrintDialog, QPrinter

from coreform.recipients import Recipients
from coreform.records import (
    Child,
    ChildObservation,
    KeyWorker,
    MonitoringRecord,
    ParentCarer,
    Practitioner,
    Setting,
)
from docs._shots import main_window, save, settle, throwaway_services
from ui.dialogs.pdf_password import PdfPasswordDialog
from ui.dialogs.submit_summary import SubmitSummaryDialog


def _record() -> MonitoringRecord:
    return MonitoringRecord(
        family_name="Chowdhury",
        children=[
            ChildObservation(
                child=Child(name="Nusrat Chowdhury", date_of_birth=dt.date(2017, 6, 21)),
                seen=True,
                spoken_with=True,
                seen_alone=True,
                bedroom_seen=True,
                presentation="Cheerful; clean school uniform.",
                wishes_and_feelings="'I like it when Abbu reads to me.'",
            ),
            ChildObservation(
                child=Child(name="Rafi Chowdhury", date_of_birth=dt.date(2025, 9, 1)),
                seen=True,
                spoken_with=False,
                not_spoken_with_reason="A baby: babbled and smiled.",
                seen_alone=False,
                not_seen_alone_reason="A baby: seen with his mother.",
                seen_awake=True,
                bedroom_seen=True,
                presentation="Awake and alert in his cot.",
                wishes_and_feelings="Too young to say; settled with his mother.",
            ),
        ],
        key_worker=KeyWorker(
            name="Małgorzata Wiśniewska",
            email="malgorzata.wisniewska@childrens-services.suffolk.gov.uk",
        ),
        completed_by=Practitioner(
            name="Sam Patel", role="School nurse", agency="Riverside Primary School"
        ),
        visit_date=dt.date(2026, 12, 23),
        visit_time=dt.time(9, 30),
        setting=Setting.HOME,
        purpose="Plan task 3: check the sleeping arrangements.",
        others_present="Mother.",
        observations="Home warm; food in the fridge.",
        home_conditions="Tidy; both beds made up.",
        family_circumstances="Father back at work.",
        new_incidents=False,
        immediate_concerns=False,
        parents_informed=True,
        copy_to_parents=False,
        no_copy_reason="Mother collects a printed copy at the school office.",
    )


def main() -> int:
    services, folder = throwaway_services(email_drafts=True)
    first = services.submit_and_send(services.save_draft(_record())).record
    draft = services.amend_record(first.id, "Rafi's presentation was incomplete.")
    draft.children[1].presentation = "Awake and alert in his cot; nappy clean, reached for toys."
    amended = services.submit_and_send(draft).record
    services.process_outbox()  # both drafts handed to "the email program"
    services.export_pdf(amended.id, folder / "v1.pdf", version=1)
    services.record_printed(amended.id, 2)

    window = main_window(services, folder)
    window.sending_reminder.later_button.click()  # the start-up reminder has its own picture
    window.open_record(amended.id)
    window.record_view.copies.status.setText("Version 2 sent to the printer.")
    window.record_view.copies.status.show()
    save(window, "record-copies.png")

    password = PdfPasswordDialog(window, optional=True, action="Protect and save")
    password.show()
    save(password, "save-pdf-password.png")
    password.close()

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(folder / "printed.pdf"))
    printer.setDocName(f"{amended.reference} v2")
    dialog = QPrintDialog(printer, window)
    dialog.setWindowTitle(f"Print {amended.reference} v2")
    dialog.show()
    save(dialog, "print-dialog.png")
    dialog.close()

    record = _record()
    parents = (ParentCarer(name="Shirin Chowdhury", email="shirin.chowdhury@example.org"),)
    summary = SubmitSummaryDialog(record, Recipients(record.key_worker, parents, ""), [], window)
    summary.show()
    save(summary, "submit-summary.png")
    summary.close()

    window.start_record(None)
    editor = window.editor
    editor.all_rows()["visit_date"].set_value(dt.date(2026, 12, 23))
    panel = editor.children_area.add(ChildObservation(child=record.children[1].child))
    editor.refresh_checks()
    settle()
    editor.scroll_area.ensureWidgetVisible(panel.rows["child.date_of_birth"])
    save(panel, "editor-child-age.png")

    problem = editor.finish_saving()
    window.close()
    services.close()
    return 1 if problem else 0


if __name__ == "__main__":
    sys.exit(main())
