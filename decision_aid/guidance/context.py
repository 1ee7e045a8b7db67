"""What the rules know about the answers: the levels, the `Context` the rules read (answers and
today), the `Hit` a rule returns, the `Rule` each rule registers, and the facts derived from the
answers that the rules and the result share (how long it has lasted, the Botox trend, which
treatments were tried, which symptoms a treatment explains). The numbers they compare against
are in thresholds.py. Pure: no Flask, no clock."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from decision_aid.guidance import content
from decision_aid.guidance.model import MULTI_CHOICES, Answers
from decision_aid.guidance.thresholds import (
    BOTOX_EFFECT_MONTHS,
    PERSISTENT_MONTHS,
    SHORTER_FRACTION,
)
from decision_aid.text import i18n
from decision_aid.text.i18n import gettext

URGENT, RECOMMEND, INFORM = "urgent", "recommend", "inform"
LEVEL_ORDER = {URGENT: 0, RECOMMEND: 1, INFORM: 2}
# Items that raise the clinic's red-flag marker (the list, the staff summary), besides any
# urgent item.
RED_FLAG_ITEMS = frozenset({"red_flags", "bilateral", "emergency"})
SPECIALISTS = {"neurologist", "neurosurgeon"}
# Red-flag symptoms other than the emergency one (fact sheet, section 6).
OTHER_RED_FLAGS = tuple(
    flag for flag in MULTI_CHOICES["red_flags"] if flag not in ("sudden_weakness", "none")
)
# Both eyes squeezing shut points to blepharospasm: it needs a doctor's review, not urgent care.
CHECK_ONLY_FLAGS = ("both_eyes",)
# Symptoms that a known effect of the patient's own treatment can explain (fact sheet, sections
# 1, 2 and 6), but only while it can: a weak or drooping face counts as a Botox effect when the
# last injection was within BOTOX_EFFECT_MONTHS and Botox gave side effects of that kind, or
# when the patient says it began in the weeks after an injection (`botox_weakness_after`);
# hearing loss or a weak face counts as an MVD effect only when the patient says it began just
# after the operation (`mvd_symptoms_after`). An unanswered follow-up is not known, never yes.
BOTOX_EXPLAINS = {"facial_weakness": ("ptosis", "mouth_weakness", "eye_closure")}
MVD_EXPLAINS = ("hearing_loss", "facial_weakness")
# Red-flag symptoms that call for an MRI scan (or a new one, if the last was before they began),
# whatever an earlier scan showed (fact sheet, section 6: a CPA lesion, a nerve lesion, a tumour,
# a parotid lesion).
SCAN_FLAGS = (
    "hearing_loss",
    "hearing_balance",
    "balance",
    "numbness_pain",
    "lump",
    "facial_weakness",
)
# Botox side effects that make people ask about other options. Bruising and a dry or watery eye
# are left out: they are minor and pass.
TROUBLESOME_BOTOX = ("ptosis", "mouth_weakness", "eye_closure", "double_vision")
WEEKS_PER_YEAR = 52


@dataclass(frozen=True)
class Reason:
    key: str
    values: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Hit:
    level: str
    parts: tuple[str, ...]
    reasons: tuple[Reason, ...]
    # A key of the item's `titles` in items.yaml, for a case that needs its own title.
    title: str | None = None


@dataclass(frozen=True)
class Context:
    """The answers, today's date and what follows from them."""

    answers: Answers
    today: datetime.date

    @property
    def duration_months(self) -> int | None:
        return duration_months(self.answers, self.today)

    @property
    def red_flag_symptoms(self) -> list[str]:
        return [flag for flag in self.answers.red_flags if flag in OTHER_RED_FLAGS]

    @property
    def treatment_effects(self) -> dict[str, str]:
        """The red-flag symptoms that the patient's own treatment explains: flag -> treatment."""
        return treatment_effects(self.answers, self.today)

    @property
    def patient_linked(self) -> bool:
        """Whether the patient linked every explained symptom to the treatment (a follow-up
        answered yes), rather than the tool matching the timing of a recent injection."""
        return patient_linked(self.answers, self.today)

    @property
    def scan_symptoms(self) -> list[str]:
        """Unexplained symptoms that call for an MRI scan, or a new one."""
        return [flag for flag in self.unexplained_symptoms if flag in SCAN_FLAGS]

    @property
    def unexplained_symptoms(self) -> list[str]:
        """Red-flag symptoms that may have another cause: a doctor should check them soon."""
        explained = self.treatment_effects
        return [
            flag
            for flag in self.red_flag_symptoms
            if flag not in explained and flag not in CHECK_ONLY_FLAGS
        ]


@dataclass(frozen=True)
class Rule:
    """A rule's entry in the registry, written beside its function (rules_*.py): its id (the
    item's key in items.yaml), its level in words, its trigger in words, the function that checks
    it, and the names of the thresholds it uses (thresholds.py), which the trigger states.
    rule_table.RULES lists every entry in the order the items are shown within a level."""

    id: str
    level: str
    trigger: str
    check: Callable[[Context], Hit | None]
    thresholds: tuple[str, ...] = ()


# ---------------------------------------------------------------------------------------------
# Derived facts


def _vague_zero(answers: Answers) -> bool:
    """ "About 0 months ago" or "about 0 years ago": some time in the last year, not "under a
    month". Only weeks, or a month and year, can say that it began under a month ago."""
    ago = answers.onset_ago
    return not answers.onset and ago is not None and ago.amount == 0 and ago.unit != "weeks"


