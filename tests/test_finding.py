"""Finding records and families in the database: accents and case ignored, filters, sort, pages."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from bench.synthetic import Caseload, caseload, insert_caseload
from coreform.errors import RecordLockedError
from coreform.record_query import RecordQuery, RecordSort
from coreform.records import (
    Child,
    ChildObservation,
    Family,
    KeyWorker,
    ListedChild,
    ListedFamily,
    MonitoringRecord,
    RecordState,
)
from coreform.search_text import fold
from coreform.services import Services
from coreform.storage.engine import create_engine_for
from coreform.storage.migrations import migrate


def _draft(
    services: Services, family: str, children: list[str], visit: dt.date
) -> MonitoringRecord:
    record = services.new_record()
    record.family_name = family
    record.children = [ChildObservation(child=Child(name=name)) for name in children]
    record.key_worker = KeyWorker(name="Piotr Zieliński", email="p.z@council.example")
    record.visit_date = visit
    return services.save_draft(record)


def _ids(services: Services, **query: object) -> list[str]:
    return [s.id for s in services.list_records(RecordQuery(**query))]  # type: ignore[arg-type]


def listed_family(load: Caseload, family: dict[str, Any]) -> ListedFamily:
    """The families list's row for a synthetic family, as 0014 makes it: children in order."""
    children = sorted(
        (c for c in load.children if c["family_id"] == family["id"]),
        key=lambda c: c["position"],
    )
    return ListedFamily(
        family["id"],
        family["name"],
        tuple(c["name"] for c in children),
        family["key_worker_name"],
    )


def test_search_ignores_accents_and_case(services: Services) -> None:
    zoe = _draft(services, "Ødegård-Nguyễn", ["Zoë Ødegård-Nguyễn"], dt.date(2026, 3, 2))
    fatima = _draft(services, "حسن", ["فَاطِمَة حسن"], dt.date(2026, 3, 3))
    _draft(services, "Wiśniewski", ["Łucja Wiśniewska"], dt.date(2026, 3, 3))
    assert _ids(services, text="zoe nguyen") == [zoe.id]
    assert _ids(services, text="ZOË  ØDEGÅRD") == [zoe.id]
    assert _ids(services, text="فاطمة") == [fatima.id]  # typed without the short vowels
    assert len(_ids(services, text="lucja")) == 1
    assert len(_ids(services, text="zielinski")) == 3  # the key worker
    assert _ids(services, text=zoe.reference.lower()) == [zoe.id]
    assert _ids(services, text="50%_") == []  # LIKE's wildcards are plain characters here
    assert services.count_records(RecordQuery(text="nguyen zoe")) == 1
    # Words under 3 letters are not in the trigram index: matched among the others' rows.
    assert _ids(services, text="zo nguy") == [zoe.id]
    assert _ids(services, text="zo") == [zoe.id]
    assert _ids(services, text='nguyen "zoe') == []  # a quote is a plain character too


def test_filters_by_state_and_visit_dates(
    services: Services, full_record: MonitoringRecord
) -> None:
    early = _draft(services, "Khan", ["Imran Khan"], dt.date(2026, 2, 2))
    late = _draft(services, "Khan", ["Imran Khan"], dt.date(2026, 3, 3))
    sent = services.submit_record(full_record)
    assert _ids(services, state=RecordState.SUBMITTED) == [sent.id]
    assert set(_ids(services, state=RecordState.DRAFT)) == {early.id, late.id}
    assert _ids(services, visit_from=dt.date(2026, 3, 3), state=RecordState.DRAFT) == [late.id]
    assert _ids(services, visit_to=dt.date(2026, 2, 28)) == [early.id]
    assert _ids(services, text="khan", visit_from=dt.date(2026, 2, 3)) == [late.id]


def test_sorts_by_column_and_pages(services: Services) -> None:
    names = ["Chen", "Ahmed", "Begum", "Trần", "Dubois"]
    for day, name in enumerate(names, start=1):
        _draft(services, name, [f"Mei {name}"], dt.date(2026, 2, day))
    by_family = [s.family_name for s in services.list_records(RecordQuery(sort=RecordSort.FAMILY))]
    assert by_family == sorted(names)
    backwards = RecordQuery(sort=RecordSort.VISIT, descending=True)
    assert [s.family_name for s in services.list_records(backwards)] == names[::-1]
    pages = [services.list_records(backwards, offset=n, limit=2) for n in (0, 2, 4)]
    assert [s.family_name for page in pages for s in page] == names[::-1]
    assert services.count_records() == 5


def test_a_family_and_a_child_list_their_records_newest_first(services: Services) -> None:
    family = services.save_family(
        Family(name="Okafor", children=[Child(name="Ada Okafor"), Child(name="Bo Okafor")])
    )
    ada, bo = family.children
    visits = []
    for day, seen in ((2, [ada]), (3, [ada, bo]), (4, [bo])):
        record = services.new_record(family.id)
        record.children = [ChildObservation(child=child) for child in seen]
        record.visit_date = dt.date(2026, 3, day)
        visits.append(services.save_draft(record))
    _draft(services, "Other", ["Ada Okafor"], dt.date(2026, 3, 4))  # same name, other family
    newest = {"sort": RecordSort.VISIT, "descending": True}
    assert _ids(services, family_id=family.id, **newest) == [v.id for v in visits[::-1]]
    assert _ids(services, child_id=ada.id, **newest) == [visits[1].id, visits[0].id]


