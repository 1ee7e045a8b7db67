"""The questions to ask at the appointment: the patient's own, then the prompts
(ask_your_doctor.yaml) that the answers and the fired guidance items bring, each question once.
Part of the pure guidance engine (decision_aid.guidance.engine)."""

from __future__ import annotations

import re

from decision_aid.guidance import content, context
from decision_aid.guidance.context import Context
from decision_aid.guidance.model import PRIORITY_ITEMS, Answers
from decision_aid.guidance.result import Item, Scores


def build_questions_to_ask(
    ctx: Context, items: tuple[Item, ...], scores: Scores
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(the patient's own questions, the prompts the answers bring besides them), each question
    once, ignoring case and punctuation."""
    templates = content.load("ask_your_doctor")
    fired = {item.id: item.level for item in items}
    keys = (
        _botox_prompts(ctx.answers)
        + _medicine_prompts(ctx.answers)
        + _diagnosis_prompts(ctx, fired)
        + _value_prompts(ctx.answers, scores, urgent=context.URGENT in fired.values())
    )
    generated = [templates[key].format(**values) for key, values in keys]
    seen: set[str] = set()
    # A common question's value is its English text: shown in the language in use.
    asked = [content.option_text("patient_questions", q) for q in ctx.answers.patient_questions]
    own = _unseen(asked, seen)
    return own, _unseen(generated, seen)


def _unseen(questions, seen: set[str]) -> tuple[str, ...]:
    """The questions not in `seen` (ignoring case and punctuation), each once; adds them."""
    result = []
    for question in questions:
        key = re.sub(r"\W+", " ", question.casefold()).strip()
        if key not in seen:
            seen.add(key)
            result.append(question)
    return tuple(result)


def _side_effects_prompt(field: str, ticked: tuple[str, ...]) -> list[tuple[str, dict]]:
    """The prompt about the side effects ticked in `field` (none when only "none" is). The
    prompt has the field's name."""
    effects = [effect for effect in ticked if effect != "none"]
    if not effects:
        return []
    return [(field, {"effects": content.join(content.labels(field, effects))})]


def _botox_prompts(a: Answers) -> list[tuple[str, dict]]:
    keys: list[tuple[str, dict]] = []
    trend = context.botox_trend(a)
    if trend in ("shorter", "longer"):
        weeks = {"now": context.weeks_phrase(a.botox_weeks_now), "first": a.botox_weeks_first}
        keys.append((f"botox_{trend}", weeks))
    keys += _side_effects_prompt("botox_side_effects", a.botox_side_effects)
    if a.botox_satisfaction == "not":
        keys.append(("botox_not_satisfied", {}))
    return keys


def _medicine_prompts(a: Answers) -> list[tuple[str, dict]]:
    keys = _side_effects_prompt("medicine_side_effects", a.medicine_side_effects)
    if a.medicine_current == "no":  # stopped: not "should I keep taking them?"
        keys = [("medicine_side_effects_stopped", values) for _key, values in keys]
    if a.medicine_helped == "no" and a.medicine_current != "no":
        keys.append(("medicine_no_help", {}))
    return keys


def _diagnosis_prompts(ctx: Context, fired: dict[str, str]) -> list[tuple[str, dict]]:
    keys: list[tuple[str, dict]] = []
    to_check = [f for f in ctx.red_flag_symptoms if f not in ctx.treatment_effects]
    if to_check:
        flags = content.join(content.labels("red_flags", to_check))
        keys.append(("red_flags", {"flags": flags}))
    for treatment in ("botox", "mvd"):
        explained = [flag for flag, by in ctx.treatment_effects.items() if by == treatment]
        if explained:
            flags = content.join(content.labels("red_flags", explained))
            keys.append((f"{treatment}_effect", {"flags": flags}))
    if "pregnancy" in fired:
        keys.append(("pregnancy", {}))
    if "bilateral" in fired:
        keys.append(("bilateral", {}))
    if fired.get("specialist_evaluation") == context.RECOMMEND:
        keys.append(("specialist", {}))
    status = ctx.answers.mri
    if status in ("vessel_contact", "other_finding", "unknown_result", "unsure"):
        keys.append((f"mri_{status}", {}))
    elif "mri" in fired:
        keys.append(("mri_none", {}))
    if "after_mvd" in fired:
        keys.append(("after_mvd", {}))
    return keys


def _value_prompts(a: Answers, scores: Scores, urgent: bool) -> list[tuple[str, dict]]:
    keys = [(f"priority_{key}", {}) for key in PRIORITY_ITEMS if a.priorities.get(key) == "very"]
    # "Could MVD suit me?" makes no sense after an MVD; after_mvd asks about the choices now.
    # "Is it safe for me to wait?" is never asked beside an urgent item ("act today").
    if a.leaning and not (a.leaning == "surgery" and context.mvd_tried(a)):
        if not (a.leaning == "wait" and urgent):
            keys.append((f"leaning_{a.leaning}", {}))
    if scores.conflict:
        keys.append(("conflict", {}))
    return keys
