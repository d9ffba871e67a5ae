"""The Multi-Agency Core Group Monitoring Form (000), described once.

Every question of the form is here: its key (the record's attribute path, as in the JSON and
`Problem.field`), its label in the form's own words, hint, kind, when it applies, what to say
when it is left empty, and the seed it comes from. The editor, the record view, the PDF and the
checks are all drawn from `MONITORING_FORM`: changing a label or adding a question is one edit here.
"""

from __future__ import annotations

from typing import Any

from coreform.ages import is_baby
from coreform.deadlines import COMPLETION_WORKING_DAYS
from coreform.forms.model import NOT_ANSWERED, Field, Form, Items, Kind, Section
from coreform.records import PlanType, SendMethod, Setting

# 000: "If sent by email the subject heading should be Core Group Monitoring Form CONFIDENTIAL."
EMAIL_SUBJECT = "Core Group Monitoring Form CONFIDENTIAL"

SEND_METHOD_LABELS = {
    SendMethod.EMAIL: "Email",
    SendMethod.SECURE_EMAIL_DRAFT: "Email draft, sent from my mail program",
    SendMethod.FAX: "Fax (old records only)",
    SendMethod.OTHER: "Other",
}


# ---- when a question applies: (record, item) -> bool ------------------------------------------


def _other_place(record: Any, _item: Any) -> bool:
    return record.setting is Setting.OTHER


def _concerns(record: Any, _item: Any) -> bool:
    return record.immediate_concerns is True


def _parents_not_told(record: Any, _item: Any) -> bool:
    return record.parents_informed is False


def _no_copy(record: Any, _item: Any) -> bool:
    return record.copy_to_parents is False


def _not_seen(_record: Any, child: Any) -> bool:
    return child.seen is False


def _seen(_record: Any, child: Any) -> bool:
    return child.seen is True


def _baby_seen(record: Any, child: Any) -> bool:
    return child.seen is True and is_baby(child.child.date_of_birth, record.visit_date)


def _older_child_seen(record: Any, child: Any) -> bool:
    return child.seen is True and not is_baby(child.child.date_of_birth, record.visit_date)


def _not_seen_alone(record: Any, child: Any) -> bool:
    return _older_child_seen(record, child) and child.seen_alone is False


def _seen_at_home(record: Any, child: Any) -> bool:
    return record.setting is Setting.HOME and child.seen is True


# ---- the form ----------------------------------------------------------------------------------

CHILD = Items(
    key="children",
    title="Child",
    fields=(
        Field(
            "child.name",
            "Child's name",
            source="000",
            missing="Enter {who}'s name.",
            listed=True,
        ),
        Field(
            "child.date_of_birth",
            "Date of birth",
            Kind.DATE,
            source="000",
            missing="Enter {who}'s date of birth.",
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
            source="000",
            missing="Say whether {who} was seen.",
        ),
        Field(
            "not_seen_reason",
            "Why was the child not seen?",
            Kind.LONG_TEXT,
            source="000",
            applies=_not_seen,
            missing="Say why {who} was not seen.",
        ),
        Field(
            "spoken_with",
            "Did you speak with the child?",
            Kind.YES_NO,
            source="002 §6",
            applies=_seen,
        ),
        Field(
            "seen_alone",
            "Was the child seen alone (with the parent's agreement)?",
            Kind.YES_NO,
            source="000, 004 §9.4.6",
            applies=_older_child_seen,
            missing="Say whether {who} was seen alone.",
            missing_warns=True,
        ),
        Field(
            "not_seen_alone_reason",
            "Why was the child not seen alone?",
            Kind.LONG_TEXT,
            source="002 §6",
            applies=_not_seen_alone,
            missing="Say why {who} was not seen alone.",
        ),
        Field(
            "seen_awake",
            "Was the baby seen awake?",
            Kind.YES_NO,
            hint="Babies under 18 months are seen awake at every visit.",
            source="002 §2",
            applies=_baby_seen,
            missing="Say whether {who} was seen awake.",
            missing_warns=True,
        ),
        Field(
            "bedroom_seen",
            "Was the child's bedroom seen?",
            Kind.YES_NO,
            source="002 §2, 004 §9.4.10",
            applies=_seen_at_home,
            missing="Say whether {who}'s bedroom was seen on this home visit.",
            missing_warns=True,
        ),
        Field(
            "presentation",
            "Presentation and behaviour",
            Kind.LONG_TEXT,
            hint="Facts: what the child did, said and looked like. Avoid labels such as "
            "“unkempt” or “acting out”.",
            source="004 §9.4.10",
            applies=_seen,
        ),
        Field(
            "wishes_and_feelings",
            "The child's wishes and feelings",
            Kind.LONG_TEXT,
            hint="In the child's own words where you can.",
            source="002 §6",
            applies=_seen,
        ),
    ),
)

