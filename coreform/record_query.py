"""What a list of records asks for: words to find, a state, visit dates, an order (issue 10).

Plain data, so the UI can build it and the storage layer turn it into one query that filters,
sorts and pages in the database (issue 15).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from coreform.records import RecordState


class RecordSort(StrEnum):
    """The orders My records offers; URGENCY is its default."""

    # Drafts first, the earliest visit (so the nearest deadline) first; then sent, newest first.
    URGENCY = "urgency"
    REFERENCE = "reference"
    FAMILY = "family"
    CHILDREN = "children"
    # The deadline grows with the visit date, so both sort by the visit date.
    VISIT = "visit"
    STATE = "state"


@dataclass(frozen=True)
class RecordQuery:
    """Every field narrows the list; the default lists every record by urgency."""

    # Words found, ignoring accents and case, in the reference, family, children or key worker.
    text: str = ""
    state: RecordState | None = None
    visit_from: dt.date | None = None
    visit_to: dt.date | None = None
    family_id: str | None = None
    child_id: str | None = None  # records that saw this child
    sort: RecordSort = RecordSort.URGENCY
    descending: bool = False
