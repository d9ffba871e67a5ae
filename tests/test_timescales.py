"""The timescales engine, per profile and rule, across weekends, Christmas, Easter and the
Scottish and Northern Irish bank holidays. Each case cites the seed sentence it checks.

Calendar notes: Christmas 2026 is Fri 25 Dec with Boxing Day's substitute Mon 28 Dec, New Year
Fri 1 Jan 2027 (Scotland also Mon 4 Jan for 2 Jan); Easter 2027 is Good Friday 26 Mar and Easter
Monday 29 Mar (not a Scottish holiday); Easter 2026 is 3 and 6 April; St Andrew's Day Mon 30 Nov
2026 (Scotland); St Patrick's Day Wed 17 Mar 2027 and the Boyne Mon 12 Jul 2027 (Northern
Ireland).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TypedDict, Unpack

import pytest

from coreform.contact_facts import Contact, ContactBy
from coreform.plans import ChildPlan, MinutesHeld
from coreform.policies import Interval, RuleId, load_profile
from coreform.timescales import RuleStatus, State, compute_timescales
from coreform.workdays import WorkingCalendar

D = dt.date.fromisoformat
KW, MEMBER = ContactBy.KEY_WORKER, ContactBy.CORE_GROUP_MEMBER
MET, SOON, OVERDUE, NO_DATE = State.MET, State.DUE_SOON, State.OVERDUE, State.NO_DATE
SENT_LATE = State.SENT_LATE


class _Flags(TypedDict, total=False):
    """What else was seen at a contact (Contact's other answers)."""

    seen_alone: bool
    baby_awake: bool
    bedroom_seen: bool


def home(day: str, by: ContactBy = KW, *, seen: bool = True, **flags: Unpack[_Flags]) -> Contact:
    return Contact(D(day), by, at_home=True, seen=seen, reference=f"home-{day}", **flags)


def away(
    day: str, by: ContactBy = MEMBER, *, seen: bool = True, **flags: Unpack[_Flags]
) -> Contact:
    return Contact(D(day), by, at_home=False, seen=seen, reference=f"away-{day}", **flags)


@dataclass
class Case:
    profile: str
    rule: RuleId
    cites: str  # the seed sentence it checks
    today: str
    expect: tuple[str | None, str | None, State]  # last_met, due, state
    initial: str = "2026-10-05"
    contacts: tuple[Contact, ...] = ()
    core_groups: tuple[str, ...] = ()
    reviews: tuple[str, ...] = ()
    next_review: str | None = None
    nation: str = "ENG"
    born: str | None = None
    overrides: dict[RuleId, Interval] = field(default_factory=dict)
    minutes: tuple[tuple[str, str | None], ...] = ()  # (held, distributed) of final minutes


BD, SUF, BEDS, LANCS = "barking-dagenham", "suffolk", "central-bedfordshire", "pan-lancashire"
R = RuleId
WEEKS_4 = Interval.parse("4 weeks")

CASES = {
    # --- barking-dagenham: 000 (LCPP 8.4) and 004 chapter 9 -----------------------------------
    "bd-seen-over-christmas": Case(
        BD,
        R.SEEN,
        "000: seen at least every 10 working days by the key worker or by another "
        "member of the core group",
        "2026-12-21",
        ("2026-12-18", "2027-01-06", MET),
        contacts=(away("2026-12-18"),),
    ),
    "bd-seen-not-seen-cannot-count": Case(
        BD,
        R.SEEN,
        "000: the children are seen at least every 10 working days (a visit where "
        "the child is not seen is not seeing them, 003)",
        "2026-12-10",
        ("2026-11-23", "2026-12-07", OVERDUE),
        contacts=(away("2026-11-23"), home("2026-12-08", seen=False)),
    ),
    "bd-seen-st-andrews-day": Case(
        BD,
        R.SEEN,
        "000: seen at least every 10 working days",
        "2026-12-09",
        ("2026-11-25", "2026-12-10", SOON),
        contacts=(away("2026-11-25"),),
        nation="SCT",
    ),
    "bd-seen-from-initial-over-easter": Case(
        BD,
        R.SEEN,
        "000: seen at least every 10 working days; none yet: from the conference",
        "2027-04-01",
        (None, "2027-04-07", MET),
        initial="2027-03-22",
    ),
    "bd-seen-easter-monday-works-in-scotland": Case(
        BD,
        R.SEEN,
        "000: seen at least every 10 working days",
        "2027-04-06",
        (None, "2027-04-06", SOON),
        initial="2027-03-22",
        nation="SCT",
    ),
    "bd-home-visit-six-weeks-on-new-years-day": Case(
        BD,
        R.HOME_VISIT,
        "000: the key worker sees the child at home at least every six weeks",
        "2026-12-30",
        ("2026-11-20", "2027-01-01", SOON),
        contacts=(home("2026-11-20"),),
    ),
    "bd-home-visit-only-key-worker-at-home": Case(
        BD,
        R.HOME_VISIT,
        "000: the key worker sees the child at home at least every six weeks",
        "2026-11-13",
        ("2026-10-01", "2026-11-12", OVERDUE),
        contacts=(home("2026-10-01"), home("2026-11-01", MEMBER), away("2026-11-05", KW)),
    ),
    "bd-home-visit-child-not-seen": Case(
        BD,
        R.HOME_VISIT,
        "000: the key worker sees the child at home at least every six weeks",
        "2026-11-16",
        (None, "2026-11-16", SOON),
        contacts=(home("2026-11-10", seen=False),),
    ),
    "bd-seen-alone-baby-awake": Case(
        BD,
        R.SEEN_ALONE,
        "000: seen alone (with parent's agreement) or babies awake at least every six weeks",
        "2026-12-01",
        ("2026-11-02", "2026-12-14", MET),
        contacts=(away("2026-11-02", baby_awake=True),),
        born="2026-01-10",
    ),
    "bd-seen-alone-awake-at-18-months-is-not-a-baby": Case(
        BD,
        R.SEEN_ALONE,
        "000: seen alone or babies awake every six weeks (a baby is under 18 months, 002 §2)",
        "2026-11-03",
        ("2026-09-01", "2026-10-13", OVERDUE),
        contacts=(away("2026-09-01", seen_alone=True), away("2026-11-02", baby_awake=True)),
        born="2025-05-01",
    ),
    "bd-seen-alone-baby-the-day-before-18-months": Case(
        BD,
        R.SEEN_ALONE,
        "000: babies awake at least every six weeks",
        "2026-11-03",
        ("2026-11-02", "2026-12-14", MET),
        contacts=(home("2026-11-02", baby_awake=True),),
        born="2025-05-03",
    ),
    "bd-bedroom-seen-this-period": Case(
        BD,
        R.BEDROOM_SEEN,
        "000: the child's bedroom is seen at least once between each conference",
        "2026-12-01",
        ("2026-11-20", "2027-08-01", MET),
        initial="2026-11-02",
        contacts=(home("2026-11-20", bedroom_seen=True),),
        next_review="2027-02-01",
    ),
    "bd-bedroom-seen-before-the-conference": Case(
        BD,
        R.BEDROOM_SEEN,
        "000: the child's bedroom is seen at least once between each conference",
        "2027-01-22",
        ("2026-10-20", "2027-01-25", SOON),
        initial="2026-11-02",
        contacts=(home("2026-10-20", bedroom_seen=True),),
        next_review="2027-01-25",
    ),
    "bd-bedroom-no-review-booked-month-end": Case(
        BD,
        R.BEDROOM_SEEN,
        "000: bedroom seen once between each conference; 004 §9.4.11 the "
        "review no more than three months after the initial conference",
        "2027-03-01",
        (None, "2027-02-28", OVERDUE),
        initial="2026-11-30",
    ),
    "bd-bedroom-period-restarts-at-review": Case(
        BD,
        R.BEDROOM_SEEN,
        "000: at least once between each conference",
        "2027-02-10",
        ("2026-12-01", "2027-08-01", MET),
        initial="2026-11-02",
        reviews=("2027-02-01",),
        contacts=(home("2026-12-01", bedroom_seen=True),),
        next_review="2027-08-01",
    ),
    "bd-first-core-group-over-christmas": Case(
        BD,
        R.FIRST_CORE_GROUP,
        "004 §9.2.4: the first core group meeting must be within ten "
        "working days of the initial child protection conference",
        "2027-01-05",
        (None, "2027-01-05", SOON),
        initial="2026-12-17",
    ),
    "bd-first-core-group-held": Case(
        BD,
        R.FIRST_CORE_GROUP,
        "004 §9.2.4: within ten working days of the initial conference",
        "2027-01-20",
        ("2026-12-30", "2027-01-05", MET),
        initial="2026-12-17",
        core_groups=("2026-12-30",),
    ),
    "bd-first-core-group-scotland": Case(
        BD,
        R.FIRST_CORE_GROUP,
        "004 §9.2.4: within ten working days of the initial conference",
        "2027-01-07",
        (None, "2027-01-06", OVERDUE),
        initial="2026-12-17",
        nation="SCT",
    ),
    "bd-core-group-six-weeks-over-christmas": Case(
        BD,
        R.CORE_GROUP,
        "004 §9.2.4: the core group should meet within six weeks of the first meeting",
        "2026-12-24",
        ("2026-11-13", "2026-12-25", SOON),
        core_groups=("2026-10-16", "2026-11-13"),
    ),
    "bd-core-group-two-months-after-first-review": Case(
        BD,
        R.CORE_GROUP,
        "004 §9.2.4: at a minimum frequency of once every two months following "
        "the first review conference",
        "2027-03-16",
        ("2027-01-15", "2027-03-15", OVERDUE),
        core_groups=("2027-01-15",),
        reviews=("2027-01-04",),
    ),
    "bd-core-group-conference-set-four-weeks": Case(
        BD,
        R.CORE_GROUP,
        "004 §9.2.4: more regular meetings may be required according to the needs of the child",
        "2026-12-01",
        ("2026-11-13", "2026-12-11", MET),
        core_groups=("2026-11-13",),
        overrides={R.CORE_GROUP: WEEKS_4},
    ),
    "bd-core-group-two-months-leap-year-end": Case(
        BD,
        R.CORE_GROUP,
        "004 §9.2.4: once every two months following the first review",
        "2028-02-01",
        ("2027-12-31", "2028-02-29", MET),
        core_groups=("2027-12-31",),
        reviews=("2027-10-01",),
    ),
    "bd-review-three-months-month-end": Case(
        BD,
        R.REVIEW_CONFERENCE,
        "004 §9.4.11: no more than three months after the initial conference",
        "2027-02-26",
        (None, "2027-02-28", SOON),
        initial="2026-11-30",
    ),
    "bd-review-six-months-after-review": Case(
        BD,
        R.REVIEW_CONFERENCE,
        "004 §9.4.11: no more than six months after a review conference",
        "2027-03-01",
        ("2027-02-22", "2027-08-22", MET),
        initial="2026-11-30",
        reviews=("2027-02-22",),
    ),
    "bd-review-late": Case(
        BD,
        R.REVIEW_CONFERENCE,
        "004 §9.4.11: no more than three months after the initial conference",
        "2026-12-01",
        (None, "2026-11-30", OVERDUE),
        initial="2026-08-31",
    ),
    "bd-two-failed-visits": Case(
        BD,
        R.CONSECUTIVE_FAILED_VISITS,
        "004 §9.5.3: inability to gain access to a child ... on two consecutive home visits",
        "2026-12-23",
        (None, "2026-12-22", OVERDUE),
        contacts=(home("2026-12-21", seen=False), home("2026-12-22", seen=False)),
    ),
    "bd-two-failed-visits-school-between": Case(
        BD,
        R.CONSECUTIVE_FAILED_VISITS,
        "004 §9.5.3: two consecutive home visits (seen at school is not a home visit)",
        "2026-12-22",
        (None, "2026-12-22", SOON),
        contacts=(
            home("2026-12-18", seen=False),
            away("2026-12-21"),
            home("2026-12-22", MEMBER, seen=False),
        ),
    ),
    "bd-two-failed-visits-on-a-saturday": Case(
        BD,
        R.CONSECUTIVE_FAILED_VISITS,
        "004 §9.5.3: two consecutive home visits",
        "2027-03-29",
        (None, "2027-03-27", OVERDUE),
        contacts=(home("2027-03-26", seen=False), home("2027-03-27", seen=False)),
        nation="NIR",
    ),
    # --- suffolk: 001 -------------------------------------------------------------------------
    "suffolk-seen-st-patricks-and-easter": Case(
        SUF,
        R.SEEN,
        "001 §8.3: seen by a professional member of the core group at least every 10 working days",
        "2027-03-29",
        ("2027-03-12", "2027-03-31", SOON),
        contacts=(away("2027-03-12"),),
        nation="NIR",
    ),
    "suffolk-seen-england-same-contact": Case(
        SUF,
        R.SEEN,
        "001 §8.3: at least every 10 working days",
        "2027-03-31",
        ("2027-03-12", "2027-03-30", OVERDUE),
        contacts=(away("2027-03-12"),),
    ),
    "suffolk-seen-by-the-lead-social-worker": Case(
        SUF,
        R.SEEN,
        "001 §8.3: seen by a professional member of the core group (the lead social worker is one)",
        "2026-11-17",
        ("2026-11-02", "2026-11-16", OVERDUE),
        contacts=(away("2026-11-02", KW),),
    ),
    "suffolk-key-worker-over-christmas": Case(
        SUF,
        R.KEY_WORKER_SEEN,
        "001 §8.1: the lead social worker must have face-to-face contact "
        "with the child ... at least every 15 working days",
        "2027-01-05",
        ("2026-12-14", "2027-01-07", SOON),
        contacts=(away("2026-12-14", KW),),
    ),
    "suffolk-key-worker-not-by-others": Case(
        SUF,
        R.KEY_WORKER_SEEN,
        "001 §8.1: the lead social worker must have face-to-face contact "
        "at least every 15 working days",
        "2026-11-24",
        ("2026-11-02", "2026-11-23", OVERDUE),
        contacts=(home("2026-11-02"), home("2026-11-20", MEMBER)),
    ),
    "suffolk-key-worker-scottish-new-year": Case(
        SUF,
        R.KEY_WORKER_SEEN,
        "001 §8.1: at least every 15 working days",
        "2027-01-06",
        ("2026-12-14", "2027-01-08", SOON),
        contacts=(away("2026-12-14", KW),),
        nation="SCT",
    ),
    "suffolk-first-core-group-over-easter": Case(
        SUF,
        R.FIRST_CORE_GROUP,
        "001 §2.1: the first core group meeting ... must be held within 10 working days of it",
        "2027-04-12",
        ("2027-04-08", "2027-04-09", MET),
        initial="2027-03-24",
        core_groups=("2027-04-08",),
    ),
    "suffolk-first-core-group-scottish-easter": Case(
        SUF,
        R.FIRST_CORE_GROUP,
        "001 §2.1: within 10 working days of it",
        "2027-04-09",
        (None, "2027-04-08", OVERDUE),
        initial="2027-03-24",
        nation="SCT",
    ),
    "suffolk-first-core-group-before-conference-does-not-count": Case(
        SUF,
        R.FIRST_CORE_GROUP,
        "001 §2.1: within 10 working days of [the initial conference]",
        "2027-04-01",
        (None, "2027-04-09", MET),
        initial="2027-03-24",
        core_groups=("2027-03-20",),
    ),
    "suffolk-core-group-six-weeks-late": Case(
        SUF,
        R.CORE_GROUP,
        "001 §3.1: meetings should be held at least every 6 weeks",
        "2026-12-29",
        ("2026-11-13", "2026-12-25", OVERDUE),
        core_groups=("2026-11-13",),
    ),
    "suffolk-core-group-none-yet": Case(
        SUF,
        R.CORE_GROUP,
        "001 §3.1: at least every 6 weeks",
        "2026-12-10",
        (None, "2026-12-14", SOON),
        initial="2026-11-02",
    ),
    "suffolk-core-group-no-slower-after-review": Case(
        SUF,
        R.CORE_GROUP,
        "001 §3.1: at least every 6 weeks (Suffolk sets no slower cadence after a review)",
        "2027-02-10",
        ("2027-01-20", "2027-03-03", MET),
        core_groups=("2027-01-20",),
        reviews=("2027-02-01",),
    ),
    "suffolk-last-core-group-missed": Case(
        SUF,
        R.LAST_CORE_GROUP_BEFORE_REVIEW,
        "001 §3.6: the final core group before any review "
        "conference should take place up to 15 working days beforehand",
        "2027-01-12",
        (None, "2027-01-11", OVERDUE),
        initial="2026-11-02",
        core_groups=("2026-11-13",),
        next_review="2027-02-01",
    ),
    "suffolk-last-core-group-held": Case(
        SUF,
        R.LAST_CORE_GROUP_BEFORE_REVIEW,
        "001 §3.6: up to 15 working days beforehand",
        "2027-01-12",
        ("2027-01-08", "2027-01-11", MET),
        initial="2026-11-02",
        core_groups=("2026-11-13", "2027-01-08"),
        next_review="2027-02-01",
    ),
    "suffolk-last-core-group-no-review-booked": Case(
        SUF,
        R.LAST_CORE_GROUP_BEFORE_REVIEW,
        "001 §3.6: 15 working days before the review (which "
        "Suffolk's guidance does not date: the plan must)",
        "2027-01-12",
        (None, None, NO_DATE),
    ),
    "suffolk-last-core-group-easter": Case(
        SUF,
        R.LAST_CORE_GROUP_BEFORE_REVIEW,
        "001 §3.6: up to 15 working days beforehand",
        "2027-03-22",
        (None, "2027-03-24", SOON),
        initial="2026-10-16",
        next_review="2027-04-16",
    ),
    # --- central-bedfordshire: 002 ------------------------------------------------------------
    "beds-home-visit-over-christmas": Case(
        BEDS,
        R.HOME_VISIT,
        "002 §1: home visits are undertaken to see all children every 10 working days",
        "2027-01-07",
        ("2026-12-23", "2027-01-11", SOON),
        contacts=(home("2026-12-23"),),
    ),
    "beds-home-visit-by-lead-social-worker": Case(
        BEDS,
        R.HOME_VISIT,
        "002 §1: it is the Lead Social Worker's responsibility to ensure all "
        "children ... should be visited within their homes",
        "2026-11-17",
        ("2026-11-02", "2026-11-16", OVERDUE),
        contacts=(home("2026-11-02"), home("2026-11-10", MEMBER), home("2026-11-12", seen=False)),
    ),
    "beds-home-visit-boyne": Case(
        BEDS,
        R.HOME_VISIT,
        "002 §7: no child ... should be visited at home less than every 10 working days",
        "2027-07-16",
        ("2027-07-02", "2027-07-19", SOON),
        contacts=(home("2027-07-02"),),
        nation="NIR",
    ),
    "beds-seen-alone-at-every-visit": Case(
        BEDS,
        R.SEEN_ALONE,
        "002 §2: all children aged 4 above should be seen alone regularly",
        "2026-11-17",
        ("2026-11-02", "2026-11-16", OVERDUE),
        contacts=(home("2026-11-02", seen_alone=True), home("2026-11-09")),
    ),
    "beds-baby-awake-at-every-visit": Case(
        BEDS,
        R.SEEN_ALONE,
        "002 §2: babies awake at every visit; a child under 18 months is a baby",
        "2026-11-20",
        ("2026-11-16", "2026-11-30", MET),
        contacts=(home("2026-11-16", baby_awake=True),),
        born="2026-06-01",
    ),
    "beds-seen-alone-follows-the-conference-frequency": Case(
        BEDS,
        R.SEEN_ALONE,
        "002 §2 at every visit; §7 a frequency agreed by the Child Protection Chair",
        "2026-11-09",
        ("2026-11-02", "2026-11-09", SOON),
        contacts=(home("2026-11-02", seen_alone=True),),
        overrides={R.HOME_VISIT: Interval.parse("5 working days")},
    ),
    "beds-bedroom-two-visits-without": Case(
        BEDS,
        R.BEDROOM_SEEN,
        "002 §2: children's bedrooms are seen ... at least on alternate home visits",
        "2026-11-30",
        ("2026-11-02", "2026-11-27", OVERDUE),
        contacts=(home("2026-11-02", bedroom_seen=True), home("2026-11-13"), home("2026-11-27")),
    ),
    "beds-bedroom-one-visit-without": Case(
        BEDS,
        R.BEDROOM_SEEN,
        "002 §2: at least on alternate home visits",
        "2026-11-20",
        ("2026-11-02", "2026-11-27", MET),
        contacts=(home("2026-11-02", bedroom_seen=True), home("2026-11-13")),
    ),
    "beds-bedroom-none-yet-over-christmas": Case(
        BEDS,
        R.BEDROOM_SEEN,
        "002 §2: at least on alternate home visits",
        "2027-01-06",
        (None, "2027-01-07", SOON),
        initial="2026-12-07",
    ),
    "beds-not-seen-by-social-worker-20-days": Case(
        BEDS,
        R.NOT_SEEN_BY_KEY_WORKER,
        "002 §4: if a child is not seen by a Lead Social Worker "
        "during a period of 20 calendar days",
        "2026-12-31",
        ("2026-12-10", "2026-12-30", OVERDUE),
        contacts=(away("2026-12-10", KW),),
    ),
    "beds-not-seen-by-social-worker-day-20": Case(
        BEDS,
        R.NOT_SEEN_BY_KEY_WORKER,
        "002 §4: during a period of 20 calendar days",
        "2026-12-30",
        ("2026-12-10", "2026-12-30", SOON),
        contacts=(away("2026-12-10", KW),),
    ),
    "beds-not-seen-by-social-worker-others-do-not-reset": Case(
        BEDS,
        R.NOT_SEEN_BY_KEY_WORKER,
        "002 §4: not seen by a Lead Social Worker",
        "2026-12-31",
        ("2026-12-10", "2026-12-30", OVERDUE),
        contacts=(away("2026-12-10", KW), away("2026-12-20"), home("2026-12-29", seen=False)),
    ),
    "beds-not-seen-by-any-agency-scotland": Case(
        BEDS,
        R.NOT_SEEN_BY_ANY_AGENCY,
        "002 §5: the child has not been seen for 30 working days by any agency",
        "2027-01-18",
        ("2026-12-01", "2027-01-18", SOON),
        contacts=(away("2026-12-01"),),
        nation="SCT",
    ),
    "beds-not-seen-by-any-agency-england": Case(
        BEDS,
        R.NOT_SEEN_BY_ANY_AGENCY,
        "002 §5: not seen for 30 working days by any agency",
        "2027-01-18",
        ("2026-12-01", "2027-01-15", OVERDUE),
        contacts=(away("2026-12-01"),),
    ),
    "beds-not-seen-by-any-agency-failed-visits-do-not-count": Case(
        BEDS,
        R.NOT_SEEN_BY_ANY_AGENCY,
        "002 §5: not seen for 30 working days by any agency",
        "2026-11-16",
        (None, "2026-11-16", SOON),
        initial="2026-10-05",
        contacts=(home("2026-11-02", seen=False),),
    ),
    "beds-failed-visit-christmas-eve": Case(
        BEDS,
        R.FAILED_VISIT_FOLLOW_UP,
        "002 §3: the child is not seen ... a further visit to be "
        "undertaken at least within 5 working days",
        "2026-12-29",
        (None, "2027-01-05", SOON),
        contacts=(home("2026-12-24", seen=False),),
    ),
    "beds-failed-visit-seen-at-school-still-open": Case(
        BEDS,
        R.FAILED_VISIT_FOLLOW_UP,
        "002 §3: a further visit ... within 5 working days (being "
        "seen at school is checked, not a further visit)",
        "2026-11-10",
        (None, "2026-11-09", OVERDUE),
        contacts=(home("2026-11-02", seen=False), away("2026-11-03")),
    ),
    "beds-failed-visit-again-restarts": Case(
        BEDS,
        R.FAILED_VISIT_FOLLOW_UP,
        "002 §3: if a child is still not seen after the further "
        "visit ... discuss this again with a Team Manager",
        "2026-11-10",
        (None, "2026-11-16", SOON),
        contacts=(home("2026-11-02", seen=False), home("2026-11-09", seen=False)),
    ),
    # --- pan-lancashire: 003 ------------------------------------------------------------------
    "lancs-visited-within-15-days-christmas": Case(
        LANCS,
        R.KEY_WORKER_SEEN,
        "003 §2: must be visited by a Children's social worker ... "
        "within a maximum of 15 working days",
        "2027-01-04",
        ("2026-12-14", "2027-01-07", MET),
        contacts=(home("2026-12-14"),),
        nation="NIR",
    ),
    "lancs-not-seen-is-not-a-statutory-visit": Case(
        LANCS,
        R.KEY_WORKER_SEEN,
        "003 §2: home visits where the child has not been seen cannot "
        "be recorded as Statutory Visits",
        "2026-11-24",
        ("2026-11-02", "2026-11-23", OVERDUE),
        contacts=(home("2026-11-02"), home("2026-11-20", seen=False)),
    ),
    "lancs-visited-st-andrews-day": Case(
        LANCS,
        R.KEY_WORKER_SEEN,
        "003 §2: within a maximum of 15 working days",
        "2026-12-11",
        ("2026-11-20", "2026-12-14", SOON),
        contacts=(home("2026-11-20"),),
        nation="SCT",
    ),
    "lancs-first-core-group-scotland": Case(
        LANCS,
        R.FIRST_CORE_GROUP,
        "003 §3: the first Core Group Meeting should be held within 10 working days of the ICPC",
        "2026-12-07",
        (None, "2026-12-07", SOON),
        initial="2026-11-20",
        nation="SCT",
    ),
    "lancs-first-core-group-held": Case(
        LANCS,
        R.FIRST_CORE_GROUP,
        "003 §3: within 10 working days of the ICPC",
        "2026-12-10",
        ("2026-12-02", "2026-12-04", MET),
        initial="2026-11-20",
        core_groups=("2026-12-02",),
    ),
    "lancs-first-core-group-easter-2026": Case(
        LANCS,
        R.FIRST_CORE_GROUP,
        "003 §3: within 10 working days of the ICPC",
        "2026-04-20",
        (None, "2026-04-17", OVERDUE),
        initial="2026-04-01",
    ),
    "lancs-core-group-20-days-christmas": Case(
        LANCS,
        R.CORE_GROUP,
        "003 §3: further Core Group Meetings taking place every 20 working days",
        "2026-12-21",
        ("2026-12-04", "2027-01-06", MET),
        core_groups=("2026-12-04",),
    ),
    "lancs-core-group-20-days-scottish-new-year": Case(
        LANCS,
        R.CORE_GROUP,
        "003 §3: every 20 working days",
        "2027-01-08",
        ("2026-12-04", "2027-01-07", OVERDUE),
        core_groups=("2026-12-04",),
        nation="SCT",
    ),
    "lancs-core-group-none-yet-weekend": Case(
        LANCS,
        R.CORE_GROUP,
        "003 §3: every 20 working days (from the conference, none held yet)",
        "2026-11-06",
        (None, "2026-11-06", SOON),
        initial="2026-10-10",
    ),  # Sat: Mon is day 1
    # --- minutes distributed: 001 §4.3 (15 working days), 004 §9.3.26 (5 working days) ---------
    "suffolk-minutes-over-christmas": Case(
        SUF,
        R.MINUTES_DISTRIBUTED,
        "001 §4.3: distributed to all core group members within 15 working days",
        "2026-12-21",
        (None, "2026-12-30", MET),
        minutes=(("2026-12-07", None),),
    ),  # Christmas Fri 25 and the Boxing Day substitute Mon 28 are skipped
    "suffolk-minutes-overdue": Case(
        SUF,
        R.MINUTES_DISTRIBUTED,
        "001 §4.3: distributed to all core group members within 15 working days",
        "2026-12-31",
        (None, "2026-12-30", OVERDUE),
        minutes=(("2026-12-07", None),),
    ),
    "suffolk-minutes-distributed": Case(
        SUF,
        R.MINUTES_DISTRIBUTED,
        "001 §4.3: distributed within 15 working days; once distributed nothing is due",
        "2027-01-05",
        ("2026-12-15", None, MET),
        minutes=(("2026-12-07", "2026-12-15"),),
    ),
    "suffolk-minutes-distributed-late-stay-in-sight": Case(
        SUF,
        R.MINUTES_DISTRIBUTED,
        "001 §4.3: within 15 working days; minutes sent after that are shown as sent late",
        "2027-01-05",
        ("2026-12-31", "2026-12-30", SENT_LATE),
        minutes=(("2026-12-07", "2026-12-31"),),
    ),
    "bd-minutes-five-days-over-christmas": Case(
        BD,
        R.MINUTES_DISTRIBUTED,
        "004 §9.3.26: circulated to core group members within five working days",
        "2026-12-24",
        (None, "2026-12-29", SOON),
        minutes=(("2026-12-18", None),),
    ),
    "bd-minutes-st-andrews-day": Case(
        BD,
        R.MINUTES_DISTRIBUTED,
        "004 §9.3.26: circulated within five working days (St Andrew's Day in Scotland)",
        "2026-12-02",
        (None, "2026-12-01", OVERDUE),
        minutes=(("2026-11-23", None),),
        nation="SCT",
    ),
    "bd-minutes-the-oldest-waiting-counts": Case(
        BD,
        R.MINUTES_DISTRIBUTED,
        "004 §9.3.26: each meeting's notes within five working days of it",
        "2026-12-01",
        ("2026-10-23", "2026-12-07", MET),
        minutes=(("2026-10-19", "2026-10-23"), ("2026-11-30", None)),
    ),
}


def _run(case: Case) -> list[RuleStatus]:
    plan = ChildPlan(
        child_id="c1",
        initial_conference=D(case.initial),
        reviews=tuple(D(day) for day in case.reviews),
        next_review=D(case.next_review) if case.next_review else None,
        overrides=case.overrides,
        minutes=tuple(
            MinutesHeld(D(held), D(sent) if sent else None) for held, sent in case.minutes
        ),
    )
    return compute_timescales(
        plan,
        case.contacts,
        [D(day) for day in case.core_groups],
        load_profile(case.profile),
        WorkingCalendar(case.nation),
        D(case.today),
        date_of_birth=D(case.born) if case.born else None,
    )


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_rule(case: Case) -> None:
    found = {status.rule: status for status in _run(case)}
    status = found[case.rule]
    last_met, due, state = case.expect
    got = (status.last_met, status.due, status.state)
    assert got == (last_met and D(last_met), due and D(due), state), case.cites


def test_late_minutes_give_way_to_the_next_meetings_and_count_working_days() -> None:
    late = Case(SUF, R.MINUTES_DISTRIBUTED, "001 §4.3", "2027-01-05", (None, None, MET))
    late.minutes = (("2026-12-07", "2027-01-02"),)  # a Saturday: one working day late
    status = next(s for s in _run(late) if s.rule is R.MINUTES_DISTRIBUTED)
    assert (status.state, status.working_days_late) == (SENT_LATE, 1)
    late.minutes += (("2027-01-04", None),)  # the next meeting's minutes are what is open now
    status = next(s for s in _run(late) if s.rule is R.MINUTES_DISTRIBUTED)
    assert (status.state, status.due) == (MET, D("2027-01-25"))


def test_every_rule_of_every_profile_has_three_cases() -> None:
    counts: dict[tuple[str, RuleId], int] = {}
    for case in CASES.values():
        counts[case.profile, case.rule] = counts.get((case.profile, case.rule), 0) + 1
    for profile in (BD, SUF, BEDS, LANCS):
        for rule in load_profile(profile).rules:
            assert counts.get((profile, rule), 0) >= 3, (profile, rule)


def test_a_seen_home_visit_closes_the_failed_visit_alerts() -> None:
    # 002 §3 and 004 §9.5.3: alerts show until a visit where the child is seen.
    contacts = (
        home("2026-12-21", seen=False),
        home("2026-12-22", seen=False),
        home("2026-12-29"),
    )
    for profile in (BD, BEDS):
        case = Case(profile, R.SEEN, "", "2026-12-30", (None, None, MET), contacts=contacts)
        assert not [status for status in _run(case) if status.rule.is_alert]


def test_escalations_name_who_must_be_told() -> None:
    case = CASES["beds-not-seen-by-social-worker-20-days"]
    found = {status.rule: status for status in _run(case)}
    escalation = found[R.NOT_SEEN_BY_KEY_WORKER]
    assert escalation.escalation and escalation.notify == "team manager"
    assert not found[R.HOME_VISIT].escalation  # a late visit is not an escalation by itself
    alert = _run(CASES["beds-failed-visit-christmas-eve"])[-1]
    assert alert.escalation and alert.reference == "home-2026-12-24"