def test_the_list_shows_the_latest_version_and_forgets_a_discarded_draft(
    services: Services, full_record: MonitoringRecord
) -> None:
    sent = services.submit_record(full_record)
    amended = services.amend_record(sent.id, "Wrong visit time")
    [listed] = services.list_records()
    assert (listed.version, listed.state) == (amended.version, RecordState.DRAFT)
    services.discard_draft(sent.id)  # the amendment; the submitted version stays
    [listed] = services.list_records()
    assert (listed.version, listed.state) == (1, RecordState.SUBMITTED)
    with pytest.raises(RecordLockedError):
        services.discard_draft(sent.id)
    assert services.count_records() == 1


def test_families_found_by_a_childs_name_without_its_accents(services: Services) -> None:
    family = services.save_family(
        Family(name="Wiśniewski", children=[Child(name="Łukasz Wiśniewski")])
    )
    services.save_family(Family(name="Smith", children=[Child(name="Kai Smith")]))
    # The list's row: the names it shows, read without the family's people.
    row = ListedFamily(family.id, "Wiśniewski", ("Łukasz Wiśniewski",), key_worker_name="")
    assert services.find_families("lukasz") == [row]
    assert services.find_families("WISNIEWSKI LUK") == [row]
    assert services.count_families("kai") == 1
    assert [f.name for f in services.find_families(limit=1)] == ["Smith"]
    assert [f.name for f in services.find_families(offset=1)] == ["Wiśniewski"]
    renamed = services.save_family(dataclasses.replace(family, name="Nowak"))
    assert [f.name for f in services.find_families("nowak")] == [renamed.name]
    assert [f.name for f in services.find_families(offset=1)] == ["Smith"]


def test_children_found_by_name_family_or_reference_a_page_at_a_time(services: Services) -> None:
    minh = Child(name="Đặng Văn Minh", local_identifier="LCS-40917")
    anh = Child(name="Đặng Thị Ánh")
    dang = services.save_family(Family(name="Đặng", children=[minh, anh]))
    services.save_family(Family(name="Wiśniewski", children=[Child(name="Łukasz Wiśniewski")]))
    assert [c.name for c in services.find_children("dang")] == [minh.name, anh.name]  # in order
    assert services.count_children("dang") == 2
    assert [c.id for c in services.find_children("lcs-4091")] == [minh.id, anh.id]  # its family
    assert [c.name for c in services.find_children("LUKASZ")] == ["Łukasz Wiśniewski"]
    assert [c.name for c in services.find_children(offset=1, limit=1)] == [minh.name]  # W < Đ
    assert services.count_children() == 3
    assert services.find_child(anh.id) == ListedChild(anh.id, anh.name, None, dang.id, "Đặng")
    assert services.find_child("no such child") is None


LIST_TABLES_REVISION_BEFORE = "0006"  # the migration before 0007_record_list


def test_the_migration_lists_records_stored_before_it(tmp_path: Path) -> None:
    engine = create_engine_for(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        from alembic import command

        from coreform.storage.migrations import alembic_config

        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, LIST_TABLES_REVISION_BEFORE)
        load = caseload(30)
        insert_caseload(engine, load)
        migrate(engine)
        with engine.connect() as connection:
            listed = connection.execute(text("SELECT count(*) FROM record_list")).scalar()
            found = connection.execute(text("SELECT count(*) FROM family_search")).scalar()
    finally:
        engine.dispose()
    assert listed == len({r["record_id"] for r in load.records})
    assert found == len(load.families)
    services = Services.open(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        first = services.list_records(RecordQuery(sort=RecordSort.REFERENCE), limit=1)[0]
        stored = services.get_record(first.id)
        assert first.child_names == tuple(c.child.name for c in stored.children)  # in order
        name = fold(stored.children[-1].child.name)
        wanted = {
            r["record_id"]
            for r in load.records
            if any(
                name in fold(o["child_name"])
                for o in load.observations
                if o["record_id"] == r["record_id"]
            )
        }
        assert {s.id for s in services.list_records(RecordQuery(text=name))} == wanted
        # The families list reads each family's row as 0014 made it: children in their order.
        listed = listed_family(load, load.families[-1])
        assert listed in services.find_families(fold(listed.child_names[-1]))
    finally:
        services.close()


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("  Zoë   Ødegård-Nguyễn ", "zoe odegard-nguyen"),
        ("ŁUKASZ Đặng Straße", "lukasz dang strasse"),
        ("O'Brien  SMITH", "o'brien smith"),
        ("فَاطِمَة", "فاطمة"),
    ],
)
def test_fold(typed: str, folded: str) -> None:
    assert fold(typed) == folded
