"""The guidance rules: which items the answers trigger, at what level, and why.

The logic lives here; the words live in items.yaml. Each rule returns a Hit (level, the text
parts to show, and the reasons) or None. `RULES` is also the rule table that
`decision-aid rules --format markdown` prints (docs/guidance-rules.md). Clinical basis:
the team's clinical fact sheet, cited in sources.yaml."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from decision_aid.guidance import content
from decision_aid.guidance.model import MULTI_CHOICES, Answers

URGENT, RECOMMEND, INFORM = "urgent", "recommend", "inform"
LEVEL_ORDER = {URGENT: 0, RECOMMEND: 1, INFORM: 2}
# Items that raise the clinic's red-flag marker (the list, the staff summary), besides any
# urgent item.
RED_FLAG_ITEMS = frozenset({"red_flags", "bilateral", "emergency"})
# SURE test: a score of 3 or less (of 4) flags decisional conflict (Legare 2010).
SURE_CONFLICT_AT_OR_BELOW = 3

SPECIALISTS = {"neurologist", "neurosurgeon"}
# Red-flag symptoms other than the emergency one (fact sheet, section 6).
OTHER_RED_FLAGS = tuple(
    flag for flag in MULTI_CHOICES["red_flags"] if flag not in ("sudden_weakness", "none")
)
# Both eyes squeezing shut points to blepharospasm: it needs a doctor's review, not urgent care.
CHECK_ONLY_FLAGS = ("both_eyes",)
# Symptoms that a known effect of the patient's own treatment explains (fact sheet, sections 1,
# 2 and 6): a weak or drooping face with Botox side effects of that kind; hearing loss or a weak
# face after an MVD. They are named as such, never as "may have another cause".
BOTOX_EXPLAINS = {"facial_weakness": ("ptosis", "mouth_weakness", "eye_closure")}
MVD_EXPLAINS = ("hearing_loss", "facial_weakness")
# Botox side effects that make people ask about other options. Bruising and a dry or watery eye
# are left out: they are minor and pass.
TROUBLESOME_BOTOX = ("ptosis", "mouth_weakness", "eye_closure", "double_vision")
# Injections are repeated every 3 to 4 months (Tambasco 2021), so 8 rounds is about 2 years.
ROUNDS_FOR_YEARS = 8
# "Shortening": the benefit now is at most three quarters of what it was at first.
SHORTER_FRACTION = (3, 4)
# Twitching under a month, known to the week or month, is "recent"; eyelid rippling under 3
# months may be myokymia.
PERSISTENT_MONTHS = 1
MYOKYMIA_MAX_MONTHS = 3
# An MVD in this or the previous calendar year may still be working (delayed improvement).
RECENT_MVD_YEARS = 1
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
    def short(self) -> bool:
        """Recent twitching, and nothing urgent beside it. Only then may the advice be "if it
        goes on for a few weeks, see your doctor" with no scan yet: beside an urgent card that
        would contradict it, and a new symptom needs the specialist and the scan anyway."""
        return is_recent(self.answers, self.today) and not urgent_elsewhere(self)

    @property
    def red_flag_symptoms(self) -> list[str]:
        return [flag for flag in self.answers.red_flags if flag in OTHER_RED_FLAGS]

    @property
    def treatment_effects(self) -> dict[str, str]:
        """The red-flag symptoms that the patient's own treatment explains: flag -> treatment."""
        return treatment_effects(self.answers)

    @property
    def unexplained_symptoms(self) -> list[str]:
        """Red-flag symptoms that may have another cause: a doctor should check them soon."""
        explained = self.treatment_effects
        return [
            flag
            for flag in self.red_flag_symptoms
            if flag not in explained and flag not in CHECK_ONLY_FLAGS
        ]


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
        return "less than a year"
    if not answers.onset and ago is not None:
        if ago.amount == 0:
            return "less than a week"
        return f"about {_count(ago.amount, ago.unit)}"
    months = duration_months(answers, today)
    if months is None:
        return None
    if months < 1:
        return "less than a month"
    if months < 24:
        return f"about {_count(months, 'months')}"
    return f"about {_count(months // 12, 'years')}"


def _count(amount: int, unit: str) -> str:
    singular, plural = content.load("labels")["duration_units"][unit]
    return f"{amount} {singular if amount == 1 else plural}"


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
    """The benefit now is at most three quarters of the benefit at first."""
    if botox_trend(a) != "shorter":
        return False
    return a.botox_weeks_now * SHORTER_FRACTION[1] <= a.botox_weeks_first * SHORTER_FRACTION[0]


