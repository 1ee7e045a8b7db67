"""The guidance rules: which items the answers trigger, at what level, and why.

The logic lives here; the words live in items.yaml. Each rule returns a Hit (level, the text
parts to show, and the reasons) or None. rule_table.py lists them (`RULES`, the table that
`decision-aid rules --format markdown` prints: docs/guidance-rules.md). What the rules read
about the answers (durations, trends, the thresholds) is in context.py. Clinical basis:
the team's clinical fact sheet, cited in sources.yaml."""

from __future__ import annotations

import datetime

from decision_aid.guidance import content
from decision_aid.guidance.context import (
    INFORM,
    MYOKYMIA_MAX_MONTHS,
    RECENT_MVD_YEARS,
    RECOMMEND,
    ROUNDS_FOR_YEARS,
    SPECIALISTS,
    TROUBLESOME_BOTOX,
    URGENT,
    Context,
    Hit,
    Reason,
    botox_can_explain,
    botox_shortened,
    botox_tried,
    diagnosed,
    duration_months,
    duration_reason,
    is_recent,
    medicines_tried,
    mvd_tried,
    one_side,
    weeks_phrase,
)
from decision_aid.guidance.model import Answers


def recent_and_alone(ctx: Context) -> bool:
    """Recent twitching, and nothing urgent beside it. Only then may the advice be "if it
    goes on for a few weeks, see your doctor" with no scan yet: beside an urgent card that
    would contradict it, and a new symptom needs the specialist and the scan anyway."""
    return is_recent(ctx.answers, ctx.today) and not urgent_elsewhere(ctx)


def urgent_elsewhere(ctx: Context) -> bool:
    """Whether the emergency, or an urgent red-flag, rash or pregnancy card fires."""
    return any(
        (hit := check(ctx)) is not None and hit.level == URGENT
        for check in (rule_emergency, rule_red_flags, rule_medicine_rash, rule_pregnancy)
    )


def is_myokymia(ctx: Context) -> bool:
    """A fine ripple of one eyelid, for under 3 months, and nothing else to check: no symptom
    from the red-flag list, no Bell's palsy before, nothing urgent. Onset before 40 does not
    block it: most people with eyelid myokymia are young adults (fact sheet, section 6)."""
    a = ctx.answers
    months = ctx.duration_months
    return (
        a.eyelid_ripple_only == "yes"
        and a.side != "both"
        and set(a.current_areas) <= {"eyelid"}
        and months is not None
        and months < MYOKYMIA_MAX_MONTHS
        and not (a.onset and "-" not in a.onset)  # a year alone is too vague
        and not [flag for flag in a.red_flags if flag != "none"]
        and a.bells_palsy != "yes"
        and not _urgent(rule_medicine_rash(ctx))
        and not _urgent(rule_pregnancy(ctx))
    )


def _urgent(hit: Hit | None) -> bool:
    return hit is not None and hit.level == URGENT


def red_flag_being_checked(ctx: Context) -> bool:
    """The emergency, or a symptom that may have another cause: the doctor checks it first."""
    return "sudden_weakness" in ctx.answers.red_flags or bool(ctx.unexplained_symptoms)


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
    if ctx.scan_symptoms:
        # An MRI scan, or a new one: an earlier normal scan never switches this off.
        parts.append("scan")
        reasons.append(Reason("scan"))
    if "both_eyes" in a.red_flags:
        parts.append("both_eyes")
        reasons.append(Reason("both_eyes"))
    for treatment in ("botox", "mvd"):
        explained = [flag for flag, by in ctx.treatment_effects.items() if by == treatment]
        if explained:
            flags = content.join(content.labels("red_flags", explained))
            parts.append(f"{treatment}_effect")
            said = treatment == "botox" and all(
                botox_can_explain(a, flag, ctx.today) == "patient" for flag in explained
            )
            key = "botox_effect_said" if said else f"{treatment}_effect"
            reasons.append(Reason(key, {"flags": flags}))
    if a.bells_palsy == "yes":
        parts.append("bells")
        reasons.append(Reason("bells"))
    if a.onset_before_40 == "yes" and not is_myokymia(ctx):
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
    if recent_and_alone(ctx):
        return Hit(INFORM, ("short",), (duration_reason(ctx),))
    return Hit(RECOMMEND, ("main",), (duration_reason(ctx), Reason("not_seen")))


def rule_mri(ctx: Context) -> Hit | None:
    status = ctx.answers.mri
    if ctx.scan_symptoms:
        return None  # the red-flag card names the scan, with no word on how rare a growth is
    if status in ("normal", "vessel_contact") or is_myokymia(ctx) or recent_and_alone(ctx):
        return None
    part = status if status in ("unknown_result", "other_finding") else "none"
    return Hit(RECOMMEND, (part,), (Reason(status or "unanswered"),))


def rule_botox_limits(ctx: Context) -> Hit | None:
    a = ctx.answers
    if not botox_tried(a):
        return None
    reason = Reason("rounds", {"rounds": a.botox_rounds}) if a.botox_rounds else Reason("tried")
    if bleeding_risk(a):
        return Hit(INFORM, ("main", "blood_thinners"), (reason, Reason("blood_thinners")))
    return Hit(INFORM, ("main",), (reason,))


