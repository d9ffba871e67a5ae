"""Core group minutes received from another coreform (the gap issue 14 left): filed once each,
read only, with their sender and the day they came; listed in the inbox, opened with the
child's scaling across the meetings received, their children matched to children here through
the same links as received records' children.

Received minutes are kept apart from the minutes written here: they never count as a meeting
held here, never carry forward into minutes written here, and are never sent on. Audited by
reference and version, never by name.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import replace

from coreform.audit import AuditAction
from coreform.content_hash import minutes_content_hash
from coreform.errors import IntakeError, NotFoundError
from coreform.inbox import ChildMatch, Filing, ImportOutcome, ReceivedKind, ReceivedMinutesEntry
from coreform.intake import Origin, ReceivedMinutes, changed_fields
from coreform.minutes import (
    CoreGroupMinutes,
    ScalingPoint,
    minutes_audit_name,
    scaling_history,
    with_received,
)
from coreform.records import Child, Family, KeyWorker
from coreform.services.context import ServiceContext
from coreform.storage.unit_of_work import UnitOfWork

# A child as a received file names them: (the sender's id, name, date of birth).
NamedChild = tuple[str, str, dt.date | None]
_GONE = "These minutes are no longer in coreform. Refresh the inbox."


class TamperedMinutesError(IntakeError):
    def __init__(self, reference: str, version: int) -> None:
        super().__init__(
            f"Minutes {reference} version {version} are already filed, and this copy's content "
            "differs from them: it may have been altered. Nothing was changed. Ask the key "
            "worker who sent them to check the minutes and, if they must change, to amend them "
            "and send them again."
        )


class ReceivedMinutesServices(ServiceContext):
    # ---- filing ------------------------------------------------------------------------------

    def _file_minutes(self, uow: UnitOfWork, item: ReceivedMinutes) -> ImportOutcome:
        """Files one received version; the same version twice is filed once (DUPLICATE), a
        later version beside the earlier (AMENDMENT, with what it changed)."""
        minutes = item.minutes
        if not minutes.locked:
            raise IntakeError(
                f"Minutes {minutes.reference or ''} are a draft: the key worker has not finalised "
                "them, so they cannot be filed. Ask them to finalise the minutes and send them "
                "again."
            )
        if uow.minutes.get(minutes.id) is not None:
            raise IntakeError(
                f"Minutes {minutes.reference} were written in this coreform: they are on the "
                "family's Child's plan page already. Nothing was imported."
            )
        digest = minutes_content_hash(minutes)
        outcome = ImportOutcome(
            record_id=minutes.id,
            reference=minutes.reference,
            version=minutes.version,
            filing=Filing.FILED,
            origin=Origin.COREFORM,
            source=item.source,
            unknown_children=children_not_on_file(uow, _named(minutes)),
            kind=ReceivedKind.MINUTES,
        )
        kept = uow.received_minutes.content_sha256(minutes.id, minutes.version)
        if kept is not None:
            if kept != digest:
                raise TamperedMinutesError(minutes.reference, minutes.version)
            return replace(outcome, filing=Filing.DUPLICATE)
        earlier = uow.received_minutes.latest_before(minutes.id, minutes.version)
        uow.received_minutes.add(
            minutes,
            sender_name=item.sender_name,
            sender_email=item.sender_email,
            at=self._now(),
            content_sha256=digest,
        )
        self._audit(uow, AuditAction.IMPORTED, minutes_audit_name(minutes))
        if earlier is None:
            return outcome
        changed = tuple(changed_fields(earlier, minutes))
        return replace(outcome, filing=Filing.AMENDMENT, changed=changed)

    # ---- the inbox list and the minutes ------------------------------------------------------

    def received_minutes_count(self) -> int:
        with self._work("count the minutes received") as uow:
            return uow.received_minutes.count()

    def received_minutes_page(self, offset: int, limit: int) -> list[ReceivedMinutesEntry]:
        """Every received version, newest received first."""
        with self._work("list the minutes received") as uow:
            return uow.received_minutes.page(offset, limit)

    def open_received_minutes(
        self, minutes_id: str, version: int
    ) -> tuple[CoreGroupMinutes, ReceivedMinutesEntry]:
        """That received version, read only, and who sent it when (audited as viewed)."""
        with self._work("open the minutes received") as uow:
            minutes = uow.received_minutes.get(minutes_id, version)
            entry = uow.received_minutes.entry(minutes_id, version)
            if minutes is None or entry is None:
                raise NotFoundError(_GONE)
            self._audit(uow, AuditAction.VIEWED, minutes_audit_name(minutes))
        return minutes, entry

    def received_scaling_history(self, child_id: str) -> list[ScalingPoint]:
        """A child's scaling across every meeting received that covered them; `child_id` as the
        minutes name them (the key worker's), or a child here matched to it."""
        with self._work("read the scaling history") as uow:
            local = uow.inbox.local_child_id(child_id)
            ids = set(uow.inbox.child_ids(local)) if local is not None else {child_id}
            meetings = uow.received_minutes.latest_for_children(sorted(ids | {child_id}))
        return scaling_history(meetings, ids | {child_id})

    def file_scaling_history(self, child_id: str) -> list[ScalingPoint]:
        """The scaling on a child's file (`child_id` here): their own finalised minutes', then
        the received minutes' for meetings their own do not cover, labelled as received."""
        with self._work("read the scaling history") as uow:
            own = uow.minutes.final_for_child(child_id)
            ids = uow.inbox.child_ids(child_id)
            received = uow.received_minutes.latest_for_children(ids)
        return with_received(scaling_history(own, {child_id}), scaling_history(received, ids))

    # ---- matching the children -----------------------------------------------------------------

    def unknown_children_in_minutes(self, minutes_id: str, version: int) -> tuple[ChildMatch, ...]:
        """Children the received minutes cover who are not yet matched to a child here."""
        with self._work("read the minutes received") as uow:
            return children_not_on_file(uow, _named(_received(uow, minutes_id, version)))

    def add_family_from_minutes(
        self, minutes_id: str, version: int, child_ids: Sequence[str]
    ) -> Family:
        """A family here from the received minutes' family name and the named children (those
        not on file yet), so the minutes are on their file."""
        with self._work("add the family") as uow:
            minutes = _received(uow, minutes_id, version)
            key_worker = KeyWorker(name=minutes.worker_name, email=minutes.worker_email)
            children = [
                Child(name=name, date_of_birth=born, id=child_id)
                for child_id, name, born in _named(minutes)
                if child_id in child_ids
            ]
            return self._new_family(
                uow, minutes.family_name, key_worker, children, minutes_audit_name(minutes)
            )

    def child_on_file_for_minutes(self, minutes_id: str, version: int) -> str | None:
        """The first child the received minutes cover who is on file here."""
        with self._work("read the minutes received") as uow:
            for child_id, _child, _born in _named(_received(uow, minutes_id, version)):
                local = uow.inbox.local_child_id(child_id)
                if local is not None:
                    return local
        return None

    def _new_family(
        self,
        uow: UnitOfWork,
        name: str,
        key_worker: KeyWorker,
        children: Sequence[Child],
        reference: str,
    ) -> Family:
        """A family made from a received file: only its children not on file yet (audited)."""
        family = Family(name=name, key_worker=copy.deepcopy(key_worker))
        family.children = [
            copy.deepcopy(child) for child in children if uow.inbox.local_child_id(child.id) is None
        ]
        uow.families.save(family, now=self._now())
        self._audit(uow, AuditAction.CHILD_MATCHED, f"{reference} new family")
        stored = uow.families.get(family.id)
        assert stored is not None
        return stored


def children_not_on_file(uow: UnitOfWork, children: Iterable[NamedChild]) -> tuple[ChildMatch, ...]:
    """The children of a received file not matched to a child here, each with the children
    here it could be (same date of birth and name)."""
    return tuple(
        ChildMatch(
            received_child_id=child_id,
            name=name,
            date_of_birth=born,
            candidates=tuple(uow.inbox.children_like(name, born)),
        )
        for child_id, name, born in children
        if uow.inbox.local_child_id(child_id) is None
    )


def _named(minutes: CoreGroupMinutes) -> list[NamedChild]:
    return [(child.child_id, child.name, child.date_of_birth) for child in minutes.children]


def _received(uow: UnitOfWork, minutes_id: str, version: int) -> CoreGroupMinutes:
    minutes = uow.received_minutes.get(minutes_id, version)
    if minutes is None:
        raise NotFoundError(_GONE)
    return minutes
