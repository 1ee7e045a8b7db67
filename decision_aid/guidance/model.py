"""The answers document (docs/answers-format.md): its validation and a typed model. Every id,
value and bound is read from the questionnaire (the step YAML, `decision_aid.questions`): this
module keeps no copy, so the forms and the engine accept the same answers. Every problem message
starts with the field name, so a person or a script can find it. Unknown extra fields are
ignored, and a JSON null counts as "not answered". No Flask: the engine's inputs are checked
here, with the date passed in."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field, fields
from functools import partial
from typing import Any

from decision_aid.questions import QuestionnaireError, packaged_questionnaire

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

_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


# ---------------------------------------------------------------------------------------------
# Checks. Each takes (question, field name, value, today) and returns a list of problem messages.


def _got(value: Any) -> str:
    text = repr(value)
    return f" (got {text[:40]}{'...' if len(text) > 40 else ''})"


def _is_int(value: Any) -> bool:
    # JSON true/false arrive as bool, which Python counts as int: refuse them.
    return isinstance(value, int) and not isinstance(value, bool)


def _check_choice(name: str, value: Any, choices: tuple) -> list[str]:
    if isinstance(value, str) and value in choices:
        return []
    return [f"{name}: must be one of {', '.join(choices)}{_got(value)}"]


def _check_int(name: str, value: Any, low: int, high: int) -> list[str]:
    if _is_int(value) and low <= value <= high:
        return []
    return [f"{name}: must be a whole number from {low} to {high}{_got(value)}"]


def _check_text(name: str, value: Any, limit: int | None) -> list[str]:
    if not isinstance(value, str):
        return [f"{name}: must be text{_got(value)}"]
    if limit and len(value) > limit:
        return [f"{name}: must be at most {limit} characters (it has {len(value)})"]
    return []


def _single(q, name: str, value: Any, today: datetime.date) -> list[str]:
    return _check_choice(name, value, q.accepted_values)


def _multiple(q, name: str, value: Any, today: datetime.date) -> list[str]:
    choices = q.accepted_values
    if not isinstance(value, list):
        return [f"{name}: must be a list of choices from {', '.join(choices)}{_got(value)}"]
    problems = []
    for index, item in enumerate(value):
        problems += _check_choice(f"{name}[{index}]", item, choices)
    known = [item for item in value if isinstance(item, str)]
    repeated = sorted({item for item in known if known.count(item) > 1})
    if repeated:
        problems.append(f"{name}: lists the same choice more than once ({', '.join(repeated)})")
    if q.exclusive in known and len(value) > 1:
        problems.append(f"{name}: '{q.exclusive}' cannot be combined with other choices")
    return problems


def _number(q, name: str, value: Any, today: datetime.date) -> list[str]:
    return _check_int(name, value, *q.bounds(today))


def _month_year(q, name: str, value: Any, today: datetime.date) -> list[str]:
    """ "YYYY-MM", or also "YYYY" when the month may be left out."""
    form = "YYYY-MM" if q.month_required else "YYYY-MM or YYYY"
    if not isinstance(value, str):
        return [f"{name}: must be a date as {form}{_got(value)}"]
    if not q.month_required and _YEAR.match(value):
        return _check_year_month(q, name, int(value), None, today)
    match = _YEAR_MONTH.match(value)
    if not match:
        return [f"{name}: must be a date as {form}{_got(value)}"]
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return [f"{name}: the month must be from 01 to 12{_got(value)}"]
    return _check_year_month(q, name, year, month, today)


def _check_year_month(q, name: str, year: int, month: int | None, today) -> list[str]:
    earliest, _latest = q.bounds(today)
    if year < earliest:
        return [f"{name}: the year must be {earliest} or later (got {year})"]
    if (year, month or 1) > (today.year, today.month):
        return [f"{name}: is in the future (today is {today.isoformat()})"]
    return []


def _ago(q, name: str, value: Any, today: datetime.date) -> list[str]:
    if not isinstance(value, dict):
        return [f'{name}: must be an object like {{"amount": 2, "unit": "years"}}{_got(value)}']
    units = q.accepted_values
    problems = _check_choice(f"{name}.unit", value.get("unit"), units)
    unit = value.get("unit") if value.get("unit") in units else max(units, key=q.amount_max)
    problems += _check_int(f"{name}.amount", value.get("amount"), q.min, q.amount_max(unit))
    return problems


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _time(q, name: str, value: Any, today: datetime.date) -> list[str]:
    if isinstance(value, str) and _TIME.match(value):
        return []
    return [f"{name}: must be a time of day as HH:MM, 00:00 to 23:59{_got(value)}"]


def _date(q, name: str, value: Any, today: datetime.date) -> list[str]:
    try:
        if not (isinstance(value, str) and _DAY.match(value)):
            raise ValueError
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return [f"{name}: must be a real date as YYYY-MM-DD{_got(value)}"]
    if q.past and day > today:
        return [f"{name}: is in the future (today is {today.isoformat()})"]
    low, high = q.bounds(today)
    if not low <= day.year <= high:
        return [f"{name}: the year must be from {low} to {high} (got {day.year})"]
    return []


def _text(q, name: str, value: Any, today: datetime.date) -> list[str]:
    return _check_text(name, value, q.max_length)


def _rating(q, name: str, value: Any, today: datetime.date) -> list[str]:
    """An object with a key per row; unknown keys are ignored, null is "not answered". Rows
    scored 0 to 3 are whole numbers; others are one of the choices."""
    if not isinstance(value, dict):
        return [f"{name}: must be an object{_got(value)}"]
    rows, values = {item.id for item in q.items}, q.accepted_values
    scored = all(_is_int(v) for v in values)
    problems = []
    for key, answer in value.items():
        if key not in rows or answer is None:
            continue
        if scored:
            problems += _check_int(f"{name}.{key}", answer, min(values), max(values))
        else:
            problems += _check_choice(f"{name}.{key}", answer, values)
    return problems


def _question_list(q, name: str, value: Any, today: datetime.date) -> list[str]:
    if not isinstance(value, list):
        return [f"{name}: must be a list of questions{_got(value)}"]
    problems = []
    if q.max_items and len(value) > q.max_items:
        problems.append(f"{name}: must have at most {q.max_items} questions (it has {len(value)})")
    for index, item in enumerate(value):
        problems += _check_text(f"{name}[{index}]", item, q.max_length)
    return problems


CHECK_BY_TYPE = {
    "single": _single,
    "multiple": _multiple,
    "number": _number,
    "month_year": _month_year,
    "ago": _ago,
    "date": _date,
    "time": _time,
    "text": _text,
    "textarea": _text,
    "rating": _rating,
    "question_list": _question_list,
}
CHECKS = {qid: partial(CHECK_BY_TYPE[q.type], q) for qid, q in QUESTIONS.items()}


def validate(answers: Any, today: datetime.date) -> list[str]:
    """Return one message per problem, each starting with the field name; [] when valid."""
    if not isinstance(answers, dict):
        return [f"answers: must be a JSON object{_got(answers)}"]
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
