"""The clinician's table of facts (page 1 of the PDF) and the scores in words (the staff
summary, page 1 and the text output), from the guidance result. Part of the summary view
(decision_aid.summary.view); no Flask and no clinical logic: each row shows what the guidance put
in `facts` (a Facts, decision_aid/guidance/result_facts.py, read by attribute) and `scores`, and
is flagged when the guidance's own value or rule says so (a fired item, botox_trend, conflict).
A row about an answer the facts lack starts in guidance/facts.py (build_facts) and its field in
guidance/result_facts.py."""

from __future__ import annotations

from dataclasses import dataclass

from decision_aid.guidance import thresholds
from decision_aid.guidance.model import IMPACT_ITEMS, SURE_ITEMS
from decision_aid.guidance.result import GuidanceResult
from decision_aid.guidance.result_facts import Facts
from decision_aid.summary.quality_rows import quality_rows
from decision_aid.summary.rows import Row, capital
from decision_aid.text import i18n
from decision_aid.text.dates import short_answer_date
from decision_aid.text.i18n import N_, gettext, ngettext, pgettext

NOT_ANSWERED = N_("Not answered")
OTHER_TREATMENTS = ("acupuncture", "complementary")
TRENDS = {"shorter": N_("shorter"), "longer": N_("longer")}


@dataclass(frozen=True)
class ScoreWords:
    """The scores in words, with their scales. Each is "" when not answered."""

    impact: str  # "13 of 21"
    impact_scale: str  # "higher is worse, 0 to 21"
    impact_answered: str  # "5 of 7 questions answered"
    impact_all_answered: bool
    sure: str  # "2 of 4"
    sure_scale: str  # "higher is better, 0 to 4"
    conflict: bool | None
    conflict_at: str  # "3 or less": the SURE scores that flag decisional conflict
    sure_answers: str  # "Not sure of the best choice; knows the benefits and risks ..."


# --- The scores in words -------------------------------------------------------------------


def score_words(result: GuidanceResult) -> ScoreWords:
    scores, facts = result.scores, result.facts
    impact_questions, sure_questions = len(IMPACT_ITEMS), len(SURE_ITEMS)
    answered = facts.impact_answered
    impact = ""
    if scores.impact is not None:
        impact = (
            gettext("{score} of {most}").format(
                score=i18n.format_number(scores.impact), most=i18n.format_number(scores.impact_max)
            )
            if scores.impact_max
            else str(scores.impact)
        )
    words = "; ".join(facts.sure_words)
    return ScoreWords(
        impact=impact,
        impact_scale=(
            gettext("higher is worse, 0 to {most}").format(most=scores.impact_max)
            if scores.impact_max
            else ""
        ),
        impact_answered=(
            gettext("{answered} of {count} questions answered").format(
                answered=answered, count=impact_questions
            )
            if answered is not None
            else ""
        ),
        impact_all_answered=answered is None or answered >= impact_questions,
        sure=(
            gettext("{score} of {most}").format(score=scores.sure, most=sure_questions)
            if scores.sure is not None
            else ""
        ),
        sure_scale=gettext("higher is better, 0 to {most}").format(most=sure_questions),
        conflict=scores.conflict,
        conflict_at=gettext("{score} or less").format(score=thresholds.SURE_CONFLICT_AT_OR_BELOW),
        sure_answers=capital(words),
    )


# --- The clinician's table of facts ---------------------------------------------------------


def _join(parts) -> str:
    return pgettext("between the items of a list", ", ").join(part for part in parts if part)


def _row(label: str, *values: str, flag: str = "") -> Row:
    value = " · ".join(v for v in values if v)
    return Row(label, value or gettext(NOT_ANSWERED), flag, missing=not value)


def _plural(count: int, word: str) -> str:
    """A count of something in the language in use ("7 years"). Each ngettext call holds its
    literal words, so that the catalogs' extraction finds them as one plural message."""
    if word == "year":
        text = ngettext("{count} year", "{count} years", count)
    elif word == "month":
        text = ngettext("{count} month", "{count} months", count)
    elif word == "week":
        text = ngettext("{count} week", "{count} weeks", count)
    else:
        text = ngettext("{count} round", "{count} rounds", count)
    return text.format(count=i18n.format_number(count))


