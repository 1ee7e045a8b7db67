"""The question-type registry: each `type` of the step YAML is one class in decision_aid.fields
and one template, templates/fields/<type>.html. A new type needs nothing else on the web side:
the last test adds one and answers it through the test client, with CSRF on."""

import re
from pathlib import Path

from conftest import csrf_from
from jinja2 import ChoiceLoader, DictLoader
from wtforms import StringField

from decision_aid import fields
from decision_aid.fhir.questionnaire import ITEM_TYPES
from decision_aid.fhir.response import VALUE_KEYS
from decision_aid.fields import QUESTION_TYPES, Invalid, QuestionType, field_name
from decision_aid.questions import TYPES, Question, Questionnaire, Step

FIELD_TEMPLATES = Path(fields.__file__).parent.parent / "templates" / "fields"


def test_every_type_the_loader_accepts_has_one_class_and_one_template():
    templates = {path.stem for path in FIELD_TEMPLATES.glob("*.html")}
    assert set(QUESTION_TYPES) == set(TYPES)
    assert templates == set(TYPES)
    for name, cls in QUESTION_TYPES.items():
        assert cls.name == name
        assert (FIELD_TEMPLATES.parent / cls(None).template).is_file()


def test_the_fhir_export_maps_every_type():
    """FHIR keeps its own table of item types and answer elements: a new type needs a row in
    each, or the export would fail on the first questionnaire that uses it."""
    assert set(ITEM_TYPES) == set(QUESTION_TYPES)
    assert set(VALUE_KEYS) == set(QUESTION_TYPES)


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


def test_a_new_type_is_one_class_and_one_template(app, client, monkeypatch):
    monkeypatch.setitem(QUESTION_TYPES, "initials", Initials)
    app.jinja_env.loader = ChoiceLoader(
        [DictLoader({"fields/initials.html": INITIALS_TEMPLATE}), app.jinja_env.loader]
    )
    question = Question(id="initials", type="initials", label="Your initials", required=True)
    step = Step(id="initials", title="Initials", questions=(question,), file="test")
    app.extensions["questionnaire"] = Questionnaire((step,))

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