def medicines_tried(a: Answers) -> bool:
    return "medicines" in a.treatments or bool(a.medicines)


def mvd_tried(a: Answers) -> bool:
    details = (a.mvd_year, a.mvd_helped, a.mvd_recurred)
    return "mvd" in a.treatments or any(value is not None for value in details)


def treatment_effects(a: Answers) -> dict[str, str]:
    effects: dict[str, str] = {}
    for flag in a.red_flags:
        if set(BOTOX_EXPLAINS.get(flag, ())) & set(a.botox_side_effects):
            effects[flag] = "botox"
        elif flag in MVD_EXPLAINS and mvd_tried(a):
            effects[flag] = "mvd"
    return effects


def urgent_elsewhere(ctx: Context) -> bool:
    """Whether the emergency, or an urgent red-flag, rash or pregnancy card fires."""
    return any(
        (hit := check(ctx)) is not None and hit.level == URGENT
        for check in (rule_emergency, rule_red_flags, rule_medicine_rash, rule_pregnancy)
    )


def is_myokymia(ctx: Context) -> bool:
    """A fine ripple of one eyelid, for under 3 months, and nothing else to check: never beside
    the emergency, a red flag or anything urgent."""
    a = ctx.answers
    months = ctx.duration_months
    return (
        a.eyelid_ripple_only == "yes"
        and a.side != "both"
        and set(a.current_areas) <= {"eyelid"}
        and months is not None
        and months < MYOKYMIA_MAX_MONTHS
        and not (a.onset and "-" not in a.onset)  # a year alone is too vague
        and rule_emergency(ctx) is None
        and rule_red_flags(ctx) is None
        and not urgent_elsewhere(ctx)
    )


def _duration_reason(ctx: Context) -> Reason:
    phrase = duration_phrase(ctx.answers, ctx.today)
    return Reason("duration", {"duration": phrase}) if phrase else Reason("unknown")


# ---------------------------------------------------------------------------------------------
# The rules


def rule_emergency(ctx: Context) -> Hit | None:
    if "sudden_weakness" in ctx.answers.red_flags:
        return Hit(URGENT, ("main",), (Reason("sudden"),))
    return None


def rule_red_flags(ctx: Context) -> Hit | None:
    a = ctx.answers
    parts, reasons = [], []
    unexplained = ctx.unexplained_symptoms
    if unexplained:
        flags = content.join(content.labels("red_flags", unexplained))
        parts.append("symptoms")
        reasons.append(Reason("symptoms", {"flags": flags}))
    if "both_eyes" in a.red_flags:
        parts.append("both_eyes")
        reasons.append(Reason("both_eyes"))
    for treatment in ("botox", "mvd"):
        explained = [flag for flag, by in ctx.treatment_effects.items() if by == treatment]
        if explained:
            flags = content.join(content.labels("red_flags", explained))
            parts.append(f"{treatment}_effect")
            reasons.append(Reason(f"{treatment}_effect", {"flags": flags}))
    if a.bells_palsy == "yes":
        parts.append("bells")
        reasons.append(Reason("bells"))
    if a.onset_before_40 == "yes":
        parts.append("young")
        reasons.append(Reason("young"))
    if not parts:
        return None
    # Only symptoms that may have another cause are urgent. Both eyes, Bell's palsy before,
    # onset before 40 and the known effects of a treatment call for a check, not an urgent one.
    level = URGENT if unexplained else RECOMMEND
    effects_only = all(part.endswith("_effect") for part in parts)
    return Hit(level, tuple(parts), tuple(reasons), "treatment_effect" if effects_only else None)


def rule_bilateral(ctx: Context) -> Hit | None:
    if ctx.answers.side == "both":
        return Hit(RECOMMEND, ("main",), (Reason("both"),))
    return None


def rule_specialist_evaluation(ctx: Context) -> Hit | None:
    # An earlier MVD means a neurosurgeon has seen the patient, whatever `seen_by` says.
    a = ctx.answers
    if SPECIALISTS & set(a.seen_by) or mvd_tried(a) or is_myokymia(ctx):
        return None
    if ctx.short:
        return Hit(INFORM, ("short",), (_duration_reason(ctx),))
    return Hit(RECOMMEND, ("main",), (_duration_reason(ctx), Reason("not_seen")))


