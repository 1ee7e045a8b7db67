"""The rules that send the patient to a doctor for a check: both sides, a specialist, an MRI
scan, and eyelid myokymia. Each rule is registered beside its function (`Rule`); rule_table.py
lists them in order; the words are in items.yaml, the thresholds in thresholds.py."""

from __future__ import annotations

import datetime

from decision_aid.guidance.context import (
    INFORM,
    RECOMMEND,
    SPECIALISTS,
    Context,
    Hit,
    Reason,
    Rule,
    duration_months,
    duration_reason,
    mvd_tried,
)
from decision_aid.guidance.model import Answers
from decision_aid.guidance.rules_urgent import is_myokymia, recent_and_alone
from decision_aid.guidance.thresholds import (
    MYOKYMIA_MAX_MONTHS,
    MYOKYMIA_SEE_DOCTOR_WEEKS,
    PERSISTENT_MONTHS,
)


def rule_bilateral(ctx: Context) -> Hit | None:
    if ctx.answers.side == "both":
        return Hit(RECOMMEND, ("main",), (Reason("both"),))
    return None


BILATERAL = Rule("bilateral", RECOMMEND, "`side` = `both`.", rule_bilateral)


def rule_specialist_evaluation(ctx: Context) -> Hit | None:
    # An earlier MVD means a neurosurgeon has seen the patient, whatever `seen_by` says.
    a = ctx.answers
    if SPECIALISTS & set(a.seen_by) or mvd_tried(a) or is_myokymia(ctx):
        return None
    if recent_and_alone(ctx):
        return Hit(INFORM, ("short",), (duration_reason(ctx),))
    return Hit(RECOMMEND, ("main",), (duration_reason(ctx), Reason("not_seen")))


SPECIALIST_EVALUATION = Rule(
    "specialist_evaluation",
    "recommend; inform if the twitching is recent and nothing urgent fires",
    "`seen_by` includes neither `neurologist` nor `neurosurgeon`, no earlier MVD (a "
    "neurosurgeon did it), and `myokymia` does not fire. Recent means under "
    f"{PERSISTENT_MONTHS} month, known from weeks or a month and year; a year alone, "
    '"about 0 months or years ago" and an unknown start count as persistent. Beside an urgent '
    'item it is never the "wait a few weeks" inform.',
    rule_specialist_evaluation,
    ("PERSISTENT_MONTHS",),
)


def rule_mri(ctx: Context) -> Hit | None:
    status = ctx.answers.mri
    if ctx.scan_symptoms:
        return None  # the red-flag card names the scan, with no word on how rare a growth is
    if status in ("normal", "vessel_contact") or is_myokymia(ctx) or recent_and_alone(ctx):
        return None
    part = status if status in ("unknown_result", "other_finding") else "none"
    return Hit(RECOMMEND, (part,), (Reason(status or "unanswered"),))


MRI = Rule(
    "mri",
    RECOMMEND,
    "`mri` is `none`, `unsure`, `unknown_result`, `other_finding` or unanswered; not when "
    "`myokymia` fires, when the twitching is recent and nothing urgent fires, or when the "
    "red-flag card names a scan.",
    rule_mri,
)


def rule_myokymia(ctx: Context) -> Hit | None:
    if not is_myokymia(ctx):
        return None
    reasons = (Reason("ripple"), duration_reason(ctx))
    # Eyelid twitching that lasts more than 2 weeks should be seen by a doctor (NHS).
    if over_two_weeks(ctx.answers, ctx.today):
        return Hit(RECOMMEND, ("main", "lasting"), reasons)
    return Hit(INFORM, ("main",), reasons)


def over_two_weeks(a: Answers, today: datetime.date) -> bool:
    ago = a.onset_ago
    if not a.onset and ago is not None and ago.unit == "weeks":
        return ago.amount > MYOKYMIA_SEE_DOCTOR_WEEKS
    months = duration_months(a, today)
    return months is not None and months >= 1


MYOKYMIA = Rule(
    "myokymia",
    f"inform; recommend once it has lasted more than {MYOKYMIA_SEE_DOCTOR_WEEKS} weeks",
    "`eyelid_ripple_only` = `yes`, one side, `current_areas` at most `eyelid`, the "
    f"twitching began under {MYOKYMIA_MAX_MONTHS} months ago (known from weeks, months or a "
    "month and year), no symptom in `red_flags`, no Bell's palsy before, and no urgent rash or "
    "pregnancy item (onset before 40 does not block it). Over "
    f"{MYOKYMIA_SEE_DOCTOR_WEEKS} weeks (more than {MYOKYMIA_SEE_DOCTOR_WEEKS} weeks, or a "
    'month or more) adds "see your doctor".',
    rule_myokymia,
    ("MYOKYMIA_MAX_MONTHS", "MYOKYMIA_SEE_DOCTOR_WEEKS"),
)