MONITORING_FORM = Form(
    # 000: "The Multi-Agency Core Group Monitoring Form".
    title="Multi-Agency Core Group Monitoring Form",
    sections=(
        Section(
            "visit",
            "The visit / interaction",
            (
                Field(
                    "visit_date",
                    "Date of the visit / interaction",
                    Kind.DATE,
                    source="000",
                    missing="Enter the date of the visit or interaction.",
                ),
                Field("visit_time", "Start time", Kind.TIME, source="002 §6"),
                Field(
                    "setting",
                    "Where did it take place?",
                    Kind.CHOICE,
                    source="000",
                    choices=((NOT_ANSWERED, None), *((s.label, s) for s in Setting)),
                    missing="Say where the visit or interaction took place.",
                ),
                Field(
                    "setting_other",
                    "Describe the place",
                    applies=_other_place,
                    missing="Say where the visit took place.",
                ),
                Field(
                    "announced",
                    "Unannounced visit",
                    Kind.YES_NO,
                    source="000",
                    # Stored as "announced"; the form asks it the other way round.
                    choices=(("Yes", False), ("No", True)),
                ),
                Field(
                    "purpose",
                    "Purpose of the visit / interaction",
                    Kind.LONG_TEXT,
                    hint="Which task of the child's plan did this visit or interaction serve?",
                    source="000",
                    missing="Say what the visit was for: which task of the plan it served.",
                ),
                Field(
                    "others_present",
                    "Who else was present (including any new adults or young people in the home)",
                    Kind.LONG_TEXT,
                    source="002 §6",
                ),
            ),
        ),
        Section("children", "Children", (Field("family_name", "Family"),), items=CHILD),
        Section(
            "observations",
            "Observations",
            (
                Field(
                    "observations",
                    "Information gained or observations made relevant to the risks in the plan",
                    Kind.LONG_TEXT,
                    source="002 §6",
                ),
                Field(
                    "home_conditions",
                    "Home conditions, meals and sleeping arrangements",
                    Kind.LONG_TEXT,
                    source="004 §9.4.10",
                ),
                Field(
                    "family_circumstances",
                    "Circumstances of all family members",
                    Kind.LONG_TEXT,
                    source="002 §6",
                ),
                Field(
                    "incidents_injuries",
                    "Any new incidents or injuries",
                    Kind.LONG_TEXT,
                    hint="New incidents or injuries must be subject to full child protection "
                    "enquiries: tell the key worker now.",
                    source="002 §6",
                ),
            ),
        ),
        Section(
            "concerns",
            "Immediate concerns",
            (
                Field(
                    "immediate_concerns",
                    "Do you have immediate concerns about a child's safety?",
                    Kind.YES_NO,
                    hint="If yes, inform the key worker at once, or another social worker if "
                    "the key worker is not available.",
                    source="000",
                    missing="Say whether you have immediate concerns about the child's safety.",
                ),
                Field(
                    "concerns_told_who",
                    "Who was told (the key worker, or another social worker if the key worker "
                    "was unavailable)",
                    source="000",
                    applies=_concerns,
                    missing="Say who you told about your concerns (the key worker, or another "
                    "social worker if they were not available).",
                ),
                Field(
                    "concerns_told_at",
                    "When were they told?",
                    Kind.DATETIME,
                    source="000",
                    applies=_concerns,
                    missing="Say when you told them about your concerns.",
                ),
                Field(
                    "cp_procedures_considered",
                    "Were immediate child protection procedures considered?",
                    Kind.YES_NO,
                    source="000",
                    applies=_concerns,
                    missing="Say whether child protection procedures were considered.",
                ),
            ),
        ),
        Section(
            "parents",
            "Parents and carers",
            (
                Field(
                    "parents_informed",
                    "Were the parents or carers told of your observations?",
                    Kind.YES_NO,
                    source="000",
                    missing="Say whether the parents or carers were told what you saw.",
                ),
                Field(
                    "parents_not_informed_reason",
                    "Why were they not told?",
                    Kind.LONG_TEXT,
                    hint="For example: telling them would put the child or you at immediate risk.",
                    source="000",
                    applies=_parents_not_told,
                    missing="Say why the parents or carers were not told (for example, it would "
                    "put the child or you at immediate risk).",
                ),
                Field(
                    "copy_to_parents",
                    "Will the parents or carers get a copy of this record?",
                    Kind.YES_NO,
                    source="000",
                    missing="Say whether the parents or carers will get a copy of this record.",
                ),
                Field(
                    "no_copy_reason",
                    "Why will they not get a copy?",
                    Kind.LONG_TEXT,
                    hint="For example: a copy would put the child at risk of harm.",
                    source="000",
                    applies=_no_copy,
                    missing="Say why the parents or carers will not get a copy (for example, it "
                    "would put the child at risk of harm).",
                ),
            ),
        ),
        Section(
            "key_worker",
            "Key worker",
            (
                Field(
                    "key_worker.name",
                    "Key worker's name",
                    source="000",
                    missing="Enter the key worker's name.",
                ),
                Field(
                    "key_worker.email",
                    "Key worker's email",
                    source="000",
                    missing="Enter the key worker's email address, so the record can be sent "
                    "to them.",
                ),
                Field("key_worker.team", "Key worker's team or agency"),
                Field("key_worker.phone", "Key worker's phone"),
            ),
        ),
        Section(
            "completed_by",
            "Completed by",
            (
                Field("completed_by.name", "Your name", source="000", missing="Enter your name."),
                Field(
                    "completed_by.role",
                    "Your role",
                    hint="For example: class teacher, health visitor.",
                    source="000",
                    missing="Enter your role (for example class teacher, health visitor).",
                ),
                Field(
                    "completed_by.agency",
                    "Your agency",
                    source="000",
                    missing="Enter your agency or organisation.",
                ),
                Field("completed_by.email", "Your email"),
                Field("completed_by.phone", "Your phone"),
            ),
        ),
        Section(
            "sending",
            "Sending",
            (
                Field(
                    "date_completed",
                    "Date completed",
                    Kind.DATE,
                    hint="Left empty, it is set to today when you submit.",
                    source="000",
                ),
                Field("date_sent", "Date sent to the key worker", Kind.DATE, source="000"),
                Field(
                    "send_method",
                    "How it is sent",
                    Kind.CHOICE,
                    source="000",
                    choices=tuple((label, method) for method, label in SEND_METHOD_LABELS.items()),
                ),
                Field(
                    "lateness_reason",
                    "Reason for lateness",
                    Kind.LONG_TEXT,
                    hint="Needed when the record is completed or sent more than "
                    f"{COMPLETION_WORKING_DAYS} working days after the visit.",
                    source="000",
                ),
            ),
        ),
        Section(
            "next",
            "Next planned contact",
            (
                Field("next_contact", "Date of the next planned contact, if known", Kind.DATE),
                Field("next_contact_note", "Note about the next contact"),
            ),
        ),
    ),
)
