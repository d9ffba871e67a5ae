"""The key worker's inbox as plain data (issue 13): received records and their review, received
core group minutes, shares, and the child's chronology. Storage fills these; the services and
the window read them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from coreform.intake import Origin


class ReviewState(StrEnum):
    """Received -> Accepted, or Has issues until the sender's amendment arrives (Corrected)."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    HAS_ISSUES = "has_issues"
    CORRECTED = "corrected"

    @property
    def label(self) -> str:
        return _REVIEW_LABELS[self]


_REVIEW_LABELS = {
    ReviewState.RECEIVED: "Received",
    ReviewState.ACCEPTED: "Accepted",
    ReviewState.HAS_ISSUES: "Has issues",
    ReviewState.CORRECTED: "Corrected by an amendment",
}


class ReceivedKind(StrEnum):
    """What a received file carried: a monitoring record, or core group minutes."""

    RECORD = "record"
    MINUTES = "minutes"


class Filing(StrEnum):
    """What importing one received record (or minutes) did."""

    FILED = "filed"  # a record not seen before
    DUPLICATE = "duplicate"  # this version was already filed; nothing changed
    AMENDMENT = "amendment"  # a new version of a filed record; the earlier one is kept


@dataclass(frozen=True)
class ChildMatch:
    """A child on a received record who is not known here, and the children it could be
    (same date of birth, and the same name ignoring case and spacing)."""

    received_child_id: str
    name: str
    date_of_birth: dt.date | None
    candidates: tuple[tuple[str, str], ...]  # (child id, family name)


@dataclass(frozen=True)
class ImportOutcome:
    """One received record (or minutes: `record_id` is then the minutes' id) filed: what
    happened, what changed, what needs a decision."""

    record_id: str
    reference: str
    version: int
    filing: Filing
    origin: Origin
    source: str
    changed: tuple[str, ...] = ()  # an amendment: the record keys that differ
    missing: tuple[str, ...] = ()  # a filled-in form: what was left empty, in words
    unknown_children: tuple[ChildMatch, ...] = ()
    closed_issues: tuple[int, ...] = ()  # versions whose "Has issues" this amendment closed
    kind: ReceivedKind = ReceivedKind.RECORD


@dataclass(frozen=True)
class InboxEntry:
    """One received version as the inbox lists it (no free text, only what the row shows)."""

    record_id: str
    version: int
    reference: str
    received_at: dt.datetime
    origin: Origin
    review_state: ReviewState
    issues: str
    completed_by: str
    agency: str
    child_names: tuple[str, ...]
    visit_date: dt.date | None
    # 000: completed and sent within 2 working days; > 0 says by how many working days it was not.
    working_days_late: int
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReceivedMinutesEntry:
    """One received version of core group minutes as the inbox lists it, with who sent it."""

    minutes_id: str
    version: int
    reference: str
    received_at: dt.datetime
    sender_name: str
    sender_email: str
    family_name: str
    child_names: tuple[str, ...]
    meeting_date: dt.date | None
    sequence: int  # 1 = the first core group after the initial conference
    latest_version: int = 0  # the highest version received of these minutes

    @property
    def superseded(self) -> bool:
        """A later version (an amendment) was received: this one is no longer in force."""
        return self.latest_version > self.version

    @property
    def sender(self) -> str:
        return self.sender_name or self.sender_email or "unknown"


@dataclass(frozen=True)
class ShareEntry:
    """Who got which version of a record, and when it was queued and sent."""

    record_id: str
    record_version: int
    member_name: str
    member_role: str
    member_agency: str
    member_email: str
    shared_at: dt.datetime
    shared_by: str
    outbox_id: int
    outbox_state: str
    sent_at: dt.datetime | None


class EntryKind(StrEnum):
    CONTACT = "contact"
    CORE_GROUP = "core_group"
    CONFERENCE = "conference"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    EntryKind.CONTACT: "Contact",
    EntryKind.CORE_GROUP: "Core group meeting",
    EntryKind.CONFERENCE: "Conference",
}


@dataclass(frozen=True)
class ChronologyFilter:
    """What the chronology shows: an agency (part of its name), kinds, and a date range."""

    agency: str = ""
    kinds: frozenset[EntryKind] = field(default_factory=lambda: frozenset(EntryKind))
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@dataclass(frozen=True)
class ChronologyEntry:
    """One event on a child's file, newest first; a contact opens its record, received minutes
    open read only."""

    day: dt.date
    time: dt.time | None
    kind: EntryKind
    title: str  # the setting of a contact, the kind of meeting
    agency: str
    by: str  # who completed it, with their role
    reference: str
    record_id: str | None
    version: int | None
    received: bool
    review_state: ReviewState | None
    child_seen: bool | None
    minutes_id: str | None = None  # received core group minutes: they open read only
