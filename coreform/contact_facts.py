"""What the timescales need to know of one child's contacts, gathered in one pass.

`contact_facts` turns a child's contacts into `ContactFacts`: the last time the child was seen in
each way that a rule counts, the home visits the alternate-visits rule waits for, and the open run
of failed home visits. The rules (`coreform.timescales`) compute from these, so the caseload can
keep them per child and read only the children whose contacts changed (issue 15).
Nothing here reads a clock, a file or a database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from operator import attrgetter
from typing import NamedTuple

from coreform.ages import is_baby

# The alternate-visits rule looks at most this many home visits past the last bedroom seen.
HOME_VISITS_KEPT = 2


class ContactBy(StrEnum):
    KEY_WORKER = "key worker"
    CORE_GROUP_MEMBER = "core group member"


@dataclass(frozen=True)
class Contact:
    """One visit or interaction with the child, as the timescales see it."""

    date: dt.date
    by: ContactBy
    at_home: bool
    seen: bool
    seen_alone: bool = False
    baby_awake: bool = False
    bedroom_seen: bool = False
    reference: str = ""  # the record it comes from, for the dashboard and the timeline
    record_id: str = ""
    agency: str = ""  # who completed the record, for the timeline's rows


class ContactRef(NamedTuple):
    """A contact's date and the record it comes from (the reference a RuleStatus shows)."""

    date: dt.date
    reference: str


class ContactFacts(NamedTuple):
    """One child's contacts up to a cut-off day, as the rules use them.

    Derived from the contacts, the child's date of birth (002 §2: a baby seen awake) and the
    plan's initial conference (the alternate-visits rule counts from it before any bedroom is
    seen); whatever changes one of those makes these stale.
    """

    next_contact: dt.date | None  # the first contact after the cut-off: these change that day
    last_seen: ContactRef | None
    last_key_worker: ContactRef | None  # seen by the key worker, anywhere
    last_home_visit: ContactRef | None  # the key worker saw the child at home
    last_alone: ContactRef | None  # seen alone, or a baby seen awake (002 §2)
    last_bedroom: ContactRef | None  # the bedroom seen on a home visit, by anyone
    # The key worker's home visits after the last bedroom seen (else after the initial
    # conference), oldest first, at most HOME_VISITS_KEPT of them (002 §2).
    home_visits_since_bedroom: tuple[dt.date, ...]
    # The failed home visits since the last home visit that saw the child (002 §3, 004 §9.5.3).
    failed_run: tuple[ContactRef, ...]


NO_CONTACTS = ContactFacts(None, None, None, None, None, None, (), ())

_BY_DATE = attrgetter("date")


def contact_facts(
    contacts: Iterable[Contact],
    through: dt.date,
    *,
    date_of_birth: dt.date | None,
    initial_conference: dt.date,
) -> ContactFacts:
    """The facts of `contacts` on or before `through` (later ones are not facts yet)."""
    every = list(contacts)
    if not every:
        return NO_CONTACTS
    next_contact = min((c.date for c in every if c.date > through), default=None)
    # Stable sort: contacts on one day keep the order given (a later one closes an alert).
    ordered = sorted((c for c in every if c.date <= through), key=_BY_DATE)
    last_seen = last_key_worker = last_home = last_alone = last_bedroom = None
    home_visits: list[dt.date] = []
    failed: list[ContactRef] = []
    for contact in ordered:
        if contact.at_home:
            if not contact.seen:
                failed.append(ContactRef(contact.date, contact.reference))
                continue
            failed = []
        elif not contact.seen:
            continue  # 003 §2: a contact where the child was not seen counts for no rule
        seen = ContactRef(contact.date, contact.reference)
        last_seen = seen
        if contact.by is ContactBy.KEY_WORKER:
            last_key_worker = seen
            if contact.at_home:
                last_home = seen
                home_visits.append(contact.date)
        if contact.seen_alone or (contact.baby_awake and is_baby(date_of_birth, contact.date)):
            last_alone = seen
        if contact.at_home and contact.bedroom_seen:
            last_bedroom = seen
    start = last_bedroom.date if last_bedroom else initial_conference
    since = tuple(day for day in home_visits if day > start)[:HOME_VISITS_KEPT]
    return ContactFacts(
        next_contact,
        last_seen,
        last_key_worker,
        last_home,
        last_alone,
        last_bedroom,
        since,
        tuple(failed),
    )
