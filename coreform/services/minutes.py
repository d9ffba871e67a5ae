"""Core group minutes (issue 14): start a meeting from the previous one, save drafts, check,
finalise (locks), amend with a reason, list, the scaling history and the minutes' deadline.

Every public method is one transaction (or none) and is audited by reference only.
"""

from __future__ import annotations

import copy
import datetime as dt

from coreform.audit import AuditAction
from coreform.errors import (
    ConflictError,
    CoreformError,
    NotFoundError,
    RecordLockedError,
    ValidationFailedError,
)
from coreform.minutes import (
    Attendee,
    CoreGroupMinutes,
    MinutesAmendment,
    MinutesState,
    ScalingPoint,
    minutes_audit_name,
    scaling_history,
)
from coreform.minutes_carry import MeetingChild, carry_forward, mark_agreed, refuse_removals
from coreform.minutes_checks import check_minutes
from coreform.minutes_schedule import (
    MinutesDeadline,
    meeting_due,
    minutes_deadline,
    seen_in_timescales,
)
from coreform.plans import ChildPlan
from coreform.services.plans import PlanServices
from coreform.storage.minutes_repository import StaleMinutesError
from coreform.storage.unit_of_work import UnitOfWork
from coreform.validation import Problem, Severity

PAGE_SIZE = 200
# Autosave writes often; the audit trail notes an edit at most this often per meeting.
EDIT_AUDIT_INTERVAL = dt.timedelta(minutes=15)
_LOCKED = "These minutes are final and locked. To change them, choose Amend and give the reason."
_CHANGED = (
    "These minutes were changed elsewhere (another window or person) since you opened them. "
    "Copy what you typed, open them again and add it there."
)


