"""Children's plans, the organisation's policy profile, the caseload and a child's timeline."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

from coreform.audit import AuditAction
from coreform.caseload import (
    CaseloadRow,
    CaseloadScope,
    PlannedChild,
    caseload_from_facts,
    child_facts,
    collector_paused,
)
from coreform.contact_facts import Contact, ContactFacts
from coreform.errors import ConflictError, CoreformError, NotFoundError
from coreform.plans import ChildPlan
from coreform.policies import PolicyError, Profile, load_profile, profile_ids
from coreform.records import Role
from coreform.services.preferences import PreferenceServices
from coreform.storage.plan_repository import StalePlanError
from coreform.storage.unit_of_work import UnitOfWork
from coreform.timescales import RuleStatus, TimescaleRules, compute_timescales

POLICY_KEY = "organisation.policy"
# Children whose facts are gathered from one read of their contacts: bounds the memory used.
_GATHER_CHUNK = 1000
NO_POLICY = (
    "Choose your organisation's timescales first: Settings → Timescales (a manager or "
    "administrator sets them)."
)


@dataclass(frozen=True)
class Caseload:
    profile: Profile
    today: dt.date
    rows: list[CaseloadRow]


@dataclass(frozen=True)
class ChildTimeline:
    child: PlannedChild
    contacts: list[Contact]
    statuses: list[RuleStatus]
    today: dt.date


class PlanServices(PreferenceServices):
    # ---- the organisation's policy profile ------------------------------------------------------

    def policy_choices(self) -> list[tuple[str, str]]:
        """(id, title) of every shipped profile."""
        return [(profile_id, load_profile(profile_id).title) for profile_id in profile_ids()]

    def policy_id(self) -> str:
        """The organisation's profile id, "" when none is chosen yet."""
        with self._work("read the timescales setting") as uow:
            return uow.settings.get(POLICY_KEY) or ""

    def policy(self) -> Profile:
        """The organisation's profile; CoreformError saying where to choose one."""
        chosen = self.policy_id()
        if not chosen:
            raise CoreformError(NO_POLICY)
        try:
            return load_profile(chosen)
        except PolicyError as error:
            raise CoreformError(f"The timescales file is damaged: {error}. Ask IT.") from error

    def set_policy(self, policy_id: str) -> None:
        """A manager or administrator picks the organisation's profile (audited)."""
        try:
            load_profile(policy_id)
        except PolicyError as error:
            raise CoreformError(str(error)) from error
        with self._work("save the timescales setting") as uow:
            self._require_role(uow, Role.MANAGER, Role.ADMINISTRATOR)
            uow.settings.put({POLICY_KEY: policy_id})
            self._audit(uow, AuditAction.SETTING_CHANGED, f"{POLICY_KEY}={policy_id}")

    # ---- one child's plan -----------------------------------------------------------------------

    def get_plan(self, child_id: str) -> ChildPlan | None:
        """The child's plan, or None when none is entered yet."""
        with self._work("read the child's plan") as uow:
            return uow.plans.get(child_id)

    def save_plan(self, plan: ChildPlan) -> ChildPlan:
        """Stores the plan and audits what changed (by field, never a name or free text)."""
        if plan.next_review is not None and plan.next_review < plan.initial_conference:
            raise CoreformError(
                "The next review conference is before the initial conference; check both dates."
            )
        saved = copy.deepcopy(plan)
        try:
            with self._work("save the child's plan") as uow:
                before = uow.plans.get(plan.child_id)
                saved.version = uow.plans.save(saved, now=self._now())
                changed = _changed_fields(before, saved)
                self._audit(uow, AuditAction.PLAN_CHANGED, f"plan {plan.child_id}: {changed}")
        except StalePlanError:
            raise ConflictError(
                "This plan was changed in another window since you opened it. Open it again "
                "and make your change there."
            ) from None
        return saved

    # ---- the caseload and the timeline ----------------------------------------------------------

    def caseload_scope(self) -> CaseloadScope:
        """A key worker sees the children whose family names them as key worker; a manager or
        administrator the team's. A single-user installation holds only its user's own work.

        With accounts (shared mode) the settings are the whole database's, so who "I" am is the
        signed-in account: its user name when that is an email address, else its full name.
        """
        role = self.work_role
        account = self.account
        if role in (Role.MANAGER, Role.ADMINISTRATOR) or (
            account is None and role is not Role.KEY_WORKER
        ):
            return CaseloadScope()
        if account is not None:
            email = account.user_name.strip() if "@" in account.user_name else ""
            name = account.display_name.strip()
            advice = (
                "Your caseload is the children whose family names you as key worker, and your "
                "account has neither your work email as user name nor your full name. Ask an "
                "administrator for an account that has one of them."
            )
        else:
            me = self.get_settings().me
            email, name = me.email.strip(), me.name.strip()
            advice = (
                "Enter your name and email in Settings: your caseload is the children whose "
                "family names you as key worker."
            )
        if not (email or name):
            raise CoreformError(advice)
        return CaseloadScope(key_worker_email=email, key_worker_name=name)

    def caseload(self) -> Caseload:
        """Every child on a plan in my scope with their timescales; run it off the GUI thread."""
        profile = self.policy()
        scope = self.caseload_scope()
        today = self.today()
        with collector_paused():
            with self._work("read the caseload") as uow:
                children = uow.plans.planned_children(scope)
                facts = uow.contact_facts.stored(scope, today)
                missing = [child for child in children if child.child_id not in facts]
                if missing:
                    # Issue 15: only the children whose contacts changed since last gathered.
                    uow.contact_facts.lock_for_filling()
                    gathered = _gather_facts(uow, missing, today)
                    uow.contact_facts.store(missing, gathered, today)
                    facts.update(gathered)
                _add_minutes(uow, children)
            rules = TimescaleRules(profile, self.calendar(), today)
            return Caseload(profile, today, caseload_from_facts(children, facts, rules))

    def child_timeline(self, child_id: str, *, on: dt.date | None = None) -> ChildTimeline:
        """The child's contacts and timescales as they stood `on` a day (default today; never
        later than today: what has not happened is not a fact)."""
        profile = self.policy()
        with self._work("read the child's timeline") as uow:
            child = uow.plans.planned_child(child_id)
            if child is None:
                raise NotFoundError("This child has no plan yet; enter it on the Plan page.")
            contacts = uow.plans.contacts(CaseloadScope(), child_ids=[child_id]).get(child_id, [])
            _add_minutes(uow, [child])
        today = min(on, self.today()) if on is not None else self.today()
        statuses = compute_timescales(
            child.plan,
            contacts,
            child.plan.core_groups,
            profile,
            self.calendar(),
            today,
            date_of_birth=child.date_of_birth,
        )
        return ChildTimeline(child, contacts, statuses, today)


