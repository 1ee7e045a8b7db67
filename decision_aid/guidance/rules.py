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
    botox_shortened,
    botox_tried,
    duration_months,
    duration_reason,
    is_recent,
    medicines_tried,
    mvd_tried,
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
    if recent_and_alone(ctx):
        return Hit(INFORM, ("short",), (duration_reason(ctx),))
    return Hit(RECOMMEND, ("main",), (duration_reason(ctx), Reason("not_seen")))


def rule_mri(ctx: Context) -> Hit | None:
    status = ctx.answers.mri
    if status in ("normal", "vessel_contact") or is_myokymia(ctx) or recent_and_alone(ctx):
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
        words = content.join(content.row_labels("impact", affected))
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
