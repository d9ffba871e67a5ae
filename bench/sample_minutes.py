"""Sample core group minutes with every field answered, for the PDF's tests and page images.

The family's names are Arabic, Urdu, Bengali, Chinese, Polish and Vietnamese, so the PDF shows
joined Arabic and Urdu, shaped Bengali, Han characters and Latin diacritics at work.
"""

from __future__ import annotations

import datetime as dt

from coreform.minutes import (
    Attendee,
    AttendeeKind,
    ChildMinutes,
    CoreGroupMinutes,
    MinutesAmendment,
    MinutesState,
    NextStep,
    SafetyGoal,
    ScaleRow,
    Scaling,
)
from coreform.records import LONDON

CHILDREN = ("Yusuf يوسف Khan", "Ayesha عائشہ Khan", "রহিম উদ্দিন Khan")
PROFESSIONALS = (
    (
        "Wang Xiaoming 王小明",
        "Health visitor",
        "Suffolk Community Health",
        "xiaoming.wang@nhs.test",
    ),
    ("Zofia Wiśniewska-Łęcka", "Class teacher", "Castle Hill Primary", "z.wisniewska@school.test"),
    ("Nguyễn Thị Hương", "Lead social worker", "Suffolk Children's Services", "huong@sc.test"),
    ("Tomasz Żółkiewski", "School nurse", "Suffolk Community Health", ""),
)


def sample_minutes(*, amended: bool = False, long_text: int = 0) -> CoreGroupMinutes:
    """A second core group of the Khan family, finalised; `long_text` repeats the summary."""
    held = dt.date(2026, 3, 16)
    goal = SafetyGoal(
        goal="Yusuf and Ayesha are collected from school on time by a sober adult every day.",
        worry="Danger statement: the children were left waiting at school when Dad had been "
        "drinking, and walked home alone in the dark.",
        how_changed="School records show collection on time on 14 of 15 days since the last "
        "meeting; Mum says Aunt Farah (فرح) now collects on Wednesdays.",
        achieved=False,
        agreed_on=dt.date(2026, 2, 23),
        change_reason="The conference chair's note of 24 February: any sober adult named by Mum, "
        "not only Mum.",
    )
    home = SafetyGoal(
        goal="Rahim sleeps in his own cot in a warm, safe bedroom.",
        worry="Danger statement: the baby was found sleeping on the sofa with an adult.",
        how_changed="Health visitor saw the cot set up on 10 March; Mum describes the routine.",
        achieved=True,
        agreed_on=dt.date(2026, 2, 23),
    )
    minutes = CoreGroupMinutes(
        reference="CGM-2026-00003",
        version=2 if amended else 1,
        state=MinutesState.AMENDED if amended else MinutesState.FINAL,
        family_name="Khan / خان",
        sequence=2,
        form_start_date=held,
        worker_name="Nguyễn Thị Hương",
        worker_email="huong@sc.test",
        initial_conference=dt.date(2026, 2, 9),
        due_date=dt.date(2026, 3, 23),
        due_rule="Within 6 weeks of the last core group (001 §3.1).",
        planned_date=held,
        actual_date=held,
        venue="Castle Hill Primary, family room",
        completed_on=dt.date(2026, 3, 18),
        attendees=[
            # The class teacher chairs, so she updates the lead social worker (001 §4.2).
            Attendee(name, role, agency, email, AttendeeKind.PROFESSIONAL, True, True, True, chair)
            for (name, role, agency, email), chair in zip(
                PROFESSIONALS[:3], (False, True, False), strict=True
            )
        ]
        + [
            Attendee(
                *PROFESSIONALS[3],
                AttendeeKind.PROFESSIONAL,
                True,
                True,
                False,
                False,
                written_report=True,
            ),
            Attendee(
                "Samina Khan ثمینہ",
                "Mother",
                "",
                "samina@family.test",
                AttendeeKind.PARENT_CARER,
                True,
                True,
                True,
                False,
            ),
        ],
        key_worker_updated_on=dt.date(2026, 3, 17),
        family_says="Mum (ثمینہ) says things are calmer at home; Dad has started the "
        "alcohol service and wants the children to know he is trying.",
        children=[
            ChildMinutes(
                child_id=f"child-{index}",
                name=name,
                child_says=says,
                seen_in_timescales=True,
                seen_in_timescales_note="Seen 6 times in the last 20 working days; the longest "
                "gap was 7 working days.",
                advocate_understood=index < 2,
                scaling=Scaling(
                    ScaleRow(3, 5, 6), ScaleRow(5, 6, 7), ScaleRow(2, 4, 5 + index % 2)
                ),
            )
            for index, (name, says) in enumerate(
                zip(
                    CHILDREN,
                    (
                        "“Dad doesn't shout as much.” Yusuf drew his family at the park.",
                        "“I am happy at school.” — “أنا سعيدة في المدرسة”",
                        "Rahim is 10 months old: seen awake, smiling, reaching for Mum.",
                    ),
                    strict=True,
                )
            )
        ],
        safety_goals=[goal, home],
        next_steps=[
            NextStep(
                "Aunt Farah to be added to the school's collection list.",
                "Mrs Khan and Zofia Wiśniewska-Łęcka",
                dt.date(2026, 3, 20),
                goal.id,
                False,
                dt.date(2026, 2, 23),
                "Moved from 13 March: the school office was closed for training.",
            ),
            NextStep(
                "Unannounced home visit at bedtime.",
                "Nguyễn Thị Hương",
                dt.date(2026, 3, 27),
                home.id,
                None,
                None,
            ),
            NextStep(
                "Referral to the young carers' group for Yusuf.",
                "Wang Xiaoming 王小明",
                dt.date(2026, 4, 3),
                "",
                None,
                None,
            ),
        ],
        dissent_noted=True,
        dissent="Dad disagrees that unannounced visits are still needed; the core group kept "
        "them, to be reviewed at the next meeting.",
        progress_summary=" ".join(
            [
                "Collections are now reliable and Rahim's sleep is safe; the "
                "group scaled progress higher than at conference."
            ]
            * (1 + long_text)
        ),
        last_before_review=True,
        recommendations="The plan should continue to the review conference on 11 May 2026.",
        working_well="Mum works openly with the school and the health visitor.",
        worried_about="Dad's drinking at weekends; money is short since his hours were cut.",
        needs_to_happen="Dad's alcohol worker to send a report before the review conference.",
        next_date=dt.date(2026, 4, 27),
        next_venue="Castle Hill Primary, family room",
        distributed_on=dt.date(2026, 3, 19),
        finalised_at=dt.datetime(2026, 3, 18, 16, 5, tzinfo=LONDON),
    )
    if amended:
        minutes.amendment = MinutesAmendment(
            reason="The school nurse's written report was received and added.",
            amended_at=dt.datetime(2026, 3, 20, 9, 30, tzinfo=LONDON),
            amended_by="Nguyễn Thị Hương",
        )
    return minutes
