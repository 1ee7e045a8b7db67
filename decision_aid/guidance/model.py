"""The answers document (docs/answers-format.md): its validation and a typed model. Every id,
value and bound is read from the questionnaire (the step YAML, `decision_aid.questions`): this
module keeps no copy, so the forms and the engine accept the same answers. Every problem message
starts with the field name, so a person or a script can find it. Unknown extra fields are
ignored, and a JSON null counts as "not answered". No Flask: the engine's inputs are checked
here, with the date passed in."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field, fields
from functools import partial
from typing import Any

from decision_aid.questions import QuestionnaireError, packaged_questionnaire
from decision_aid.questions.types import ANSWER_TYPES, got

QUESTIONNAIRE = packaged_questionnaire()
# The questions whose answers the document holds, by id, in the questionnaire's order.
QUESTIONS = {q.id: q for q in QUESTIONNAIRE.stored_questions()}


def _of_type(kind: str) -> dict:
    return {qid: q for qid, q in QUESTIONS.items() if q.type == kind}


def _rows(question_id: str) -> tuple[str, ...]:
    return tuple(item.id for item in QUESTIONS[question_id].items)


# Tables derived from the questionnaire, for the engine and the tests. The values are the fixed
# values of the public answers format: clinics script against them.
CHOICES = {qid: q.accepted_values for qid, q in _of_type("single").items()}
MULTI_CHOICES = {qid: q.accepted_values for qid, q in _of_type("multiple").items()}
# Values that documents may still hold but the questions no longer offer (`retired: true`).
EDITION_1_ONLY = {
    qid: tuple(o.value for o in q.retired_options)
    for qid, q in QUESTIONS.items()
    if q.retired_options
}
# Whole numbers with fixed bounds (a bound of "this_year" moves with the date: not listed).
INT_RANGES = {
    qid: (q.min, q.max)
    for qid, q in _of_type("number").items()
    if isinstance(q.min, int) and isinstance(q.max, int)
}
IMPACT_ITEMS = _rows("impact")
IMPACT_MAX_PER_ITEM = max(QUESTIONS["impact"].accepted_values)
PRIORITY_ITEMS = _rows("priorities")
PRIORITY_LEVELS = QUESTIONS["priorities"].accepted_values
SURE_ITEMS = _rows("sure")
ONSET_AGO_UNITS = QUESTIONS["onset_ago"].accepted_values
ONSET_AGO_MAX = {unit: QUESTIONS["onset_ago"].amount_max(unit) for unit in ONSET_AGO_UNITS}


class ValidationError(ValueError):
    """An answers document that breaks the format. `problems` has one message per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class OnsetAgo:
    amount: int
    unit: str


@dataclass(frozen=True)
class Answers:
    """A valid answers document. Lists are tuples; unanswered fields are None or empty."""

    side: str | None = None
    started_where: str | None = None
    current_areas: tuple[str, ...] = ()
    in_sleep: str | None = None
    eyelid_ripple_only: str | None = None
    onset: str | None = None
    onset_ago: OnsetAgo | None = None
    course: str | None = None
    frequency: str | None = None
    red_flags: tuple[str, ...] = ()
    bells_palsy: str | None = None
    onset_before_40: str | None = None
    seen_by: tuple[str, ...] = ()
    diagnosed_hfs: str | None = None
    mri: str | None = None
    mri_year: int | None = None
    treatments: tuple[str, ...] = ()
    botox_rounds: int | None = None
    botox_last: str | None = None
    botox_weeks_first: int | None = None
    botox_weeks_now: int | None = None
    botox_side_effects: tuple[str, ...] = ()
    botox_satisfaction: str | None = None
    botox_current: str | None = None
    botox_weakness_after: str | None = None
    medicines: tuple[str, ...] = ()
    medicine_helped: str | None = None
    medicine_side_effects: tuple[str, ...] = ()
    medicine_current: str | None = None
    mvd_year: int | None = None
    mvd_helped: str | None = None
    mvd_recurred: str | None = None
    mvd_symptoms_after: str | None = None
    impact: dict[str, int] = field(default_factory=dict)
    age_band: str | None = None
    health_problems: tuple[str, ...] = ()
    blood_thinners: str | None = None
    priorities: dict[str, str] = field(default_factory=dict)
    leaning: str | None = None
    pregnancy: str | None = None
    sure: dict[str, str] = field(default_factory=dict)
    preferred_role: str | None = None
    others_involved: tuple[str, ...] = ()
    others_prefer: str | None = None
    pressure: str | None = None
    knowledge: dict[str, str] = field(default_factory=dict)
    patient_questions: tuple[str, ...] = ()
    name: str | None = None
    date_of_birth: str | None = None
    appointment: str | None = None
    appointment_time: str | None = None
    clinic: str | None = None


def _check_answers_fields() -> None:
    """The typed model names every stored question: a question added to the YAML without a
    field here (or the other way round) stops the app at start-up."""
    model, data = {f.name for f in fields(Answers)}, set(QUESTIONS)
    if model != data:
        raise QuestionnaireError(
            "guidance/model.py Answers and the question files differ: "
            f"only in the model {sorted(model - data)}, only in the files {sorted(data - model)}"
        )


_check_answers_fields()


# The check of each stored value is its answer type's (decision_aid/questions/types.py).
CHECK_BY_TYPE = {name: answer_type.check for name, answer_type in ANSWER_TYPES.items()}
CHECKS = {qid: partial(CHECK_BY_TYPE[q.type], q) for qid, q in QUESTIONS.items()}


def validate(answers: Any, today: datetime.date) -> list[str]:
    """Return one message per problem, each starting with the field name; [] when valid."""
    if not isinstance(answers, dict):
        return [f"answers: must be a JSON object{got(answers)}"]
    problems = []
    for name, check in CHECKS.items():  # the questionnaire's order, so messages are reproducible
        value = answers.get(name)
        if value is not None:
            problems += check(name, value, today)
    return problems


def parse(answers: Any, today: datetime.date) -> Answers:
    """Validate and build the typed model. Raises ValidationError with every problem."""
    problems = validate(answers, today)
    if problems:
        raise ValidationError(problems)
    values: dict[str, Any] = {}
    for name in Answers.__dataclass_fields__:
        value = answers.get(name)
        if value is None:
            continue
        if name == "onset_ago":
            value = OnsetAgo(value["amount"], value["unit"])
        elif name == "patient_questions":
            value = tuple(q.strip() for q in value if q.strip())
        elif isinstance(value, list):
            value = tuple(value)
        elif QUESTIONS[name].type == "rating":  # only the known rows, in the questionnaire's order
            value = {row: value[row] for row in _rows(name) if value.get(row) is not None}
        values[name] = value
    return Answers(**values)
