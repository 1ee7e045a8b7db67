"""FHIR R4 (issue 16): the Questionnaire and CodeSystem generated from the question data, the
QuestionnaireResponse export and import, and the `decision-aid fhir` commands. Every resource is
checked by HL7's JSON Schema, by fhir.resources (R4B) and by our SDC rules (tests/fhir_support.py).
Nothing here names a question or a value the question data could change: they are read from the
loaded questionnaire and the answers format."""

import copy
import datetime
import json
import shutil

import pytest
import yaml
from clinic_support import answers_file
from conftest import TODAY
from fhir_support import assert_valid, sdc_problems

from decision_aid import fhir
from decision_aid.cli import main as cli
from decision_aid.fhir.questionnaire import answer_codes
from decision_aid.guidance.content import load
from decision_aid.guidance.model import CHOICES, MULTI_CHOICES
from decision_aid.questions import STEPS_DIR, load_questionnaire

AUTHORED = datetime.datetime(2026, 11, 25, 9, 30, tzinfo=datetime.UTC)
QUESTIONNAIRE = load_questionnaire()
CANON = fhir.Canon.from_base("https://clinic.example/fhir/")
EXAMPLES = ["minimal", "red_flag", "typical_botox"]
# The FHIR item type of each of our question types (docs/fhir.md).
EXPECTED_TYPES = {
    "single": "choice",
    "multiple": "choice",
    "month_year": "date",
    "date": "date",
    "time": "time",
    "ago": "quantity",
    "number": "integer",
    "text": "string",
    "textarea": "text",
    "question_list": "open-choice",
    "rating": "group",
}


def exported():
    return fhir.questionnaire(CANON, QUESTIONNAIRE)


def walk(items, depth=0):
    for item in items:
        yield item, depth
        yield from walk(item.get("item", []), depth + 1)


def items_by_link(resource):
    return {item["linkId"]: item for item, _ in walk(resource["item"])}


def response_for(answers, **kwargs):
    return fhir.questionnaire_response(CANON, QUESTIONNAIRE, answers, authored=AUTHORED, **kwargs)


# --- the Questionnaire -------------------------------------------------------------------------


def test_the_questionnaire_and_codesystem_pass_both_validators_and_the_sdc_rules():
    questionnaire = exported()
    assert_valid(questionnaire)
    assert sdc_problems(questionnaire) == []
    assert_valid(fhir.codesystem(CANON, QUESTIONNAIRE))


def test_url_and_version_come_from_the_configuration_and_the_content_version():
    questionnaire = exported()
    assert questionnaire["url"] == "https://clinic.example/fhir/Questionnaire/hfs-decision-aid"
    assert questionnaire["version"] == str(load("provenance")["content_version"])
    assert questionnaire["status"] == "active"


def test_one_group_per_step_and_one_item_per_question_with_the_answer_id():
    questionnaire = exported()
    assert [g["linkId"] for g in questionnaire["item"]] == [
        f"step-{step.id}" for step in QUESTIONNAIRE.steps
    ]
    for group, step in zip(questionnaire["item"], QUESTIONNAIRE.steps, strict=True):
        assert group["type"] == "group" and group["text"] == step.title
        asked = [q.id for q in step.questions if not q.ui_only]  # page-only helpers: no item
        assert [item["linkId"] for item in group["item"]] == asked


ANSWERED = [q for q in QUESTIONNAIRE.questions() if not q.ui_only]


@pytest.mark.parametrize("question", ANSWERED, ids=lambda q: q.id)
def test_each_item_carries_the_type_and_the_flags_of_its_question(question):
    item = items_by_link(exported())[question.id]
    assert item["type"] == EXPECTED_TYPES[question.type]
    assert item["text"] == question.label
    # "Exactly these ticked" is exported more widely (each of them ticked), so not required.
    narrower = bool(question.show_if) and isinstance(question.show_if.get("equals"), list)
    assert item.get("required", False) is (question.required and not narrower)
    if question.type == "rating":
        rows = item["item"]
        assert [row["linkId"] for row in rows] == [f"{question.id}.{r.id}" for r in question.items]
        assert all(row["type"] == "choice" and row["repeats"] is False for row in rows)
        return
    assert item["repeats"] is (question.type in ("multiple", "question_list"))
    if question.max_length and question.type in ("text", "textarea", "question_list"):
        assert item["maxLength"] == question.max_length
    else:
        assert "maxLength" not in item


