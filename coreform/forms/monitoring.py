"""The Multi-Agency Core Group Monitoring Form (000), described once (its questions about each
child are in coreform.forms.monitoring_child).

Every question of the form is here: its key (the record's attribute path, as in the JSON and
`Problem.field`), its label in the form's own words, hint, kind, when it applies
(coreform.forms.conditions), how much an answer is needed and what to say when it is missing,
and the seed sentence it follows. The editor, the record view, the PDF, the checks and
docs/CHECKS.md are all drawn from `MONITORING_FORM`: changing a label or adding a question is one
edit here. (Just over 400 lines: one entry per question, kept together on purpose.)
"""

from __future__ import annotations

from coreform.deadlines import COMPLETION_WORKING_DAYS
from coreform.forms import conditions as when
from coreform.forms.model import NOT_ANSWERED, Field, Form, Kind, Need, Section
from coreform.forms.monitoring_child import CHILD
from coreform.records import SendMethod, Setting

# 000: "If sent by email the subject heading should be Core Group Monitoring Form CONFIDENTIAL."
EMAIL_SUBJECT = "Core Group Monitoring Form CONFIDENTIAL"

SEND_METHOD_LABELS = {
    SendMethod.EMAIL: "Email, through the mail server",
    SendMethod.SECURE_EMAIL_DRAFT: "Email draft, sent from the practitioner's mail program",
    SendMethod.FAX: "Fax (an old record, imported)",
    SendMethod.OTHER: "Other",
}

_002_6 = "002 §6"
_004_9_4_10 = "004 §9.4.10"
_OR_WHY = " If you truly could not, say briefly why."

_VISIT = Section(
    "visit",
    "The visit / interaction",
    (
        Field(
            "visit_date",
            "Date of the visit / interaction",
            Kind.DATE,
            source="000",
            missing="Enter the date of the visit or interaction.",
            need=Need.REQUIRED,
            quote="no later than 2 working days after the visit/Interaction",
        ),
        Field(
            "visit_time",
            "Start time",
            Kind.TIME,
            source=_002_6,
            missing="Enter the time of the home visit.",
            need=when.on_home_visit,
            quote="Time and date of the visit",
        ),
        Field(
            "setting",
            "Where did it take place?",
            Kind.CHOICE,
            source="000",
            choices=((NOT_ANSWERED, None), *((s.label, s) for s in Setting)),
            missing="Say where the visit or interaction took place.",
            need=Need.REQUIRED,
            quote="visiting at home, and/or seeing the child(ren) within a different setting, for "
            "example in health clinics, school, GP surgery etc...",
        ),
        Field(
            "setting_other",
            "Describe the place",
            source="000",
            applies=when.other_place,
            missing="Say where the visit took place.",
            need=Need.REQUIRED,
            quote="seeing the child(ren) within a different setting",
        ),
        Field(
            "announced",
            "Unannounced visit",
            Kind.YES_NO,
            source="000",
            # Stored as "announced"; the form asks it the other way round.
            choices=(("Yes", False), ("No", True)),
            quote="This should include agreeing if unannounced visits will take place.",
        ),
        Field(
            "purpose",
            "Purpose of the visit / interaction",
            Kind.LONG_TEXT,
            hint="Which task of the child's plan did this visit or interaction serve?",
            source="000",
            missing="Say what the visit was for: which task of the plan it served.",
            need=Need.REQUIRED,
            quote="if they saw the child(ren) as part of a specific task of the Child Protection "
            "Plan ... this protocol would apply",
        ),
        Field(
            "others_present",
            "Who else was present (including any new adults or young people in the home)",
            Kind.LONG_TEXT,
            source=_002_6,
            missing="Say who was present on this home visit, including any new adults or young "
            "people in the home (“no one else” if so).",
            need=when.on_home_visit,
            quote="Time and date of the visit stating who was present; Circumstances of all family "
            "members including details of any new adults or young people present in the home",
        ),
    ),
)