def bleeding_risk(a: Answers) -> bool:
    """A blood thinner, or a bleeding problem (the optional health questions)."""
    return a.blood_thinners == "yes" or "bleeding" in a.health_problems


OLDER_AGE_BANDS = ("60_69", "70_79", "80_plus")


def health_parts(a: Answers) -> tuple[list[str], list[Reason]]:
    """What the fact sheet says about older age and blood thinners before an operation (section
    10, C and D), when the patient's answers make it matter. Never "too old"."""
    parts, reasons = [], []
    if a.age_band in OLDER_AGE_BANDS:
        parts.append("older")
        reasons.append(Reason("older", {"age": content.label("age_band", a.age_band)}))
    if bleeding_risk(a):
        parts.append("blood_thinners")
        reasons.append(Reason("blood_thinners"))
    if {"heart", "lung"} & set(a.health_problems):
        parts.append("health")
        problems = [p for p in a.health_problems if p in ("heart", "lung")]
        reasons.append(
            Reason(
                "health", {"problems": content.join(content.labels("health_problems", problems))}
            )
        )
    return parts, reasons


def rule_ask_about_mvd(ctx: Context) -> Hit | None:
    """Recommend only when HFS is diagnosed (or a specialist has seen the patient), the
    twitching is on one side, and Botox is failing or the patient leans towards an operation;
    and not for a satisfied Botox user whose benefit is steady, nor while a red flag, an
    unexplained MRI finding or Bell's palsy before is being looked into, nor for a patient who
    leans towards waiting and for whom avoiding surgery matters a lot. Otherwise, inform at
    most: MVD named as one choice."""
    a = ctx.answers
    if mvd_tried(a):
        return None  # after_mvd covers people who have had an MVD
    failing = _botox_failing(a) if botox_tried(a) else []
    reasons = list(failing)
    if a.leaning == "surgery":
        reasons.append(Reason("leaning"))
    wants = [Reason(p) for p in ("lasting_fix", "no_repeat_injections") if _very(a, p)]
    years = bool(a.botox_rounds and a.botox_rounds >= ROUNDS_FOR_YEARS)
    if not (reasons or wants or years):
        return None
    level = RECOMMEND if reasons and not mvd_held_back(ctx, failing) else INFORM
    reasons += wants
    if years:
        reasons.append(Reason("years", {"rounds": a.botox_rounds}))
    # Name the trade-off when the patient said the operation's downsides matter a lot.
    reasons += [Reason(p) for p in ("avoid_nerve_risk", "avoid_surgery") if _very(a, p)]
    parts = ["main", "harms"]
    extra_parts, extra_reasons = health_parts(a)
    parts += extra_parts
    reasons += extra_reasons
    title = "also_a_choice" if level == INFORM else None  # information, not an invitation
    return Hit(level, tuple(parts), tuple(reasons), title)


def mvd_held_back(ctx: Context, failing: list[Reason]) -> bool:
    """Why MVD is named as a choice but not suggested (issue 25)."""
    a = ctx.answers
    satisfied_and_steady = (
        botox_tried(a) and not failing and a.botox_satisfaction in ("very", "somewhat")
    )
    return (
        not diagnosed(a)
        or not one_side(a)
        or a.bells_palsy == "yes"
        or a.mri == "other_finding"
        or red_flag_being_checked(ctx)
        or (a.leaning == "wait" and _very(a, "avoid_surgery"))
        or satisfied_and_steady
    )


def _very(a: Answers, priority: str) -> bool:
    return a.priorities.get(priority) == "very"


def _botox_failing(a: Answers) -> list[Reason]:
    """Botox failing the patient: the benefit has fallen by a quarter or more; the patient is
    not happy with it; side effects of more than one troublesome kind in a patient who is not
    very happy; or Botox was stopped because it did not help enough or for its side effects.
    One passing side effect in a satisfied patient is not failing."""
    reasons = []
    if botox_shortened(a):
        weeks = {"now": weeks_phrase(a.botox_weeks_now), "first": weeks_phrase(a.botox_weeks_first)}
        reasons.append(Reason("shorter", weeks))
    troublesome = [effect for effect in a.botox_side_effects if effect in TROUBLESOME_BOTOX]
    poor = a.botox_satisfaction == "not" or (
        len(troublesome) >= 2 and a.botox_satisfaction != "very"
    )
    if troublesome and poor:
        ticked = [effect for effect in a.botox_side_effects if effect != "none"]
        effects = content.join(content.labels("botox_side_effects", ticked))
        reasons.append(Reason("side_effects", {"effects": effects}))
    if a.botox_satisfaction == "not":
        reasons.append(Reason("not_satisfied"))
    if a.botox_current in ("stopped_not_helping", "stopped_side_effects"):
        reasons.append(Reason(a.botox_current))
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
    if not reasons:
        return None
    # The eye that does not close fully needs protecting until the Botox wears off.
    parts = ("main", "eye_care") if "eye_closure" in a.botox_side_effects else ("main",)
    return Hit(RECOMMEND, parts, tuple(reasons))


