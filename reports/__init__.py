"""Documents and messages: PDFs of records and the emails that carry them. Imports no Qt."""
