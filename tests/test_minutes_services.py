"""Core group minutes through the services on a real SQLite file: start, save, finalise (locks and
counts as a core group held), amend with a reason, carry forward, append-only, scaling history,
recipients and the minutes deadline on the caseload (Suffolk: 15 working days, 001 §4.3)."""

from __future__ import annotations

import datetime as dt

import pytest

from coreform.audit import AuditAction
from coreform.errors import AppendOnlyError
from coreform.minutes import AttendeeKind, CoreGroupMinutes, MinutesState, NextStep, SafetyGoal
from coreform.minutes_carry import remove_safety_goal
from coreform.plans import ChildPlan, PlanMember
from coreform.policies import RuleId
from coreform.records import LONDON, Child, Family, KeyWorker
from coreform.services import (
    CoreformError,
    RecordLockedError,
    Services,
    ValidationFailedError,
)
from coreform.timescales import State
from tests.conftest import MovingClock
from tests.pg_server import PgServer

D = dt.date.fromisoformat
WORKER = "Katarzyna Wiśniewska"


@pytest.fixture
def clock() -> MovingClock:
    return MovingClock(dt.datetime(2026, 3, 2, 16, 0, tzinfo=LONDON))


@pytest.fixture
def family(services: Services) -> Family:
    return _family(services)


def _family(services: Services) -> Family:
    """The Nguyễn family: two children on plans from 16 February 2026, under Suffolk's rules."""
    services.set_policy("suffolk")
    family = services.save_family(
        Family(
            name="Nguyễn",
            children=[Child(name="Nguyễn Minh Anh"), Child(name="Nguyễn Bảo")],
            key_worker=KeyWorker(name=WORKER, email="k.wisniewska@suffolk.example"),
        )
    )

    def members() -> list[PlanMember]:  # each child's plan has its own member rows
        return [
            PlanMember(
                name=WORKER,
                role="Social worker",
                agency="Suffolk CYPS",
                email="k.wisniewska@suffolk.example",
            ),
            PlanMember(
                name="Aisha Rahman",
                role="Health visitor",
                agency="NHS",
                email="aisha.rahman@nhs.example",
            ),
            PlanMember(name="Nguyễn Thị Hoa", role="Mother", email="hoa@example.org"),
        ]

    for child in family.children:
        services.save_plan(
            ChildPlan(child.id, D("2026-02-16"), next_review=D("2026-05-11"), members=members())
        )
    return family


def _complete(minutes: CoreGroupMinutes, held: str = "2026-03-02") -> CoreGroupMinutes:
    minutes.actual_date = minutes.planned_date = D(held)
    minutes.venue = "Lowestoft Family Hub"
    minutes.family_says = "Hoa says the mornings are easier."
    minutes.progress_summary = "Steady."
    minutes.next_date, minutes.next_venue = D(held) + dt.timedelta(days=35), "Lowestoft"
    for attendee in minutes.attendees:
        attendee.attended = True
        attendee.chair = attendee.name == WORKER
    minutes.attendees[2].kind = AttendeeKind.PARENT_CARER
    for child in minutes.children:
        child.child_says = "Likes nursery."
        child.advocate_understood = True
        child.scaling.child.this_meeting = 5
    if not minutes.safety_goals:
        goal = SafetyGoal(goal="Anh is collected from nursery by a sober adult", worry="Alcohol")
        minutes.safety_goals = [goal]
        minutes.next_steps = [
            NextStep(
                action="Alcohol service referral",
                who="Aisha Rahman",
                by_when=D("2026-03-13"),
                goal_id=goal.id,
            )
        ]
    return minutes


def test_a_first_and_second_meeting_through_the_services(
    services: Services, family: Family, clock: MovingClock
) -> None:
    first = services.start_minutes(family.id)
    # 001 §2.1: within 10 working days of the conference of Mon 16 February 2026.
    assert (first.sequence, first.due_date) == (1, D("2026-03-02"))
    assert first.due_rule.startswith("First core group: within 10 working days")
    assert [a.name for a in first.attendees] == [WORKER, "Aisha Rahman", "Nguyễn Thị Hoa"]
    # Not seen since the conference, but the 10 working days (001 §8.3) end today: not late yet.
    assert first.children[0].seen_in_timescales is True
    assert "Seen: due soon (not yet, due 02/03/2026)" in first.children[0].seen_in_timescales_note
    draft = services.save_minutes_draft(_complete(first))
    assert draft.reference.startswith("CGM-") and draft.state is MinutesState.DRAFT
    again = services.save_minutes_draft(draft)  # autosave, twice
    final = services.finalise_minutes(again)
    assert final.locked and final.completed_on == D("2026-03-02")
    assert final.safety_goals[0].agreed_on == D("2026-03-02")
    with pytest.raises(RecordLockedError, match="choose Amend"):
        services.save_minutes_draft(final)
    # The meeting now counts as a core group held for both children.
    plan = services.get_plan(family.children[1].id)
    assert plan is not None and plan.core_groups == (D("2026-03-02"),)

    clock.now = dt.datetime(2026, 4, 6, 9, 0, tzinfo=LONDON)
    second = services.start_minutes(family.id)
    assert second.sequence == 2
    assert second.planned_date == D("2026-04-06")
    assert [g.id for g in second.safety_goals] == [g.id for g in final.safety_goals]
    assert second.children[0].scaling.child.last_meeting == 5
    assert second.children[0].seen_in_timescales is False  # nobody has recorded seeing Anh
    # 001 §3.1 six weeks after 2 March is 13 April; §3.6 the review on 11 May needs the last
    # core group by 20 April (15 working days back, Easter Monday 6 April skipped): 13 April.
    assert (second.due_date, second.last_before_review) == (D("2026-04-13"), False)
    with pytest.raises(AppendOnlyError, match="cannot be deleted"):
        remove_safety_goal(second, second.safety_goals[0].id)
    second.safety_goals = []
    with pytest.raises(AppendOnlyError):
        services.save_minutes_draft(second)


