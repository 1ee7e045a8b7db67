"""result_for(answers, today) -> the guidance result (decision_aid.guidance.result), and
evaluate(answers, today) -> the same as the JSON of docs/answers-format.md.

Pure functions: no clock, no files other than the packaged YAML, no Flask. The same answers
and date always give the same result."""

from __future__ import annotations

import datetime
import re
from types import MappingProxyType

from decision_aid import i18n
from decision_aid.dates import long_date
from decision_aid.guidance import content, context, rule_table
from decision_aid.guidance.context import Context
from decision_aid.guidance.model import (
    IMPACT_ITEMS,
    IMPACT_MAX_PER_ITEM,
    PRIORITY_ITEMS,
    SURE_ITEMS,
    Answers,
    parse,
)
from decision_aid.guidance.result import (
    AboutPart,
    Figure,
    GuidanceResult,
    Item,
    Option,
    OptionRow,
    Provenance,
    Scores,
    WhatMatters,
)
from decision_aid.i18n import gettext

OPTION_IDS = ("wait", "botox", "medicines", "mvd")
# The grid rows that make the public format's benefits and harms, in equal number.
BENEFIT_ROWS = ("helps", "lasts")
HARM_ROWS = ("common_harms", "rare_harms")
IMPACT_MAX = len(IMPACT_ITEMS) * IMPACT_MAX_PER_ITEM


def evaluate(answers: dict, today: datetime.date) -> dict:
    """The JSON-able guidance result. Raises ValidationError on an invalid answers document."""
    return result_for(answers, today).to_json()


def result_for(answers: dict, today: datetime.date) -> GuidanceResult:
    """The guidance result. Raises ValidationError on an invalid answers document."""
    ctx = Context(parse(answers, today), today)
    items = build_items(ctx)
    options = build_options()
    scores = build_scores(ctx.answers)
    about = build_about()
    own, suggested = build_questions_to_ask(ctx, items, scores)
    return GuidanceResult(
        about=MappingProxyType(about),
        items=items,
        options=options,
        what_matters=build_what_matters(ctx.answers),
        own_questions=own,
        suggested_questions=suggested,
        scores=scores,
        facts=MappingProxyType(build_facts(ctx, scores)),
        sources=MappingProxyType(cited_sources([*about.values(), *items], options)),
        provenance=build_provenance(),
    )


# ---------------------------------------------------------------------------------------------
# Items


def build_items(ctx: Context) -> tuple[Item, ...]:
    return tuple(_item(rule.id, hit) for rule, hit in rule_table.fire(ctx))


def _item(rule_id: str, hit: context.Hit) -> Item:
    data = content.load("items")[rule_id]
    parts = [data["parts"][name] for name in hit.parts]
    sources: dict[str, None] = {}
    for part in parts:
        sources.update(dict.fromkeys(part["sources"]))
    staff = data["staff"]
    return Item(
        id=rule_id,
        level=hit.level,
        title=data["titles"][hit.title] if hit.title else data["title"],
        text=" ".join(part["text"] for part in parts),
        reasons=tuple(data["reasons"][r.key].format(**r.values) for r in hit.reasons),
        sources=tuple(sources),
        # Technical detail kept out of the patient's words (gene names): "For your doctor".
        for_doctor=" ".join(part["for_doctor"] for part in parts if "for_doctor" in part),
        # The same title and reasons about the patient, for the clinic's pages and page 1.
        staff_level=content.load("labels")["levels_staff"][hit.level],
        staff_title=staff["titles"][hit.title] if hit.title else staff["title"],
        staff_reasons=tuple(staff["reasons"][r.key].format(**r.values) for r in hit.reasons),
    )


# ---------------------------------------------------------------------------------------------
# Options


def build_options() -> tuple[Option, ...]:
    data = content.load("options")
    return tuple(
        _option(option_id, data["options"][option_id], data["rows"]) for option_id in OPTION_IDS
    )


def _option(option_id: str, data: dict, row_labels: dict) -> Option:
    """One option: the grid's rows, and the public format's what, benefits, harms and living
    with, all taken from those rows."""
    rows = tuple(
        OptionRow(
            id=row,
            label=label,
            text=data[row]["text"],
            sources=tuple(data[row]["sources"]),
            figure=Figure.from_json(data[row].get("figure")),
        )
        for row, label in row_labels.items()
    )
    sources: dict[str, None] = {}
    for row in rows:
        sources.update(dict.fromkeys(row.sources))
    return Option(
        id=option_id,
        title=data["title"],
        short=data["short"],
        what=data["involves"]["text"],
        benefits=tuple(data[row]["text"] for row in BENEFIT_ROWS),
        harms=tuple(data[row]["text"] for row in HARM_ROWS),
        living_with=f"{data['time_visits']['text']} {data['recovery']['text']}",
        sources=tuple(sources),
        # The sources of each benefit and harm, in the same order, so a page can cite each fact.
        benefit_sources=tuple(tuple(data[row]["sources"]) for row in BENEFIT_ROWS),
        harm_sources=tuple(tuple(data[row]["sources"]) for row in HARM_ROWS),
        rows=rows,
    )


