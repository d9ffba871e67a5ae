"""One monitoring-record PDF against reportlab's own one-page table document."""

from __future__ import annotations

import datetime as dt
import io

from bench.synthetic import SEED
from coreform.records import (
    LONDON,
    Child,
    ChildObservation,
    KeyWorker,
    MonitoringRecord,
    PlanType,
    Practitioner,
    Setting,
)


def sample_record() -> MonitoringRecord:
    return MonitoringRecord(
        reference=f"CG-2026-{SEED % 100000:05d}",
        family_name="Ødegård-Nguyễn family",
        children=[
            ChildObservation(
                child=Child(name=name, date_of_birth=dt.date(2018, 5, 17), plan_type=PlanType.CP),
                seen=True,
                spoken_with=True,
                seen_alone=True,
                bedroom_seen=True,
                presentation="Clean uniform; chatted about her drawing of the family dog.",
                wishes_and_feelings="'I like it when Mum walks me to school.'",
            )
            for name in ("Zoë Ødegård-Nguyễn", "فاطمة حسن", "王芳")
        ],
        key_worker=KeyWorker(name="Fatima Rahman", email="f.rahman@council.example"),
        completed_by=Practitioner(name="Sam Patel", role="School nurse", agency="Riverside"),
        visit_date=dt.date(2026, 12, 23),
        visit_time=dt.time(14, 15),
        setting=Setting.HOME,
        purpose="Planned visit as agreed at the core group.",
        observations="Home warm and tidy; food in the fridge. " * 20,
    )


def _reportlab_table() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table

    buffer = io.BytesIO()
    rows = [[f"Question {n}", "An answer of a few words, as a form has"] for n in range(30)]
    SimpleDocTemplate(buffer, pagesize=A4).build([Table(rows)])
    return buffer.getvalue()


def pdf_times() -> tuple[float, float]:
    """Median seconds for our PDF and for the reportlab table, both after a first warm-up."""
    from bench.table import median_seconds
    from reports.pdf.monitoring import build_monitoring_pdf

    record = sample_record()
    at = dt.datetime(2026, 12, 24, 16, tzinfo=LONDON)
    build_monitoring_pdf(record, generated_at=at)
    _reportlab_table()
    ours = median_seconds(lambda: build_monitoring_pdf(record, generated_at=at))
    return ours, median_seconds(_reportlab_table)
