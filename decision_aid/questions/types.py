"""The answer types: each `type` of the step YAML in one entry of `ANSWER_TYPES`, with the YAML
keys a question of that type may have beyond the common ones (questions/load.py), the check of a
stored value (the guidance engine's `validate`, guidance/model.py), its JSON Schema
(decision_aid/schema) and its FHIR R4 item type and answer element (decision_aid/fhir). The form
widget and its template are in decision_aid/fields and templates/fields/<type>.html. A new type
is an entry here and a widget there (tests/test_question_types.py adds one).

Pure: no Flask. Each check takes (question, field name, value, today) and returns a list of
problem messages, each starting with the field name; each schema takes the question."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# ---------------------------------------------------------------------------------------------
# The check of a stored value
_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def got(value: Any) -> str:
    text = repr(value)
    return f" (got {text[:40]}{'...' if len(text) > 40 else ''})"


def _is_int(value: Any) -> bool:
    # JSON true/false arrive as bool, which Python counts as int: refuse them.
    return isinstance(value, int) and not isinstance(value, bool)


def _check_choice(name: str, value: Any, choices: tuple) -> list[str]:
    if isinstance(value, str) and value in choices:
        return []
    return [f"{name}: must be one of {', '.join(choices)}{got(value)}"]


def _check_int(name: str, value: Any, low: int, high: int) -> list[str]:
    if _is_int(value) and low <= value <= high:
        return []
    return [f"{name}: must be a whole number from {low} to {high}{got(value)}"]


def _check_text(name: str, value: Any, limit: int | None) -> list[str]:
    if not isinstance(value, str):
        return [f"{name}: must be text{got(value)}"]
    if limit and len(value) > limit:
        return [f"{name}: must be at most {limit} characters (it has {len(value)})"]
    return []


def _single(q, name: str, value: Any, today: datetime.date) -> list[str]:
    return _check_choice(name, value, q.accepted_values)


def _multiple(q, name: str, value: Any, today: datetime.date) -> list[str]:
    choices = q.accepted_values
    if not isinstance(value, list):
        return [f"{name}: must be a list of choices from {', '.join(choices)}{got(value)}"]
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
        return [f"{name}: must be a date as {form}{got(value)}"]
    if not q.month_required and _YEAR.match(value):
        return _check_year_month(q, name, int(value), None, today)
    match = _YEAR_MONTH.match(value)
    if not match:
        return [f"{name}: must be a date as {form}{got(value)}"]
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return [f"{name}: the month must be from 01 to 12{got(value)}"]
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
        return [f'{name}: must be an object like {{"amount": 2, "unit": "years"}}{got(value)}']
    units = q.accepted_values
    problems = _check_choice(f"{name}.unit", value.get("unit"), units)
    unit = value.get("unit") if value.get("unit") in units else max(units, key=q.amount_max)
    problems += _check_int(f"{name}.amount", value.get("amount"), q.min, q.amount_max(unit))
    return problems


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _time(q, name: str, value: Any, today: datetime.date) -> list[str]:
    if isinstance(value, str) and _TIME.match(value):
        return []
    return [f"{name}: must be a time of day as HH:MM, 00:00 to 23:59{got(value)}"]


def _date(q, name: str, value: Any, today: datetime.date) -> list[str]:
    try:
        if not (isinstance(value, str) and _DAY.match(value)):
            raise ValueError
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return [f"{name}: must be a real date as YYYY-MM-DD{got(value)}"]
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
        return [f"{name}: must be an object{got(value)}"]
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
        return [f"{name}: must be a list of questions{got(value)}"]
    problems = []
    if q.max_items and len(value) > q.max_items:
        problems.append(f"{name}: must have at most {q.max_items} questions (it has {len(value)})")
    for index, item in enumerate(value):
        problems += _check_text(f"{name}[{index}]", item, q.max_length)
    return problems


# ---------------------------------------------------------------------------------------------
# The JSON Schema of a stored value (what it cannot say is left to the check)
YEAR_MONTH = "^[0-9]{4}-(0[1-9]|1[0-2])$"
YEAR_OR_YEAR_MONTH = "^[0-9]{4}(-(0[1-9]|1[0-2]))?$"
DAY = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
TIME_OF_DAY = "^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _schema_number(low, high, nullable=True):
    """An integer within the bounds that are fixed numbers ("this_year" is left to the engine)."""
    schema = {"type": ["integer", "null"] if nullable else "integer"}
    if isinstance(low, int):
        schema["minimum"] = low
    if isinstance(high, int):
        schema["maximum"] = high
    return schema


def _schema_values(question):
    """A rating row or a single choice: one of the values, or null."""
    values = list(question.accepted_values)
    if all(isinstance(v, int) for v in values):
        return _schema_number(min(values), max(values))
    return {"enum": [*values, None]}


def _schema_multiple(question):
    schema = {
        "type": ["array", "null"],
        "items": {"enum": list(question.accepted_values)},
        "uniqueItems": True,
    }
    if question.exclusive:
        schema["if"] = {"type": "array", "contains": {"const": question.exclusive}}
        schema["then"] = {"maxItems": 1}
    return schema


def _schema_ago(question):
    units = list(question.accepted_values)
    return {
        "type": ["object", "null"],
        "required": ["amount", "unit"],
        "properties": {
            "amount": _schema_number(question.min, None, nullable=False),
            "unit": {"enum": units},
        },
        "allOf": [
            {
                "if": {"properties": {"unit": {"const": unit}}},
                "then": {"properties": {"amount": {"maximum": question.amount_max(unit)}}},
            }
            for unit in units
        ],
    }


def _schema_text(max_length, nullable=True):
    schema = {"type": ["string", "null"] if nullable else "string"}
    if max_length:
        schema["maxLength"] = max_length
    return schema


# ---------------------------------------------------------------------------------------------
# The registry


@dataclass(frozen=True)
class AnswerType:
    name: str
    yaml_keys: frozenset[str]  # the keys of its YAML beyond the common ones
    check: Callable[[Any, str, Any, datetime.date], list[str]]
    schema: Callable[[Any], dict]
    fhir_item: str  # the Questionnaire item's type
    fhir_value: str  # the QuestionnaireResponse answer's element


def _month_year_schema(q) -> dict:
    pattern = YEAR_MONTH if q.month_required else YEAR_OR_YEAR_MONTH
    return {"type": ["string", "null"], "pattern": pattern}


def _rating_schema(q) -> dict:
    rows = {item.id: _schema_values(q) for item in q.items}
    return {"type": ["object", "null"], "properties": rows}


def _question_list_schema(q) -> dict:
    items = _schema_text(q.max_length, nullable=False)
    return {"type": ["array", "null"], "maxItems": q.max_items, "items": items}


def _free_text_schema(q) -> dict:
    return _schema_text(q.max_length)


_TYPES = (
    AnswerType(
        "single",
        frozenset({"options", "scale", "relabel"}),
        _single,
        _schema_values,
        "choice",
        "valueCoding",
    ),
    AnswerType(
        "multiple",
        frozenset({"options", "exclusive"}),
        _multiple,
        _schema_multiple,
        "choice",
        "valueCoding",
    ),
    AnswerType(
        "month_year",
        frozenset({"month_required", "min"}),
        _month_year,
        _month_year_schema,
        "date",
        "valueDate",
    ),
    AnswerType(
        "ago", frozenset({"options", "min", "max"}), _ago, _schema_ago, "quantity", "valueQuantity"
    ),
    AnswerType(
        "number",
        frozenset({"min", "max", "suffix"}),
        _number,
        lambda q: _schema_number(q.min, q.max),
        "integer",
        "valueInteger",
    ),
    AnswerType(
        "text",
        frozenset({"max_length", "autocomplete"}),
        _text,
        _free_text_schema,
        "string",
        "valueString",
    ),
    AnswerType(
        "textarea", frozenset({"max_length"}), _text, _free_text_schema, "text", "valueString"
    ),
    AnswerType(
        "date",
        frozenset({"autocomplete", "past", "min", "max"}),
        _date,
        lambda q: {"type": ["string", "null"], "format": "date", "pattern": DAY},
        "date",
        "valueDate",
    ),
    AnswerType(
        "time",
        frozenset({"beside"}),  # beside: the date question it completes (on the same page)
        _time,
        lambda q: {"type": ["string", "null"], "pattern": TIME_OF_DAY},
        "time",
        "valueTime",
    ),
    AnswerType(
        "rating",
        frozenset({"items", "options", "scale", "relabel"}),
        _rating,
        _rating_schema,
        "group",
        "valueCoding",
    ),
    AnswerType(
        "question_list",
        frozenset({"options", "max_items", "max_length"}),
        _question_list,
        _question_list_schema,
        "open-choice",
        "valueString",
    ),
)
ANSWER_TYPES: dict[str, AnswerType] = {answer_type.name: answer_type for answer_type in _TYPES}