def build_about() -> dict[str, AboutPart]:
    """What hemifacial spasm is, and the decision: shown before the guidance."""
    about = content.load("about")
    return {
        key: AboutPart(about[key]["title"], about[key]["text"], tuple(about[key]["sources"]))
        for key in ("condition", "decision")
    }


def build_what_matters(a: Answers) -> tuple[WhatMatters, ...]:
    """Each priority the patient rated, with the options that fit it. No verdict."""
    about = content.load("about")
    result = []
    for key in PRIORITY_ITEMS:
        if key not in a.priorities:
            continue
        level = a.priorities[key]
        what = content.row_label("priorities", key)
        said = gettext("You said {what} matters {level} to you.").format(
            what=what, level=about["levels"][level]
        )
        result.append(WhatMatters(key, level, f"{said} {about['fits'][key].strip()}"))
    return tuple(result)


# ---------------------------------------------------------------------------------------------
# Questions to ask: the patient's own, then the prompts (ask_your_doctor.yaml) the answers bring


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
        + _value_prompts(ctx.answers, scores)
    )
    generated = [templates[key].format(**values) for key, values in keys]
    seen: set[str] = set()
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


def _botox_prompts(a: Answers) -> list[tuple[str, dict]]:
    keys: list[tuple[str, dict]] = []
    trend = context.botox_trend(a)
    if trend in ("shorter", "longer"):
        weeks = {"now": context.weeks_phrase(a.botox_weeks_now), "first": a.botox_weeks_first}
        keys.append((f"botox_{trend}", weeks))
    effects = [effect for effect in a.botox_side_effects if effect != "none"]
    if effects:
        words = content.join(content.labels("botox_side_effects", effects))
        keys.append(("botox_side_effects", {"effects": words}))
    if a.botox_satisfaction == "not":
        keys.append(("botox_not_satisfied", {}))
    return keys


def _medicine_prompts(a: Answers) -> list[tuple[str, dict]]:
    keys: list[tuple[str, dict]] = []
    effects = [effect for effect in a.medicine_side_effects if effect != "none"]
    if effects:
        words = content.join(content.labels("medicine_side_effects", effects))
        keys.append(("medicine_side_effects", {"effects": words}))
    if a.medicine_helped == "no":
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


def _value_prompts(a: Answers, scores: Scores) -> list[tuple[str, dict]]:
    keys = [(f"priority_{key}", {}) for key in PRIORITY_ITEMS if a.priorities.get(key) == "very"]
    # "Could MVD suit me?" makes no sense after an MVD; after_mvd asks about the choices now.
    if a.leaning and not (a.leaning == "surgery" and context.mvd_tried(a)):
        keys.append((f"leaning_{a.leaning}", {}))
    if scores.conflict:
        keys.append(("conflict", {}))
    return keys


# ---------------------------------------------------------------------------------------------
# Scores


def build_scores(a: Answers) -> Scores:
    """Impact: the sum of the answered daily-life items (null if none). SURE: the number of
    "yes" answers when all four are answered (null otherwise). Conflict: SURE of 3 or less; it
    is already true when any SURE answer is "no", and null when nothing says either way."""
    impact = sum(a.impact.values()) if a.impact else None
    answered = [a.sure[key] for key in SURE_ITEMS if key in a.sure]
    sure = answered.count("yes") if len(answered) == len(SURE_ITEMS) else None
    if sure is not None:
        conflict = sure <= context.SURE_CONFLICT_AT_OR_BELOW
    else:
        conflict = True if "no" in answered else None
    return Scores(impact=impact, impact_max=IMPACT_MAX, sure=sure, conflict=conflict)


# ---------------------------------------------------------------------------------------------
# Facts for the clinician page


def build_facts(ctx: Context, scores: Scores) -> dict:
    a = ctx.answers
    facts: dict = {}
    facts.update(_symptom_facts(ctx))
    facts.update(_diagnosis_facts(a))
    facts.update(_treatment_facts(a))
    facts.update(_values_facts(a, scores))
    facts["patient_questions"] = list(a.patient_questions)
    facts["patient"] = {
        "name": a.name,
        "date_of_birth": a.date_of_birth,
        "appointment": a.appointment,
        "clinic": a.clinic,
    }
    return facts


def _one(field: str, value: str | None) -> dict:
    label = content.label(field, value) if value is not None else None
    return {field: value, f"{field}_label": label}


