"""Hypothesis (issue 16): for any valid answers document, the QuestionnaireResponse validates
(HL7's JSON Schema, fhir.resources, our SDC rules) and reads back as the same answers.

The documents come from the questionnaire itself (tests/answers_strategies.py), so new
questions and values are covered as they are added. Text is drawn from letters, marks, digits,
punctuation, symbols (emoji included), spaces, tabs and new lines. It leaves out control
characters and the Unicode spaces other than " ": FHIR's string type allows them, but the JSON
Schema's pattern `[ \\r\\n\\t\\S]+`, read as a Python or JavaScript regular expression, refuses
them (docs/fhir.md)."""

import datetime

from answers_strategies import valid_documents
from fhir_support import assert_valid, sdc_problems
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from decision_aid import fhir
from decision_aid.guidance.model import validate
from decision_aid.questions import load_questionnaire

QUESTIONNAIRE = load_questionnaire()
CANON = fhir.Canon.from_base("https://clinic.example/fhir")
EXPORTED = fhir.questionnaire(CANON, QUESTIONNAIRE)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
TEXT = st.text(
    st.characters(
        codec="utf-8",
        categories=("L", "M", "N", "P", "S"),
        include_characters=" \t\n\r",
    ),
    max_size=60,
)
MOMENTS = st.datetimes(
    min_value=datetime.datetime(2020, 1, 1), max_value=datetime.datetime(2100, 1, 1)
).map(lambda moment: moment.replace(tzinfo=datetime.UTC))


@SETTINGS
@given(valid_documents(TEXT), MOMENTS)
def test_any_valid_document_gives_a_valid_response_that_reads_back_the_same(document, moment):
    answers, today = document
    assert validate(answers, today) == []
    stored = fhir.canonical_answers(QUESTIONNAIRE, answers)
    response = fhir.questionnaire_response(CANON, QUESTIONNAIRE, answers, authored=moment)
    assert_valid(response)
    assert sdc_problems(EXPORTED, response, required=False) == []
    assert fhir.answers_from_response(CANON, QUESTIONNAIRE, response, today) == stored
    # What the wizard stores is already in this form, so for it the round trip is the identity.
    assert fhir.canonical_answers(QUESTIONNAIRE, stored) == stored
    again = fhir.questionnaire_response(CANON, QUESTIONNAIRE, stored, authored=moment)
    assert again == response
    assert fhir.answers_from_response(CANON, QUESTIONNAIRE, again, today) == stored