def duration_months(answers: Answers, today: datetime.date) -> int | None:
    """Whole months since onset (`onset` wins over `onset_ago`). A year alone counts from
    January: the longest it can have been, so that a vague date never makes twitching look
    short and never turns off the advice to see a specialist or have a scan. "About 0 months
    or years ago" is some time in the last year: unknown in months (None)."""
    if answers.onset:
        year, _, month = answers.onset.partition("-")
        start_month = int(month) if month else 1
        return max(0, (today.year - int(year)) * 12 + today.month - start_month)
    ago = answers.onset_ago
    if ago is None or _vague_zero(answers):
        return None
    if ago.unit == "weeks":
        return ago.amount * 12 // WEEKS_PER_YEAR
    return ago.amount * (12 if ago.unit == "years" else 1)


def is_recent(answers: Answers, today: datetime.date) -> bool:
    """Twitching that began under a month ago, known to the week or to the month. A year
    alone, or "about 0 months or years ago", never counts as recent."""
    months = duration_months(answers, today)
    if months is None or months >= PERSISTENT_MONTHS:
        return False
    if answers.onset:
        return "-" in answers.onset
    return answers.onset_ago is not None and answers.onset_ago.unit == "weeks"


def duration_phrase(answers: Answers, today: datetime.date) -> str | None:
    """ "about 5 weeks", "about 2 years", "less than a month" (None if unknown)."""
    ago = answers.onset_ago
    if _vague_zero(answers):
        return gettext("less than a year")
    if not answers.onset and ago is not None:
        if ago.amount == 0:
            return gettext("less than a week")
        return gettext("about {duration}").format(duration=_count(ago.amount, ago.unit))
    months = duration_months(answers, today)
    if months is None:
        return None
    if months < 1:
        return gettext("less than a month")
    if months < 24:
        return gettext("about {duration}").format(duration=_count(months, "months"))
    return gettext("about {duration}").format(duration=_count(months // 12, "years"))


def _count(amount: int, unit: str) -> str:
    singular, plural = content.load("labels")["duration_units"][unit]
    return i18n.count_phrase(amount, singular if amount == 1 else plural)


def weeks_phrase(weeks: int) -> str:
    return _count(weeks, "weeks")


def botox_tried(a: Answers) -> bool:
    details = (a.botox_rounds, a.botox_last, a.botox_weeks_first, a.botox_weeks_now)
    return "botox" in a.treatments or any(value is not None for value in details)


def botox_trend(a: Answers) -> str | None:
    """ "shorter", "longer" or "same": the weeks of benefit now against at first."""
    first, now = a.botox_weeks_first, a.botox_weeks_now
    if first is None or now is None:
        return None
    if now == first:
        return "same"
    return "shorter" if now < first else "longer"


def botox_shortened(a: Answers) -> bool:
    """The benefit now is at most SHORTER_FRACTION (thresholds.py) of the benefit at first."""
    if botox_trend(a) != "shorter":
        return False
    return a.botox_weeks_now * SHORTER_FRACTION[1] <= a.botox_weeks_first * SHORTER_FRACTION[0]


def medicines_tried(a: Answers) -> bool:
    return "medicines" in a.treatments or bool(a.medicines)


def mvd_tried(a: Answers) -> bool:
    details = (a.mvd_year, a.mvd_helped, a.mvd_recurred)
    return "mvd" in a.treatments or any(value is not None for value in details)


def months_since(month_year: str | None, today: datetime.date) -> int | None:
    """Whole months from a "YYYY-MM" answer to today (None without a month)."""
    if not month_year or "-" not in month_year:
        return None
    year, month = (int(part) for part in month_year.split("-"))
    return (today.year - year) * 12 + today.month - month


def botox_can_explain(a: Answers, flag: str, today: datetime.date) -> str | None:
    """ "patient" when the patient says the symptom began in the weeks after an injection;
    "timing" when the last injection was within BOTOX_EFFECT_MONTHS and Botox gave side effects
    of that kind; otherwise None."""
    if flag not in BOTOX_EXPLAINS or not botox_tried(a):
        return None
    if a.botox_weakness_after == "yes":
        return "patient"
    if a.botox_weakness_after == "no":
        return None
    months = months_since(a.botox_last, today)
    recent = months is not None and months <= BOTOX_EFFECT_MONTHS
    if recent and set(BOTOX_EXPLAINS[flag]) & set(a.botox_side_effects):
        return "timing"
    return None


def treatment_effects(a: Answers, today: datetime.date) -> dict[str, str]:
    effects: dict[str, str] = {}
    for flag in a.red_flags:
        if botox_can_explain(a, flag, today):
            effects[flag] = "botox"
        elif flag in MVD_EXPLAINS and mvd_tried(a) and a.mvd_symptoms_after == "yes":
            effects[flag] = "mvd"
    return effects


def patient_linked(a: Answers, today: datetime.date) -> bool:
    effects = treatment_effects(a, today)
    return bool(effects) and all(
        by == "mvd" or botox_can_explain(a, flag, today) == "patient"
        for flag, by in effects.items()
    )


def diagnosed(a: Answers) -> bool:
    """HFS diagnosed by a doctor, or a specialist (or an MVD's surgeon) has seen the patient."""
    return a.diagnosed_hfs == "yes" or bool(SPECIALISTS & set(a.seen_by)) or mvd_tried(a)


def one_side(a: Answers) -> bool:
    return a.side in ("left", "right")


def duration_reason(ctx: Context) -> Reason:
    phrase = duration_phrase(ctx.answers, ctx.today)
    return Reason("duration", {"duration": phrase}) if phrase else Reason("unknown")
