"""Hypothesis (issue 16): for any valid answers document, the QuestionnaireResponse validates
(HL7's JSON Schema, fhir.resources, our SDC rules) and reads back as the same answers.

The documents come from the answers format itself (guidance/model.py), so new questions and
values are covered as they are added. Text is drawn from letters, marks, digits, punctuation,
symbols (emoji included), spaces, tabs and new lines. It leaves out control characters and the
Unicode spaces other than " ": FHIR's string type allows them, but the JSON Schema's pattern
`[ \\r\\n\\t\\S]+`, read as a Python or JavaScript regular expression, refuses them
(docs/fhir.md)."""

import datetime

from fhir_support import assert_valid, sdc_problems
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_guidance_properties import _multi

from decision_aid import fhir
from decision_aid.guidance.model import (
    CHOICES,
    IMPACT_ITEMS,
    INT_RANGES,
    MULTI_CHOICES,
    ONSET_AGO_MAX,
    PRIORITY_ITEMS,
    PRIORITY_LEVELS,
    SURE_ITEMS,
    validate,
)
from decision_aid.questions import load_questionnaire

QUESTIONNAIRE = load_questionnaire()
CANON = fhir.Canon.from_base("https://clinic.example/fhir")
EXPORTED = fhir.questionnaire(CANON, QUESTIONNAIRE)
SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
DAYS = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31))
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


@st.composite
def valid_documents(draw):
    """(answers, today): any valid answers document, empty answers and skipped steps included."""
    today = draw(DAYS)
    past = st.dates(min_value=datetime.date(1950, 1, 1), max_value=today)
    optional = {name: st.sampled_from(choices) for name, choices in CHOICES.items()}
    optional.update({name: _multi(choices) for name, choices in MULTI_CHOICES.items()})
    optional.update({name: st.integers(lo, hi) for name, (lo, hi) in INT_RANGES.items()})
    optional["onset"] = st.one_of(
        past.map(lambda day: day.strftime("%Y-%m")), past.map(lambda day: str(day.year))
    )
    optional["onset_ago"] = st.sampled_from(sorted(ONSET_AGO_MAX)).flatmap(
        lambda unit: st.fixed_dictionaries(
            {"amount": st.integers(0, ONSET_AGO_MAX[unit]), "unit": st.just(unit)}
        )
    )
    optional["botox_last"] = past.map(lambda day: day.strftime("%Y-%m"))
    optional["mvd_year"] = st.integers(1960, today.year)
    optional["impact"] = st.fixed_dictionaries(
        {}, optional={key: st.integers(0, 3) | st.none() for key in IMPACT_ITEMS}
    )
    optional["priorities"] = st.fixed_dictionaries(
        {}, optional={key: st.sampled_from(PRIORITY_LEVELS) for key in PRIORITY_ITEMS}
    )
    optional["sure"] = st.fixed_dictionaries(
        {}, optional={key: st.sampled_from(["yes", "no"]) for key in SURE_ITEMS}
    )
    optional["patient_questions"] = st.lists(TEXT, max_size=20)
    optional["name"] = TEXT
    optional["clinic"] = TEXT
    optional["date_of_birth"] = past.map(datetime.date.isoformat)
    optional["appointment"] = DAYS.map(datetime.date.isoformat)
    optional["an_unknown_field"] = st.one_of(st.none(), st.integers(), st.text(max_size=10))
    answers = draw(st.fixed_dictionaries({}, optional=optional))
    assert validate(answers, today) == []
    return answers, today


@SETTINGS
@given(valid_documents(), MOMENTS)
def test_any_valid_document_gives_a_valid_response_that_reads_back_the_same(document, moment):
    answers, today = document
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
