"""The content hash of a record version: what the audit entry that submits or files a version
carries, and what `coreform verify` re-hashes to name any stored version that changed (issue 9)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from coreform.minutes import CoreGroupMinutes, minutes_to_dict
from coreform.records import MonitoringRecord, SendMethod, record_to_dict


def content_hash(record: MonitoringRecord) -> str:
    """SHA-256 of a record version's content as submitted; the date sent is filled in later."""
    data = record_to_dict(record)
    data["record"].pop("date_sent", None)
    return _digest(data)


def minutes_content_hash(minutes: CoreGroupMinutes) -> str:
    """SHA-256 of a version of minutes as finalised; the distribution date is filled in later
    (a copy sent before the last recipient's message went does not carry it)."""
    data = minutes_to_dict(minutes)
    data["minutes"].pop("distributed_on", None)
    return _digest(data)


def _digest(data: dict[str, Any]) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# What record schema 2 added (issue 17, migration 0008), with the value a version 1 record has.
_ADDED_IN_V2_RECORD: dict[str, object] = {
    "risks_worsened": None,
    "new_incidents": None,
    "parents_copy_note": "",
    "due_date": None,
    "working_days_late": 0,
}
_ADDED_IN_V2_OBSERVATION: dict[str, object] = {
    "not_spoken_with_reason": "",
    "parent_agreed_alone": None,
}
_ADDED_IN_V2_CHILD: dict[str, object] = {"unborn": False, "expected_date": None}


def matches_content_hash(record: MonitoringRecord, digest: str) -> bool:
    """Whether `digest` is the record's content hash, as this version writes it or, for a
    version submitted before migration 0008, as schema 1 wrote it: an upgrade is not a change.

    The method is filled in again when the key worker's copy goes: a version submitted as an
    email draft that the mail server sent instead (the Outbox) was hashed as the draft."""
    submitted = [record]
    if record.send_method is SendMethod.EMAIL:
        submitted.append(dataclasses.replace(record, send_method=SendMethod.SECURE_EMAIL_DRAFT))
    return any(_matches(version, digest) for version in submitted)


def _matches(record: MonitoringRecord, digest: str) -> bool:
    if content_hash(record) == digest:
        return True
    data = record_to_dict(record)
    data["record"].pop("date_sent", None)
    owners = [(data["record"], _ADDED_IN_V2_RECORD)]
    for observation in data["record"]["children"]:
        owners.append((observation, _ADDED_IN_V2_OBSERVATION))
        owners.append((observation["child"], _ADDED_IN_V2_CHILD))
    for owner, added in owners:
        if any(owner.pop(key) != value for key, value in added.items()):
            return False  # a value schema 1 could not hold: never a version 1 record
    data["schema_version"] = 1
    return _digest(data) == digest
