"""PDFs of records, with the record's data inside them. reportlab and pypdf load on first use."""

from reports.pdf.container import (
    RECORD_ATTACHMENT_NAME,
    NotACoreformPdf,
    PdfImportError,
    PdfPasswordRequired,
    PdfRecordDamaged,
    PdfUnreadable,
    PdfWrongPassword,
    is_encrypted_pdf,
    read_received_pdf,
    read_record_from_pdf,
)
from reports.pdf.monitoring import FORM_TITLE, build_monitoring_pdf, pdf_file_name, pdf_title

__all__ = [
    "FORM_TITLE",
    "RECORD_ATTACHMENT_NAME",
    "NotACoreformPdf",
    "PdfImportError",
    "PdfPasswordRequired",
    "PdfRecordDamaged",
    "PdfUnreadable",
    "PdfWrongPassword",
    "build_monitoring_pdf",
    "is_encrypted_pdf",
    "pdf_file_name",
    "pdf_title",
    "read_received_pdf",
    "read_record_from_pdf",
]