_OBSERVATIONS = Section(
    "observations",
    "Observations",
    (
        Field(
            "observations",
            "Information gained or observations made relevant to the risks in the plan",
            Kind.LONG_TEXT,
            hint="Keep fact and opinion apart: say where something is your view.",
            source=_002_6,
            missing="On a home visit, record what you saw and heard that bears on the risks in "
            "the plan." + _OR_WHY,
            need=when.on_home_visit,
            quote="Any information gained or observations made during the visit relevant to the "
            "identified risks to the child.",
        ),
        Field(
            "risks_worsened",
            "Has your view of the risks worsened greatly?",
            Kind.YES_NO,
            hint="If so, discuss it with a manager as soon as possible.",
            source=_002_6,
            quote="If the view about the risks has worsened greatly this should be discussed "
            "with a manager as soon as possible",
        ),
        Field(
            "home_conditions",
            "Home conditions, meals and sleeping arrangements",
            Kind.LONG_TEXT,
            source=_004_9_4_10,
            missing="On a home visit, describe the home conditions, meals and sleeping "
            "arrangements." + _OR_WHY,
            need=when.on_home_visit,
            quote="Specific information about key subjects such as meals and sleeping arrangements",
        ),
        Field(
            "family_circumstances",
            "Circumstances of all family members",
            Kind.LONG_TEXT,
            source=_002_6,
            missing="On a home visit, describe the circumstances of all family members." + _OR_WHY,
            need=when.on_home_visit,
            quote="Circumstances of all family members including details of any new adults or "
            "young people present in the home",
        ),
        Field(
            "new_incidents",
            "Any new incidents or injuries?",
            Kind.YES_NO,
            hint="New incidents or injuries must be subject to full child protection enquiries: "
            "tell the key worker now.",
            source=_002_6,
            missing="Say whether there were any new incidents or injuries.",
            need=when.on_home_visit,
            quote="Any new incidents or injuries which must be subject to full Child Protection "
            "Enquiries.",
        ),
        Field(
            "incidents_injuries",
            "Details of the new incidents or injuries",
            Kind.LONG_TEXT,
            source=_002_6,
            applies=when.new_incidents,
            missing="Describe the new incidents or injuries.",
            need=Need.REQUIRED,
            quote="Any new incidents or injuries which must be subject to full Child Protection "
            "Enquiries.",
        ),
    ),
)

_CONCERNS = Section(
    "concerns",
    "Immediate concerns",
    (
        Field(
            "immediate_concerns",
            "Do you have immediate concerns about a child's safety?",
            Kind.YES_NO,
            hint="If yes, inform the key worker at once, or another social worker if the key "
            "worker is not available.",
            source="000",
            missing="Say whether you have immediate concerns about the child's safety.",
            need=Need.REQUIRED,
            quote="If immediate concerns have been identified inform the key worker, or another "
            "social worker if the key worker is not available.",
        ),
        Field(
            "concerns_told_who",
            "Who was told (the key worker, or another social worker if the key worker was "
            "unavailable)",
            source="000",
            applies=when.concerns,
            missing="Say who you told about your concerns (the key worker, or another social "
            "worker if they were not available).",
            need=Need.REQUIRED,
            quote="inform the key worker, or another social worker if the key worker is not "
            "available",
        ),
        Field(
            "concerns_told_at",
            "When were they told?",
            Kind.DATETIME,
            source="000",
            applies=when.concerns,
            missing="Say when you told them about your concerns.",
            need=Need.REQUIRED,
            quote="If immediate concerns have been identified inform the key worker",
        ),
        Field(
            "cp_procedures_considered",
            "Were immediate child protection procedures considered?",
            Kind.YES_NO,
            source="000",
            applies=when.concerns,
            missing="Say whether child protection procedures were considered.",
            need=Need.REQUIRED,
            quote="Consider whether the concerns require the immediate implementation of child "
            "protection procedures.",
        ),
    ),
)

