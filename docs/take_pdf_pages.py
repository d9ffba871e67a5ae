"""Renders the sample 3-child record with long text, and sample core group minutes, and saves
their pages as PNG for the README (record-page-N.png, minutes-page-N.png).

uv run python docs/take_pdf_pages.py        (needs pdftoppm, from poppler-utils)

The children's names are in Arabic, Bengali and Chinese beside Latin script, so the images show
joined Arabic, shaped Bengali and the bundled fonts at work.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import tempfile
from pathlib import Path

from bench.render_sample_pdfs import sample_record
from bench.sample_minutes import sample_minutes
from coreform.records import LONDON
from reports.pdf import build_monitoring_pdf
from reports.pdf.minutes import build_minutes_pdf

OUT = Path(__file__).resolve().parent / "pdf"
NAMES = ("Yusuf يوسف Khan", "রহিম উদ্দিন", "王小明 (Wang Xiaoming) 🙂")


def main() -> None:
    record = sample_record(14, amended=True)
    record.family_name = "Khan / خان"
    for observation, name in zip(record.children, NAMES, strict=True):
        observation.child.name = name
    record.children[0].wishes_and_feelings = "“أريد أن أبقى مع أمي” — “I want to stay with Mum.”"
    generated = dt.datetime(2026, 3, 4, 10, 30, tzinfo=LONDON)
    _pages(build_monitoring_pdf(record, generated_at=generated), "record-page")
    minutes = build_minutes_pdf(
        sample_minutes(), generated_at=dt.datetime(2026, 3, 18, 16, 10, tzinfo=LONDON)
    )
    _pages(minutes, "minutes-page")


def _pages(data: bytes, stem: str) -> None:
    OUT.mkdir(exist_ok=True)
    for old in OUT.glob(f"{stem}-*.png"):
        old.unlink()
    with tempfile.TemporaryDirectory() as folder:
        pdf = Path(folder) / "document.pdf"
        pdf.write_bytes(data)
        command = ["pdftoppm", "-r", "70", "-png", str(pdf), str(OUT / stem)]
        subprocess.run(command, check=True)  # noqa: S603  # a fixed local tool
    pages = sorted(p.name for p in OUT.glob(f"{stem}-*.png"))
    print(f"{stem}: {len(data) / 1024:.0f} KiB, pages: {pages}")


if __name__ == "__main__":
    main()
