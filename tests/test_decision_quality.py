"""Issue 31, before the consultation: "Check what you know", the Control Preferences Scale and
the Ottawa guide's support questions, the choices page before "Making your decision", and what
the clinician page, the summary, FHIR and the JSON Schema make of them."""

import copy
import datetime
import re

import pytest
import yaml
from clinic_support import answers_file, sent_summary, staff_client
from conftest import TODAY
from fhir_support import assert_valid
from hypothesis import given
from hypothesis import strategies as st
from test_pdf import pages_text, render, typical
from test_wizard import NOTHING_TRIED

from decision_aid import fhir, guidance
from decision_aid.guidance import content, quality
from decision_aid.guidance.model import QUESTIONS
from decision_aid.questions import load_questionnaire
from decision_aid.schema import SCHEMA_FILE as ANSWERS_SCHEMA_FILE

AUTHORED = datetime.datetime(2026, 11, 25, 9, 30, tzinfo=datetime.UTC)
KEY = {"botox_repeats": "true", "mvd_hearing": "true", "tablets_most": "false"}
KEY |= {"waiting_safe": "true", "mvd_same_day": "false"}
ALL_RIGHT = dict(KEY)
QUALITY = {
    "knowledge": {
        "botox_repeats": "true",
        "mvd_hearing": "unsure",
        "tablets_most": "true",
        "waiting_safe": "true",
        "mvd_same_day": "false",
    },
    "preferred_role": "shared",
    "others_involved": ["family", "health_professional"],
    "others_prefer": "botox",
    "pressure": "no",
}


# --- scoring (pure) ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given_answers", "score", "missed"),
    [
        ({}, None, []),
        (ALL_RIGHT, 100, []),
        (
            QUALITY["knowledge"],
            60,
            ["MVD has a small chance of lasting hearing loss", "tablets help few people"],
        ),
        (
            {"tablets_most": "false"},
            20,
            [
                "Botox needs repeating",
                "MVD has a small chance of lasting hearing loss",
                "waiting is safe for most",
                "MVD means 1 to 4 nights in hospital",
            ],
        ),
        (dict.fromkeys(KEY, "unsure"), 0, [quality.content.row_label("knowledge", k) for k in KEY]),
    ],
)
def test_knowledge_score_and_what_is_worth_going_over(given_answers, score, missed):
    knowledge = quality.knowledge_check({"knowledge": given_answers})
    assert knowledge.score == score
    assert [s.short for s in knowledge.missed] == missed


@given(st.dictionaries(st.sampled_from(sorted(KEY)), st.sampled_from(["true", "false", "unsure"])))
def test_the_score_is_the_share_right_of_all_five(answers):
    knowledge = quality.knowledge_check({"knowledge": answers})
    right = sum(1 for k, v in answers.items() if KEY[k] == v)
    assert knowledge.score == (round(100 * right / 5) if answers else None)
    assert len(knowledge.missed) == (5 - right if answers else 0)


def test_the_answer_key_matches_the_statements_the_table_and_its_sources():
    key = content.load("knowledge")["statements"]
    assert list(key) == [item.id for item in QUESTIONS["knowledge"].items]
    assert {k: v["answer_key"] for k, v in key.items()} == KEY
    options = content.load("options")
    sources = content.load("sources")
    for statement in key.values():
        row = options["options"][statement["table_option"]][statement["table_row"]]
        assert set(statement["sources"]) <= set(row["sources"]), statement
        assert all(source in sources for source in statement["sources"])
        # the explanation opens with the answer
        assert statement["explain"].startswith(statement["answer_key"].capitalize() + ".")


OPTION_WORDS = {"wait": "iving with it", "botox": "Botox", "medicines": "ablets", "mvd": "MVD"}


def test_the_fit_mapping_names_the_options_the_what_matters_texts_name():
    about = content.load("about")
    assert set(about["fit_options"]) == {item.id for item in QUESTIONS["priorities"].items}
    for key, options in about["fit_options"].items():
        for option in options:
            assert OPTION_WORDS[option] in about["fits"][key], (key, option)


@pytest.mark.parametrize(
    ("priorities", "choice", "fits"),
    [
        ({"lasting_fix": "very"}, "surgery", True),
        ({"lasting_fix": "very"}, "botox", False),
        ({"lasting_fix": "somewhat", "avoid_surgery": "very"}, "botox", True),
        ({"avoid_nerve_risk": "somewhat"}, "wait", True),
        ({"cost_travel": "very"}, "botox", None),
        ({}, "botox", None),
        ({"lasting_fix": "very"}, "unsure", None),
    ],
)
def test_a_choice_fits_the_top_rated_priority(priorities, choice, fits):
    assert quality.fits_top_priority({"priorities": priorities}, choice) is fits


@pytest.mark.parametrize(
    ("role", "group"),
    [
        ("patient", "active"),
        ("patient_after_doctor", "active"),
        ("shared", "collaborative"),
        ("doctor_after_patient", "passive"),
        ("doctor", "passive"),
    ],
)
def test_control_preferences_are_grouped_as_published(role, group):
    assert quality.role_group(role) == group


