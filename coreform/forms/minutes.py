"""The Suffolk "Record of Core Group Meeting" (001, the template at its end), described once.

Labels are the template's own words; `source` and `quote` name the rule of the guidance a
question follows. The editor, the minutes view, the PDF and docs/CHECKS.md read `MINUTES_FORM`,
whose keys are `coreform.minutes.CoreGroupMinutes` attribute paths (`attendees[0].chair`,
`children[1].scaling.parents.this_meeting`). The checks between answers are in
coreform.minutes_checks. (Over 400 lines: one entry per question of the template, kept
together on purpose so the form reads in the template's order.)
"""

from __future__ import annotations

from typing import Any

from coreform.forms.model import NOT_ANSWERED, Field, Form, Grid, Items, Kind, Need, Section
from coreform.minutes import SCALE_MAX, SCALE_MIN, AttendeeKind

TEMPLATE = "001 template"
# The PDF's title and the email subject of distributed minutes (001 §4.3, the template's title).
MINUTES_TITLE = "Record of Core Group Meeting"
EMAIL_SUBJECT = "Record of Core Group Meeting CONFIDENTIAL"


def _last_before_review(minutes: Any, _item: Any) -> bool:
    """Only in the last core group before the review conference."""
    return bool(minutes.last_before_review)


def _chair_not_key_worker(minutes: Any, _item: Any) -> bool:
    """Where the chair is not the lead social worker."""
    chair = minutes.chair()
    worker = minutes.worker_name.strip().casefold()
    return chair is not None and bool(worker) and chair.name.strip().casefold() != worker


def _dissent_noted(minutes: Any, _item: Any) -> bool:
    return minutes.dissent_noted is True


def _absent_professional(_minutes: Any, attendee: Any) -> bool:
    return attendee.kind is AttendeeKind.PROFESSIONAL and attendee.attended is False


def _agreed(_minutes: Any, item: Any) -> bool:
    return item.agreed_on is not None


_HEADER = Section(
    "header",
    MINUTES_TITLE,
    (
        Field("form_start_date", "Form Start Date", Kind.DATE, source=TEMPLATE),
        Field(
            "worker_name",
            "Worker Name",
            source="001 §1.4",
            missing="Enter the lead social worker's name.",
            need=Need.REQUIRED,
            quote="The conference will also identify or confirm the lead social worker",
        ),
        Field(
            "initial_conference",
            "Date of Initial Child Protection Conference",
            Kind.DATE,
            source=TEMPLATE,
            fact=True,
        ),
        Field("due_date", "Meeting Due Date", Kind.DATE, source="001 §2.1, §3.1, §3.6", fact=True),
        Field("due_rule", "Due under", source="001 §2.1, §3.1, §3.6", fact=True),
        Field(
            "planned_date",
            "Meeting Planned Date",
            Kind.DATE,
            source="001 §3.5",
            missing="Enter the date the meeting is planned for.",
            need=Need.ADVISED,
            quote="The date and venue for the next core group meeting should be confirmed at the "
            "end of each meeting",
        ),
        Field(
            "actual_date",
            "Meeting Actual Date",
            Kind.DATE,
            source="001 §4.3",
            missing="Enter the date the meeting was held.",
            need=Need.REQUIRED,
            quote="Minutes must be taken at all core group meetings, using the template attached.",
        ),
        Field(
            "venue",
            "Venue",
            source="001 §5.2",
            missing="Enter where the meeting was held.",
            need=Need.ADVISED,
            quote="The time and venue of core group meetings should take into account the wishes "
            "and needs of the parents/carers",
        ),
        Field(
            "completed_on",
            "Core Group Meeting Notes / Minutes Completed",
            Kind.DATE,
            source="001 §4.3",
            fact=True,
        ),
    ),
)

ATTENDEE = Items(
    "attendees",
    "Attendee",
    (
        Field(
            "name",
            "Attendee",
            source=TEMPLATE,
            missing="Enter the attendee's name, or remove the empty row.",
            need=Need.REQUIRED,
            quote="Attendee / Role / Consulted / Invited / Attended / Chair",
            listed=True,
        ),
        Field("role", "Role", source=TEMPLATE),
        Field("agency", "Agency", source="001 §4.8"),
        Field(
            "kind",
            "Professional or family",
            Kind.CHOICE,
            source="001 §4.7",
            choices=((NOT_ANSWERED, None), *((kind.label, kind) for kind in AttendeeKind)),
            missing="Say whether the attendee is a professional or family: only professionals "
            "count for a quorum.",
            need=Need.ADVISED,
            quote="A core group meeting will be considered quorate if at least two professional "
            "members attend.",
        ),
        Field("email", "Email (for the minutes)", source="001 §4.3"),
        Field("consulted", "Consulted", Kind.YES_NO, source=TEMPLATE),
        Field("invited", "Invited", Kind.YES_NO, source=TEMPLATE),
        Field(
            "attended",
            "Attended",
            Kind.YES_NO,
            source="001 §4.6",
            missing="Say whether the attendee attended.",
            need=Need.ADVISED,
            quote="All core group members are expected to attend every core group meeting.",
        ),
        Field("chair", "Chair", Kind.YES_NO, source="001 §4.2"),
        Field(
            "written_report",
            "Written report sent in advance",
            Kind.YES_NO,
            source="001 §4.6",
            applies=_absent_professional,
            quote="If a professional member is unable to attend a meeting, they must let the lead "
            "social worker know and must provide a written report in advance.",
        ),
    ),
    table=True,
)