def rule_mri(ctx: Context) -> Hit | None:
    status = ctx.answers.mri
    if status in ("normal", "vessel_contact") or is_myokymia(ctx) or ctx.short:
        return None
    part = status if status in ("unknown_result", "other_finding") else "none"
    return Hit(RECOMMEND, (part,), (Reason(status or "unanswered"),))


def rule_botox_limits(ctx: Context) -> Hit | None:
    a = ctx.answers
    if not botox_tried(a):
        return None
    reason = Reason("rounds", {"rounds": a.botox_rounds}) if a.botox_rounds else Reason("tried")
    return Hit(INFORM, ("main",), (reason,))


def rule_ask_about_mvd(ctx: Context) -> Hit | None:
    """Recommend when Botox is failing the patient, they lean towards surgery, or a lasting fix
    or no more injections matters a lot. Years of Botox that still works: inform only."""
    a = ctx.answers
    if mvd_tried(a):
        return None  # after_mvd covers people who have had an MVD
    reasons = _botox_failing(a) if botox_tried(a) else []
    if a.leaning == "surgery":
        reasons.append(Reason("leaning"))
    reasons += [Reason(p) for p in ("lasting_fix", "no_repeat_injections") if _very(a, p)]
    level = RECOMMEND
    if not reasons:
        if not (a.botox_rounds and a.botox_rounds >= ROUNDS_FOR_YEARS):
            return None
        level = INFORM
    if a.botox_rounds and a.botox_rounds >= ROUNDS_FOR_YEARS:
        reasons.append(Reason("years", {"rounds": a.botox_rounds}))
    # Name the trade-off when the patient said the operation's downsides matter a lot.
    reasons += [Reason(p) for p in ("avoid_nerve_risk", "avoid_surgery") if _very(a, p)]
    title = "also_a_choice" if level == INFORM else None  # information, not an invitation
    return Hit(level, ("main",), tuple(reasons), title)


def _very(a: Answers, priority: str) -> bool:
    return a.priorities.get(priority) == "very"


def _botox_failing(a: Answers) -> list[Reason]:
    """Botox failing the patient: the benefit much shorter, troublesome side effects, unhappy."""
    reasons = [r for r in _botox_reasons(a) if r.key in ("shorter", "side_effects")]
    if a.botox_satisfaction == "not":
        reasons.append(Reason("not_satisfied"))
    return reasons


def rule_adjust_botox(ctx: Context) -> Hit | None:
    """Botox tried, and its benefit got shorter (at most 3/4) or it caused side effects other
    than a bruise: ask whether the dose, the places injected or the timing can change."""
    a = ctx.answers
    if not botox_tried(a):
        return None
    reasons = []
    if botox_shortened(a):
        weeks = {"now": weeks_phrase(a.botox_weeks_now), "first": weeks_phrase(a.botox_weeks_first)}
        reasons.append(Reason("shorter", weeks))
    # A bruise where the needle went in is minor and passes: it alone is no reason to change.
    ticked = [effect for effect in a.botox_side_effects if effect != "none"]
    if set(ticked) - {"bruising"}:
        effects = content.join(content.labels("botox_side_effects", ticked))
        reasons.append(Reason("side_effects", {"effects": effects}))
    return Hit(RECOMMEND, ("main",), tuple(reasons)) if reasons else None


# Any daily-life item answered "often" (2) or "always" (3).
IMPACT_AFFECTED = 2


def rule_ask_about_botox(ctx: Context) -> Hit | None:
    """Botox not tried, and the twitching gets in the way of daily life or tablets did not
    help."""
    a = ctx.answers
    if botox_tried(a):
        return None
    reasons = []
    affected = [key for key, score in a.impact.items() if score >= IMPACT_AFFECTED]
    if affected:
        words = content.join(content.labels("impact", affected))
        reasons.append(Reason("impact", {"areas": words}))
    if medicines_tried(a) and a.medicine_helped == "no":
        reasons.append(Reason("tablets"))
    return Hit(RECOMMEND, ("main",), tuple(reasons)) if reasons else None


