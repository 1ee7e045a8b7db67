"""build_facts(ctx, scores) -> the result's `facts` (a Facts, guidance/result_facts.py): each
answer with its words, the durations, trends and scores, for the clinician's page
(decision_aid.summary.clinician_table lays them out as a table). Part of the pure guidance engine
(decision_aid.guidance.engine); the public format is docs/answers-format.md.

Each part below gives some of the Facts' fields by name: a misspelt or repeated name fails when
the Facts is made (TypeError)."""

from __future__ import annotations

from types import MappingProxyType

from decision_aid.guidance import content, context, quality
from decision_aid.guidance.context import Context
from decision_aid.guidance.model import IMPACT_ITEMS, PRIORITY_ITEMS, SURE_ITEMS, Answers
from decision_aid.guidance.result import Scores
from decision_aid.guidance.result_facts import Facts, ImpactItem, PriorityItem


def build_facts(ctx: Context, scores: Scores) -> Facts:
    a = ctx.answers
    return Facts(
        **_symptom_facts(ctx),
        **_diagnosis_facts(a),
        **_treatment_facts(a),
        **_values_facts(a, scores),
        **_one("age_band", a.age_band),
        **_many("health_problems", a.health_problems),
        **_one("blood_thinners", a.blood_thinners),
        patient_questions=tuple(a.patient_questions),
        patient=MappingProxyType(
            {
                "name": a.name,
                "date_of_birth": a.date_of_birth,
                "appointment": a.appointment,
                "clinic": a.clinic,
            }
        ),
    )


def _one(field: str, value: str | None) -> dict:
    label = content.label(field, value) if value is not None else None
    return {field: value, f"{field}_label": label}


def _many(field: str, values: tuple[str, ...]) -> dict:
    return {field: tuple(values), f"{field}_labels": tuple(content.labels(field, values))}


def _onset_text(a: Answers) -> str | None:
    if a.onset:
        return a.onset
    if a.onset_ago is not None:
        return f"{a.onset_ago.amount} {a.onset_ago.unit} ago"
    return None


def _symptom_facts(ctx: Context) -> dict:
    a = ctx.answers
    flags = [flag for flag in a.red_flags if flag != "none"]
    extra = content.load("labels")["extra_flags"]
    effects = ctx.treatment_effects
    # A symptom that the patient's own treatment explains still reaches the clinician, named so.
    flag_labels = [
        content.label("red_flags", flag)
        + (extra[_effect_note(ctx, flag)] if flag in effects else "")
        for flag in flags
    ]
    flag_labels += [
        extra[name] for name in ("bells_palsy", "onset_before_40") if getattr(a, name) == "yes"
    ]
    if a.side == "both":
        flag_labels.append(extra["both_sides"])
    return {
        **_one("side", a.side),
        **_one("started_where", a.started_where),
        **_many("current_areas", a.current_areas),
        **_one("in_sleep", a.in_sleep),
        **_one("eyelid_ripple_only", a.eyelid_ripple_only),
        "onset": a.onset,
        "onset_ago": None if a.onset_ago is None else MappingProxyType(vars(a.onset_ago).copy()),
        "onset_text": _onset_text(a),
        "duration_months": ctx.duration_months,
        "duration_text": context.duration_phrase(a, ctx.today),
        **_one("course", a.course),
        **_one("frequency", a.frequency),
        "red_flags": tuple(a.red_flags),
        "red_flag_labels": tuple(flag_labels),
        "treatment_effects": MappingProxyType(dict(effects)),
        # Whether the patient linked them to the treatment (a follow-up answered yes), not the
        # tool from the timing of a recent injection.
        "treatment_effects_patient_linked": ctx.patient_linked,
        # Whether anything listed may have another cause (False: only known treatment effects).
        "red_flags_to_check": len(flag_labels) > len(effects),
        "emergency": "sudden_weakness" in a.red_flags,
        **_one("bells_palsy", a.bells_palsy),
        **_one("onset_before_40", a.onset_before_40),
    }


def _effect_note(ctx: Context, flag: str) -> str:
    if ctx.treatment_effects[flag] == "mvd":
        return "after_mvd"
    said = context.botox_can_explain(ctx.answers, flag, ctx.today) == "patient"
    return "after_botox_said" if said else "after_botox"


def _diagnosis_facts(a: Answers) -> dict:
    return {
        **_many("seen_by", a.seen_by),
        **_one("diagnosed_hfs", a.diagnosed_hfs),
        **_one("mri", a.mri),
        "mri_year": a.mri_year,
    }


def _treatment_facts(a: Answers) -> dict:
    trend = context.botox_trend(a)
    return {
        **_many("treatments", a.treatments),
        "botox_tried": context.botox_tried(a),
        "botox_rounds": a.botox_rounds,
        "botox_last": a.botox_last,
        "botox_weeks_first": a.botox_weeks_first,
        "botox_weeks_now": a.botox_weeks_now,
        "botox_trend": trend,
        "botox_trend_text": _trend_text(a) if trend else None,
        **_many("botox_side_effects", a.botox_side_effects),
        **_one("botox_satisfaction", a.botox_satisfaction),
        **_many("medicines", a.medicines),
        **_one("medicine_helped", a.medicine_helped),
        **_many("medicine_side_effects", a.medicine_side_effects),
        **_one("medicine_current", a.medicine_current),
        **_one("botox_current", a.botox_current),
        **_one("botox_weakness_after", a.botox_weakness_after),
        "mvd_tried": context.mvd_tried(a),
        "mvd_year": a.mvd_year,
        **_one("mvd_helped", a.mvd_helped),
        **_one("mvd_recurred", a.mvd_recurred),
        **_one("mvd_symptoms_after", a.mvd_symptoms_after),
    }


def _impact_item(key: str, score: int) -> ImpactItem:
    answer = content.label("impact", score)
    return ImpactItem(key, content.row_label("impact", key), score, answer)


def _priority_item(key: str, level: str) -> PriorityItem:
    return PriorityItem(
        key,
        content.row_label("priorities", key),
        level,
        content.label("priorities", level),
    )


def _trend_text(a: Answers) -> str:
    return (
        f"{context.weeks_phrase(a.botox_weeks_now)} now, "
        f"{context.weeks_phrase(a.botox_weeks_first)} at first"
    )


def _values_facts(a: Answers, scores: Scores) -> dict:
    impact_items = tuple(
        _impact_item(key, a.impact[key]) for key in IMPACT_ITEMS if key in a.impact
    )
    priorities = tuple(
        _priority_item(key, a.priorities[key]) for key in PRIORITY_ITEMS if key in a.priorities
    )
    return {
        "impact": MappingProxyType(dict(a.impact)),
        "impact_items": impact_items,
        "impact_total": scores.impact,
        "impact_max": scores.impact_max,
        "impact_answered": len(a.impact),
        "priorities": MappingProxyType(dict(a.priorities)),
        "priority_items": priorities,
        "priorities_very": tuple(item.label for item in priorities if item.level == "very"),
        **_one("leaning", a.leaning),
        **_one("pregnancy", a.pregnancy),
        "sure": MappingProxyType(dict(a.sure)),
        "sure_no_labels": tuple(
            content.row_label("sure", key) for key in SURE_ITEMS if a.sure.get(key) == "no"
        ),
        # Each answered SURE question in words about the patient: "not sure of the best choice".
        "sure_words": tuple(
            content.row_label("sure", key, a.sure[key]) for key in SURE_ITEMS if key in a.sure
        ),
        "sure_total": scores.sure,
        "conflict": scores.conflict,
        **quality.clinician_facts(a),
    }
