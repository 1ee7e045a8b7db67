"""The MVD (operation) rules: ask about MVD, and after an MVD. Each rule is registered beside
its function (`Rule`); rule_table.py lists them in order; the words are in items.yaml, the
thresholds in thresholds.py."""

from __future__ import annotations

from decision_aid.guidance import content
from decision_aid.guidance.context import (
    INFORM,
    RECOMMEND,
    Context,
    Hit,
    Reason,
    Rule,
    botox_tried,
    diagnosed,
    mvd_tried,
    one_side,
)
from decision_aid.guidance.model import Answers
from decision_aid.guidance.rules_botox import SHORTER, bleeding_risk, botox_failing
from decision_aid.guidance.rules_urgent import red_flag_being_checked
from decision_aid.guidance.thresholds import (
    OLDER_AGE_BANDS,
    RECENT_MVD_YEARS,
    ROUNDS_FOR_YEARS,
    TROUBLESOME_KINDS,
)


def rule_ask_about_mvd(ctx: Context) -> Hit | None:
    """Suggest asking about MVD, or at most name it as one choice (ASK_ABOUT_MVD's trigger)."""
    a = ctx.answers
    if mvd_tried(a):
        return None  # after_mvd covers people who have had an MVD
    failing = botox_failing(a) if botox_tried(a) else []
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


_OLDER = ", ".join(f"`{band}`" for band in OLDER_AGE_BANDS)

ASK_ABOUT_MVD = Rule(
    "ask_about_mvd",
    "recommend only when HFS is diagnosed, on one side, and Botox is failing or the patient "
    "leans towards surgery; otherwise inform",
    f"No earlier MVD, and any of: Botox failing (benefit now at most {SHORTER} of the benefit "
    f"at first; `botox_satisfaction` = `not`; {TROUBLESOME_KINDS} or more of `ptosis`, "
    "`mouth_weakness`, `eye_closure`, `double_vision` when not very happy, or any when not "
    "happy; `botox_current` = `stopped_not_helping` or `stopped_side_effects`); `leaning` = "
    "`surgery`; `priorities.lasting_fix` or `priorities.no_repeat_injections` = `very`; "
    f"`botox_rounds` >= {ROUNDS_FOR_YEARS}. Recommend only with Botox failing or `leaning` = "
    "`surgery`, and `diagnosed_hfs` = `yes` or a specialist seen, `side` `left` or `right`, no "
    "Bell's palsy before, no `other_finding` on MRI, no red flag being checked, not `leaning` "
    "= `wait` with `priorities.avoid_surgery` = `very`, and not a Botox user who is happy and "
    "whose Botox is not failing. Inform otherwise. Always names the harms (brain-fluid leak, "
    f"stroke, death) and the one-year figure; adds older age (`age_band` {_OLDER}), blood "
    "thinners and heart or lung problems from the health questions.",
    rule_ask_about_mvd,
    ("SHORTER_FRACTION", "TROUBLESOME_KINDS", "ROUNDS_FOR_YEARS", "OLDER_AGE_BANDS"),
)


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


AFTER_MVD = Rule(
    "after_mvd",
    RECOMMEND,
    "An earlier MVD, and `mvd_recurred` = `yes` or `mvd_helped` = `no` or `partly`. Adds "
    f"delayed improvement when `mvd_year` is at most {RECENT_MVD_YEARS} year before this year "
    "and it has not helped.",
    rule_after_mvd,
    ("RECENT_MVD_YEARS",),
)