@pytest.mark.parametrize(
    "question",
    [q for q in ANSWERED if q.type in ("single", "multiple", "rating")],
    ids=lambda q: q.id,
)
def test_answer_options_are_codes_of_our_codesystem_for_every_value_the_format_accepts(question):
    item = items_by_link(exported())[question.id]
    item = item["item"][0] if question.type == "rating" else item
    codings = [option["valueCoding"] for option in item["answerOption"]]
    assert {c["system"] for c in codings} == {CANON.codesystem_url}
    offered = [o.value for o in question.options if o.value != ""]
    accepted = CHOICES.get(question.id) or MULTI_CHOICES.get(question.id) or ()
    values = offered + [v for v in accepted if v not in offered]
    assert [c["code"] for c in codings] == [f"{question.id}.{v}" for v in values]
    labels = {o.value: o.label for o in question.options}
    for coding, value in zip(codings, values, strict=True):
        if value in labels:
            assert coding["display"] == labels[value]
    concepts = {
        child["code"]: child["display"]
        for parent in fhir.codesystem(CANON, QUESTIONNAIRE)["concept"]
        for child in parent["concept"]
    }
    assert all(concepts[c["code"]] == c["display"] for c in codings)


def test_an_exclusive_option_is_marked_so():
    for question in QUESTIONNAIRE.questions():
        if question.exclusive is None:
            continue
        item = items_by_link(exported())[question.id]
        marked = [
            o["valueCoding"]["code"]
            for o in item["answerOption"]
            if any(
                e["url"].endswith("questionnaire-optionExclusive") for e in o.get("extension", [])
            )
        ]
        assert marked == [f"{question.id}.{question.exclusive}"]


def test_branching_conditions_become_enable_when_on_earlier_items():
    questionnaire = exported()
    by_link = items_by_link(questionnaire)
    branched = [s for s in QUESTIONNAIRE.steps if s.show_if]
    assert branched, "the question data has branching steps"
    for step in branched:
        group = by_link[f"step-{step.id}"]
        condition = step.show_if
        values = condition.get("in") or [condition.get("equals", condition.get("contains"))]
        assert [w["question"] for w in group["enableWhen"]] == [condition["question"]] * len(values)
        assert [w["answerCoding"]["code"] for w in group["enableWhen"]] == [
            f"{condition['question']}.{v}" for v in values
        ]
        assert all(w["operator"] == "=" for w in group["enableWhen"])


def test_month_year_is_a_date_and_how_long_ago_a_quantity_in_ucum_units():
    by_link = items_by_link(exported())
    for question in QUESTIONNAIRE.questions():
        if question.type == "ago":
            units = [
                e["valueCoding"]["code"]
                for e in by_link[question.id]["extension"]
                if e["url"].endswith("questionnaire-unitOption")
            ]
            assert units == ["wk", "mo", "a"]
        if question.type == "month_year":
            assert by_link[question.id]["type"] == "date"


def test_a_value_the_form_no_longer_offers_stays_a_retired_code(tmp_path):
    """As when `hearing_balance` left the form but stays valid in documents (`retired: true` in
    the step YAML): the code stays an answerOption (so older answers remain valid responses) and
    is retired in the CodeSystem."""
    question = next(
        q
        for q in QUESTIONNAIRE.questions()
        if q.id in MULTI_CHOICES and not any(retired for *_, retired in answer_codes(q))
    )
    dropped = next(o.value for o in question.options if o.value != question.exclusive)
    steps = tmp_path / "steps"
    shutil.copytree(STEPS_DIR, steps)
    for path in steps.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for raw in data["questions"]:
            if raw["id"] == question.id:
                raw["options"] = [
                    o | {"retired": True} if o["value"] == dropped else o for o in raw["options"]
                ]
                path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    changed = load_questionnaire(steps)
    assert dropped not in [o.value for o in changed.question(question.id).options]
    codes = answer_codes(changed.question(question.id))
    assert [code for code in codes if code[2]] == [(dropped, codes[-1][1], True)]
    codesystem = fhir.codesystem(CANON, changed)
    assert_valid(codesystem)
    retired = [
        child["code"]
        for parent in codesystem["concept"]
        for child in parent["concept"]
        if child.get("property") == [{"code": "status", "valueCode": "retired"}]
    ]
    assert f"{question.id}.{dropped}" in retired
    answers = copy.deepcopy(answers_file("typical_botox")) | {question.id: [dropped]}
    response = fhir.questionnaire_response(CANON, changed, answers, authored=AUTHORED)
    assert sdc_problems(fhir.questionnaire(CANON, changed), response, required=False) == []
    assert fhir.answers_from_response(CANON, changed, response, TODAY)[question.id] == [dropped]


