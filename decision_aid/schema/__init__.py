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
from decision_aid.questions.types import ANSWER_TYPES

SCHEMA_FILE = Path(__file__).parent / "answers.schema.json"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _property(question):
    """The schema of one stored question: its answer type's (decision_aid/questions/types.py)."""
    return ANSWER_TYPES[question.type].schema(question)


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
