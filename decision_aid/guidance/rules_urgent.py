"""The rules of the urgent items: the emergency, the red flags, a rash on tablets, and pregnancy;
and what the other rules ask of them (is anything urgent, is a red flag being checked, is it
eyelid myokymia). Each rule is registered beside its function (`Rule`: id, level, trigger,
thresholds); rule_table.py lists them in order. The words of each item are in items.yaml, the
thresholds in thresholds.py. Clinical basis: the team's clinical fact sheet (sources.yaml)."""

from __future__ import annotations

from decision_aid.guidance import content
from decision_aid.guidance.context import (
    RECOMMEND,
    URGENT,
    Context,
    Hit,
    Reason,
    Rule,
    botox_can_explain,
    botox_tried,
    is_recent,
    medicines_tried,
)
from decision_aid.guidance.model import Answers
from decision_aid.guidance.thresholds import (
    BOTOX_EFFECT_MONTHS,
    MYOKYMIA_MAX_MONTHS,
)


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
    """A fine ripple of one eyelid, for under MYOKYMIA_MAX_MONTHS, and nothing else to check
    (MYOKYMIA's trigger, in rules_checks.py). Onset before 40 does not block it: most people with
    eyelid myokymia are young adults (fact sheet, section 6)."""
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


def rule_emergency(ctx: Context) -> Hit | None:
    if "sudden_weakness" in ctx.answers.red_flags:
        return Hit(URGENT, ("main",), (Reason("sudden"),))
    return None


EMERGENCY = Rule(
    "emergency",
    URGENT,
    "`red_flags` includes `sudden_weakness` (today or in the last few days, any sudden "
    "stroke sign: one side of the face drooping, a weak or numb arm or leg, slurred or "
    "muddled speech, sudden loss of sight or double vision, sudden loss of balance). "
    "Always the first item.",
    rule_emergency,
)


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


RED_FLAGS = Rule(
    "red_flags",
    "urgent if a symptom may have another cause; otherwise recommend",
    "`red_flags` includes any flag other than `sudden_weakness` and `none`; or "
    "`bells_palsy` = `yes`; or `onset_before_40` = `yes` (not when `myokymia` fires). The "
    "reasons name the flags. Urgent for a symptom that may have another cause; with "
    "`hearing_loss`, `balance`, `numbness_pain`, `lump` or `facial_weakness` the card names "
    "an MRI scan, or a new one, whatever an earlier scan showed. Recommend for `both_eyes` "
    "(possible blepharospasm), Bell's palsy before, onset before 40, and a symptom that the "
    "patient's own treatment explains, named as a known effect: `facial_weakness` after "
    "Botox only when `botox_weakness_after` = `yes`, or the last injection (`botox_last`) "
    f"was at most {BOTOX_EFFECT_MONTHS} months ago with a Botox side effect of `ptosis`, "
    "`mouth_weakness` or `eye_closure` (and `botox_weakness_after` is not `no`); "
    "`hearing_loss` or `facial_weakness` after an MVD only when `mvd_symptoms_after` = `yes`.",
    rule_red_flags,
    ("BOTOX_EFFECT_MONTHS",),
)


def rash_on_tablets(a: Answers) -> bool:
    return medicines_tried(a) and "rash" in a.medicine_side_effects


def rule_medicine_rash(ctx: Context) -> Hit | None:
    """A rash on tablets has its own short card. On carbamazepine it may be the first sign of a
    severe skin reaction (SJS/TEN; carbamazepine label), hence urgent while it is taken."""
    a = ctx.answers
    if not rash_on_tablets(a):
        return None
    if "carbamazepine" not in a.medicines:
        return Hit(RECOMMEND, ("other", "severe_signs"), (Reason("other"),), "other")
    if a.medicine_current == "no":
        return Hit(RECOMMEND, ("stopped", "severe_signs"), (Reason("stopped"),), "stopped")
    reason = Reason("current" if a.medicine_current == "yes" else "carbamazepine")
    return Hit(URGENT, ("now", "severe_signs"), (reason,))


MEDICINE_RASH = Rule(
    "medicine_rash",
    "urgent if carbamazepine is taken now or that is not said; otherwise recommend",
    "Tablets tried and `medicine_side_effects` includes `rash`. Names the signs of a "
    "severe skin reaction that need help the same day.",
    rule_medicine_rash,
)


PREGNANCY_MEDICINES = ("carbamazepine", "clonazepam", "gabapentin", "baclofen", "other")


def medicines_now(a: Answers) -> list[str]:
    """The tablets taken now, or not said whether they were stopped."""
    if not medicines_tried(a) or a.medicine_current == "no":
        return []
    return [name for name in PREGNANCY_MEDICINES if name in a.medicines]


def rule_pregnancy(ctx: Context) -> Hit | None:
    """The card names the patient's own tablets (fact sheet, section 3 and 10 E) or Botox, says
    not to stop a tablet suddenly and to talk to the doctor. Carbamazepine can harm an unborn
    baby (label, Medsafe 2025), hence urgent when pregnant and taking it now."""
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


PREGNANCY = Rule(
    "pregnancy",
    "urgent if pregnant and taking carbamazepine now; otherwise recommend",
    "`pregnancy` is `yes`, `planning` or `unsure`, and any of: a tablet taken now (or "
    "`medicine_current` not said), Botox being had or `leaning` = `botox`, `leaning` = "
    "`medicines` or `surgery`. Names each tablet taken (carbamazepine, clonazepam, "
    "gabapentin, baclofen, another) and Botox.",
    rule_pregnancy,
)