def _botox_reasons(a: Answers) -> list[Reason]:
    reasons = []
    if botox_shortened(a):
        weeks = {"now": weeks_phrase(a.botox_weeks_now), "first": weeks_phrase(a.botox_weeks_first)}
        reasons.append(Reason("shorter", weeks))
    if any(effect in TROUBLESOME_BOTOX for effect in a.botox_side_effects):
        # Name every side effect the patient ticked, not only those that trigger the rule.
        ticked = [effect for effect in a.botox_side_effects if effect != "none"]
        effects = content.join(content.labels("botox_side_effects", ticked))
        reasons.append(Reason("side_effects", {"effects": effects}))
    if a.botox_rounds and a.botox_rounds >= ROUNDS_FOR_YEARS:
        reasons.append(Reason("years", {"rounds": a.botox_rounds}))
    if a.botox_satisfaction == "not":
        reasons.append(Reason("not_satisfied"))
    return reasons


def _rash(a: Answers) -> bool:
    return medicines_tried(a) and "rash" in a.medicine_side_effects


def rule_medicine_rash(ctx: Context) -> Hit | None:
    """A rash on tablets has its own short card. On carbamazepine it may be the first sign of a
    severe skin reaction (SJS/TEN; carbamazepine label): urgent while it is taken or if that is
    not said. After stopping it, or on another tablet, see the doctor about it (recommend)."""
    a = ctx.answers
    if not _rash(a):
        return None
    if "carbamazepine" not in a.medicines:
        return Hit(RECOMMEND, ("other", "severe_signs"), (Reason("other"),), "other")
    if a.medicine_current == "no":
        return Hit(RECOMMEND, ("stopped", "severe_signs"), (Reason("stopped"),), "stopped")
    reason = Reason("current" if a.medicine_current == "yes" else "carbamazepine")
    return Hit(URGENT, ("now", "severe_signs"), (reason,))


def rule_medicine_evidence(ctx: Context) -> Hit | None:
    a = ctx.answers
    if not medicines_tried(a):
        return None
    reasons = []
    if a.medicine_helped == "no":
        reasons.append(Reason("no_help"))
    # Every side effect the patient ticked but a rash, which has its own card.
    effects = [e for e in a.medicine_side_effects if e not in ("none", "rash")]
    if effects:
        words = content.join(content.labels("medicine_side_effects", effects))
        reasons.append(Reason("side_effects", {"effects": words}))
    # A rash on carbamazepine also brings this card, for its safety points (blood tests, the
    # gene test), with the rash itself on its own card.
    if not reasons and not (_rash(a) and "carbamazepine" in a.medicines):
        return None
    parts = ["main"]
    if "carbamazepine" in a.medicines:
        parts.append("carbamazepine")
        reasons.append(Reason("carbamazepine"))
    must_taper = [name for name in ("baclofen", "clonazepam") if name in a.medicines]
    if a.medicine_current == "yes" and must_taper:
        parts.append("stopping")
        reasons.append(Reason("stopping", {"names": content.join(must_taper)}))
    return Hit(INFORM, tuple(parts), tuple(reasons))


def carbamazepine_now(a: Answers) -> bool:
    """Carbamazepine taken now, or not said whether it was stopped."""
    return "carbamazepine" in a.medicines and a.medicine_current != "no"


def rule_pregnancy(ctx: Context) -> Hit | None:
    """Carbamazepine can harm an unborn baby and stop hormonal contraception working (label;
    Medsafe 2025). Pregnant now and taking it: talk to the doctor soon (urgent), never stop it
    alone. Planning, not sure, or leaning towards tablets: raise it before choosing."""
    a = ctx.answers
    if a.pregnancy not in ("yes", "planning", "unsure"):
        return None
    taking = carbamazepine_now(a)
    if not (taking or a.leaning == "medicines"):
        return None
    reasons = [Reason(f"pregnancy_{a.pregnancy}")]
    reasons.append(Reason("taking" if taking else "leaning"))
    level = URGENT if taking and a.pregnancy == "yes" else RECOMMEND
    return Hit(level, ("taking" if taking else "choosing", "contraception"), tuple(reasons))


def rule_acupuncture_evidence(ctx: Context) -> Hit | None:
    a = ctx.answers
    others = botox_tried(a) or medicines_tried(a) or mvd_tried(a)
    if "acupuncture" in a.treatments and not others:
        return Hit(INFORM, ("main",), (Reason("alone"),))
    return None


