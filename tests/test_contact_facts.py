"""The one-pass contact facts agree with reading the contacts rule by rule, on any history."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings, strategies as st

from coreform.ages import is_baby
from coreform.contact_facts import Contact, ContactBy, ContactFacts, ContactRef, contact_facts
from coreform.storage.facts_repository import decode, encode

START = dt.date(2026, 1, 5)
BORN = dt.date(2025, 3, 1)  # a baby (under 18 months, 002 §2) for the first half of the range


@st.composite
def _contacts(draw: st.DrawFn) -> list[Contact]:
    count = draw(st.integers(0, 14))
    return [
        Contact(
            date=START + dt.timedelta(days=draw(st.integers(-20, 400))),
            by=draw(st.sampled_from(ContactBy)),
            at_home=draw(st.booleans()),
            seen=draw(st.booleans()),
            seen_alone=draw(st.booleans()),
            baby_awake=draw(st.booleans()),
            bedroom_seen=draw(st.booleans()),
            reference=f"CG-B-{number}",
        )
        for number in range(count)
    ]


def _by_rule(contacts: list[Contact], through: dt.date, born: dt.date | None) -> ContactFacts:
    """The facts as each rule read them before the one-pass gathering (issue 12's engine)."""
    ordered = sorted((c for c in contacts if c.date <= through), key=lambda c: c.date)
    seen = [c for c in ordered if c.seen]
    home = [c for c in seen if c.by is ContactBy.KEY_WORKER and c.at_home]
    alone = [c for c in seen if c.seen_alone or (c.baby_awake and is_baby(born, c.date))]
    bedroom = [c for c in seen if c.at_home and c.bedroom_seen]
    run: list[Contact] = []
    for contact in ordered:
        if contact.at_home:
            run = [] if contact.seen else [*run, contact]
    start = bedroom[-1].date if bedroom else START

    def last(found: list[Contact]) -> ContactRef | None:
        return ContactRef(found[-1].date, found[-1].reference) if found else None

    return ContactFacts(
        min((c.date for c in contacts if c.date > through), default=None),
        last(seen),
        last([c for c in seen if c.by is ContactBy.KEY_WORKER]),
        last(home),
        last(alone),
        last(bedroom),
        tuple(visit.date for visit in home if visit.date > start)[:2],
        tuple(ContactRef(c.date, c.reference) for c in run),
    )


@settings(max_examples=200, deadline=None)
@given(_contacts(), st.integers(0, 420), st.sampled_from([BORN, None]))
def test_one_pass_facts_match_the_rules_reading(
    contacts: list[Contact], days: int, born: dt.date | None
) -> None:
    through = START + dt.timedelta(days=days)
    found = contact_facts(contacts, through, date_of_birth=born, initial_conference=START)
    assert found == _by_rule(contacts, through, born)
    assert decode(found.next_contact, encode(found)) == found  # as the caseload stores them
