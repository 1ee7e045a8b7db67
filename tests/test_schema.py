"""The JSON Schema of the answers document (decision_aid/schema/answers.schema.json): generated
from the questionnaire, committed, printed by `decision-aid schema`, and in step with the engine's
own check: the personas and any valid document pass both, and broken ones fail both."""

import json
from pathlib import Path

import pytest
from answers_strategies import valid_documents
from conftest import TODAY
from hypothesis import HealthCheck, given, settings
from jsonschema import Draft202012Validator, FormatChecker
from test_guidance import PERSONAS

from decision_aid.cli.main import main
from decision_aid.guidance import validate
from decision_aid.schema import SCHEMA_FILE, answers_schema, schema_text

DATA = Path(__file__).parent / "data"
VALIDATOR = Draft202012Validator(answers_schema(), format_checker=FormatChecker())


def schema_problems(answers):
    return [error.message for error in VALIDATOR.iter_errors(answers)]


def test_the_committed_schema_is_up_to_date():
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    assert committed == schema_text(), (
        "run: decision-aid schema > decision_aid/schema/answers.schema.json"
    )


def test_decision_aid_schema_prints_it(capsys):
    assert main(["schema"]) == 0
    printed = capsys.readouterr().out
    assert printed == SCHEMA_FILE.read_text(encoding="utf-8")
    Draft202012Validator.check_schema(json.loads(printed))


def _persona_documents():
    documents = [pytest.param(persona[1], id=persona[0]) for persona in PERSONAS]
    for path in sorted([*DATA.glob("answers/*.json"), *DATA.glob("pdf_answers_*.json")]):
        documents.append(pytest.param(json.loads(path.read_text("utf-8")), id=path.name))
    return documents


@pytest.mark.parametrize("answers", _persona_documents())
def test_every_persona_matches_the_schema(answers):
    assert validate(answers, TODAY) == []
    assert schema_problems(answers) == []


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_documents())
def test_any_document_the_engine_accepts_matches_the_schema(document):
    answers, today = document
    assert validate(answers, today) == []
    assert schema_problems(answers) == []


@pytest.mark.parametrize(
    "answers",
    [
        {"side": "up"},
        {"side": True},
        {"botox_rounds": 201},  # 06_botox.yaml: max 200
        {"botox_weeks_now": -1},
        {"red_flags": ["none", "limb"]},
        {"red_flags": ["limb", "limb"]},
        {"red_flags": "limb"},
        {"current_areas": ["ear"]},
        {"impact": {"reading": 4}},
        {"priorities": {"lasting_fix": "yes"}},
        {"sure": {"know_options": "maybe"}},
        {"onset": "2020-13"},
        {"onset": "March 2020"},
        {"botox_last": "2020"},
        {"onset_ago": {"amount": 5201, "unit": "weeks"}},
        {"onset_ago": {"amount": 101, "unit": "years"}},
        {"onset_ago": {"amount": 2, "unit": "days"}},
        {"onset_ago": {"amount": 2}},
        {"name": "x" * 121},  # 12b_about_you.yaml: max_length 120
        {"patient_questions": ["Why?"] * 21},
        {"patient_questions": ["x" * 501]},
        {"date_of_birth": "27/03/1961"},
    ],
)
def test_a_broken_document_fails_the_schema_and_the_engine(answers):
    assert validate(answers, TODAY), answers
    assert schema_problems(answers), answers


def test_nulls_and_unknown_fields_are_allowed():
    answers = {"side": None, "impact": {"reading": None}, "favourite_colour": "blue"}
    assert validate(answers, TODAY) == [] and schema_problems(answers) == []