def rule_myokymia(ctx: Context) -> Hit | None:
    if not is_myokymia(ctx):
        return None
    reasons = (Reason("ripple"), _duration_reason(ctx))
    # Eyelid twitching that lasts more than 2 weeks should be seen by a doctor (NHS).
    if over_two_weeks(ctx.answers, ctx.today):
        return Hit(RECOMMEND, ("main", "lasting"), reasons)
    return Hit(INFORM, ("main",), reasons)


def over_two_weeks(a: Answers, today: datetime.date) -> bool:
    ago = a.onset_ago
    if not a.onset and ago is not None and ago.unit == "weeks":
        return ago.amount > 2
    months = duration_months(a, today)
    return months is not None and months >= 1


def rule_after_mvd(ctx: Context) -> Hit | None:
    a = ctx.answers
    if not mvd_tried(a):
        return None
    reasons = []
    if a.mvd_recurred == "yes":
        reasons.append(Reason("recurred"))
    if a.mvd_helped in ("no", "partly"):
        reasons.append(Reason("no_help" if a.mvd_helped == "no" else "partly"))
    if not reasons:
        return None
    parts = ["main"]
    recent = a.mvd_year is not None and ctx.today.year - a.mvd_year <= RECENT_MVD_YEARS
    if recent and a.mvd_helped in ("no", "partly"):
        parts.append("recent")
        reasons.append(Reason("recent", {"year": a.mvd_year}))
    return Hit(RECOMMEND, tuple(parts), tuple(reasons))


@dataclass(frozen=True)
class Rule:
    id: str
    level: str
    trigger: str
    check: Callable[[Context], Hit | None]