# Any daily-life item answered "often" (2) or "always" (3).
IMPACT_AFFECTED = 2


def rule_ask_about_botox(ctx: Context) -> Hit | None:
    """Botox not tried, and the twitching gets in the way of daily life or tablets did not
    help."""
    a = ctx.answers
    if botox_tried(a) or botox_not_now(ctx):
        return None
    reasons = []
    affected = [key for key, score in a.impact.items() if score >= IMPACT_AFFECTED]
    if affected:
        words = content.join(content.row_labels("impact", affected))
        reasons.append(Reason("impact", {"areas": words}))
    if medicines_tried(a) and a.medicine_helped == "no":
        reasons.append(Reason("tablets"))
    if not reasons:
        return None
    if bleeding_risk(a):
        return Hit(RECOMMEND, ("main", "blood_thinners"), (*reasons, Reason("blood_thinners")))
    return Hit(RECOMMEND, ("main",), tuple(reasons))


def botox_not_now(ctx: Context) -> bool:
    """No Botox suggestion after a successful MVD; for a recent twitch that no doctor has
    examined (seeing a doctor comes first); for a ripple of one eyelid; while a red flag is being
    checked; in pregnancy or when planning one."""
    a = ctx.answers
    mvd_worked = mvd_tried(a) and a.mvd_helped == "yes" and a.mvd_recurred != "yes"
    examined = bool(set(a.seen_by) - {"none"})
    return (
        mvd_worked
        or (is_recent(a, ctx.today) and not examined)
        or is_myokymia(ctx)
        or red_flag_being_checked(ctx)
        or a.pregnancy in ("yes", "planning")
    )


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


PREGNANCY_MEDICINES = ("carbamazepine", "clonazepam", "gabapentin", "baclofen", "other")


def medicines_now(a: Answers) -> list[str]:
    """The tablets taken now, or not said whether they were stopped."""
    if not medicines_tried(a) or a.medicine_current == "no":
        return []
    return [name for name in PREGNANCY_MEDICINES if name in a.medicines]


def rule_pregnancy(ctx: Context) -> Hit | None:
    """Pregnant, breastfeeding, planning or not sure, with a treatment now or in mind: the card
    names the patient's own tablets (fact sheet, section 3 and 10 E) or Botox, says not to stop
    a tablet suddenly and to talk to the doctor. Urgent when pregnant and taking carbamazepine
    now (it can harm an unborn baby; label, Medsafe 2025); otherwise recommend."""
    a = ctx.answers
    if a.pregnancy not in ("yes", "planning", "unsure"):
        return None
    taking = medicines_now(a)
    having_botox = botox_tried(a) and a.botox_current in (None, "yes")
    botox = having_botox or a.leaning == "botox"
    choosing = a.leaning == "medicines" and "carbamazepine" not in taking
    surgery = a.leaning == "surgery"
    if not (taking or botox or choosing or surgery):
        return None
    parts = ["general"]
    reasons = [Reason(f"pregnancy_{a.pregnancy}")]
    if taking:
        names = content.join(content.labels("medicines", taking))
        reasons.append(Reason("taking", {"names": names}))
        parts += [f"taking_{name}" for name in taking]
    if "carbamazepine" in taking:
        parts.append("contraception")
    if choosing:
        parts += ["choosing", "contraception"]
        reasons.append(Reason("leaning"))
    if botox:
        parts.append("botox")
        reasons.append(Reason("botox_having" if having_botox else "botox_leaning"))
    if surgery:
        parts.append("surgery")
        reasons.append(Reason("surgery"))
    level = URGENT if "carbamazepine" in taking and a.pregnancy == "yes" else RECOMMEND
    return Hit(level, tuple(dict.fromkeys(parts)), tuple(reasons))


def rule_acupuncture_evidence(ctx: Context) -> Hit | None:
    a = ctx.answers
    others = botox_tried(a) or medicines_tried(a) or mvd_tried(a)
    if "acupuncture" in a.treatments and not others:
        return Hit(INFORM, ("main",), (Reason("alone"),))
    return None


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


# The daily-life answers of a mild spasm: every answered item "never" or "sometimes", with at
# least this many answered.
MILD_AT_MOST, MILD_MIN_ANSWERED = 1, 3


def rule_living_with_it(ctx: Context) -> Hit | None:
    """Living with it is a legitimate choice: when the spasm is mild or the patient leans
    towards waiting, say so, with the facts (natural history, starting treatment later). Not
    beside anything urgent, and not for a ripple of one eyelid (its own card)."""
    a = ctx.answers
    mild = len(a.impact) >= MILD_MIN_ANSWERED and max(a.impact.values()) <= MILD_AT_MOST
    if not (mild or a.leaning == "wait") or urgent_elsewhere(ctx) or is_myokymia(ctx):
        return None
    reasons = []
    if a.leaning == "wait":
        reasons.append(Reason("leaning"))
    if mild:
        reasons.append(Reason("mild"))
    return Hit(INFORM, ("main",), tuple(reasons))
