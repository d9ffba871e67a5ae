"""The monitoring form's questions about each child (000, 002 §2 and §6, 004 §9.4)."""

from __future__ import annotations

from coreform.forms import conditions as when
from coreform.forms.model import Field, Items, Kind, Need
from coreform.records import PlanType

_002_6 = "002 §6"
_004_9_4_10 = "004 §9.4.10"
_SEEN_ALONE = (
    "all children aged 4 above should be seen alone regularly and younger children may be seen "
    "alone (with parent's agreement) and babies awake at every visit"
)

CHILD = Items(
    key="children",
    title="Child",
    fields=(
        Field(
            "child.name",
            "Child's name",
            hint="For an unborn child, for example “Unborn baby of Amina Hassan”.",
            source="000",
            missing="Enter {who}'s name.",
            need=Need.REQUIRED,
            quote="The Multi-Agency Core Group Monitoring Form (the child or children it is about)",
            listed=True,
        ),
        Field(
            "child.date_of_birth",
            "Date of birth",
            Kind.DATE,
            source="000",
            applies=when.born,
            missing="Enter {who}'s date of birth.",
            need=Need.REQUIRED,
            quote="(the child's age decides what is asked: 002 §2)",
            listed=True,
        ),
        Field(
            "child.unborn",
            "Born or unborn",
            Kind.CHOICE,
            source="004 §9.4.2",
            choices=(("Born", False), ("Unborn (a pre-birth plan)", True)),
            quote="At every initial or pre-birth conference, where a child protection plan is put "
            "into place, ...",
            listed=True,
        ),
        Field(
            "child.expected_date",
            "Expected date of birth",
            Kind.DATE,
            source="004 §9.4.2",
            applies=when.unborn,
            missing="Enter the date {who} is expected.",
            need=Need.REQUIRED,
            quote="At every initial or pre-birth conference, ...",
            listed=True,
        ),
        Field(
            "child.plan_type",
            "Plan",
            Kind.CHOICE,
            source="000",
            choices=tuple((plan.label, plan) for plan in PlanType),
            listed=True,
        ),
        Field("child.local_identifier", "Local identifier (optional)", listed=True),
        Field(
            "seen",
            "Was the child seen?",
            Kind.YES_NO,
            source="002 §2",
            applies=when.born,
            missing="Say whether {who} was seen.",
            need=Need.REQUIRED,
            quote="During such visits, all children must be seen",
        ),
        Field(
            "not_seen_reason",
            "Why was the child not seen?",
            Kind.LONG_TEXT,
            source="002 §2",
            applies=when.not_seen,
            missing="Say why {who} was not seen.",
            need=Need.REQUIRED,
            quote="explanation as to which children were seen with their parent/carer, or "
            "alone, or not present",
        ),
        Field(
            "spoken_with",
            "Did you speak with the child?",
            Kind.YES_NO,
            source=_002_6,
            applies=when.seen,
            missing="Say whether you spoke with {who}: a home visit record confirms it.",
            need=when.spoken_with_need,
            quote="confirming the Lead Social Worker spoke with the child",
        ),
        Field(
            "not_spoken_with_reason",
            "Why did you not speak with the child?",
            Kind.LONG_TEXT,
            source=_004_9_4_10,
            applies=when.not_spoken_with,
            missing="Say why you did not speak with {who}.",
            need=when.on_home_visit,
            quote="confirmation that the lead social worker spoke with the child (including if "
            "alone), or providing a clear reason why not",
        ),
        Field(
            "seen_alone",
            "Was the child seen alone (with the parent's agreement)?",
            Kind.YES_NO,
            hint="Children aged 4 and over are seen alone regularly; younger children may be.",
            source="002 §2",
            applies=when.older_child_seen,
            missing="Say whether {who} was seen alone.",
            need=when.seen_alone_need,
            quote=_SEEN_ALONE,
        ),
        Field(
            "not_seen_alone_reason",
            "Why was the child not seen alone?",
            Kind.LONG_TEXT,
            source=_002_6,
            applies=when.not_seen_alone,
            missing="Say why {who} was not seen alone.",
            need=when.on_home_visit_else_advised,
            quote="whether the child was seen alone or providing a clear reason why not",
        ),
        Field(
            "parent_agreed_alone",
            "Did the parent or carer agree to the child being seen alone?",
            Kind.YES_NO,
            hint="If a parent refuses, the social care manager must be told.",
            source="004 §9.4.6",
            applies=when.not_seen_alone_at_all_ages,
            quote="see the child alone (with parents' agreement) ... (if parents refuse, the LA "
            "children's social care manager must be informed)",
        ),
        Field(
            "seen_awake",
            "Was the baby seen awake?",
            Kind.YES_NO,
            hint="Babies under 18 months are seen awake at every visit.",
            source="002 §2",
            applies=when.baby_seen,
            missing="Say whether {who} was seen awake.",
            need=Need.ADVISED,
            quote=_SEEN_ALONE,
        ),
        Field(
            "bedroom_seen",
            "Was the child's bedroom seen?",
            Kind.YES_NO,
            source="002 §2, 004 §9.4.10",
            applies=when.seen_at_home,
            missing="Say whether {who}'s bedroom was seen on this home visit.",
            need=Need.ADVISED,
            quote="Social workers must ensure children's bedrooms are seen according to the Child "
            "Protection Plan at least on alternate home visits.",
        ),
        Field(
            "presentation",
            "Presentation and behaviour",
            Kind.LONG_TEXT,
            hint="Facts: what the child did, said and looked like. Avoid labels such as "
            "“unkempt” or “acting out”.",
            source=_004_9_4_10,
            applies=when.seen,
            missing="Describe {who}'s presentation and behaviour: what they did, said and looked "
            "like.",
            need=when.on_home_visit_else_advised,
            quote="Factual reports of the child's presentation and behaviour (describing what they "
            "did, said and how they looked ...)",
        ),
        Field(
            "wishes_and_feelings",
            "The child's wishes and feelings",
            Kind.LONG_TEXT,
            hint="In the child's own words where you can.",
            source=_002_6,
            applies=when.seen,
            missing="Record {who}'s wishes and feelings, in their words where you can.",
            need=when.on_home_visit_else_advised,
            quote="Factual reports of the child's presentation and behaviour, including the "
            "child's wishes and feelings",
        ),
    ),
)
