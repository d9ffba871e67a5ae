"""Renders the README's screenshots offscreen: `uv run python docs/take_screenshots.py`.

Uses a throwaway database and a fixed clock (Christmas Eve 2026), so the pictures are repeatable.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coreform.records import (
    Child,
    Family,
    KeyWorker,
    ParentCarer,
    PlanType,
    Setting,
)
from coreform.services import Services
from docs._shots import main_window, save, settle, throwaway_services
from ui.main_window import MainWindow


def _family(services: Services) -> Family:
    return services.save_family(
        Family(
            name="Okafor",
            children=[
                Child(name="Amara Okafor", date_of_birth=dt.date(2019, 5, 3)),
                Child(
                    name="Tobi Okafor", date_of_birth=dt.date(2026, 3, 10), plan_type=PlanType.CIN
                ),
            ],
            key_worker=KeyWorker(
                name="Jo Key", email="jo.key@council.example", team="Children's Services North"
            ),
            parents_carers=[
                ParentCarer(name="Grace Okafor", relationship="Mother", email="grace@example.org")
            ],
        )
    )


def _type(window: MainWindow, values: dict[str, str]) -> None:
    for path, text in values.items():
        row = window.editor.all_rows().get(path)
        assert row is not None, path
        widget = row.inputs[0]
        if hasattr(widget, "setPlainText"):
            widget.setPlainText(text)
        else:
            widget.setText(text)  # type: ignore[attr-defined]


def _answer(window: MainWindow, answers: dict[str, object]) -> None:
    for path, value in answers.items():
        row = window.editor.all_rows().get(path)
        assert row is not None, path
        row.set_value(value)


def main() -> int:
    services, folder = throwaway_services()
    family = _family(services)
    window = main_window(services, folder)

    window.start_record(None)
    save(window, "editor-empty.png")

    window.start_record(family.id)
    _type(
        window,
        {
            "visit_date": "24/12/2026",
            "visit_time": "10:15",
            "purpose": "Home visit agreed at core group: check the children's sleeping "
            "arrangements.",
            "children[0].presentation": "Amara looked unkempt and was acting out.",
            "children[0].wishes_and_feelings": "“I want my own bed,” she said.",
        },
    )
    _answer(
        window,
        {
            "setting": Setting.HOME,
            "announced": False,
            "children[0].seen": True,
            "children[0].spoken_with": True,
            "children[0].seen_alone": True,
            "children[1].seen": False,
            "immediate_concerns": False,
            "parents_informed": False,
        },
    )
    window.editor.refresh_checks()
    settle()
    window.editor.scroll_area.ensureWidgetVisible(window.editor.panels()[0].rows["presentation"])
    save(window, "editor-problems.png")

    _type(
        window,
        {
            "children[0].presentation": "Amara's hair was matted and her school shirt stained. "
            "She threw her shoes at the door twice when asked to put them on.",
            "children[1].not_seen_reason": "Asleep upstairs; mother declined to wake him.",
            "parents_not_informed_reason": "Mother's partner was present and has been violent "
            "when told of concerns.",
            "others_present": "Mother; her new partner (first name Lee).",
            "observations": "Mother's partner now stays most nights; mother calm and warm with "
            "the children. In my opinion she is less anxious than at the last visit.",
            "home_conditions": "Warm and tidy; food in the fridge. Amara shares a bed with "
            "Tobi's cot in the small bedroom.",
            "family_circumstances": "Mother has started a college course two mornings a week.",
        },
    )
    _answer(
        window,
        {"children[0].bedroom_seen": True, "copy_to_parents": True, "new_incidents": False},
    )
    record = window.editor.current_record()
    window.editor.finish_saving()
    record = services.get_record(record.id)
    window.editor.load(record)
    submitted = services.submit_record(window.editor.current_record())
    window.open_record(submitted.id)
    save(window, "record-submitted.png")

    draft = services.amend_record(submitted.id, "Tobi's reason for not being seen was incomplete.")
    draft.children[
        1
    ].not_seen_reason = (
        "Asleep upstairs; mother declined to wake him. Seen awake at clinic on 29 Dec."
    )
    services.submit_record(draft)
    window.open_record(submitted.id)
    save(window, "record-amended.png")

    problem = window.editor.finish_saving()
    if problem:
        print(f"not saved: {problem}", file=sys.stderr)
        return 1
    window.close()
    services.end_session()
    services.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
