"""result_for(answers, today) -> the guidance result (decision_aid.guidance.result), and
evaluate(answers, today) -> the same as the JSON of docs/answers-format.md.

Pure functions: no clock, no files other than the packaged YAML, no Flask. The same answers
and date always give the same result."""

from __future__ import annotations

import datetime
from types import MappingProxyType

from decision_aid.guidance import content, context, rule_table, thresholds
from decision_aid.guidance.ask_your_doctor import build_questions_to_ask
from decision_aid.guidance.context import Context
from decision_aid.guidance.facts import build_facts
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
from decision_aid.text import i18n
from decision_aid.text.dates import long_date
from decision_aid.text.i18n import gettext

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
    about = build_about(urgent=any(item.level == context.URGENT for item in items))
    own, suggested = build_questions_to_ask(ctx, items, scores)
    return GuidanceResult(
        about=MappingProxyType(about),
        items=items,
        options=options,
        what_matters=build_what_matters(ctx.answers),
        own_questions=own,
        suggested_questions=suggested,
        scores=scores,
        facts=build_facts(ctx, scores),
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
        text=" ".join(part["text"] for part in parts).replace(
            "{emergency}", content.emergency_numbers()
        ),
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
            brief=data[row].get("brief", ""),
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
        living_with=" ".join(
            data[row]["text"] for row in ("living_with", "time_visits", "recovery")
        ),
        sources=tuple(sources),
        # The sources of each benefit and harm, in the same order, so a page can cite each fact.
        benefit_sources=tuple(tuple(data[row]["sources"]) for row in BENEFIT_ROWS),
        harm_sources=tuple(tuple(data[row]["sources"]) for row in HARM_ROWS),
        rows=rows,
    )


def build_about(urgent: bool = False) -> dict[str, AboutPart]:
    """What hemifacial spasm is, and the decision: shown before the guidance. Beside an urgent
    item the decision never says that it is not urgent."""
    about = content.load("about")
    places = {"condition": "condition", "decision": "decision_urgent" if urgent else "decision"}
    return {
        key: AboutPart(about[place]["title"], about[place]["text"], tuple(about[place]["sources"]))
        for key, place in places.items()
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
# Scores


def build_scores(a: Answers) -> Scores:
    """Impact: the sum of the answered daily-life items (null if none). SURE: the number of
    "yes" answers when all four are answered (null otherwise). Conflict: SURE of 3 or less; it
    is already true when any SURE answer is "no", and null when nothing says either way."""
    impact = sum(a.impact.values()) if a.impact else None
    answered = [a.sure[key] for key in SURE_ITEMS if key in a.sure]
    sure = answered.count("yes") if len(answered) == len(SURE_ITEMS) else None
    if sure is not None:
        conflict = sure <= thresholds.SURE_CONFLICT_AT_OR_BELOW
    else:
        conflict = True if "no" in answered else None
    return Scores(impact=impact, impact_max=IMPACT_MAX, sure=sure, conflict=conflict)


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


def _signers(review) -> str:
    """ "NAME, ROLE, on DATE", for each signer whose sign-off holds, newest first."""
    separator = i18n.pgettext("between the people who checked a text", "; ")
    return separator.join(
        gettext("{name}, {role}, on {date}").format(
            name=signer.name,
            role=signer.role,
            date=long_date(datetime.date.fromisoformat(signer.date)),
        )
        for signer in review.signers
    )


def translation_status() -> str:
    """The review status of the language in use ("" in English, the language written first),
    from its recorded sign-offs (decision_aid.review: every safety-critical message signed,
    then every message)."""
    from decision_aid.review import signoff

    language = i18n.current()
    if language == i18n.DEFAULT:
        return ""
    review = signoff.current(language) if language in i18n.LANGUAGES else None
    if review is not None and review.state == signoff.CHECKED:
        return gettext("Translated from English. Checked by {signers}.").format(
            signers=_signers(review)
        )
    if review is not None and review.state == signoff.SAFETY_CHECKED:
        return gettext(
            "Translated from English. Its safety messages were checked by {signers}; the rest is "
            "not yet reviewed by a native-speaking clinician."
        ).format(signers=_signers(review))
    return gettext("Translated from English; not yet reviewed by a native-speaking clinician.")


def review_status() -> str:
    """The review status of the language in use, as every page shows it under its header in a
    translated language (issue 32): the Jinja global `translation_note()`."""
    return translation_status()


def build_provenance() -> Provenance:
    """`statement` is the one review statement every page shows: the content version, when it
    was written and that no specialist has checked it yet."""
    from decision_aid.review import signoff

    data = content.load("provenance")
    version, reviewed = str(data["content_version"]), str(data["reviewed"])
    reviewed_text = long_date(datetime.date.fromisoformat(reviewed))
    reviewed_by = data["reviewed_by"].format(reviewed_text=reviewed_text)
    written_by = data["written_by"]
    review = signoff.current(signoff.CONTENT)
    if review.checked:  # the recorded sign-off holds: nothing it covers has changed since
        signers = _signers(review)
        reviewed_by = gettext(
            "Written on {day} from published studies. Checked by {signers}."
        ).format(day=reviewed_text, signers=signers)
        written_by = gettext(
            "The decision_aid team wrote this from published studies. Checked by {signers}."
        ).format(signers=signers)
    return Provenance(
        content_version=version,
        reviewed=reviewed,
        reviewed_text=reviewed_text,
        reviewed_by=reviewed_by,
        statement=gettext("Content version {version}. {reviewed_by}").format(
            version=version, reviewed_by=reviewed_by
        ),
        translation=translation_status(),
        update_policy=data["update_policy"],
        funding=data["funding"],
        written_by=written_by,
        conflicts=data["conflicts"],
    )