# --- the answers document, schema and FHIR ------------------------------------------------------


def test_earlier_documents_still_validate_and_new_fields_are_checked():
    import jsonschema

    schema = yaml.safe_load(ANSWERS_SCHEMA_FILE.read_text(encoding="utf-8"))
    for name in ("minimal", "red_flag", "typical_botox"):
        document = answers_file(name)
        jsonschema.validate(document, schema)
        assert guidance.validate(document, TODAY) == []
    jsonschema.validate(answers_file("typical_botox") | QUALITY, schema)
    assert guidance.validate(answers_file("typical_botox") | QUALITY, TODAY) == []
    wrong = {"knowledge": {"botox_repeats": "yes"}, "preferred_role": "boss"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(wrong, schema)
    problems = guidance.validate(wrong, TODAY)
    assert any(p.startswith("knowledge.botox_repeats") for p in problems)
    assert any(p.startswith("preferred_role") for p in problems)


def test_fhir_has_the_new_items_and_the_answers_come_back():
    questionnaire = load_questionnaire()
    canon = fhir.Canon.from_base("https://clinic.example/fhir/")
    resource = fhir.questionnaire(canon, questionnaire)
    text = str(resource)
    for link in ("knowledge", "preferred_role", "others_involved", "others_prefer", "pressure"):
        assert f"'linkId': '{link}'" in text, link
    answers = answers_file("typical_botox") | QUALITY
    response = fhir.questionnaire_response(
        canon, questionnaire, copy.deepcopy(answers), authored=AUTHORED
    )
    assert_valid(response)
    assert fhir.answers_from_response(canon, questionnaire, response, TODAY) == answers


# --- the pages ----------------------------------------------------------------------------------


def test_the_choices_page_comes_before_making_your_decision(patient):
    patient.start()
    steps = dict(NOTHING_TRIED)
    for step_id, data in NOTHING_TRIED:
        if step_id == "priorities":
            break
        response = patient.post_step(step_id, data)
    assert response.location == "/choices"
    page = patient.client.get("/choices").get_data(as_text=True)
    assert "Your choices, side by side" in page and "Making your decision" in page
    assert 'href="/step/priorities" id="choices-continue"' in page
    step = patient.client.get("/step/priorities").get_data(as_text=True)
    assert re.search(r'class="back-link" href="/choices"', step)
    # The leaning and SURE come after the table; then role, support and the knowledge check.
    assert patient.post_step("priorities", steps["priorities"]).location == "/step/sure"
    assert patient.post_step("sure", steps["sure"]).location == "/step/role"
    assert patient.post_step("role", {}).location == "/step/support"
    assert patient.post_step("support", {}).location == "/step/knowledge"
    knowledge = patient.client.get("/step/knowledge").get_data(as_text=True)
    assert "Check what you know" in knowledge and "Not sure" in knowledge
    # Optional: nothing answered, and the way on is open.
    assert patient.post_step("knowledge", {}).location == "/step/your_questions"


def test_answers_are_stored_and_the_summary_gives_feedback_with_links(patient):
    patient.start()
    for step_id, data in NOTHING_TRIED:
        patient.post_step(step_id, data)
    patient.post_step("role", {"preferred_role": "doctor"})
    patient.post_step("support", {"others_involved": ["friends"], "pressure": "yes"})
    form = {f"knowledge__{k}": v for k, v in QUALITY["knowledge"].items()}
    patient.post_step("knowledge", form)
    stored = patient.stored().answers
    assert stored["knowledge"] == QUALITY["knowledge"]
    assert stored["preferred_role"] == "doctor" and stored["pressure"] == "yes"
    assert patient.finish().location == "/summary"
    page = patient.client.get("/summary").get_data(as_text=True)
    feedback = page.split('id="knowledge-feedback"')[1]
    assert "You got 3 of 5 right." in feedback
    assert "You were not sure." in feedback and "Your answer is not right." in feedback
    assert 'href="#grid-helps"' in feedback and 'id="grid-helps"' in page


def test_the_clinician_pages_show_the_score_what_to_go_over_role_and_support(app):
    _token, submission = sent_summary(app, answers_file("typical_botox") | QUALITY)
    client = staff_client(app)
    page = client.get(f"/staff/summary/{submission.reference}").get_data(as_text=True)
    block = page.split('id="decision-quality"')[1].split("</dl>")[0]
    assert "3 of 5 right (60%)" in block
    assert (
        "Worth going over: MVD has a small chance of lasting hearing loss; tablets help few people"
        in block
    )
    assert "Prefers to decide together with the doctor" in block
    assert "Others involved: partner or family and a doctor or nurse" in block
    assert "feels pressured by others: no" in block


def test_pdf_page_one_shows_them_and_stays_one_page():
    answers = typical() | QUALITY
    pages = pages_text(render(answers))
    page1 = " ".join(pages[0].split())
    assert "Check what you know" in page1 and "3 of 5 right (60%)" in page1
    assert "Worth going over" in page1
    assert "Prefers to decide together with the doctor" in page1
    assert "For the consultation" in pages[1]  # page 1 did not run on