_ATTENDEES = Section(
    "attendees",
    "Attendees",
    (
        Field(
            "key_worker_updated_on",
            "Date the chair updated the lead social worker",
            Kind.DATE,
            source="001 §4.2",
            applies=_chair_not_key_worker,
            quote="It should be chaired by another professional member of the group who must "
            "update the lead social worker or their line manager of the outcome of the meeting, "
            "within 3 working days.",
        ),
    ),
    items=ATTENDEE,
)

CHILD_VIEWS = Items(
    "children",
    "Child",
    (
        Field("name", "Child", fact=True, listed=True),
        Field(
            "child_says",
            "What does the child say about how things are going?",
            Kind.LONG_TEXT,
            hint="In the child's own words where you can: a letter, drawing or recording counts.",
            source="001 §3.3",
            missing="Record what the child says about how things are going, or how their views "
            "were sought.",
            need=Need.ADVISED,
            quote="The child's current experiences, views, wishes & feelings (including about "
            "their own wellbeing and safety) should be considered at each core group meeting.",
        ),
        Field(
            "seen_in_timescales",
            "Has the child been seen in timescales?",
            Kind.YES_NO,
            source="001 §8.3",
            fact=True,
            quote="All children who have a child protection plan should be seen by a professional "
            "member of the core group at least every 10 working days.",
        ),
        Field("seen_in_timescales_note", "What the timescales show", fact=True),
        Field(
            "advocate_understood",
            "Does the child understand their right to have an advocate support them during "
            "conference?",
            Kind.YES_NO,
            source="001 §6.1",
            missing="Say whether the child understands their right to an advocate at conference.",
            need=Need.ADVISED,
            quote="This may involve the child or young person attending the meeting (or part of "
            "it) in person, by them sending a letter, drawing or recording, or by an advocate "
            "attending on their behalf.",
        ),
    ),
    fixed=True,
)

_VIEWS = Section(
    "views",
    "How things are going",
    (
        Field(
            "family_says",
            "What does the family say about how things are going?",
            Kind.LONG_TEXT,
            source="001 §5.4",
            missing="Record what the family says about how things are going.",
            need=Need.ADVISED,
            quote="the lead social worker should obtain their views and wishes in advance and "
            "ensure they are shared at the meeting.",
        ),
    ),
    items=CHILD_VIEWS,
)

SAFETY_GOAL = Items(
    "safety_goals",
    "Safety goal",
    (
        Field(
            "goal",
            "Safety Goals",
            Kind.LONG_TEXT,
            source="001 §7.2",
            missing="Write the safety goal, or remove the empty row.",
            need=Need.REQUIRED,
            quote="What the intended outcomes/safety goals are for the child, and how will these "
            "be measured or determined.",
            listed=True,
        ),
        Field(
            "worry",
            "The worry in the danger statement it answers",
            Kind.LONG_TEXT,
            hint="Ensure the safety goals link to individual worries in the danger statement.",
            source=TEMPLATE,
            missing="Name the worry in the danger statement this safety goal answers.",
            need=Need.ADVISED,
            quote="Ensure the safety goals link to individual worries in the danger statement.",
        ),
        Field(
            "how_changed",
            "How have things changed? How can we show that things are safer for the child?",
            Kind.LONG_TEXT,
            source=TEMPLATE,
        ),
        Field("achieved", "Achieved", Kind.YES_NO, source="001 §3.2"),
        Field("agreed_on", "Agreed at the core group of", Kind.DATE, fact=True),
        Field(
            "change_reason",
            "Changed by conference: the reason",
            Kind.LONG_TEXT,
            source="001 §7.3",
            applies=_agreed,
            quote="the intended outcomes/safety goals for the child will remain the same and can "
            "only be changed by the conference.",
        ),
    ),
    append_only=True,
)

NEXT_STEP = Items(
    "next_steps",
    "Next step",
    (
        Field(
            "action",
            "Next Steps",
            Kind.LONG_TEXT,
            source="001 §7.2",
            missing="Write the next step, or remove the empty row.",
            need=Need.REQUIRED,
            quote="The specific actions, tasks & services needed to help ensure these outcomes "
            "are achieved.",
            listed=True,
        ),
        Field(
            "who",
            "Who is responsible",
            source="003 §3",
            missing="Name who is responsible for this step.",
            need=Need.REQUIRED,
            quote="The person/persons responsible for taking each action should be explicit",
        ),
        Field(
            "by_when",
            "By when",
            Kind.DATE,
            hint="A specific date: never “as soon as possible” or “ongoing”.",
            source="003 §3",
            missing="Give the date this step is to be done by.",
            need=Need.REQUIRED,
            quote="the timescale for completion identified. It would never be acceptable to use "
            "the term ‘as soon as possible’ or ‘ongoing’ in relation to timescales",
        ),
        Field("goal_id", "For the safety goal", Kind.CHOICE, source=TEMPLATE),
        Field("achieved", "Done", Kind.YES_NO, source="001 §3.2"),
        Field("agreed_on", "Agreed at the core group of", Kind.DATE, fact=True),
        Field(
            "change_reason",
            "Changed: the reason",
            Kind.LONG_TEXT,
            source="001 §3.4",
            applies=_agreed,
            quote="The reasons for any changes must be clearly recorded by the lead social worker",
        ),
    ),
    append_only=True,
)