def test_asap_is_refused_and_an_inquorate_meeting_is_flagged(
    services: Services, family: Family
) -> None:
    minutes = _complete(services.start_minutes(family.id))
    minutes.next_steps[0].action = "Referral to the alcohol service ASAP"
    minutes.attendees[1].attended = False
    minutes.attendees[1].written_report = True
    problems = services.validate_minutes(minutes)
    assert any("“ASAP” is not a timescale" in p.message for p in problems)
    assert any(p.message.startswith("Not quorate") for p in problems)
    with pytest.raises(ValidationFailedError, match="cannot be finalised yet: “ASAP”"):
        services.finalise_minutes(minutes)
    assert services.count_minutes(child_id=family.children[0].id) == 0  # nothing stored


def test_amending_keeps_the_final_version_and_the_caseload_tracks_distribution(
    services: Services, family: Family, clock: MovingClock
) -> None:
    final = services.finalise_minutes(_complete(services.start_minutes(family.id)))
    assert services.draft_minutes(family.id) is None  # nothing being written to continue
    with pytest.raises(CoreformError, match="Say why"):
        services.amend_minutes(final.id, " ")
    services.discard_minutes_draft(services.amend_minutes(final.id, "Started by mistake").id)
    assert services.get_minutes(final.id).version == 1  # the final version stays in force
    amended = services.amend_minutes(final.id, "Venue corrected")
    assert (amended.version, amended.state) == (2, MinutesState.DRAFT)
    assert services.draft_minutes(family.id) == amended  # the amendment is continued
    amended.venue = "Lowestoft Children's Centre"
    amended = services.finalise_minutes(services.save_minutes_draft(amended))
    assert amended.state is MinutesState.AMENDED
    assert [m.version for m in services.minutes_versions(final.id)] == [1, 2]
    assert services.list_minutes(child_id=family.children[0].id)[0].venue.endswith("Centre")

    # 001 §4.3: distributed within 15 working days of 2 March 2026: by 23 March.
    row = services.caseload().rows[0]
    status = row.status(RuleId.MINUTES_DISTRIBUTED)
    assert status is not None and (status.due, status.state) == (D("2026-03-23"), State.MET)
    clock.now = dt.datetime(2026, 3, 24, 9, 0, tzinfo=LONDON)
    status = services.caseload().rows[0].status(RuleId.MINUTES_DISTRIBUTED)
    assert status is not None and status.state is State.OVERDUE
    deadline = services.minutes_deadline(amended)
    assert deadline is not None and deadline.deadline.late and deadline.source == "001 §4.3"
    services.record_minutes_distributed(final.id, D("2026-03-24"))
    status = services.caseload().rows[0].status(RuleId.MINUTES_DISTRIBUTED)
    assert status is not None  # one working day after 23 March: sent, and shown as late
    assert (status.last_met, status.state) == (D("2026-03-24"), State.SENT_LATE)
    assert status.working_days_late == 1

    recipients = services.minutes_recipients(final.id)
    assert sorted(r.email for r in recipients) == [
        "aisha.rahman@nhs.example",
        "hoa@example.org",
        "k.wisniewska@suffolk.example",
    ]
    history = services.scaling_history(family.children[0].id)
    assert [(p.label, p.child) for p in history] == [
        ("Initial conference", None),
        ("Core group 1", 5),
    ]
    audited = [e for e in services.audit_page(0, 100) if e.record_reference.startswith("CGM-")]
    actions = {entry.action for entry in audited}
    assert {AuditAction.CREATED, AuditAction.SUBMITTED, AuditAction.AMENDED} <= actions
    assert AuditAction.DISTRIBUTION_COMPLETE in actions
    assert not [e for e in services.audit_page(0, 100) if "Nguyễn" in e.record_reference]


@pytest.mark.postgresql
def test_minutes_on_postgresql(postgresql_server: PgServer) -> None:
    """Shared mode: the same round trip on PostgreSQL (the queries' NULLS FIRST and NOT EXISTS)."""
    postgresql_server.create_database("minutes")
    clock = MovingClock(dt.datetime(2026, 3, 2, 16, 0, tzinfo=LONDON))
    services = Services.open(postgresql_server.socket_url("minutes"), clock=clock)
    try:
        made = _family(services)
        final = services.finalise_minutes(_complete(services.start_minutes(made.id)))
        draft = services.save_minutes_draft(
            _complete(services.start_minutes(made.id), "2026-04-06")
        )
        assert [m.id for m in services.list_minutes(family_id=made.id)] == [draft.id, final.id]
        assert services.count_minutes(child_id=made.children[0].id) == 2
        status = services.caseload().rows[0].status(RuleId.MINUTES_DISTRIBUTED)
        assert status is not None and status.due == D("2026-03-23")
    finally:
        services.close()
