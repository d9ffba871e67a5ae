"""Several PDFs as one, with a bookmark per part (the child's chronology as one bundle)."""

from __future__ import annotations

import io
from collections.abc import Sequence


def bundle_pdfs(parts: Sequence[tuple[str, bytes]]) -> bytes:
    """`parts` in order, each (bookmark title, unencrypted PDF); an empty bundle has one note."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for title, pdf in parts:
        start = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(pdf)), import_outline=False)
        writer.add_outline_item(title=title, page_number=start)
    if not parts:
        writer.add_blank_page(595, 842)
    writer.add_metadata({"/Title": "Chronology CONFIDENTIAL"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