def _labelled(values: tuple[str, ...], labels: tuple[str, ...]) -> list[tuple]:
    """(value, label) pairs of a list fact: `<field>` and `<field>_labels` are in the same
    order."""
    return list(zip(values, labels, strict=False))


def _side_effects(values: tuple[str, ...], labels: tuple[str, ...]) -> str:
    pairs = _labelled(values, labels)
    named = [label for value, label in pairs if value != "none"]
    if named:
        return gettext("side effects: {effects}").format(effects=_join(named))
    return gettext("no side effects") if pairs else ""


def _not_tried(facts: Facts) -> str:
    """What a treatment row says when it was not tried: only if the treatment question was
    answered at all."""
    return gettext("Not tried") if facts.treatments else ""


def _named(prefix: str, label: str | None) -> str:
    """ "prefix: label", or "" without a label."""
    return f"{prefix}: {label}" if label else ""


def _botox_row(facts: Facts) -> Row:
    if not facts.botox_tried:
        return _row(gettext("Botox"), _not_tried(facts))
    rounds, trend = facts.botox_rounds, facts.botox_trend
    first, now = facts.botox_weeks_first, facts.botox_weeks_now
    if first is not None and now is not None:
        benefit = gettext("benefit {now} now, {first} at first").format(
            now=_plural(now, "week"), first=_plural(first, "week")
        )
        if trend in TRENDS:
            benefit += f" ({gettext(TRENDS[trend])})"
    else:  # only one of the two answered: show what there is
        benefit = _join(
            [
                gettext("benefit {weeks} weeks at first").format(weeks=first)
                if first is not None
                else "",
                gettext("benefit {weeks} weeks now").format(weeks=now) if now is not None else "",
            ]
        )
    return _row(
        gettext("Botox"),
        _plural(rounds, "round") if rounds is not None else "",
        gettext("last {day}").format(day=short_answer_date(facts.botox_last))
        if facts.botox_last
        else "",
        benefit,
        _side_effects(facts.botox_side_effects, facts.botox_side_effects_labels),
        facts.botox_satisfaction_label or "",
        flag="shorter" if trend == "shorter" else "",
    )


def _medicine_row(facts: Facts) -> Row:
    names = facts.medicines_labels
    if not names and "medicines" not in facts.treatments:
        return _row(gettext("Medicines"), _not_tried(facts))
    return _row(
        gettext("Medicines"),
        _join(names) or gettext("tried"),
        facts.medicine_helped_label or "",
        _side_effects(facts.medicine_side_effects, facts.medicine_side_effects_labels),
        facts.medicine_current_label or "",
    )


def _mvd_row(facts: Facts, fired: set[str]) -> Row:
    if not facts.mvd_tried:
        return _row(gettext("Previous MVD"), gettext("No") if facts.treatments else "")
    year = facts.mvd_year
    return _row(
        gettext("Previous MVD"),
        gettext("in {year}").format(year=year) if year is not None else gettext("yes"),
        facts.mvd_helped_label or "",
        _named(gettext("spasm"), facts.mvd_recurred_label),
        flag="after MVD" if "after_mvd" in fired else "",
    )


def _impact_row(result: GuidanceResult, words: ScoreWords) -> Row:
    if not words.impact:
        return _row(gettext("Impact on daily life"))
    notes = [
        "" if words.impact_all_answered else words.impact_answered,
        words.impact_scale,
    ]
    notes = [note for note in notes if note]
    total = f"{words.impact} ({'; '.join(notes)})" if notes else words.impact
    by_answer: dict[str, list[str]] = {}  # highest score first; "never" left out
    items = result.facts.impact_items
    for item in sorted(items, key=lambda i: -i.score):
        if item.score:
            by_answer.setdefault(item.answer, []).append(item.label)
    detail = "; ".join(f"{answer}: {_join(labels)}" for answer, labels in by_answer.items())
    return _row(gettext("Impact on daily life"), total, detail)


def _priorities_row(facts: Facts) -> Row:
    items = facts.priority_items
    if not items:
        return _row(gettext("Priorities"))
    groups = []
    for level in ("very", "somewhat"):
        chosen = [item for item in items if item.level == level]
        if chosen:
            names = _join(item.label for item in chosen)
            groups.append(f"{chosen[0].level_label}: {names}")
    return _row(gettext("Priorities"), "; ".join(groups) or gettext("none marked important"))