def _many(field: str, values: tuple[str, ...]) -> dict:
    return {field: list(values), f"{field}_labels": content.labels(field, values)}


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
        + (extra[f"after_{effects[flag]}"] if flag in effects else "")
        for flag in flags
    ]
    flag_labels += [
        extra[name] for name in ("bells_palsy", "onset_before_40") if getattr(a, name) == "yes"
    ]
    if a.side == "both":
        flag_labels.append(extra["both_sides"])
    facts = {
        **_one("side", a.side),
        **_one("started_where", a.started_where),
        **_many("current_areas", a.current_areas),
        **_one("in_sleep", a.in_sleep),
        **_one("eyelid_ripple_only", a.eyelid_ripple_only),
        "onset": a.onset,
        "onset_ago": None if a.onset_ago is None else vars(a.onset_ago).copy(),
        "onset_text": _onset_text(a),
        "duration_months": ctx.duration_months,
        "duration_text": context.duration_phrase(a, ctx.today),
        **_one("course", a.course),
        **_one("frequency", a.frequency),
        "red_flags": list(a.red_flags),
        "red_flag_labels": flag_labels,
        "treatment_effects": dict(effects),
        # Whether anything listed may have another cause (False: only known treatment effects).
        "red_flags_to_check": len(flag_labels) > len(effects),
        "emergency": "sudden_weakness" in a.red_flags,
        **_one("bells_palsy", a.bells_palsy),
        **_one("onset_before_40", a.onset_before_40),
    }
    return facts


def _diagnosis_facts(a: Answers) -> dict:
    return {
        **_many("seen_by", a.seen_by),
        **_one("diagnosed_hfs", a.diagnosed_hfs),
        **_one("mri", a.mri),
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
        "mvd_tried": context.mvd_tried(a),
        "mvd_year": a.mvd_year,
        **_one("mvd_helped", a.mvd_helped),
        **_one("mvd_recurred", a.mvd_recurred),
    }


def _impact_item(key: str, score: int) -> dict:
    answer = content.label("impact", score)
    return {"id": key, "label": content.row_label("impact", key), "score": score, "answer": answer}


def _priority_item(key: str, level: str) -> dict:
    return {
        "id": key,
        "label": content.row_label("priorities", key),
        "level": level,
        "level_label": content.label("priorities", level),
    }


def _trend_text(a: Answers) -> str:
    return (
        f"{context.weeks_phrase(a.botox_weeks_now)} now, "
        f"{context.weeks_phrase(a.botox_weeks_first)} at first"
    )


def _values_facts(a: Answers, scores: Scores) -> dict:
    impact_items = [_impact_item(key, a.impact[key]) for key in IMPACT_ITEMS if key in a.impact]
    priorities = [
        _priority_item(key, a.priorities[key]) for key in PRIORITY_ITEMS if key in a.priorities
    ]
    return {
        "impact": dict(a.impact),
        "impact_items": impact_items,
        "impact_total": scores.impact,
        "impact_max": scores.impact_max,
        "impact_answered": len(a.impact),
        "priorities": dict(a.priorities),
        "priority_items": priorities,
        "priorities_very": [item["label"] for item in priorities if item["level"] == "very"],
        **_one("leaning", a.leaning),
        **_one("pregnancy", a.pregnancy),
        "sure": dict(a.sure),
        "sure_no_labels": [
            content.row_label("sure", key) for key in SURE_ITEMS if a.sure.get(key) == "no"
        ],
        # Each answered SURE question in words about the patient: "not sure of the best choice".
        "sure_words": [
            content.row_label("sure", key, a.sure[key]) for key in SURE_ITEMS if key in a.sure
        ],
        "sure_total": scores.sure,
        "conflict": scores.conflict,
    }


# ---------------------------------------------------------------------------------------------
# Sources and provenance


def cited_sources(items: list, options: tuple[Option, ...]) -> dict[str, str]:
    """Every source the result cites, id -> full citation, in order of first citation."""
    catalogue = content.load("sources")
    ids: dict[str, None] = {}
    for entry in [*items, *options]:
        ids.update(dict.fromkeys(entry.sources))
    ids.update(dict.fromkeys(["legare-2010"]))  # the SURE test behind the conflict flag
    return {source_id: catalogue[source_id]["citation"] for source_id in ids}


def translation_status(data: dict) -> str:
    """The review status of the language in use ("" in English, the language written first):
    each language's own, from provenance.yaml's `translations`."""
    language = i18n.current()
    if language == i18n.DEFAULT:
        return ""
    entry = (data.get("translations") or {}).get(language) or {}
    if entry.get("reviewed_by"):
        return gettext("Translated from English. Checked by {reviewed_by}.").format(
            reviewed_by=entry["reviewed_by"]
        )
    return gettext("Translated from English; not yet reviewed by a native-speaking clinician.")


def build_provenance() -> Provenance:
    """`statement` is the one review statement every page shows: the content version, when it
    was written and that no specialist has checked it yet."""
    data = content.load("provenance")
    version, reviewed = str(data["content_version"]), str(data["reviewed"])
    reviewed_text = long_date(datetime.date.fromisoformat(reviewed))
    reviewed_by = data["reviewed_by"].format(reviewed_text=reviewed_text)
    return Provenance(
        content_version=version,
        reviewed=reviewed,
        reviewed_text=reviewed_text,
        reviewed_by=reviewed_by,
        statement=gettext("Content version {version}. {reviewed_by}").format(
            version=version, reviewed_by=reviewed_by
        ),
        translation=translation_status(data),
        update_policy=data["update_policy"],
        funding=data["funding"],
        written_by=data["written_by"],
        conflicts=data["conflicts"],
    )
