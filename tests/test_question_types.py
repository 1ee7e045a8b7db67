"""The question-type registry: each `type` of the step YAML is one entry of
decision_aid/questions/types.py (its YAML keys, the check of a stored value, its JSON Schema and
its FHIR mapping), one widget class in decision_aid.fields and one template,
templates/fields/<type>.html. A new type needs nothing else: the last test adds one, loads it
from a step file, answers it through the test client with CSRF on, and finds it in the schema,
the engine's check and the FHIR export."""

import datetime
import re
from pathlib import Path

from conftest import csrf_from
from jinja2 import ChoiceLoader, DictLoader
from wtforms import StringField

from decision_aid import fhir, fields
from decision_aid.fields import QUESTION_TYPES, Invalid, QuestionType, field_name
from decision_aid.questions import TYPES, Questionnaire, load_questionnaire
from decision_aid.questions.types import ANSWER_TYPES, AnswerType, got
from decision_aid.schema import answers_schema

FIELD_TEMPLATES = Path(fields.__file__).parent.parent / "templates" / "fields"


def test_every_type_the_loader_accepts_has_one_class_and_one_template():
    templates = {path.stem for path in FIELD_TEMPLATES.glob("*.html")}
    assert set(QUESTION_TYPES) == set(TYPES)
    assert templates == set(TYPES)
    for name, cls in QUESTION_TYPES.items():
        assert cls.name == name
        assert (FIELD_TEMPLATES.parent / cls(None).template).is_file()


def test_every_type_has_one_registry_entry_and_one_widget():
    """The loader, the engine's check, the schema and FHIR all read questions/types.py."""
    assert TYPES is ANSWER_TYPES and set(ANSWER_TYPES) == set(QUESTION_TYPES)
    for name, answer_type in ANSWER_TYPES.items():
        assert answer_type.name == name and answer_type.fhir_value.startswith("value")


def test_the_step_pages_have_no_branches_on_the_question_type():
    """The macros include the question's template; no page asks which type it is drawing."""
    templates = FIELD_TEMPLATES.parent
    for path in [templates / "_macros.html", *FIELD_TEMPLATES.glob("*.html")]:
        assert not re.search(r"\.type\b", path.read_text(encoding="utf-8")), path.name


class Initials(QuestionType):
    """A made-up type for the test: up to three letters, stored in capitals."""

    name = "initials"

    def fields(self):
        return [(field_name(self.q.id, "letters"), StringField())]

    def initial(self, value):
        return {field_name(self.q.id, "letters"): value}

    def parse(self, form, today):
        text = (form[field_name(self.q.id, "letters")].data or "").strip()
        if not re.fullmatch(r"[A-Za-z]{1,3}", text):
            raise Invalid("Enter one to three letters, like AB")
        return text.upper()

    def anchor(self, part=None):
        return field_name(self.q.id, "letters")

    def display(self, value):
        return [". ".join(value) + "."]


INITIALS_TEMPLATE = """\
{% set letters = form[field_name(q.id, 'letters')] %}
<label for="{{ letters.name }}">{{ q.label }}</label>
{% if error %}<p class="error-message">{{ error.message }}</p>{% endif %}
<input id="{{ letters.name }}" name="{{ letters.name }}" value="{{ letters.data or '' }}">
"""


def _check_initials(q, name, value, today):
    if isinstance(value, str) and re.fullmatch(r"[A-Z]{1,3}", value):
        return []
    return [f"{name}: must be one to three capital letters{got(value)}"]


# The made-up type's entry in the registry: its YAML keys, stored-value check, schema and FHIR.
INITIALS = AnswerType(
    "initials",
    frozenset({"max_length"}),
    _check_initials,
    lambda q: {"type": ["string", "null"], "pattern": "^[A-Z]{1,3}$"},
    "string",
    "valueString",
)
INITIALS_STEP = """id: initials
title: Initials
questions:
  - id: initials
    type: initials
    label: Your initials
    required: true
    max_length: 3
"""


def test_a_new_type_is_one_registry_entry_one_class_and_one_template(
    app, client, monkeypatch, tmp_path
):
    monkeypatch.setitem(ANSWER_TYPES, "initials", INITIALS)
    monkeypatch.setitem(QUESTION_TYPES, "initials", Initials)
    app.jinja_env.loader = ChoiceLoader(
        [DictLoader({"fields/initials.html": INITIALS_TEMPLATE}), app.jinja_env.loader]
    )
    (tmp_path / "01_initials.yaml").write_text(INITIALS_STEP, encoding="utf-8")
    loaded = load_questionnaire(tmp_path)
    [question] = loaded.stored_questions()
    assert (question.type, question.max_length) == ("initials", 3)
    app.extensions["questionnaire"] = Questionnaire(loaded.steps)

    schema = answers_schema(loaded)["properties"]["initials"]
    assert schema["pattern"] == "^[A-Z]{1,3}$" and schema["description"] == "Your initials."
    assert INITIALS.check(question, "initials", "ab", None) == [
        "initials: must be one to three capital letters (got 'ab')"
    ]
    canon = fhir.Canon.from_base()
    [group] = fhir.questionnaire(canon, loaded)["item"]
    assert group["item"][0]["type"] == "string"
    moment = datetime.datetime(2026, 11, 25, 10, tzinfo=datetime.UTC)
    response = fhir.questionnaire_response(canon, loaded, {"initials": "ZL"}, authored=moment)
    assert response["item"][0]["item"][0]["answer"] == [{"valueString": "ZL"}]

    start = client.post("/start", data={"csrf_token": csrf_from(client.get("/").text)})
    assert start.location == "/step/initials"
    page = client.get("/step/initials").text
    assert '<label for="initials__letters">Your initials</label>' in page

    token = csrf_from(page)
    wrong = client.post("/step/initials", data={"csrf_token": token, "initials__letters": "a1"})
    assert wrong.status_code == 200
    assert '<a href="#initials__letters">Enter one to three letters, like AB</a>' in wrong.text
    assert '<p class="error-message">Enter one to three letters, like AB</p>' in wrong.text
    assert 'value="a1"' in wrong.text

    right = client.post("/step/initials", data={"csrf_token": token, "initials__letters": "zl"})
    assert right.location == "/check"
    assert 'value="ZL"' in client.get("/step/initials").text
    check = client.get("/check").text
    assert re.search(r"Your initials</dt>\s*<dd[^>]*>\s*<span[^>]*>Z\. L\.</span>", check)
