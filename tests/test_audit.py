"""The audit chain: every kind of tampering is found and named."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import random
from collections import Counter
from typing import Any

import pytest

from coreform.audit import (
    GENESIS_HASH,
    AuditAction,
    AuditEntry,
    AuditHead,
    export_head,
    head_of,
    next_entry,
    parse_head,
    verify_chain,
)

START = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
TAMPERINGS = 1000


def make_trail(length: int, rng: random.Random) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for i in range(length):
        entries.append(
            next_entry(
                entries[-1] if entries else None,
                at_utc=START + dt.timedelta(seconds=i * 37),
                user=rng.choice(["amy", "ben", "chidi"]),
                action=rng.choice(list(AuditAction)),
                record_reference=f"R-{rng.randrange(1000):04d}",
            )
        )
    return entries


def test_a_fresh_trail_verifies() -> None:
    trail = make_trail(20, random.Random(1))
    result = verify_chain(trail, head=head_of(trail))
    assert result.ok and result.first_broken_seq is None
    assert trail[0].prev_hash == GENESIS_HASH
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(trail))


def test_every_action_chains_and_verifies() -> None:
    entries: list[AuditEntry] = []
    for i, action in enumerate(AuditAction):
        entries.append(
            next_entry(
                entries[-1] if entries else None,
                at_utc=START + dt.timedelta(minutes=i),
                user="amy",
                action=action,
                record_reference=f"R-{i}",
            )
        )
    assert verify_chain(entries).ok
    assert [e.action for e in entries] == list(AuditAction)


def test_naive_times_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        next_entry(None, at_utc=dt.datetime(2025, 1, 1), user="a", action=AuditAction.VIEWED)


def test_times_are_stored_in_utc() -> None:
    london = dt.timezone(dt.timedelta(hours=1))
    entry = next_entry(
        None,
        at_utc=dt.datetime(2025, 6, 1, 10, 0, tzinfo=london),
        user="a",
        action=AuditAction.VIEWED,
    )
    assert entry.at_utc == dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)
    assert entry.at_utc.utcoffset() == dt.timedelta(0)


def _edit(entry: AuditEntry, rng: random.Random) -> AuditEntry:
    name = rng.choice(["seq", "at_utc", "user", "action", "record_reference", "prev_hash", "hash"])
    value: Any  # of the field's type, or the test would not change it
    if name == "seq":
        value = entry.seq + rng.choice([-1, 1, 2, 100])
    elif name == "at_utc":
        value = entry.at_utc + dt.timedelta(microseconds=rng.choice([-1, 1, 3_600_000_000]))
    elif name == "action":
        value = rng.choice([a for a in AuditAction if a != entry.action])
    elif name in ("prev_hash", "hash"):
        old: str = getattr(entry, name)
        i = rng.randrange(64)
        value = old[:i] + ("0" if old[i] != "0" else "1") + old[i + 1 :]
    else:
        value = getattr(entry, name) + rng.choice(["x", " ", "\u00e9"])
    return dataclasses.replace(entry, **{name: value})


def _tamper(trail: list[AuditEntry], rng: random.Random) -> tuple[str, list[AuditEntry], int]:
    """A tampered copy of the trail, its kind and the entry number verify must name."""
    kind = rng.choice(["edit", "delete", "reorder", "insert", "rewrite_tail"])
    copy = list(trail)
    n = len(copy)
    if kind == "edit":
        i = rng.randrange(n)
        copy[i] = _edit(copy[i], rng)
        return kind, copy, i + 1
    if kind == "delete":
        i = rng.randrange(n)
        del copy[i]
        return kind, copy, i + 1
    if kind == "reorder":
        i, j = sorted(rng.sample(range(n), 2))
        copy[i], copy[j] = copy[j], copy[i]
        return kind, copy, i + 1
    forged_at = rng.randrange(n)  # before an existing entry; appending is ordinary use
    forged = next_entry(
        copy[forged_at - 1] if forged_at else None,
        at_utc=copy[forged_at].at_utc,
        user="mallory",
        action=AuditAction.DELETED,
        record_reference="R-9999",
    )
    copy.insert(forged_at, forged)
    if kind == "insert":
        return kind, copy, forged_at + 2
    # The forger renumbers and re-hashes every later entry so the chain itself is consistent;
    # only the exported head kept elsewhere reveals it.
    for k in range(forged_at + 1, len(copy)):
        e = copy[k]
        copy[k] = next_entry(
            copy[k - 1],
            at_utc=e.at_utc,
            user=e.user,
            action=e.action,
            record_reference=e.record_reference,
        )
    return kind, copy, n


def test_a_thousand_random_tamperings_are_all_detected() -> None:
    rng = random.Random(20250303)
    kinds: Counter[str] = Counter()
    for _ in range(TAMPERINGS):
        trail = make_trail(rng.randrange(2, 40), rng)
        head = head_of(trail)
        kind, tampered, expected_seq = _tamper(trail, rng)
        result = verify_chain(tampered, head=head)
        assert not result.ok, (kind, result)
        assert result.first_broken_seq == expected_seq, (kind, result)
        assert str(expected_seq) in result.message
        kinds[kind] += 1
    assert sum(kinds.values()) == TAMPERINGS
    assert set(kinds) == {"edit", "delete", "reorder", "insert", "rewrite_tail"}


def test_without_the_head_only_cutting_the_end_goes_unseen() -> None:
    trail = make_trail(10, random.Random(3))
    assert verify_chain(trail[:7]).ok
    result = verify_chain(trail[:7], head=head_of(trail))
    assert not result.ok and result.first_broken_seq == 8
    assert "8 to 10 are missing" in result.message


def test_a_head_exported_earlier_still_verifies_a_longer_trail() -> None:
    trail = make_trail(10, random.Random(4))
    early = head_of(trail[:4])
    assert verify_chain(trail, head=early).ok


def test_head_export_round_trips() -> None:
    trail = make_trail(5, random.Random(5))
    text = export_head(head_of(trail))
    assert text == f"coreform-audit-head seq=5 sha256={trail[-1].hash}"
    assert parse_head(text + "\n") == AuditHead(5, trail[-1].hash)
    with pytest.raises(ValueError, match="not an exported audit head"):
        parse_head("seq=5")
