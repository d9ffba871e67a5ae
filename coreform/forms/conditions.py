"""When the monitoring form's questions apply and how much an answer is needed.

Each takes (record, item): the record, and the child's observation for a child's question (the
record itself otherwise). They read what a half-typed draft holds; the form model turns an
AttributeError or TypeError from a broken record into "does not apply".
"""

from __future__ import annotations

from typing import Any

from coreform.ages import is_baby, seen_alone_expected
from coreform.forms.model import Need
from coreform.records import Setting

# ---- the visit --------------------------------------------------------------------------------


def home_visit(record: Any, _item: Any) -> bool:
    return record.setting is Setting.HOME


def other_place(record: Any, _item: Any) -> bool:
    return record.setting is Setting.OTHER


def on_home_visit(record: Any, item: Any) -> Need:
    """Error on a home visit, else optional.

    002 §6 and 004 §9.4.10 list what every record of a home visit holds.
    """
    return Need.REQUIRED if home_visit(record, item) else Need.OPTIONAL


def on_home_visit_else_advised(record: Any, item: Any) -> Need:
    """Error on a home visit, else a warning."""
    return Need.REQUIRED if home_visit(record, item) else Need.ADVISED


def new_incidents(record: Any, _item: Any) -> bool:
    return record.new_incidents is True


def concerns(record: Any, _item: Any) -> bool:
    return record.immediate_concerns is True


def parents_not_told(record: Any, _item: Any) -> bool:
    return record.parents_informed is False


def no_copy(record: Any, _item: Any) -> bool:
    return record.copy_to_parents is False


def copy_sent(record: Any, _item: Any) -> bool:
    return record.copy_to_parents is True


def submitted_late(record: Any, _item: Any) -> bool:
    return bool(record.working_days_late)


# ---- a child ----------------------------------------------------------------------------------


def born(_record: Any, child: Any) -> bool:
    return child.child.unborn is not True


def unborn(_record: Any, child: Any) -> bool:
    return child.child.unborn is True


def not_seen(record: Any, child: Any) -> bool:
    return born(record, child) and child.seen is False


def seen(record: Any, child: Any) -> bool:
    return born(record, child) and child.seen is True


def _baby(record: Any, child: Any) -> bool:
    return is_baby(child.child.date_of_birth, record.visit_date)


def baby_seen(record: Any, child: Any) -> bool:
    return seen(record, child) and _baby(record, child)


def older_child_seen(record: Any, child: Any) -> bool:
    return seen(record, child) and not _baby(record, child)


def _four_or_more(record: Any, child: Any) -> bool:
    return seen_alone_expected(child.child.date_of_birth, record.visit_date)


def seen_alone_need(record: Any, child: Any) -> Need:
    """Warning from age 4, else optional.

    002 §2: from 4 seen alone regularly; younger children may be (so no answer is needed).
    """
    return Need.ADVISED if _four_or_more(record, child) else Need.OPTIONAL


def not_seen_alone(record: Any, child: Any) -> bool:
    """A reason is asked only where seeing the child alone is expected: aged 4 or more."""
    return (
        older_child_seen(record, child)
        and child.seen_alone is False
        and _four_or_more(record, child)
    )


def not_seen_alone_at_all_ages(record: Any, child: Any) -> bool:
    """Whether the parent agreed matters when the child was not seen alone, at any age."""
    return older_child_seen(record, child) and child.seen_alone is False


def spoken_with_need(record: Any, child: Any) -> Need:
    """Error on a home visit (not for a baby), else optional.

    002 §6: a home visit record confirms the child was spoken with.
    """
    return (
        Need.REQUIRED if home_visit(record, child) and not _baby(record, child) else Need.OPTIONAL
    )


def not_spoken_with(record: Any, child: Any) -> bool:
    return older_child_seen(record, child) and child.spoken_with is False


def seen_at_home(record: Any, child: Any) -> bool:
    return home_visit(record, child) and seen(record, child)