# --- the QuestionnaireResponse -----------------------------------------------------------------


@pytest.mark.parametrize("name", EXAMPLES)
def test_example_answers_become_valid_responses_and_come_back_unchanged(name):
    answers = answers_file(name)
    response = response_for(answers, reference="ABCD-EFGH", resource_id="ABCDEFGH")
    assert_valid(response)
    assert sdc_problems(exported(), response, required=False) == []
    assert response["status"] == "completed"
    assert response["questionnaire"] == f"{CANON.questionnaire_url}|{CANON.version}"
    assert response["authored"] == "2026-11-25T09:30:00Z"
    assert response["identifier"] == {"system": CANON.reference_system, "value": "ABCD-EFGH"}
    assert fhir.answers_from_response(CANON, QUESTIONNAIRE, response, TODAY) == answers


def test_name_and_date_of_birth_go_in_as_a_contained_patient():
    answers = answers_file("typical_botox") | {
        "name": "Zoë Ångström",
        "date_of_birth": "1956-02-07",
    }
    response = response_for(answers)
    assert response["contained"] == [
        {
            "resourceType": "Patient",
            "id": "patient",
            "name": [{"text": "Zoë Ångström"}],
            "birthDate": "1956-02-07",
        }
    ]
    assert response["subject"] == {"reference": "#patient"}
    assert_valid(response)
    anonymous = response_for(answers_file("minimal"))
    assert "contained" not in anonymous and "subject" not in anonymous


def test_answers_to_skipped_questions_and_unknown_fields_are_left_out():
    answers = answers_file("minimal") | {"botox_rounds": 4, "treatments": ["none"], "x": 1}
    response = response_for(answers)
    assert "botox_rounds" not in items_by_link(response)
    back = fhir.answers_from_response(CANON, QUESTIONNAIRE, response, TODAY)
    assert back == fhir.canonical_answers(QUESTIONNAIRE, answers)
    assert "botox_rounds" not in back and "x" not in back


def test_a_month_year_answer_is_a_partial_date_and_how_long_ago_a_quantity():
    response = response_for({"onset": "2019", "onset_ago": {"amount": 3, "unit": "weeks"}})
    by_link = items_by_link(response)
    assert by_link["onset"]["answer"] == [{"valueDate": "2019"}]
    assert by_link["onset_ago"]["answer"] == [
        {
            "valueQuantity": {
                "value": 3,
                "unit": "weeks",
                "system": "http://unitsofmeasure.org",
                "code": "wk",
            }
        }
    ]
    assert_valid(response)


# --- import: what is refused -------------------------------------------------------------------


def refused(resource):
    with pytest.raises(fhir.ImportProblems) as caught:
        fhir.answers_from_response(CANON, QUESTIONNAIRE, resource, TODAY)
    issues = caught.value.issues
    assert_valid(fhir.operation_outcome(issues))
    return issues


def test_a_response_to_another_questionnaire_is_refused():
    response = response_for(answers_file("minimal"))
    response["questionnaire"] = "http://example.org/Questionnaire/phq-9|1.0"
    [issue] = refused(response)
    assert issue["code"] == "not-supported" and "another questionnaire" in issue["diagnostics"]
    del response["questionnaire"]
    assert refused(response)[0]["code"] == "required"
    assert refused({"resourceType": "Patient"})[0]["code"] == "structure"


def coded_items(response):
    """(group index, item index, item) of each answer item whose first answer is a Coding."""
    return [
        (g, i, item)
        for g, group in enumerate(response["item"])
        for i, item in enumerate(group["item"])
        if "valueCoding" in item.get("answer", [{}])[0]
    ]