class MinutesServices(PlanServices):
    # ---- starting and saving ----------------------------------------------------------------

    def start_minutes(self, family_id: str) -> CoreGroupMinutes:
        """A new, unsaved meeting of the family, carried forward from its previous meeting."""
        with self._work("start the core group minutes") as uow:
            family = uow.families.get(family_id)
            if family is None:
                raise NotFoundError("This family is no longer in coreform. Choose it again.")
            plans = [plan for child in family.children if (plan := uow.plans.get(child.id))]
            previous = uow.minutes.previous_final(family_id, before=None)
        members = {m.id: m for plan in plans for m in plan.members}
        minutes = carry_forward(
            previous,
            family_id=family.id,
            family_name=family.name,
            children=[MeetingChild(c.id, c.name, c.date_of_birth) for c in family.children],
            members=list(members.values()),
            worker_name=family.key_worker.name,
            worker_email=family.key_worker.email,
            initial_conference=max((p.initial_conference for p in plans), default=None),
            today=self.today(),
        )
        minutes.created_at = minutes.updated_at = self._now()
        self._fill_minutes_facts(minutes, plans, previous)
        return minutes

    def save_minutes_draft(self, minutes: CoreGroupMinutes) -> CoreGroupMinutes:
        """Stores a draft (autosave-friendly) and returns the stored copy."""
        if minutes.locked:
            raise RecordLockedError(_LOCKED)
        with self._work("save the core group minutes") as uow:
            stored, created = self._store_minutes(uow, copy.deepcopy(minutes))
            audited = self._audit_minutes_edit(uow, stored, created=created)
        if audited is not None:
            self._edits_audited[stored.id] = audited
        return stored

    def discard_minutes_draft(self, minutes_id: str) -> None:
        """Removes the draft version: a meeting never finalised, or an amendment not finalised
        (the final version before it stays in force). A finalised version is never removed."""
        with self._work("discard the minutes draft") as uow:
            current = uow.minutes.get(minutes_id)
            if current is None:
                return
            if current.locked:
                raise RecordLockedError(_LOCKED)
            uow.minutes.delete_draft(minutes_id, current.version)
            self._audit(uow, AuditAction.DELETED, minutes_audit_name(current))

    # ---- checking, finalising, amending -----------------------------------------------------

    def validate_minutes(self, minutes: CoreGroupMinutes) -> list[Problem]:
        """Every error and warning, as coreform.minutes_checks finds them."""
        with self._work("check the core group minutes") as uow:
            previous = self._previous_meeting(uow, minutes)
        return check_minutes(
            minutes, calendar=self.calendar(), today=self.today(), previous=previous
        )

    def finalise_minutes(self, minutes: CoreGroupMinutes) -> CoreGroupMinutes:
        """Checks, saves and locks the minutes; the meeting then counts as a core group held in
        each child's plan. ValidationFailedError while errors remain."""
        if minutes.locked:
            raise RecordLockedError(_LOCKED)
        final = copy.deepcopy(minutes)
        with self._work("read the children's plans") as uow:
            plans = [plan for child_id in final.child_ids() if (plan := uow.plans.get(child_id))]
            previous = self._previous_meeting(uow, final)
        self._fill_minutes_facts(final, plans, previous)
        problems = check_minutes(
            final, calendar=self.calendar(), today=self.today(), previous=previous
        )
        if any(problem.severity is Severity.ERROR for problem in problems):
            raise ValidationFailedError(problems, what="The minutes cannot be finalised yet")
        assert final.actual_date is not None  # required: an error above otherwise
        mark_agreed(final, final.actual_date)
        final.state = MinutesState.AMENDED if final.amendment else MinutesState.FINAL
        final.completed_on = self.today()
        final.finalised_at = self._now()
        with self._work("finalise the core group minutes") as uow:
            base = uow.minutes.get(final.id, final.version - 1) if final.version > 1 else None
            stored, created = self._store_minutes(uow, final)
            self._count_as_held(uow, stored, base.actual_date if base else None)
            if created:
                self._audit(uow, AuditAction.CREATED, minutes_audit_name(stored))
            self._audit(uow, AuditAction.SUBMITTED, minutes_audit_name(stored))
        return stored

    def amend_minutes(self, minutes_id: str, reason: str) -> CoreGroupMinutes:
        """A new draft version of finalised minutes, with the reason; the final one stays."""
        if not reason.strip():
            raise CoreformError("Say why the minutes are being amended.")
        with self._work("amend the core group minutes") as uow:
            current = uow.minutes.get(minutes_id)
            if current is None:
                raise NotFoundError("These minutes are no longer in coreform.")
            if not current.locked:
                return current  # an amendment already open: carry on with it
            amended = copy.deepcopy(current)
            amended.version += 1
            amended.state = MinutesState.DRAFT
            amended.finalised_at = None
            amended.updated_at = self._now()
            amended.amendment = MinutesAmendment(
                reason.strip(), self._now(), self.current_user, current.version
            )
            uow.minutes.add(amended)
            self._audit(uow, AuditAction.AMENDED, minutes_audit_name(amended))
        return amended

    # ---- reading ----------------------------------------------------------------------------

    def get_minutes(self, minutes_id: str) -> CoreGroupMinutes:
        """The current version (an amendment in progress, else the final one)."""
        with self._work("open the core group minutes") as uow:
            found = uow.minutes.get(minutes_id)
            if found is not None:
                self._audit(uow, AuditAction.VIEWED, minutes_audit_name(found))
        if found is None:
            raise NotFoundError("These minutes are no longer in coreform.")
        return found

    def minutes_versions(self, minutes_id: str) -> list[CoreGroupMinutes]:
        with self._work("read the minutes' versions") as uow:
            return uow.minutes.versions(minutes_id)

    def list_minutes(
        self,
        *,
        family_id: str | None = None,
        child_id: str | None = None,
        offset: int = 0,
        limit: int = PAGE_SIZE,
    ) -> list[CoreGroupMinutes]:
        """One page of meetings (current versions), newest meeting first."""
        with self._work("list the core group minutes") as uow:
            return uow.minutes.page(
                family_id=family_id, child_id=child_id, offset=offset, limit=limit
            )

    def count_minutes(self, *, family_id: str | None = None, child_id: str | None = None) -> int:
        with self._work("count the core group minutes") as uow:
            return uow.minutes.count(family_id=family_id, child_id=child_id)

    def draft_minutes(self, family_id: str) -> CoreGroupMinutes | None:
        """The family's minutes being written (a new meeting's or an amendment), to continue
        rather than start another; None when every meeting is finalised."""
        with self._work("find the minutes being written") as uow:
            return uow.minutes.draft(family_id)

    def scaling_history(self, child_id: str) -> list[ScalingPoint]:
        """The child's scaling at the initial conference, then at each finalised meeting."""
        with self._work("read the scaling history") as uow:
            meetings = uow.minutes.final_for_child(child_id)
        return scaling_history(meetings, {child_id})

    def minutes_recipients(self, minutes_id: str) -> list[Attendee]:
        """Everyone the minutes go to (001 §4.3: all core group members; the attendees too):
        attendees and the children's current core group members with an email, once each."""
        minutes = self.get_minutes(minutes_id)
        with self._work("read the core group members") as uow:
            plans = [p for child_id in minutes.child_ids() if (p := uow.plans.get(child_id))]
        today = self.today()
        found: dict[str, Attendee] = {}
        for attendee in minutes.attendees:
            found.setdefault(attendee.email.strip().casefold(), attendee)
        for member in (m for plan in plans for m in plan.members):
            if member.left is None or member.left > today:
                found.setdefault(
                    member.email.strip().casefold(),
                    Attendee(
                        member.name, member.role, member.agency, member.email, member_id=member.id
                    ),
                )
        return [attendee for email, attendee in found.items() if email]

    def record_minutes_distributed(self, minutes_id: str, on: dt.date) -> CoreGroupMinutes:
        """The day finalised minutes reached every recipient (the outbox says each message went:
        accepted or confirmed sent); the first such day stands, a later amendment does not move
        it."""
        with self._work("record the minutes' distribution") as uow:
            current = uow.minutes.get(minutes_id)
            if current is None or not current.locked:
                raise CoreformError("Only finalised minutes are distributed; finalise them first.")
            if current.distributed_on is None:
                uow.minutes.set_distributed(minutes_id, current.version, on)
                current.distributed_on = on
            self._audit(uow, AuditAction.DISTRIBUTION_COMPLETE, minutes_audit_name(current))
        return current

    def minutes_deadline(self, minutes: CoreGroupMinutes) -> MinutesDeadline | None:
        """By when the minutes must be distributed under the organisation's profile (001 §4.3,
        004 §9.3.26), and where they stand; None without a profile rule or a meeting date."""
        try:
            profile = self.policy()
        except CoreformError:
            return None
        return minutes_deadline(
            minutes.actual_date,
            profile,
            self.calendar(),
            today=self.today(),
            distributed_on=minutes.distributed_on,
        )

    # ---- helpers ----------------------------------------------------------------------------

    def _previous_meeting(
        self, uow: UnitOfWork, minutes: CoreGroupMinutes
    ) -> CoreGroupMinutes | None:
        return uow.minutes.previous_final(
            minutes.family_id, before=minutes.meeting_date, excluding=minutes.id
        )

    def _fill_minutes_facts(
        self,
        minutes: CoreGroupMinutes,
        plans: list[ChildPlan],
        previous: CoreGroupMinutes | None,
    ) -> None:
        """The due date and its rule, and whether each child is seen in timescales."""
        try:
            profile = self.policy()
        except CoreformError:
            return  # no profile chosen yet: these facts stay empty, the rest works
        if plans:
            plan = max(plans, key=lambda p: p.initial_conference)
            held = [day for day in plan.core_groups if day >= plan.initial_conference]
            if previous is not None and previous.actual_date is not None:
                held.append(previous.actual_date)
            before = minutes.meeting_date
            earlier = [day for day in held if before is None or day < before]
            due = meeting_due(plan, max(earlier, default=None), profile, self.calendar())
            if due is not None:
                minutes.due_date, minutes.due_rule = due.due, due.describe()
                minutes.last_before_review = due.last_before_review
        for child in minutes.children:
            try:
                # As things stood at the meeting (minutes are often typed up days later).
                timeline = self.child_timeline(child.child_id, on=minutes.meeting_date)
            except NotFoundError:
                continue
            child.seen_in_timescales, child.seen_in_timescales_note = seen_in_timescales(
                timeline.statuses
            )

    def _store_minutes(
        self, uow: UnitOfWork, minutes: CoreGroupMinutes
    ) -> tuple[CoreGroupMinutes, bool]:
        """Writes `minutes` (a new version, or its stored draft in place) after the checks that
        keep what was agreed and what others saved; returns the stored copy and if it is new."""
        stored = uow.minutes.get(minutes.id, minutes.version)
        current = uow.minutes.get(minutes.id)
        if minutes.version > 1:
            refuse_removals(uow.minutes.get(minutes.id, minutes.version - 1), minutes)
        refuse_removals(self._previous_meeting(uow, minutes), minutes)
        now = self._now()
        if stored is None:
            if current is not None:
                raise ConflictError(_CHANGED)
            minutes.reference = minutes.reference or uow.references.next_minutes_reference(
                self.today().year
            )
            minutes.updated_at = now
            uow.minutes.add(minutes)
            return copy.deepcopy(minutes), True
        if stored.locked or (current is not None and current.version > minutes.version):
            raise RecordLockedError(_LOCKED)
        if stored.updated_at != minutes.updated_at:
            raise ConflictError(_CHANGED)
        minutes.reference, minutes.created_at = stored.reference, stored.created_at
        minutes.updated_at = max(now, stored.updated_at + dt.timedelta(microseconds=1))
        try:
            uow.minutes.update(minutes, expected_updated_at=stored.updated_at)
        except StaleMinutesError:
            raise ConflictError(_CHANGED) from None
        return copy.deepcopy(minutes), False

    def _audit_minutes_edit(
        self, uow: UnitOfWork, stored: CoreGroupMinutes, *, created: bool
    ) -> dt.datetime | None:
        """CREATED for a new meeting; EDITED at most once per EDIT_AUDIT_INTERVAL; when audited."""
        now = self._now()
        last = self._edits_audited.get(stored.id)
        if not created and last is not None and now - last < EDIT_AUDIT_INTERVAL:
            return None
        self._audit(
            uow, AuditAction.CREATED if created else AuditAction.EDITED, minutes_audit_name(stored)
        )
        return now

    def _count_as_held(
        self, uow: UnitOfWork, minutes: CoreGroupMinutes, earlier_date: dt.date | None
    ) -> None:
        """The meeting is a core group held for each child's timescales (plan_meetings)."""
        held = minutes.actual_date
        for child_id in minutes.child_ids():
            plan = uow.plans.get(child_id)
            if plan is None or held is None:
                continue
            # An amendment that moved the meeting's date moves it in the plan too.
            days = set(plan.core_groups) - {earlier_date} | {held}
            if days == set(plan.core_groups):
                continue
            plan.core_groups = tuple(sorted(days))
            uow.plans.save(plan, now=self._now())
            self._audit(uow, AuditAction.PLAN_CHANGED, f"plan {child_id}: core_groups")
