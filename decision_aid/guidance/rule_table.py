"""The rule table: each rule's id, level, trigger in words and check, in the order the items
are shown within a level. `fire` runs them; `rules_markdown` prints the table that
docs/guidance-rules.md holds (`decision-aid rules --format markdown`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from decision_aid.guidance import content
from decision_aid.guidance.context import INFORM, LEVEL_ORDER, RECOMMEND, URGENT, Context, Hit
from decision_aid.guidance.rules import (
    rule_acupuncture_evidence,
    rule_adjust_botox,
    rule_after_mvd,
    rule_ask_about_botox,
    rule_ask_about_mvd,
    rule_bilateral,
    rule_botox_limits,
    rule_emergency,
    rule_living_with_it,
    rule_medicine_evidence,
    rule_medicine_rash,
    rule_mri,
    rule_myokymia,
    rule_pregnancy,
    rule_red_flags,
    rule_specialist_evaluation,
)


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
        "`bells_palsy` = `yes`; or `onset_before_40` = `yes` (not when `myokymia` fires). The "
        "reasons name the flags. Urgent for a symptom that may have another cause; with "
        "`hearing_loss`, `balance`, `numbness_pain`, `lump` or `facial_weakness` the card names "
        "an MRI scan, or a new one, whatever an earlier scan showed. Recommend for `both_eyes` "
        "(possible blepharospasm), Bell's palsy before, onset before 40, and a symptom that the "
        "patient's own treatment explains, named as a known effect: `facial_weakness` after "
        "Botox only when `botox_weakness_after` = `yes`, or the last injection (`botox_last`) "
        "was at most 3 months ago with a Botox side effect of `ptosis`, `mouth_weakness` or "
        "`eye_closure` (and `botox_weakness_after` is not `no`); `hearing_loss` or "
        "`facial_weakness` after an MVD only when `mvd_symptoms_after` = `yes`.",
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
        "`pregnancy` is `yes`, `planning` or `unsure`, and any of: a tablet taken now (or "
        "`medicine_current` not said), Botox being had or `leaning` = `botox`, `leaning` = "
        "`medicines` or `surgery`. Names each tablet taken (carbamazepine, clonazepam, "
        "gabapentin, baclofen, another) and Botox.",
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
        "`myokymia` fires, when the twitching is recent and nothing urgent fires, or when the "
        "red-flag card names a scan.",
        rule_mri,
    ),
    Rule(
        "adjust_botox",
        RECOMMEND,
        "Botox tried, and the benefit now is at most 3/4 of the benefit at first, or any side "
        "effect in `botox_side_effects` other than `bruising` (the reasons name them all). Adds "
        "eye care when `eye_closure` is ticked.",
        rule_adjust_botox,
    ),
    Rule(
        "ask_about_mvd",
        "recommend only when HFS is diagnosed, on one side, and Botox is failing or the patient "
        "leans towards surgery; otherwise inform",
        "No earlier MVD, and any of: Botox failing (benefit now at most 3/4 of the benefit at "
        "first; `botox_satisfaction` = `not`; two or more of `ptosis`, `mouth_weakness`, "
        "`eye_closure`, `double_vision` when not very happy, or any when not happy; "
        "`botox_current` = `stopped_not_helping` or `stopped_side_effects`); `leaning` = "
        "`surgery`; `priorities.lasting_fix` or `priorities.no_repeat_injections` = `very`; "
        "`botox_rounds` >= 8. Recommend only with Botox failing or `leaning` = `surgery`, and "
        "`diagnosed_hfs` = `yes` or a specialist seen, `side` `left` or `right`, no Bell's "
        "palsy before, no `other_finding` on MRI, no red flag being checked, not `leaning` = "
        "`wait` with `priorities.avoid_surgery` = `very`, and not a Botox user who is happy and "
        "whose Botox is not failing. Inform otherwise. Always names the harms (brain-fluid leak, "
        "stroke, death) and the one-year figure; adds older age, blood thinners and heart or "
        "lung problems from the health questions.",
        rule_ask_about_mvd,
    ),
    Rule(
        "ask_about_botox",
        RECOMMEND,
        "Botox not tried, and any `impact` item is 2 or 3 (often or always), or tablets tried "
        "with `medicine_helped` = `no`. Not after an MVD that helped and has not come back, for "
        "twitching under a month that no doctor has examined, when `myokymia` fires, while a "
        "red flag is being checked (`sudden_weakness` or a symptom that may have another "
        "cause), or when `pregnancy` is `yes` or `planning`. Adds bruising on blood thinners.",
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
        "living_with_it",
        INFORM,
        "`leaning` = `wait`, or a mild spasm (at least 3 `impact` items answered, none above 1), "
        "and nothing urgent fires and `myokymia` does not fire.",
        rule_living_with_it,
    ),
    Rule(
        "botox_limits",
        INFORM,
        "Botox tried: `treatments` includes `botox`, or any Botox detail is given. Adds "
        "bruising on blood thinners (`blood_thinners` = `yes` or a bleeding problem).",
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
        "twitching began under 3 months ago (known from weeks, months or a month and year), no "
        "symptom in `red_flags`, no Bell's palsy before, and no urgent rash or pregnancy item "
        "(onset before 40 does not block it). Over 2 weeks (more than 2 weeks, or a "
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
        "Generated by `decision-aid rules --format markdown` from"
        " `decision_aid/guidance/rule_table.py` and `items.yaml`. Do not edit by hand; a test"
        " fails when this file is out of date.",
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
