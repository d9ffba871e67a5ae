"""Every check on a monitoring record and on core group minutes, with its severity and the seed
sentence it follows.

The checks on single questions come from the form (coreform.forms.monitoring: what is needed
where); the rules between answers are the `Rule`s below, used by coreform.validation. `checks_table`
renders both as the table in docs/CHECKS.md, which a test keeps in step with the code.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from coreform.forms.minutes import MINUTES_FORM
from coreform.forms.model import Field, Form, Need
from coreform.forms.monitoring import MONITORING_FORM


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Rule:
    """A check between answers: what it checks, how much it matters, and where it comes from."""

    checks: str
    severity: Severity
    source: str
    quote: str


LATE_WITHOUT_REASON = Rule(
    "A record completed (submitted) or sent after the due date gives the reason for lateness; "
    "the due date is 2 working days after the visit, bank holidays skipped",
    Severity.ERROR,
    "000",
    "Either record the information ... no later than 2 working days after the visit/Interaction. "
    "... The report must be forwarded to the key worker no later than 2 working days after the "
    "visit/Interaction.",
)
FAX_FOR_NEW_RECORD = Rule(
    "Fax is kept only so that old records import; a new record is sent by email",
    Severity.ERROR,
    "000",
    "The report can be sent by email or fax. If sent by email the subject heading should be Core "
    "Group Monitoring Form CONFIDENTIAL.",
)
COPY_WITHOUT_ADDRESS = Rule(
    "A copy to the parents or carers needs a parent's email address, or a note of how it "
    "reaches them (by hand, by post)",
    Severity.ERROR,
    "000",
    "On completion of the report forward a copy to the key worker and the parents/carers (unless "
    "to do so would place the child(ren) at risk of harm).",
)
KEY_WORKER_EMAIL = Rule(
    "The key worker's email address looks like one",
    Severity.ERROR,
    "000",
    "The report can be sent by email or fax.",
)
INCIDENTS_NEED_ENQUIRIES = Rule(
    "New incidents or injuries prompt telling the key worker now (immediate concerns: yes)",
    Severity.WARNING,
    "002 §6",
    "Any new incidents or injuries which must be subject to full Child Protection Enquiries.",
)
RISKS_WORSENED = Rule(
    "Risks that have worsened greatly prompt discussing them with a manager",
    Severity.WARNING,
    "002 §6",
    "If the view about the risks has worsened greatly this should be discussed with a manager as "
    "soon as possible",
)
PARENT_REFUSED_ALONE = Rule(
    "A parent's refusal to let the child be seen alone prompts telling the manager",
    Severity.WARNING,
    "004 §9.4.6",
    "Ensure they see the child alone (with parents' agreement) ... (if parents refuse, the LA "
    "children's social care manager must be informed).",
)
VAGUE_LABELS = Rule(
    "The child's presentation is described, not labelled (“disturbed”, “acting out”, "
    "“unkempt”, “unhappy”)",
    Severity.WARNING,
    "004 §9.4.10",
    "Factual reports of the child's presentation and behaviour (describing what they did, said "
    "and how they looked, avoiding non-specific labels such as 'disturbed / acting out / "
    "unkempt, unhappy' etc.)",
)
FACT_AND_OPINION = Rule(
    "Observations that read as opinion (“seems”, “I think”, “probably”) say that they are",
    Severity.WARNING,
    "004 §9.4.10",
    "The date, time and content of any communication which relates to the child and family "
    "(distinguishing between fact and opinion).",
)
BORN_BEFORE_EXPECTED = Rule(
    "An unborn child's expected date before the visit asks whether the baby has been born",
    Severity.WARNING,
    "004 §9.4.2",
    "At every initial or pre-birth conference, where a child protection plan is put into place, "
    "...",
)

RULES = (
    LATE_WITHOUT_REASON,
    FAX_FOR_NEW_RECORD,
    COPY_WITHOUT_ADDRESS,
    KEY_WORKER_EMAIL,
    INCIDENTS_NEED_ENQUIRIES,
    RISKS_WORSENED,
    PARENT_REFUSED_ALONE,
    VAGUE_LABELS,
    FACT_AND_OPINION,
    BORN_BEFORE_EXPECTED,
)

# ---- core group minutes (001 template; coreform.minutes_checks) ------------------------------

INQUORATE = Rule(
    "A meeting with fewer than two professional members attending is not quorate",
    Severity.WARNING,
    "001 §4.7",
    "A core group meeting will be considered quorate if at least two professional members attend.",
)
ONE_CHAIR = Rule(
    "Exactly one attendee chairs the meeting",
    Severity.WARNING,
    "001 §4.2",
    "The lead social worker will usually chair core group meetings.",
)
ABSENT_WITHOUT_REPORT = Rule(
    "A professional member who did not attend sent a written report in advance",
    Severity.WARNING,
    "001 §4.6",
    "If a professional member is unable to attend a meeting, they must let the lead social "
    "worker know and must provide a written report in advance.",
)
CHAIR_UPDATES_KEY_WORKER = Rule(
    "A chair other than the lead social worker updates them within 3 working days of the meeting",
    Severity.WARNING,
    "001 §4.2",
    "It should be chaired by another professional member of the group who must update the lead "
    "social worker or their line manager of the outcome of the meeting, within 3 working days.",
)
VAGUE_TIMESCALE = Rule(
    "A next step never says “ASAP”, “as soon as possible”, “ongoing”, “when possible” or the "
    "like: it names who and a specific date",
    Severity.ERROR,
    "003 §3",
    "The person/persons responsible for taking each action should be explicit and the timescale "
    "for completion identified. It would never be acceptable to use the term ‘as soon as "
    "possible’ or ‘ongoing’ in relation to timescales",
)
STEP_OVERDUE = Rule(
    "A next step whose date has passed by the meeting is marked done, or changed with the reason "
    "and a new date",
    Severity.WARNING,
    "001 §3.2",
    "Each core group meeting should monitor the timescales set, to avoid drift or delay",
)
AGREED_REMOVED = Rule(
    "No safety goal or agreed action of an earlier meeting is removed",
    Severity.ERROR,
    "001 §2.3, §3.4",
    "However, it may not remove any agreed action or safety goal.",
)
CHANGED_WITHOUT_REASON = Rule(
    "An agreed safety goal or action that is changed records the reason (a goal: the conference "
    "changed it)",
    Severity.ERROR,
    "001 §3.4, §7.3",
    "The reasons for any changes must be clearly recorded by the lead social worker ... the "
    "intended outcomes/safety goals for the child will remain the same and can only be changed "
    "by the conference.",
)
MEETING_LATE = Rule(
    "A meeting planned or held after the day the profile makes it due is flagged, naming the "
    "rule (first within 10 working days, the cadence, the last before the review)",
    Severity.WARNING,
    "001 §2.1, §3.1, §3.6",
    "must be held within 10 working days of it ... meetings should be held at least every 6 "
    "weeks ... The final core group before any review child protection conference should take "
    "place up to 15 working days beforehand.",
)
MEETING_DATES = Rule(
    "The meeting's actual date is not in the future, and the next core group is after it",
    Severity.ERROR,
    "001 §3.5",
    "The date and venue for the next core group meeting should be confirmed at the end of each "
    "meeting and clearly recorded in the minutes.",
)
SCALE_RANGE = Rule(
    "Scaling is a whole number from 0 to 10",
    Severity.ERROR,
    "001 template",
    "Scaling of the overall progress of this case by child, parents, and professionals",
)

MINUTES_RULES = (
    INQUORATE,
    ONE_CHAIR,
    ABSENT_WITHOUT_REPORT,
    CHAIR_UPDATES_KEY_WORKER,
    VAGUE_TIMESCALE,
    STEP_OVERDUE,
    AGREED_REMOVED,
    CHANGED_WITHOUT_REASON,
    MEETING_LATE,
    MEETING_DATES,
    SCALE_RANGE,
)

_NEED_TEXT = {Need.REQUIRED: "error", Need.ADVISED: "warning"}


def _need_text(spec: Field) -> str:
    if isinstance(spec.need, Need):
        return _NEED_TEXT.get(spec.need, "")
    doc = (spec.need.__doc__ or "").strip().splitlines()
    return doc[0].rstrip(".").lower() if doc else "depends on the answers"


def checks_table() -> str:
    """docs/CHECKS.md: every check, its severity and the seed sentence it follows."""
    lines = [
        "# The checks on a monitoring record",
        "",
        "Generated from `coreform/forms/` and `coreform/checks.py` by "
        "`uv run python -m coreform.checks > docs/CHECKS.md`; a test keeps it in step.",
        "Errors stop a record being submitted; warnings are advice. The seeds are in "
        "`../shared/seeds/` (000 Barking and Dagenham protocol, 002 Bedford/Luton procedures, "
        "004 LSCB chapter 9).",
        "",
        "## Questions that must be answered where they apply",
        "",
        "| question | severity | source | the seed says |",
        "|---|---|---|---|",
    ]
    lines += _question_rows(MONITORING_FORM)
    lines += _rule_rows("## Rules between answers", RULES)
    lines += [
        "",
        "# The checks on core group minutes (Record of Core Group Meeting, 001)",
        "",
        "Errors stop minutes being finalised; warnings are advice. 001 is the Suffolk core group "
        "guidance, 003 the Pan-Lancashire procedures.",
        "",
        "## Questions that must be answered where they apply",
        "",
        "| question | severity | source | the seed says |",
        "|---|---|---|---|",
    ]
    lines += _question_rows(MINUTES_FORM)
    lines += _rule_rows("## Rules between answers", MINUTES_RULES)
    return "\n".join(lines) + "\n"


def _question_rows(form: Form) -> list[str]:
    sections = [(s.title, s.fields) for s in form.sections]
    sections += [
        (f"{s.title}: each {s.items.title.lower()}", s.items.fields)
        for s in form.sections
        if s.items is not None
    ]
    lines = []
    for title, fields in sections:
        for spec in fields:
            severity = _need_text(spec)
            if spec.missing and severity:
                lines.append(
                    f"| {title.rstrip(':')}: {spec.label} | {severity} | {spec.source} "
                    f"| {_cell(spec.quote)} |"
                )
    return lines


def _rule_rows(heading: str, rules: tuple[Rule, ...]) -> list[str]:
    lines = ["", heading, "", "| check | severity | source | the seed says |", "|---|---|---|---|"]
    lines += [
        f"| {_cell(rule.checks)} | {rule.severity} | {rule.source} | {_cell(rule.quote)} |"
        for rule in rules
    ]
    return lines


def _cell(text: str) -> str:
    return text.replace("|", "/").replace("\n", " ")


if __name__ == "__main__":
    print(checks_table(), end="")
