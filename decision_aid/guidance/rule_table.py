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