_PROGRESS = Section(
    "dissent",
    "Disagreement or dissent",
    (
        Field(
            "dissent_noted",
            "Was there any disagreement or dissent about the plan?",
            Kind.YES_NO,
            source="001 §2.5",
            quote="Any disagreements or dissent about the child protection plan should be recorded "
            "in the core group minutes",
        ),
        Field(
            "dissent",
            "The disagreement or dissent, and whose it is",
            Kind.LONG_TEXT,
            source="001 §7.3",
            applies=_dissent_noted,
            missing="Record the disagreement or dissent about the plan, and whose it is.",
            need=Need.ADVISED,
            quote="Any dissent or disagreement about the child protection plan, whether by family "
            "members or professionals, must be recorded on the plan.",
        ),
    ),
)

SCALING_GRID = Grid(
    "scaling",
    "Scaling",
    rows=(("child", "Child"), ("parents", "Parents"), ("professionals", "Professionals")),
    columns=(
        ("initial_conference", "Initial Conference"),
        ("last_meeting", "The last meeting"),
        ("this_meeting", "This Meeting"),
    ),
    source=TEMPLATE,
    quote="Scaling of the overall progress of this case by child, parents, and professionals",
    choices=(("Not scaled", None), *((str(n), n) for n in range(SCALE_MIN, SCALE_MAX + 1))),
)

_SCALING = Section(
    "scaling",
    "Scaling of the overall progress of this case by child, parents, and professionals",
    items=Items(
        "children",
        "Child",
        (Field("name", "Child", fact=True, listed=True),),
        fixed=True,
        grid=SCALING_GRID,
    ),
)

_DISCUSSION = Section(
    "discussion",
    "Summary",
    (
        Field(
            "progress_summary",
            "Summary of progress made and scaling discussion",
            Kind.LONG_TEXT,
            source="001 §3.2",
            missing="Summarise the progress made and the scaling discussion.",
            need=Need.ADVISED,
            quote="carefully consider what difference the plan is making to the child's safety "
            "and wellbeing.",
        ),
        Field(
            "recommendations",
            "If this is the last Core Group meeting before Review Conference, what are the "
            "recommendations.",
            Kind.LONG_TEXT,
            source="001 §4.4",
            applies=_last_before_review,
            missing="This is the last core group before the review conference: record the "
            "recommendations to it.",
            need=Need.ADVISED,
            quote="making recommendations to subsequent child protection review conferences "
            "about whether or not the protection plan needs to continue.",
        ),
        Field("working_well", "WHAT'S WORKING WELL?", Kind.LONG_TEXT, source=TEMPLATE),
        Field("worried_about", "WHAT ARE WE WORRIED ABOUT?", Kind.LONG_TEXT, source=TEMPLATE),
        Field("needs_to_happen", "WHAT NEEDS TO HAPPEN?", Kind.LONG_TEXT, source=TEMPLATE),
    ),
)

_NEXT = Section(
    "next",
    "Review next Core group:",
    (
        Field(
            "next_date",
            "Date of the next core group",
            Kind.DATE,
            source="001 §3.5",
            missing="Record the date of the next core group.",
            need=Need.ADVISED,
            quote="The date and venue for the next core group meeting should be confirmed at the "
            "end of each meeting and clearly recorded in the minutes.",
        ),
        Field(
            "next_venue",
            "Venue of the next core group",
            source="001 §3.5",
            missing="Record the venue of the next core group.",
            need=Need.ADVISED,
            quote="The date and venue for the next core group meeting should be confirmed at the "
            "end of each meeting and clearly recorded in the minutes.",
        ),
        Field("distributed_on", "Minutes distributed", Kind.DATE, source="001 §4.3", fact=True),
    ),
)

MINUTES_FORM = Form(
    title=MINUTES_TITLE,
    sections=(
        _HEADER,
        _ATTENDEES,
        _VIEWS,
        Section(
            "safety_goals",
            "Progress of Plan",
            (),
            items=SAFETY_GOAL,
        ),
        Section("next_steps", "Next Steps", (), items=NEXT_STEP),
        _PROGRESS,
        _SCALING,
        _DISCUSSION,
        _NEXT,
    ),
)

__all__ = [
    "ATTENDEE",
    "CHILD_VIEWS",
    "EMAIL_SUBJECT",
    "MINUTES_FORM",
    "MINUTES_TITLE",
    "NEXT_STEP",
    "SAFETY_GOAL",
    "SCALING_GRID",
]