_PARENTS = Section(
    "parents",
    "Parents and carers",
    (
        Field(
            "parents_informed",
            "Were the parents or carers told of your observations?",
            Kind.YES_NO,
            source="000",
            missing="Say whether the parents or carers were told what you saw.",
            need=Need.REQUIRED,
            quote="Inform the parents/carers of your observations, unless to do so would place "
            "the child(ren) and/or yourself in immediate risk.",
        ),
        Field(
            "parents_not_informed_reason",
            "Why were they not told?",
            Kind.LONG_TEXT,
            hint="For example: telling them would put the child or you at immediate risk.",
            source="000",
            applies=when.parents_not_told,
            missing="Say why the parents or carers were not told (for example, it would put the "
            "child or you at immediate risk).",
            need=Need.REQUIRED,
            quote="unless to do so would place the child(ren) and/or yourself in immediate risk",
        ),
        Field(
            "copy_to_parents",
            "Will the parents or carers get a copy of this record?",
            Kind.YES_NO,
            source="000",
            missing="Say whether the parents or carers will get a copy of this record.",
            need=Need.REQUIRED,
            quote="On completion of the report forward a copy to the key worker and the "
            "parents/carers (unless to do so would place the child(ren) at risk of harm).",
        ),
        Field(
            "no_copy_reason",
            "Why will they not get a copy?",
            Kind.LONG_TEXT,
            hint="For example: a copy would put the child at risk of harm.",
            source="000",
            applies=when.no_copy,
            missing="Say why the parents or carers will not get a copy (for example, it would "
            "put the child at risk of harm).",
            need=Need.REQUIRED,
            quote="unless to do so would place the child(ren) at risk of harm",
        ),
        Field(
            "parents_copy_note",
            "How will they get their copy, if not by email?",
            hint="For example: by hand at the next visit, or by post. Email goes to the parents' "
            "addresses under Families & contacts.",
            source="000",
            applies=when.copy_sent,
            quote="forward a copy to the key worker and the parents/carers",
        ),
    ),
)

_PEOPLE = (
    Section(
        "key_worker",
        "Key worker",
        (
            Field(
                "key_worker.name",
                "Key worker's name",
                source="000",
                missing="Enter the key worker's name.",
                need=Need.REQUIRED,
                quote="The report must be forwarded to the key worker",
            ),
            Field(
                "key_worker.email",
                "Key worker's email",
                source="000",
                missing="Enter the key worker's email address, so the record can be sent to them.",
                need=Need.REQUIRED,
                quote="The report can be sent by email or fax.",
            ),
            Field("key_worker.team", "Key worker's team or agency"),
            Field("key_worker.phone", "Key worker's phone"),
        ),
    ),
    Section(
        "completed_by",
        "Completed by",
        (
            Field(
                "completed_by.name",
                "Your name",
                source="000",
                missing="Enter your name.",
                need=Need.REQUIRED,
                quote="all Core Group members are asked to familiarise themselves with the "
                "process for completing and sharing the following recording tool",
            ),
            Field(
                "completed_by.role",
                "Your role",
                hint="For example: class teacher, health visitor.",
                source="000",
                missing="Enter your role (for example class teacher, health visitor).",
                need=Need.REQUIRED,
            ),
            Field(
                "completed_by.agency",
                "Your agency",
                source="000",
                missing="Enter your agency or organisation.",
                need=Need.REQUIRED,
            ),
            Field("completed_by.email", "Your email"),
            Field("completed_by.phone", "Your phone"),
        ),
    ),
)

_SENDING = Section(
    "sending",
    "Sending",
    (
        Field("due_date", "Due by", Kind.DATE, source="000", fact=True),
        Field("date_completed", "Date completed (submitted)", Kind.DATE, source="000", fact=True),
        Field("date_sent", "Date sent to the key worker", Kind.DATE, source="000", fact=True),
        Field(
            "send_method",
            "How it was sent",
            Kind.CHOICE,
            source="000",
            choices=tuple((label, method) for method, label in SEND_METHOD_LABELS.items()),
            fact=True,
        ),
        Field(
            "working_days_late",
            f"Completed later than {COMPLETION_WORKING_DAYS} working days after the visit, by",
            Kind.WORKING_DAYS,
            source="000",
            applies=when.submitted_late,
            fact=True,
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
)

MONITORING_FORM = Form(
    # 000: "The Multi-Agency Core Group Monitoring Form".
    title="Multi-Agency Core Group Monitoring Form",
    sections=(
        _VISIT,
        Section("children", "Children", (Field("family_name", "Family"),), items=CHILD),
        _OBSERVATIONS,
        _CONCERNS,
        _PARENTS,
        *_PEOPLE,
        _SENDING,
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

__all__ = ["CHILD", "EMAIL_SUBJECT", "MONITORING_FORM", "SEND_METHOD_LABELS"]
