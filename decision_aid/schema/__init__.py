"""The JSON Schema of the answers document (docs/answers-format.md), generated from the
questionnaire: each stored question's type, values and bounds. `answers.schema.json` next to
this module is the committed copy, for clinics that script against the format; a test fails
when it is out of date (`decision-aid schema > decision_aid/schema/answers.schema.json`).

What a schema cannot say is left to the engine's check (`decision_aid.guidance.validate`): a
date in the future, a bound that moves with the year ("this_year"), a real calendar day. Every
property may be null ("not answered"), and fields not listed are allowed and ignored."""

import json
from pathlib import Path

from decision_aid.questions import THIS_YEAR_BOUND, packaged_questionnaire

SCHEMA_FILE = Path(__file__).parent / "answers.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
YEAR_MONTH = "^[0-9]{4}-(0[1-9]|1[0-2])$"
YEAR_OR_YEAR_MONTH = "^[0-9]{4}(-(0[1-9]|1[0-2]))?$"
DAY = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
TIME_OF_DAY = "^([01][0-9]|2[0-3]):[0-5][0-9]$"


def _whole_number(low, high, nullable=True):
    """An integer within the bounds that are fixed numbers ("this_year" is left to the engine)."""
    schema = {"type": ["integer", "null"] if nullable else "integer"}
    if isinstance(low, int):
        schema["minimum"] = low
    if isinstance(high, int):
        schema["maximum"] = high
    return schema


def _values(question):
    """A rating row or a single choice: one of the values, or null."""
    values = list(question.accepted_values)
    if all(isinstance(v, int) for v in values):
        return _whole_number(min(values), max(values))
    return {"enum": [*values, None]}


def _multiple(question):
    schema = {
        "type": ["array", "null"],
        "items": {"enum": list(question.accepted_values)},
        "uniqueItems": True,
    }
    if question.exclusive:
        schema["if"] = {"type": "array", "contains": {"const": question.exclusive}}
        schema["then"] = {"maxItems": 1}
    return schema


def _ago(question):
    units = list(question.accepted_values)
    return {
        "type": ["object", "null"],
        "required": ["amount", "unit"],
        "properties": {
            "amount": _whole_number(question.min, None, nullable=False),
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


def _text(max_length, nullable=True):
    schema = {"type": ["string", "null"] if nullable else "string"}
    if max_length:
        schema["maxLength"] = max_length
    return schema


def _property(question):
    kind = question.type
    if kind == "single":
        return _values(question)
    if kind == "multiple":
        return _multiple(question)
    if kind == "number":
        return _whole_number(question.min, question.max)
    if kind == "month_year":
        pattern = YEAR_MONTH if question.month_required else YEAR_OR_YEAR_MONTH
        return {"type": ["string", "null"], "pattern": pattern}
    if kind == "date":
        return {"type": ["string", "null"], "format": "date", "pattern": DAY}
    if kind == "time":
        return {"type": ["string", "null"], "pattern": TIME_OF_DAY}
    if kind == "ago":
        return _ago(question)
    if kind == "rating":
        rows = {item.id: _values(question) for item in question.items}
        return {"type": ["object", "null"], "properties": rows}
    if kind == "question_list":
        items = _text(question.max_length, nullable=False)
        return {"type": ["array", "null"], "maxItems": question.max_items, "items": items}
    return _text(question.max_length)  # text, textarea


def _year_words(bound):
    """1950 -> "1950"; "this_year" -> "this year"; "this_year-5" -> "5 years before this year"."""
    if isinstance(bound, int):
        return str(bound)
    sign, years = THIS_YEAR_BOUND.match(bound).groups()
    return (
        f"{years} years {'before' if sign == '-' else 'after'} this year" if sign else "this year"
    )


def _description(question):
    """The question, and the bounds the schema cannot hold."""
    words = [question.label if question.label.endswith(("?", ".")) else f"{question.label}."]
    if question.type in ("month_year", "date") or question.max == "this_year":
        years = f"The year is {_year_words(question.min)} or later"
        if question.max is not None:
            years = f"The year is from {_year_words(question.min)} to {_year_words(question.max)}"
        words.append(f"{years}.")
        if question.type == "month_year" or question.past:
            words.append("Not in the future.")
    retired = [str(o.value) for o in question.retired_options]
    if retired:
        words.append(f"Accepted but no longer offered: {', '.join(retired)}.")
    return " ".join(words)


def answers_schema(questionnaire=None):
    """The schema as a dict, from the given questionnaire or the packaged one."""
    questionnaire = questionnaire or packaged_questionnaire()
    properties = {}
    for question in questionnaire.stored_questions():
        properties[question.id] = {"description": _description(question), **_property(question)}
    return {
        "$schema": DIALECT,
        "title": "Hemifacial spasm decision aid: the answers document",
        "description": (
            "The answers the questionnaire stores, read by the guidance engine, the PDF and the "
            "command line (docs/answers-format.md). Generated from the question files: do not "
            "edit. Every field is optional; null means not answered; other fields are ignored."
        ),
        "type": "object",
        "properties": properties,
    }


def schema_text(questionnaire=None):
    """The schema as the committed file holds it."""
    return json.dumps(answers_schema(questionnaire), indent=2, ensure_ascii=False) + "\n"
