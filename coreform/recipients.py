"""Who receives a submitted record (000), decided once for the submit summary and the sending."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coreform.records import KeyWorker, MonitoringRecord, ParentCarer


@dataclass(frozen=True)
class Recipients:
    key_worker: KeyWorker
    # The parents/carers who get a copy by email: distinct, non-blank addresses only.
    parents: tuple[ParentCarer, ...]
    # Why no parent or carer gets a copy by email, or "" when some do.
    parents_note: str


def recipients(record: MonitoringRecord, parents_carers: Sequence[ParentCarer]) -> Recipients:
    """000: "On completion of the report forward a copy to the key worker and the parents/carers
    (unless to do so would place the child(ren) at risk of harm)."."""
    if record.copy_to_parents is not True:
        reason = record.no_copy_reason.strip() or "not answered"
        return Recipients(
            record.key_worker, (), f"Parents and carers will not get a copy: {reason}"
        )
    chosen: list[ParentCarer] = []
    addresses: set[str] = set()
    for carer in parents_carers:
        address = carer.email.strip().lower()
        if address and address not in addresses:
            addresses.add(address)
            chosen.append(carer)
    if not chosen:
        note = record.parents_copy_note.strip()
        return Recipients(
            record.key_worker,
            (),
            f"Parents and carers get their copy another way: {note}"
            if note
            else "A copy is allowed, but no parent or carer has an email address. Add one under "
            "Families & contacts, or say how the copy reaches them.",
        )
    return Recipients(record.key_worker, tuple(chosen), "")
