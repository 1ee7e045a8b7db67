"""The Botox rules: ask about Botox, adjust it, and its limits; with what the MVD rules share
(is Botox failing, a bleeding risk). Each rule is registered beside its function (`Rule`);
rule_table.py lists them in order; the words are in items.yaml, the thresholds in
thresholds.py."""

from __future__ import annotations

from decision_aid.guidance import content
from decision_aid.guidance.context import (
    INFORM,
    RECOMMEND,
    TROUBLESOME_BOTOX,
    Context,
    Hit,
    Reason,
    Rule,
    botox_shortened,
    botox_tried,
    is_recent,
    medicines_tried,
    mvd_tried,
    weeks_phrase,
)
from decision_aid.guidance.model import Answers
from decision_aid.guidance.rules_urgent import is_myokymia, red_flag_being_checked
from decision_aid.guidance.thresholds import (
    IMPACT_AFFECTED,
    PERSISTENT_MONTHS,
    SHORTER_FRACTION,
    TROUBLESOME_KINDS,
)

SHORTER = f"{SHORTER_FRACTION[0]}/{SHORTER_FRACTION[1]}"  # as the triggers say it, e.g. "3/4"


def bleeding_risk(a: Answers) -> bool:
    """A blood thinner, or a bleeding problem (the optional health questions)."""
    return a.blood_thinners == "yes" or "bleeding" in a.health_problems


def botox_failing(a: Answers) -> list[Reason]:
    """Why Botox is failing the patient, as reasons (ASK_ABOUT_MVD's trigger says when). One
    passing side effect in a satisfied patient is not failing."""
    reasons = []
    if botox_shortened(a):
        weeks = {"now": weeks_phrase(a.botox_weeks_now), "first": weeks_phrase(a.botox_weeks_first)}
        reasons.append(Reason("shorter", weeks))
    troublesome = [effect for effect in a.botox_side_effects if effect in TROUBLESOME_BOTOX]
    poor = a.botox_satisfaction == "not" or (
        len(troublesome) >= TROUBLESOME_KINDS and a.botox_satisfaction != "very"
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
    """Ask whether the dose, the places injected or the timing can change (ADJUST_BOTOX)."""
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


ADJUST_BOTOX = Rule(
    "adjust_botox",
    RECOMMEND,
    f"Botox tried, and the benefit now is at most {SHORTER} of the benefit at first, or any "
    "side effect in `botox_side_effects` other than `bruising` (the reasons name them all). "
    "Adds eye care when `eye_closure` is ticked.",
    rule_adjust_botox,
    ("SHORTER_FRACTION",),
)


def rule_ask_about_botox(ctx: Context) -> Hit | None:
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
    """When Botox is not suggested now (ASK_ABOUT_BOTOX's trigger): for a recent twitch no
    doctor has examined, seeing a doctor comes first."""
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


ASK_ABOUT_BOTOX = Rule(
    "ask_about_botox",
    RECOMMEND,
    f"Botox not tried, and any `impact` item is {IMPACT_AFFECTED} or more (often or always), "
    "or tablets tried with `medicine_helped` = `no`. Not after an MVD that helped and has not "
    f"come back, for twitching under {PERSISTENT_MONTHS} month that no doctor has examined, "
    "when `myokymia` fires, while a red flag is being checked (`sudden_weakness` or a symptom "
    "that may have another cause), or when `pregnancy` is `yes` or `planning`. Adds bruising "
    "on blood thinners.",
    rule_ask_about_botox,
    ("IMPACT_AFFECTED", "PERSISTENT_MONTHS"),
)


def rule_botox_limits(ctx: Context) -> Hit | None:
    a = ctx.answers
    if not botox_tried(a):
        return None
    reason = Reason("rounds", {"rounds": a.botox_rounds}) if a.botox_rounds else Reason("tried")
    if bleeding_risk(a):
        return Hit(INFORM, ("main", "blood_thinners"), (reason, Reason("blood_thinners")))
    return Hit(INFORM, ("main",), (reason,))


BOTOX_LIMITS = Rule(
    "botox_limits",
    INFORM,
    "Botox tried: `treatments` includes `botox`, or any Botox detail is given. Adds "
    "bruising on blood thinners (`blood_thinners` = `yes` or a bleeding problem).",
    rule_botox_limits,
)
