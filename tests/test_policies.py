"""Policy profiles: the shipped files load, and a broken file names the file, rule and fault."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from coreform.policies import (
    Interval,
    PolicyError,
    Unit,
    add_months,
    load_profile,
    profile_ids,
    read_profile,
)
from coreform.workdays import WorkingCalendar

GOOD_RULE = """
[[rule]]
id = "seen"
every = "10 working days"
source = "000"
wording = "seen at least every 10 working days"
"""


def test_the_four_sources_ship_a_profile_each_citing_its_seed() -> None:
    assert profile_ids() == [
        "barking-dagenham",
        "central-bedfordshire",
        "pan-lancashire",
        "suffolk",
    ]
    seeds = {
        "barking-dagenham": ("000", "004"),
        "suffolk": ("001",),
        "central-bedfordshire": ("002",),
        "pan-lancashire": ("003",),
    }
    for profile_id, cited in seeds.items():
        profile = load_profile(profile_id)
        for rule in profile.rules.values():
            assert rule.source.startswith(cited), (profile_id, rule.id)
            assert rule.wording


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('id = "x"\ntitle = "X"\n' + GOOD_RULE, "'id' must be 'broken'"),
        ('id = "broken"\ntitle = "X"\n', "lists no rules"),
        (
            'id = "broken"\ntitle = "X"\n' + GOOD_RULE.replace('"seen"', '"seen_twice"'),
            "rule 1: id 'seen_twice' is not one of",
        ),
        (
            'id = "broken"\ntitle = "X"\n' + GOOD_RULE.replace("10 working days", "fortnightly"),
            "rule seen: 'every': 'fortnightly' is not a timescale",
        ),
        (
            'id = "broken"\ntitle = "X"\n' + GOOD_RULE.replace('source = "000"\n', ""),
            "rule seen: 'source' is missing",
        ),
        (
            'id = "broken"\ntitle = "X"\n' + GOOD_RULE.replace("every =", "within ="),
            "rule seen: key 'within' does not apply",
        ),
        ('id = "broken"\ntitle = "X"\n' + GOOD_RULE + GOOD_RULE, "rule seen: listed twice"),
        (
            'id = "broken"\ntitle = "X"\n'
            + GOOD_RULE.replace('"seen"', '"bedroom_seen"').replace(
                "10 working days", "second home visit"
            ),
            "rule bedroom_seen: counts home visits",
        ),
        (
            'id = "broken"\ntitle = "X"\n[[rule]]\nid = "consecutive_failed_visits"\nvisits = 1\n'
            'notify = "x"\nsource = "004"\nwording = "w"\n',
            "rule consecutive_failed_visits: 'visits' must be a whole number of 2 or more",
        ),
        ('id = "broken"\ntitle = "X"\nrule = [\n', "broken.toml: is not valid TOML"),
    ],
)
def test_a_broken_file_names_the_file_the_rule_and_the_fault(
    tmp_path: Path, body: str, message: str
) -> None:
    path = tmp_path / "broken.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(PolicyError, match=r"^broken\.toml: ") as raised:
        read_profile(path)
    assert message in str(raised.value)


def test_an_unknown_profile_lists_the_known_ones() -> None:
    with pytest.raises(PolicyError, match="choose one of barking-dagenham, central-bedfordshire"):
        load_profile("lambeth")


def test_timescale_readings() -> None:
    calendar = WorkingCalendar("ENG")
    # DOMAIN.md: six weeks = 42 calendar days; months keep the day or take the month's last.
    assert Interval.parse("6 weeks").after(dt.date(2026, 11, 20), calendar) == dt.date(2027, 1, 1)
    assert Interval.parse("1 week") == Interval(1, Unit.WEEKS)
    assert add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 3, 31), -1) == dt.date(2027, 2, 28)
    assert add_months(dt.date(2027, 12, 15), 2) == dt.date(2028, 2, 15)
    # Counting back over Easter 2027 (Good Friday 26 March, Easter Monday 29 March).
    back = Interval.parse("3 working days").before(dt.date(2027, 3, 31), calendar)
    assert back == dt.date(2027, 3, 24)
    assert Interval.parse("3 working days").after(back, calendar) == dt.date(2027, 3, 31)
