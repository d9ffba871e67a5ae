"""The import banner's sentences: one set of minutes or several, said as a person would."""

from __future__ import annotations

from pathlib import Path

from coreform.inbox import ChildMatch, Filing, ImportOutcome, ReceivedKind
from coreform.intake import Origin
from ui.importing import FileResult, summary

_UNKNOWN = (ChildMatch("c" * 32, "Nguyễn Văn An", None, ()),)


def _minutes(n: int, filing: Filing, unknown: bool = False) -> list[FileResult]:
    return [
        FileResult(
            Path(f"CGM-{i}.pdf"),
            [
                ImportOutcome(
                    f"m{i}",
                    f"CGM-2026-0000{i}",
                    1,
                    filing,
                    Origin.COREFORM,
                    f"CGM-{i}.pdf",
                    unknown_children=_UNKNOWN if unknown else (),
                    kind=ReceivedKind.MINUTES,
                )
            ],
        )
        for i in range(n)
    ]


def test_one_set_of_minutes_and_several_are_said_in_proper_english() -> None:
    text, failed = summary(_minutes(1, Filing.FILED, unknown=True), 1)
    assert text.splitlines() == [
        "The core group minutes are filed.",
        "The core group minutes name a child not on file yet: select them and choose "
        "“Match child…”.",
    ]
    assert not failed
    results = _minutes(2, Filing.FILED, unknown=True) + _minutes(1, Filing.DUPLICATE)
    text, _ = summary(results, 5)
    assert text.splitlines() == [
        "2 sets of core group minutes are filed. 1 set of core group minutes was already filed "
        "(nothing changed).",
        "Stopped: 2 files not imported.",
        "2 sets of minutes name a child not on file yet: select them and choose “Match child…”.",
    ]
    assert "(s)" not in text
