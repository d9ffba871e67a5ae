"""The lists' first screens and the family search, at each data set size."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from bench.table import Row, median_seconds, ms
from coreform import session
from coreform.record_query import RecordQuery
from coreform.records import RecordState
from coreform.services import Services
from ui.models.paged_table import PAGE_SIZE
from ui.pages.outbox import WAITING

SEARCH = RecordQuery(text="zoe nguyen")

FIRST_SCREEN_MS = 100
SEARCH_MS = 50


def _first_screen(count: Callable[[], object], page: Callable[[], object]) -> Callable[[], None]:
    """What a page does when it is shown: count what the query finds, read the first page."""

    def show() -> None:
        count()
        page()

    return show


def _outbox_screen(services: Services) -> None:
    services.count_outbox()
    services.count_outbox(WAITING)
    items = services.outbox_page(limit=PAGE_SIZE)
    services.record_references({item.record_id for item in items})


def _lists(services: Services) -> dict[str, Callable[[], object]]:
    drafts = RecordQuery(state=RecordState.DRAFT)
    return {
        "My records": _first_screen(
            lambda: (services.count_records(), services.count_records(drafts)),
            lambda: services.list_records(limit=PAGE_SIZE),
        ),
        "families": _first_screen(
            services.count_families, lambda: services.list_families(limit=PAGE_SIZE)
        ),
        "outbox": partial(_outbox_screen, services),
        "audit trail": _first_screen(
            services.audit_count, lambda: services.audit_page(0, PAGE_SIZE)
        ),
        "My records search “zoe nguyen”": _first_screen(
            lambda: services.count_records(SEARCH),
            lambda: services.list_records(SEARCH, limit=PAGE_SIZE),
        ),
    }


def first_screens(folder: Path, datasets: list[tuple[str, Path]]) -> list[Row]:
    del folder
    times: dict[str, dict[str, float]] = {}
    search: dict[str, float] = {}
    for name, data in datasets:
        opened = session.unlock_remembered(data)
        assert opened is not None, "the bench keyring lost the key: delete the data set"
        services = Services.open(opened.url)
        try:
            for what, action in _lists(services).items():
                action()  # warm the page cache: a user's second look, not the disk's first
                times.setdefault(what, {})[name] = median_seconds(action, 3)
            find = _first_screen(
                partial(services.count_families, "nguyen"),
                partial(services.find_families, "nguyen", limit=PAGE_SIZE),
            )
            find()
            search[name] = median_seconds(find, 3)
        finally:
            services.close()
    rows = []
    smallest = datasets[0][0]
    for what, by_size in times.items():
        for name, seconds in by_size.items():
            ratio = seconds / by_size[smallest] if name != smallest else None
            met = seconds * 1000 <= FIRST_SCREEN_MS and (ratio is None or ratio <= 1.5)
            rows.append(
                Row(
                    f"{what}, first screen, {name} records",
                    ms(seconds),
                    f"{smallest}: {ms(by_size[smallest])}" if ratio is not None else "",
                    ratio,
                    f"≤ {FIRST_SCREEN_MS} ms" + ("; ≤ 1.5× 25k" if ratio is not None else ""),
                    met,
                )
            )
    for name, seconds in search.items():
        rows.append(
            Row(
                f"family search by child name, {name} records",
                ms(seconds),
                "",
                None,
                f"≤ {SEARCH_MS} ms at 250k",
                seconds * 1000 <= SEARCH_MS if name == "250k" else None,
            )
        )
    return rows
