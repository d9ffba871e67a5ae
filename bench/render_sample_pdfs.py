"""Writes sample monitoring-record PDFs to look at, and prints how long each took.

uv run python bench/render_sample_pdfs.py [folder]     (default /tmp/pdfcheck)
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from pathlib import Path

from coreform.records import (
    LONDON,
    Amendment,
    Child,
    ChildObservation,
    KeyWorker,
    MonitoringRecord,
    PlanType,
    Practitioner,
    RecordState,
    Setting,
)
from reports.pdf import build_monitoring_pdf, pdf_file_name

PARAGRAPH = (
    "Mum answered the door promptly and the home was warm. The kitchen had food in the "
    "fridge and the children's school uniforms were clean and hung up. "
)


def sample_record(paragraphs: int, *, children: int = 3, amended: bool = False) -> MonitoringRecord:
    visit = dt.date(2026, 3, 2)
    record = MonitoringRecord(
        reference="CG-2026-00042",
        version=2 if amended else 1,
        state=RecordState.AMENDED if amended else RecordState.SUBMITTED,
        family_name="Łukasiewicz-Ñúñez",
        children=[
            ChildObservation(
                child=Child("Zoë Łukasiewicz-Ñúñez", dt.date(2017, 5, 9), PlanType.CP, "LC-1142"),
                seen=True,
                spoken_with=True,
                seen_alone=True,
                bedroom_seen=True,
                presentation="Zoë was chatty, clean and appropriately dressed.\n"
                + PARAGRAPH * paragraphs,
                wishes_and_feelings="“I like it when Dad walks me to school.”",
            ),
            ChildObservation(
                child=Child("Αθηνά Παπαδοπούλου", dt.date(2025, 6, 1), PlanType.CIN),
                seen=True,
                spoken_with=False,
                seen_alone=False,
                not_seen_alone_reason="Baby, under 18 months.",
                seen_awake=True,
                bedroom_seen=False,
                presentation="Alert, feeding well, nappy clean. <b>not bold</b> & stays text.",
            ),
            ChildObservation(
                child=Child("Анастасия Кузнецова", dt.date(2012, 1, 30), PlanType.CP),
                seen=False,
                not_seen_reason="At her grandmother's for the night, confirmed by phone.",
            ),
        ],
        key_worker=KeyWorker("Sam Okafor", "sam.okafor@example.org", "Children's Social Care"),
        completed_by=Practitioner(
            "Jo Bright", "School nurse", "Example NHS Trust", "jo.bright@example.org", "01234"
        ),
        visit_date=visit,
        visit_time=dt.time(15, 30),
        setting=Setting.HOME,
        announced=False,
        purpose="Unannounced home visit as agreed at core group (plan task 3).",
        others_present="Mother; a new adult male introduced as 'Dan', a family friend.",
        observations=PARAGRAPH * paragraphs,
        home_conditions="Tidy. Beds made up for all three children.",
        family_circumstances="Mother starting a new job on Monday.",
        incidents_injuries="",
        immediate_concerns=False,
        cp_procedures_considered=False,
        parents_informed=True,
        copy_to_parents=True,
        date_completed=visit,
        date_sent=visit + dt.timedelta(days=1),
        next_contact=visit + dt.timedelta(days=14),
        submitted_at=dt.datetime(2026, 3, 3, 9, 12, tzinfo=LONDON),
    )
    del record.children[children:]
    if paragraphs == 0:
        # A brief school contact: what a short record looks like on one sheet.
        record.setting = Setting.SCHOOL
        record.others_present = record.home_conditions = record.family_circumstances = ""
        record.children[0].bedroom_seen = None
        record.purpose = "Plan task 3: school check."
        record.children[0].presentation = "Happy, clean, well dressed."
        record.children[0].wishes_and_feelings = "“I like my new class.”"
    if amended:
        record.amendment = Amendment(
            reason="The start time was wrong: the visit began at 15:30, not 13:30.",
            amended_at=dt.datetime(2026, 3, 4, 10, 5, tzinfo=LONDON),
            amended_by="Jo Bright",
            previous_version=1,
        )
    return record


def main() -> None:
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/pdfcheck")
    folder.mkdir(parents=True, exist_ok=True)
    generated = dt.datetime(2026, 3, 4, 10, 30, tzinfo=LONDON)
    samples = {
        "one-page": sample_record(0, children=1),
        "three-page": sample_record(28, amended=True),
        "long-1MB": sample_record(1_000_000 // len(PARAGRAPH)),
    }
    for name, record in samples.items():
        started = time.perf_counter()
        data = build_monitoring_pdf(record, generated_at=generated)
        seconds = time.perf_counter() - started
        path = folder / f"{name}-{pdf_file_name(record)}"
        path.write_bytes(data)
        print(f"{name:>11}: {len(data) / 1024:8.0f} KiB in {seconds:6.2f} s -> {path}")


if __name__ == "__main__":
    main()