def _gather_facts(
    uow: UnitOfWork, children: list[PlannedChild], today: dt.date
) -> dict[str, ContactFacts]:
    """The children's facts from their contacts, a chunk of children at a time."""
    gathered: dict[str, ContactFacts] = {}
    for first in range(0, len(children), _GATHER_CHUNK):
        chunk = children[first : first + _GATHER_CHUNK]
        contacts = uow.plans.contacts(CaseloadScope(), child_ids=[c.child_id for c in chunk])
        for child in chunk:
            gathered[child.child_id] = child_facts(child, contacts.get(child.child_id, ()), today)
    return gathered


def _add_minutes(uow: UnitOfWork, children: list[PlannedChild]) -> None:
    """The finalised minutes of each child's meetings: the minutes deadline counts from them."""
    held = uow.minutes.held_for_children([child.child_id for child in children])
    for child in children:
        child.plan.minutes = tuple(held.get(child.child_id, ()))


def _changed_fields(before: ChildPlan | None, after: ChildPlan) -> str:
    if before is None:
        return "created"
    names = [
        name
        for name in (
            "plan_type",
            "initial_conference",
            "reviews",
            "next_review",
            "core_groups",
            "members",
            "overrides",
        )
        if getattr(before, name) != getattr(after, name)
    ]
    return ", ".join(names) or "saved unchanged"