def _sure_row(words: ScoreWords) -> Row:
    """The SURE score with its scale, and each answer in words about the patient."""
    conflict = words.conflict is True
    scale = gettext("{scale}; {score} is decisional conflict").format(
        scale=words.sure_scale, score=words.conflict_at
    )
    return _row(
        gettext("SURE (readiness)"),
        f"{words.sure} ({scale})" if words.sure else "",
        gettext("DECISIONAL CONFLICT") if conflict else "",
        words.sure_answers,
        flag="conflict" if conflict else "",
    )


def _health_rows(facts: Facts) -> list[Row]:
    """Age, serious health problems and blood thinners (the optional "Your health" questions),
    only when any was answered; a blood thinner is flagged, for surgery and Botox."""
    problems = [p for p in facts.health_problems_labels or () if p]
    parts = [
        facts.age_band_label or "",
        _join(problems),
        facts.blood_thinners_label or "",
    ]
    if not any(parts):
        return []
    flag = "blood_thinner" if facts.blood_thinners == "yes" else ""
    return [_row(gettext("Health"), *(capital(part) for part in parts), flag=flag)]


def _pregnancy_rows(facts: Facts) -> list[Row]:
    """Pregnancy, only when the question was answered."""
    label = facts.pregnancy_label or ""
    return [_row(gettext("Pregnancy"), capital(label))] if facts.pregnancy else []


def about_years(months) -> str:
    """92 -> "7 years", 8 -> "8 months": how long, rounded down to whole years from a year on
    (page 1 says "about"; the months to the day add nothing for the clinician)."""
    if not isinstance(months, int) or isinstance(months, bool) or months < 0:
        return ""
    if months >= 12:
        return _plural(months // 12, "year")
    return _plural(months, "month") if months else gettext("less than a month")


def _onset(facts: Facts) -> str:
    """ "since Mar 2019 (about 7 years)", or "about 18 months ago" as the patient put it."""
    if facts.onset:
        day = short_answer_date(facts.onset)
        duration = about_years(facts.duration_months)
        if duration:
            return gettext("since {day} (about {duration})").format(day=day, duration=duration)
        return gettext("since {day}").format(day=day)
    if facts.onset_text:
        return gettext("about {duration}").format(duration=facts.onset_text)
    return ""


def clinician_rows(result: GuidanceResult) -> tuple[Row, ...]:
    """The table of facts on page 1, in the order a clinician reads it."""
    facts = result.facts
    fired = {item.id for item in result.items}
    areas = facts.current_areas_labels
    seen = facts.seen_by_labels
    others = [
        label
        for value, label in _labelled(facts.treatments, facts.treatments_labels)
        if value in OTHER_TREATMENTS
    ]
    rows = [
        _row(
            gettext("Side"),
            capital(facts.side_label or ""),
            flag="both sides" if "bilateral" in fired else "",
        ),
        _row(
            gettext("Onset and duration"),
            _onset(facts),
            facts.course_label or "",
            _named(gettext("under 40 at onset"), facts.onset_before_40_label),
        ),
        _row(
            gettext("Spread"),
            _named(gettext("began"), facts.started_where_label),
            _named(gettext("now"), _join(areas)),
            _named(gettext("in sleep"), facts.in_sleep_label),
            gettext("fine rippling of one eyelid only")
            if facts.eyelid_ripple_only == "yes"
            else "",
        ),
        _row(gettext("Frequency"), capital(facts.frequency_label or "")),
        _row(
            gettext("Diagnosis and MRI"),
            _named(gettext("seen by"), _join(seen)),
            _named(gettext("called HFS"), facts.diagnosed_hfs_label),
            _named(gettext("MRI"), facts.mri_label),
            _named(gettext("last MRI"), str(facts.mri_year) if facts.mri_year else ""),
            _named(gettext("Bell's palsy before"), facts.bells_palsy_label),
        ),
        _botox_row(facts),
        _medicine_row(facts),
        _mvd_row(facts, fired),
    ]
    if others:
        rows.append(_row(gettext("Other treatments"), _join(others)))
    words = score_words(result)
    rows += [
        *_pregnancy_rows(facts),
        *_health_rows(facts),
        _impact_row(result, words),
        _priorities_row(facts),
        _row(gettext("Leaning"), capital(facts.leaning_label or "")),
        _sure_row(words),
    ]

    return tuple(rows + quality_rows(facts))