# The order here breaks ties within a level: urgent items come first, then recommend, then inform.
RULES: tuple[Rule, ...] = (
    Rule(
        "emergency",
        URGENT,
        "`red_flags` includes `sudden_weakness` (today or in the last few days, any sudden "
        "stroke sign: one side of the face drooping, a weak or numb arm or leg, slurred or "
        "muddled speech, sudden loss of sight or double vision, sudden loss of balance). "
        "Always the first item.",
        rule_emergency,
    ),
    Rule(
        "red_flags",
        "urgent if a symptom may have another cause; otherwise recommend",
        "`red_flags` includes any flag other than `sudden_weakness` and `none`; or "
        "`bells_palsy` = `yes`; or `onset_before_40` = `yes`. The reasons name the flags. "
        "Urgent for a symptom that may have another cause. Recommend for `both_eyes` "
        "(possible blepharospasm), Bell's palsy before, onset before 40, and a symptom that the "
        "patient's own treatment explains, which is named as a known effect: "
        "`facial_weakness` with a Botox side effect of `ptosis`, `mouth_weakness` or "
        "`eye_closure`; `hearing_loss` or `facial_weakness` after an MVD.",
        rule_red_flags,
    ),
    Rule(
        "medicine_rash",
        "urgent if carbamazepine is taken now or that is not said; otherwise recommend",
        "Tablets tried and `medicine_side_effects` includes `rash`. Names the signs of a "
        "severe skin reaction that need help the same day.",
        rule_medicine_rash,
    ),
    Rule(
        "pregnancy",
        "urgent if pregnant and taking carbamazepine now; otherwise recommend",
        "`pregnancy` is `yes`, `planning` or `unsure`, and carbamazepine is taken now (or "
        "`medicine_current` is not said) or `leaning` = `medicines`.",
        rule_pregnancy,
    ),
    Rule("bilateral", RECOMMEND, "`side` = `both`.", rule_bilateral),
    Rule(
        "specialist_evaluation",
        "recommend; inform if the twitching is recent and nothing urgent fires",
        "`seen_by` includes neither `neurologist` nor `neurosurgeon`, no earlier MVD (a "
        "neurosurgeon did it), and `myokymia` does not fire. Recent means under a month, known "
        'from weeks or a month and year; a year alone, "about 0 months or years ago" and an '
        'unknown start count as persistent. Beside an urgent item it is never the "wait a few '
        'weeks" inform.',
        rule_specialist_evaluation,
    ),
    Rule(
        "mri",
        RECOMMEND,
        "`mri` is `none`, `unsure`, `unknown_result`, `other_finding` or unanswered; not when "
        "`myokymia` fires, or when the twitching is recent and nothing urgent fires.",
        rule_mri,
    ),
    Rule(
        "ask_about_mvd",
        "recommend; inform if the only trigger is years of Botox that still works",
        "No earlier MVD, and any of: Botox failing (benefit now at most 3/4 of the benefit at "
        "first; a side effect of `ptosis`, `mouth_weakness`, `eye_closure` or "
        "`double_vision`; `botox_satisfaction` = `not`); `leaning` = `surgery`; "
        "`priorities.lasting_fix` or `priorities.no_repeat_injections` = `very`. Inform when "
        "the only trigger is `botox_rounds` >= 8 (years of injections). Adds a reason naming "
        "the trade-off when `priorities.avoid_nerve_risk` or `priorities.avoid_surgery` is "
        "`very`.",
        rule_ask_about_mvd,
    ),
    Rule(
        "adjust_botox",
        RECOMMEND,
        "Botox tried, and the benefit now is at most 3/4 of the benefit at first, or any side "
        "effect in `botox_side_effects` other than `bruising` (the reasons name them all).",
        rule_adjust_botox,
    ),
    Rule(
        "ask_about_botox",
        RECOMMEND,
        "Botox not tried, and any `impact` item is 2 or 3 (often or always), or tablets tried "
        "with `medicine_helped` = `no`.",
        rule_ask_about_botox,
    ),
    Rule(
        "after_mvd",
        RECOMMEND,
        "An earlier MVD, and `mvd_recurred` = `yes` or `mvd_helped` = `no` or `partly`. Adds "
        "delayed improvement when `mvd_year` is this year or last year and it has not helped.",
        rule_after_mvd,
    ),
    Rule(
        "botox_limits",
        INFORM,
        "Botox tried: `treatments` includes `botox`, or any Botox detail is given.",
        rule_botox_limits,
    ),
    Rule(
        "medicine_evidence",
        INFORM,
        "Tablets tried, and `medicine_helped` = `no` or a side effect other than a rash in "
        "`medicine_side_effects` (a rash has its own item, `medicine_rash`), or a rash on "
        "carbamazepine. Adds carbamazepine safety when `medicines` includes it, and not "
        "stopping suddenly when baclofen or clonazepam is taken now.",
        rule_medicine_evidence,
    ),
    Rule(
        "acupuncture_evidence",
        INFORM,
        "`treatments` includes `acupuncture`, with no Botox, tablets or MVD.",
        rule_acupuncture_evidence,
    ),
    Rule(
        "myokymia",
        "inform; recommend once it has lasted more than 2 weeks",
        "`eyelid_ripple_only` = `yes`, one side, `current_areas` at most `eyelid`, the "
        "twitching began under 3 months ago (known from weeks, months or a month and year), and "
        "no emergency, red flag or other urgent item. Over 2 weeks (more than 2 weeks, or a "
        'month or more) adds "see your doctor".',
        rule_myokymia,
    ),
)
RULE_IDS = tuple(rule.id for rule in RULES)


def fire(ctx: Context) -> list[tuple[Rule, Hit]]:
    """Every rule that fires, ordered by level (urgent, recommend, inform), then table order."""
    hits = [(rule, hit) for rule in RULES if (hit := rule.check(ctx)) is not None]
    return sorted(hits, key=lambda pair: LEVEL_ORDER[pair[1].level])  # stable sort


def rule_sources(rule_id: str) -> list[str]:
    """Every source an item can cite, in order of first appearance."""
    seen: dict[str, None] = {}
    for part in content.load("items")[rule_id]["parts"].values():
        seen.update(dict.fromkeys(part["sources"]))
    return list(seen)


def rules_markdown() -> str:
    """The rule table as Markdown (docs/guidance-rules.md is this output)."""
    lines = [
        "# Guidance rules",
        "",
        "Generated by `decision-aid rules --format markdown` from `decision_aid/guidance/rules.py`"
        " and `items.yaml`. Do not edit by hand; a test fails when this file is out of date.",
        "",
        "Items are ordered urgent, then recommend, then inform; within a level, in this table's"
        " order. The wording of each item is in `decision_aid/guidance/items.yaml`; the sources"
        " are in `sources.yaml`.",
        "",
        "| id | trigger | level | sources |",
        "|---|---|---|---|",
    ]
    for rule in RULES:
        sources = ", ".join(rule_sources(rule.id))
        lines.append(f"| `{rule.id}` | {rule.trigger} | {rule.level} | {sources} |")
    return "\n".join(lines) + "\n"
