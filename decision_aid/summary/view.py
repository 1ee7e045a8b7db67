"""What a summary shows, built once from the guidance result: the items with their level
names, the red flags, the clinician's table of facts, the scores in words, the options, the
questions and the numbered sources. The summary page, the staff summary, the PDF and the text
output only render it.

No Flask and no clinical logic: every clinical value, label and flag comes from the guidance
result (decision_aid.guidance); the words for the levels from its content. From the answers the
view takes only the patient's details and own questions, as the patient wrote them.

    view = build_view(result)                        # the summary page, the text output
    view = build_view(result, answers, today=today)  # the staff summary and the PDF

The clinician's table of facts and the scores in words are built in clinician_table.py."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from decision_aid.clinic.clock import age_on
from decision_aid.guidance import content
from decision_aid.guidance.context import LEVEL_ORDER, URGENT
from decision_aid.guidance.result import Figure, GuidanceResult, Item, Provenance
from decision_aid.guidance.urgent import urgent_names
from decision_aid.summary.clinician_table import Row, ScoreWords, clinician_rows, score_words
from decision_aid.text.dates import short_answer_date
from decision_aid.text.i18n import N_, gettext

NEXT_ACTIONS = 3
DETAILS = {
    "name": N_("Name"),
    "date_of_birth": N_("Date of birth"),
    "appointment": N_("Appointment"),
    "clinic": N_("Clinic"),
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
    patient_linked: bool = False  # the patient linked the symptoms to the treatment


@dataclass(frozen=True)
class Cell:
    id: str
    label: str
    text: str
    refs: tuple[Ref, ...]
    figure: Figure | None
    brief: str = ""  # a few words, for the PDF's one-page grid ("" when the content has none)


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
    urgent_names: tuple[str, ...]  # each urgent item in the clinician's words ("Urgent: ...")
    red_flags: RedFlags
    rows: tuple[Row, ...]
    scores: ScoreWords
    about: Mapping[str, AboutView]  # "condition", "decision"
    options: tuple[OptionView, ...]
    what_matters: tuple[str, ...]
    matters_most: tuple[str, ...]  # the priorities rated highest, in a few words (issue 27)
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

    @property
    def next_links(self) -> tuple[ItemView, ...]:
        """The summary page's "What to do next" (issue 27): its first lines, each a link to its
        card. The urgent cards come first, so that a phone's first screen names them too."""
        return self.items[:NEXT_ACTIONS]


# --- Building it ---------------------------------------------------------------------------


def build_view(
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
        urgent_names=urgent_names(result),
        red_flags=_red_flags(result),
        rows=clinician_rows(result),
        scores=score_words(result),
        about={key: AboutView(p.title, p.text, cite(p.sources)) for key, p in result.about.items()},
        options=tuple(
            OptionView(
                option.id,
                option.title,
                option.short,
                tuple(
                    Cell(r.id, r.label, r.text, cite(r.sources), r.figure, r.brief)
                    for r in option.rows
                ),
            )
            for option in result.options
        ),
        what_matters=tuple(entry.text for entry in result.what_matters),
        matters_most=_matters_most(result),
        questions_to_ask=result.questions_to_ask,
        suggested_questions=result.suggested_questions,
        own_questions=own_questions(answers),
        details=_details(answers, today),
        sources=cite.listed,
        provenance=provenance,
        reviewed_on=short_answer_date(provenance.reviewed) if provenance.reviewed else "",
        duration=facts.duration_text or "",
        botox_benefit=facts.botox_trend_text or "",
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
    return " ".join(t if t[-1] in ".!?。！？" else t + "." for t in texts if t)


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


def _matters_most(result: GuidanceResult) -> tuple[str, ...]:
    """The priorities the patient rated highest ("a lot", else "somewhat"), as their short
    labels: the summary's short "what matters to you"."""
    for level in ("very", "somewhat"):
        keys = [entry.id for entry in result.what_matters if entry.level == level]
        if keys:
            return tuple(content.row_label("priorities", key) for key in keys)
    return ()


def _red_flags(result: GuidanceResult) -> RedFlags:
    facts = result.facts
    labels = tuple(facts.red_flag_labels)
    return RedFlags(
        labels=labels,
        answered=bool(labels or facts.red_flags),
        emergency=facts.emergency is True,
        to_check=facts.red_flags_to_check is not False,
        patient_linked=facts.treatment_effects_patient_linked is True,
        marker=result.red_flag,
    )


def own_questions(answers: Mapping) -> tuple[str, ...]:
    """The patient's own questions as written (blank ones left out)."""
    questions = answers.get("patient_questions") or []
    if not isinstance(questions, list | tuple):
        questions = [questions]
    # A common question's value is its English text: shown in the language in use.
    return tuple(
        content.option_text("patient_questions", str(q)) for q in questions if str(q).strip()
    )


def _details(answers: Mapping, today: datetime.date | None) -> tuple[Detail, ...]:
    details = []
    for key, label in DETAILS.items():
        value = str(answers.get(key) or "").strip()
        if not value:
            continue
        shown = short_answer_date(value) if key in ("date_of_birth", "appointment") else value
        if key == "appointment" and answers.get("appointment_time"):
            shown = f"{shown}, {answers['appointment_time']}"
        details.append(Detail(key, gettext(label), shown))
        age = age_on(value, today) if key == "date_of_birth" and today else None
        if age is not None:
            details.append(Detail("age", gettext("Age"), str(age)))
    return tuple(details)
