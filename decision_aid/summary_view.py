"""What a summary shows, built once from the guidance result: the items with their level
names, the red flags, the clinician's table of facts, the scores in words, the options, the
questions and the numbered sources. The summary page, the staff summary, the PDF and the text
output only render it.

No Flask and no clinical logic: every clinical value, label and flag comes from the guidance
result (decision_aid.guidance); the words for the levels from its content. From the answers the
view takes only the patient's details and own questions, as the patient wrote them.

    view = build(result)                          # the summary page, the text output
    view = build(result, answers, today=today)    # the staff summary and the PDF
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from decision_aid.clinic_time import age_on
from decision_aid.dates import short_answer_date
from decision_aid.guidance import content, rules
from decision_aid.guidance.model import IMPACT_ITEMS, SURE_ITEMS
from decision_aid.guidance.result import Figure, GuidanceResult, Item, Provenance
from decision_aid.guidance.rules import LEVEL_ORDER, URGENT

NOT_ANSWERED = "Not answered"
NEXT_ACTIONS = 3
OTHER_TREATMENTS = ("acupuncture", "complementary")
DETAILS = {
    "name": "Name",
    "date_of_birth": "Date of birth",
    "appointment": "Appointment",
    "clinic": "Clinic",
}


def level_names() -> Mapping[str, str]:
    """urgent -> "Urgent", recommend -> "We suggest", inform -> "Good to know"."""
    return content.load("labels")["levels"]


# --- What the view holds -------------------------------------------------------------------


@dataclass(frozen=True)
class Ref:
    """A cited source: its number in the list of sources (None if the result does not list
    it) and its short name."""

    id: str
    number: int | None
    short: str

    @property
    def label(self) -> str:
        return str(self.number) if self.number is not None else self.id


@dataclass(frozen=True)
class Source:
    id: str
    number: int
    citation: str
    short: str


@dataclass(frozen=True)
class ItemView:
    """A guidance item in the patient's words, and the same in the clinician's words (the
    patient's where the result gives none)."""

    id: str
    level: str
    level_name: str
    title: str
    text: str
    for_doctor: str
    reasons: tuple[str, ...]
    refs: tuple[Ref, ...]
    staff_level_name: str
    staff_title: str
    staff_reasons: tuple[str, ...]

    @property
    def reasons_text(self) -> str:
        return sentences(self.reasons)

    @property
    def staff_reasons_text(self) -> str:
        return sentences(self.staff_reasons)


@dataclass(frozen=True)
class RedFlags:
    """`labels` as the guidance words them. `answered`: the red-flag questions were answered;
    `to_check`: False when every symptom listed is a known effect of the patient's own
    treatment; `marker`: the clinic's red-flag marker (any urgent or red-flag item)."""

    labels: tuple[str, ...]
    answered: bool
    emergency: bool
    to_check: bool
    marker: bool


@dataclass(frozen=True)
class Row:
    """A row of the clinician's table of facts. `flag` names why the row is marked."""

    label: str
    value: str
    flag: str = ""

    @property
    def missing(self) -> bool:
        return self.value == NOT_ANSWERED


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


@dataclass(frozen=True)
class Cell:
    id: str
    label: str
    text: str
    refs: tuple[Ref, ...]
    figure: Figure | None


@dataclass(frozen=True)
class OptionView:
    id: str
    title: str
    short: str
    rows: tuple[Cell, ...]


@dataclass(frozen=True)
class AboutView:
    title: str
    text: str
    refs: tuple[Ref, ...]


@dataclass(frozen=True)
class Detail:
    """One of the patient's details: the dates in words, and the age after the date of birth
    (key "age")."""

    key: str
    label: str
    value: str


@dataclass(frozen=True)
class SummaryView:
    items: tuple[ItemView, ...]  # urgent first, then in the guidance's order
    red_flags: RedFlags
    rows: tuple[Row, ...]
    scores: ScoreWords
    about: Mapping[str, AboutView]  # "condition", "decision"
    options: tuple[OptionView, ...]
    what_matters: tuple[str, ...]
    questions_to_ask: tuple[str, ...]  # the patient's own first, then the suggested ones
    suggested_questions: tuple[str, ...]  # those the tool suggests besides the patient's own
    own_questions: tuple[str, ...]  # as the patient wrote them, from the answers
    details: tuple[Detail, ...]
    sources: tuple[Source, ...]
    provenance: Provenance
    reviewed_on: str  # the provenance's review date, as the PDF shows dates
    duration: str  # how long since the twitching began, in words
    botox_benefit: str  # how long Botox helps now and at first, in words

    @property
    def urgent(self) -> tuple[ItemView, ...]:
        return tuple(item for item in self.items if item.level == URGENT)

    @property
    def others(self) -> tuple[ItemView, ...]:
        return tuple(item for item in self.items if item.level != URGENT)

    @property
    def next_actions(self) -> tuple[str, ...]:
        """ "What to do next": the titles of the first items after the urgent ones (which
        have their own cards)."""
        return tuple(item.title for item in self.others[:NEXT_ACTIONS])


# --- Building it ---------------------------------------------------------------------------


def build(
    result: GuidanceResult | Mapping,
    answers: Mapping | None = None,
    *,
    today: datetime.date | None = None,
) -> SummaryView:
    """The view of a result (a GuidanceResult or its JSON). `answers` gives the patient's
    details and own questions; `today` the age."""
    if not isinstance(result, GuidanceResult):
        result = GuidanceResult.from_json(result)
    answers = answers or {}
    facts = result.facts
    cite = _Citer(result.sources)
    provenance = result.provenance
    return SummaryView(
        items=_items(result.items, cite),
        red_flags=_red_flags(result),
        rows=clinician_rows(result),
        scores=score_words(result),
        about={key: AboutView(p.title, p.text, cite(p.sources)) for key, p in result.about.items()},
        options=tuple(
            OptionView(
                option.id,
                option.title,
                option.short,
                tuple(Cell(r.id, r.label, r.text, cite(r.sources), r.figure) for r in option.rows),
            )
            for option in result.options
        ),
        what_matters=tuple(entry.text for entry in result.what_matters),
        questions_to_ask=result.questions_to_ask,
        suggested_questions=result.suggested_questions,
        own_questions=own_questions(answers),
        details=_details(answers, today),
        sources=cite.listed,
        provenance=provenance,
        reviewed_on=short_answer_date(provenance.reviewed) if provenance.reviewed else "",
        duration=facts.get("duration_text") or "",
        botox_benefit=facts.get("botox_trend_text") or "",
    )


class _Citer:
    """Numbers the result's sources in order, and turns source ids into references."""

    def __init__(self, sources: Mapping[str, str]):
        catalogue = content.load("sources")
        self.shorts = {sid: entry["short"] for sid, entry in catalogue.items()}
        self.listed = tuple(
            Source(sid, number, citation, self.shorts.get(sid, sid))
            for number, (sid, citation) in enumerate(sources.items(), 1)
        )
        self.numbers = {source.id: source.number for source in self.listed}

    def __call__(self, ids) -> tuple[Ref, ...]:
        return tuple(Ref(i, self.numbers.get(i), self.shorts.get(i, i)) for i in ids)


def sentences(parts) -> str:
    """Reasons as one paragraph: each ends with a full stop, unless it has its own."""
    texts = [part.strip() for part in parts]
    return " ".join(t if t[-1] in ".!?" else t + "." for t in texts if t)


def _items(items: tuple[Item, ...], cite: _Citer) -> tuple[ItemView, ...]:
    names = level_names()
    ordered = sorted(items, key=lambda item: LEVEL_ORDER[item.level])  # stable
    return tuple(
        ItemView(
            id=item.id,
            level=item.level,
            level_name=names[item.level],
            title=item.title,
            text=item.text,
            for_doctor=item.for_doctor,
            reasons=item.reasons,
            refs=cite(item.sources),
            staff_level_name=item.staff_level or names[item.level],
            staff_title=item.staff_title or item.title,
            staff_reasons=item.staff_reasons,
        )
        for item in ordered
    )


def _red_flags(result: GuidanceResult) -> RedFlags:
    facts = result.facts
    labels = tuple(facts.get("red_flag_labels", ()))
    return RedFlags(
        labels=labels,
        answered=bool(labels or facts.get("red_flags")),
        emergency=facts.get("emergency") is True,
        to_check=facts.get("red_flags_to_check") is not False,
        marker=result.red_flag,
    )


def own_questions(answers: Mapping) -> tuple[str, ...]:
    """The patient's own questions as written (blank ones left out)."""
    questions = answers.get("patient_questions") or []
    if not isinstance(questions, list | tuple):
        questions = [questions]
    return tuple(str(q) for q in questions if str(q).strip())


def _details(answers: Mapping, today: datetime.date | None) -> tuple[Detail, ...]:
    details = []
    for key, label in DETAILS.items():
        value = str(answers.get(key) or "").strip()
        if not value:
            continue
        shown = short_answer_date(value) if key in ("date_of_birth", "appointment") else value
        details.append(Detail(key, label, shown))
        age = age_on(value, today) if key == "date_of_birth" and today else None
        if age is not None:
            details.append(Detail("age", "Age", str(age)))
    return tuple(details)


# --- The scores in words -------------------------------------------------------------------


def score_words(result: GuidanceResult) -> ScoreWords:
    scores, facts = result.scores, result.facts
    impact_questions, sure_questions = len(IMPACT_ITEMS), len(SURE_ITEMS)
    answered = facts.get("impact_answered")
    impact = ""
    if scores.impact is not None:
        impact = (
            f"{scores.impact} of {scores.impact_max}" if scores.impact_max else str(scores.impact)
        )
    words = "; ".join(facts.get("sure_words", ()))
    return ScoreWords(
        impact=impact,
        impact_scale=f"higher is worse, 0 to {scores.impact_max}" if scores.impact_max else "",
        impact_answered=(
            f"{answered} of {impact_questions} questions answered" if answered is not None else ""
        ),
        impact_all_answered=answered is None or answered >= impact_questions,
        sure=f"{scores.sure} of {sure_questions}" if scores.sure is not None else "",
        sure_scale=f"higher is better, 0 to {sure_questions}",
        conflict=scores.conflict,
        conflict_at=f"{rules.SURE_CONFLICT_AT_OR_BELOW} or less",
        sure_answers=capital(words),
    )


# --- The clinician's table of facts (page 1 of the PDF) ------------------------------------
# Each row shows what the guidance put in `facts` and `scores`; a row is flagged when the
# guidance's own value or rule says so (a fired item, botox_trend, conflict).


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(parts) -> str:
    return ", ".join(part for part in parts if part)


def _row(label: str, *values: str, flag: str = "") -> Row:
    return Row(label, " · ".join(v for v in values if v) or NOT_ANSWERED, flag)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def format_months(months) -> str:
    """79 -> "6 years 7 months"; "" when not known."""
    if not isinstance(months, int) or isinstance(months, bool) or months < 0:
        return ""
    if months < 1:
        return "less than a month"
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(_plural(years, "year"))
    if rest:
        parts.append(_plural(rest, "month"))
    return " ".join(parts)


def _labelled(facts: Mapping, field: str) -> list[tuple]:
    """(value, label) pairs of a list fact: `field` and `field_labels` are in the same order."""
    return list(zip(facts.get(field, ()), facts.get(f"{field}_labels", ()), strict=False))


def _side_effects(facts: Mapping, field: str) -> str:
    pairs = _labelled(facts, field)
    named = [label for value, label in pairs if value != "none"]
    if named:
        return "side effects: " + _join(named)
    return "no side effects" if pairs else ""


def _not_tried(facts: Mapping) -> str:
    """What a treatment row says when it was not tried: only if the treatment question was
    answered at all."""
    return "Not tried" if facts.get("treatments") else ""


def _named(prefix: str, label: str | None) -> str:
    """ "prefix: label", or "" without a label."""
    return f"{prefix}: {label}" if label else ""


def _botox_row(facts: Mapping) -> Row:
    if not facts.get("botox_tried"):
        return _row("Botox", _not_tried(facts))
    rounds, trend = facts.get("botox_rounds"), facts.get("botox_trend")
    first, now = facts.get("botox_weeks_first"), facts.get("botox_weeks_now")
    if facts.get("botox_trend_text"):
        benefit = f"benefit {facts['botox_trend_text']}"
        if trend in ("shorter", "longer"):
            benefit += f" ({trend})"
    else:  # only one of the two answered: show what there is
        benefit = _join(
            [
                f"benefit {first} weeks at first" if first is not None else "",
                f"benefit {now} weeks now" if now is not None else "",
            ]
        )
    return _row(
        "Botox",
        _plural(rounds, "round") if rounds is not None else "",
        f"last {short_answer_date(facts['botox_last'])}" if facts.get("botox_last") else "",
        benefit,
        _side_effects(facts, "botox_side_effects"),
        facts.get("botox_satisfaction_label") or "",
        flag="shorter" if trend == "shorter" else "",
    )


def _medicine_row(facts: Mapping) -> Row:
    names = facts.get("medicines_labels", ())
    if not names and "medicines" not in facts.get("treatments", ()):
        return _row("Medicines", _not_tried(facts))
    return _row(
        "Medicines",
        _join(names) or "tried",
        facts.get("medicine_helped_label") or "",
        _side_effects(facts, "medicine_side_effects"),
        facts.get("medicine_current_label") or "",
    )


def _mvd_row(facts: Mapping, fired: set[str]) -> Row:
    if not facts.get("mvd_tried"):
        return _row("Previous MVD", "No" if facts.get("treatments") else "")
    year = facts.get("mvd_year")
    return _row(
        "Previous MVD",
        f"in {year}" if year is not None else "yes",
        facts.get("mvd_helped_label") or "",
        _named("spasm", facts.get("mvd_recurred_label")),
        flag="after MVD" if "after_mvd" in fired else "",
    )


def _impact_row(result: GuidanceResult, words: ScoreWords) -> Row:
    if not words.impact:
        return _row("Impact on daily life")
    notes = [
        "" if words.impact_all_answered else words.impact_answered,
        words.impact_scale,
    ]
    notes = [note for note in notes if note]
    total = f"{words.impact} ({'; '.join(notes)})" if notes else words.impact
    by_answer: dict[str, list[str]] = {}  # highest score first; "never" left out
    items = result.facts.get("impact_items", ())
    for item in sorted(items, key=lambda i: -i["score"]):
        if item["score"]:
            by_answer.setdefault(item["answer"], []).append(item["label"])
    detail = "; ".join(f"{answer}: {_join(labels)}" for answer, labels in by_answer.items())
    return _row("Impact on daily life", total, detail)


def _priorities_row(facts: Mapping) -> Row:
    items = facts.get("priority_items", ())
    if not items:
        return _row("Priorities")
    groups = []
    for level in ("very", "somewhat"):
        chosen = [item for item in items if item["level"] == level]
        if chosen:
            names = _join(item["label"] for item in chosen)
            groups.append(f"{chosen[0]['level_label']}: {names}")
    return _row("Priorities", "; ".join(groups) or "none marked important")


def _sure_row(words: ScoreWords) -> Row:
    """The SURE score with its scale, and each answer in words about the patient."""
    conflict = words.conflict is True
    scale = f"{words.sure_scale}; {words.conflict_at} is decisional conflict"
    return _row(
        "SURE (readiness)",
        f"{words.sure} ({scale})" if words.sure else "",
        "DECISIONAL CONFLICT" if conflict else "",
        words.sure_answers,
        flag="conflict" if conflict else "",
    )


def _pregnancy_rows(facts: Mapping) -> list[Row]:
    """Pregnancy, only when the question was answered."""
    label = facts.get("pregnancy_label") or ""
    return [_row("Pregnancy", capital(label))] if facts.get("pregnancy") else []


def _onset(facts: Mapping) -> str:
    if facts.get("onset"):
        return f"since {short_answer_date(facts['onset'])}"
    if facts.get("onset_text"):
        return f"about {facts['onset_text']}"
    return ""


def clinician_rows(result: GuidanceResult) -> tuple[Row, ...]:
    """The table of facts on page 1, in the order a clinician reads it."""
    facts = result.facts
    fired = {item.id for item in result.items}
    areas = facts.get("current_areas_labels", ())
    seen = facts.get("seen_by_labels", ())
    others = [label for value, label in _labelled(facts, "treatments") if value in OTHER_TREATMENTS]
    rows = [
        _row(
            "Side",
            capital(facts.get("side_label") or ""),
            flag="both sides" if "bilateral" in fired else "",
        ),
        _row(
            "Onset and duration",
            _onset(facts),
            # "about 18 months ago" already says how long; a date needs the duration beside it
            format_months(facts.get("duration_months")) if facts.get("onset") else "",
            facts.get("course_label") or "",
            _named("under 40 at onset", facts.get("onset_before_40_label")),
        ),
        _row(
            "Spread",
            _named("began", facts.get("started_where_label")),
            _named("now", _join(areas)),
            _named("in sleep", facts.get("in_sleep_label")),
            "fine rippling of one eyelid only" if facts.get("eyelid_ripple_only") == "yes" else "",
        ),
        _row("Frequency", capital(facts.get("frequency_label") or "")),
        _row(
            "Diagnosis and MRI",
            _named("seen by", _join(seen)),
            _named("called HFS", facts.get("diagnosed_hfs_label")),
            _named("MRI", facts.get("mri_label")),
            _named("Bell's palsy before", facts.get("bells_palsy_label")),
        ),
        _botox_row(facts),
        _medicine_row(facts),
        _mvd_row(facts, fired),
    ]
    if others:
        rows.append(_row("Other treatments", _join(others)))
    words = score_words(result)
    rows += [
        *_pregnancy_rows(facts),
        _impact_row(result, words),
        _priorities_row(facts),
        _row("Leaning", capital(facts.get("leaning_label") or "")),
        _sure_row(words),
    ]
    return tuple(rows)