def test_unknown_link_ids_and_codes_each_give_one_issue_with_where():
    response = response_for(answers_file("typical_botox"))
    (g, i, first), *_, (_g, _i, last) = coded_items(response)
    first["answer"][0]["valueCoding"]["code"] = f"{first['linkId']}.purple"
    last["answer"] = [{"valueString": "a string where a code belongs"}]
    response["item"][0]["item"].insert(0, {"linkId": "favourite_colour", "answer": []})
    issues = refused(response)
    assert [i["code"] for i in issues] == ["not-found", "code-invalid", "invalid"]
    assert "favourite_colour" in issues[0]["diagnostics"]
    where = f"QuestionnaireResponse.item[{g}].item[{i + (g == 0)}].answer[0].valueCoding"
    assert issues[1]["expression"] == [where]
    assert f"{first['linkId']}.purple" in issues[1]["diagnostics"]
    assert issues[2]["diagnostics"] == f"{last['linkId']}: the answer must be a valueCoding"


def test_a_code_from_another_system_and_values_the_format_refuses_are_problems():
    response = response_for(answers_file("typical_botox"))
    coded_items(response)[0][2]["answer"][0]["valueCoding"]["system"] = "http://snomed.info/sct"
    assert refused(response)[0]["code"] == "code-invalid"
    dated = response_for({"onset": "2019-03"})
    items_by_link(dated)["onset"]["answer"] = [{"valueDate": "2999-01"}]
    [issue] = refused(dated)
    assert issue["diagnostics"].startswith("onset: is in the future")


# --- the commands ------------------------------------------------------------------------------


def run(capsys, argv):
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_fhir_commands_print_the_questionnaire_and_codesystem(monkeypatch, capsys):
    monkeypatch.setenv("FHIR_BASE_URL", "https://records.example/fhir")
    code, out, _ = run(capsys, ["fhir", "questionnaire"])
    questionnaire = json.loads(out)
    assert code == 0 and questionnaire["url"].startswith("https://records.example/fhir/")
    assert_valid(questionnaire)
    code, out, _ = run(capsys, ["fhir", "codesystem"])
    assert code == 0 and json.loads(out)["url"].startswith("https://records.example/fhir/")


def test_response_and_import_commands_round_trip(tmp_path, capsys):
    source = tmp_path / "answers.json"
    source.write_text(json.dumps(answers_file("typical_botox")), encoding="utf-8")
    code, out, _ = run(
        capsys,
        ["fhir", "response", str(source), "--authored", "2026-11-25T09:30:00Z",
         "--reference", "ABCD-EFGH", "--today", TODAY.isoformat()],
    )  # fmt: skip
    assert code == 0
    response = json.loads(out)
    assert_valid(response)
    assert response["authored"] == "2026-11-25T09:30:00Z"
    saved = tmp_path / "response.json"
    saved.write_text(out, encoding="utf-8")
    back = tmp_path / "back.json"
    code, _, _ = run(
        capsys, ["fhir", "import", str(saved), "-o", str(back), "--today", TODAY.isoformat()]
    )
    assert code == 0
    assert json.loads(back.read_text(encoding="utf-8")) == answers_file("typical_botox")


def test_commands_refuse_bad_input_with_one_line_per_problem(tmp_path, capsys):
    bad_answers = tmp_path / "bad.json"
    bad_answers.write_text(json.dumps({"side": "middle", "mri": 3}), encoding="utf-8")
    code, out, err = run(capsys, ["fhir", "response", str(bad_answers)])
    assert code == 2 and out == "" and len(err.splitlines()) == 2
    response = response_for(answers_file("typical_botox"))
    response["questionnaire"] = "http://example.org/Questionnaire/other"
    bad_response = tmp_path / "other.json"
    bad_response.write_text(json.dumps(response), encoding="utf-8")
    code, out, err = run(capsys, ["fhir", "import", str(bad_response), "-o", "-"])
    assert code == 2 and out == ""
    assert err.startswith("error [not-supported] QuestionnaireResponse.questionnaire: ")
    assert "Traceback" not in err
