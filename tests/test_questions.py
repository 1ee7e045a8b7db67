"""The question data: it loads, it covers the public answers format, and a mistake in a file stops
the app with a message that names the file and the field."""

import re
import shutil
from pathlib import Path

import pytest
from conftest import csrf_from

from decision_aid import create_app
from decision_aid.guidance.model import CHOICES, EDITION_1_ONLY, MULTI_CHOICES
from decision_aid.questions import STEPS_DIR, QuestionnaireError, load_questionnaire

ANSWERS_MD = Path(__file__).resolve().parents[1] / "docs" / "answers-format.md"


def answers_format_rows():
    """(ids, value tokens) for each row of the answers table in docs/answers-format.md."""
    text = ANSWERS_MD.read_text(encoding="utf-8")
    table = text.split("## Answers", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in table.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 2 or not cells[0].startswith("`"):
            continue
        ids = re.findall(r"`([a-z_0-9]+)`", cells[0])
        values = re.findall(r"`([a-z_0-9]+)`", cells[1])
        rows.append((ids, values))
    return rows


def test_answers_format_is_readable():
    rows = answers_format_rows()
    assert len(rows) > 30
    assert (["side"], ["left", "right", "both", "unsure"]) in rows


def test_question_data_covers_every_id_and_value_of_the_answers_format():
    questionnaire = load_questionnaire()
    missing = []
    for ids, values in answers_format_rows():
        for qid in ids:
            question = questionnaire.question(qid)
            if question is None:
                missing.append(f"question {qid}")
                continue
            known = {str(o.value) for o in question.options} | {i.id for i in question.items}
            if question.type in ("single", "multiple", "rating"):
                offered = [v for v in values if v not in EDITION_1_ONLY.get(qid, ())]
                missing += [f"{qid} value {v}" for v in offered if v not in known]
    assert missing == []


def test_the_documented_values_are_the_values_the_engine_accepts():
    documented = {qid: values for ids, values in answers_format_rows() for qid in ids}
    for field, choices in {**CHOICES, **MULTI_CHOICES}.items():
        assert documented[field] == list(choices), field


def test_edition_1_values_are_accepted_but_no_longer_offered():
    questionnaire = load_questionnaire()
    for qid, values in EDITION_1_ONLY.items():
        offered = {str(o.value) for o in questionnaire.question(qid).options}
        assert set(values) <= set(MULTI_CHOICES.get(qid, CHOICES.get(qid, ())))
        assert not set(values) & offered


def test_every_option_value_is_in_the_answers_format():
    """The other way round: the data may not invent values the public format lacks."""
    allowed = {qid: set(values) for ids, values in answers_format_rows() for qid in ids}
    for question in load_questionnaire().questions():
        if question.type in ("single", "multiple") and not question.ui_only:
            extra = {str(o.value) for o in question.options} - allowed[question.id]
            assert not extra, (question.id, extra)


def test_every_question_has_a_label():
    for question in load_questionnaire().questions():
        assert question.label.strip()


def copy_steps(tmp_path):
    target = tmp_path / "steps"
    shutil.copytree(STEPS_DIR, target)
    return target


@pytest.mark.parametrize(
    "file, find, replace, expected",
    [
        (
            "01_twitching.yaml",
            "type: single",
            "type: slider",
            "01_twitching.yaml: questions[0].type",
        ),
        ("06b_botox_effects.yaml", "min: 0\n", "min: lots\n", "questions[0].min"),
        (
            "01_twitching.yaml",
            "label: Which side",
            "lable: Which side",
            "questions[0].lable: not a field",
        ),
        ("03_symptoms.yaml", "exclusive: none", "exclusive: nobody", "questions[0].exclusive"),
        ("06_botox.yaml", "question: treatments", "question: treatment", "show_if.question"),
        ("04_diagnosis.yaml", "- id: mri", "- id: side", "questions[2].id"),
        ("11_sure.yaml", "- id: sure_of_choice", "- idx: sure_of_choice", "items[0].idx"),
        ("02_time.yaml", "course\n    type", "course\n  type", "02_time.yaml: not valid YAML"),
        ("02_time.yaml", "reveals: onset}", "reveals: side}", "onset_known.options.reveals"),
        (
            "01_twitching.yaml",
            "    short: Where it twitches now\n",
            "    ui_only: true\n",
            "questions[2].ui_only: not a field of a 'multiple' question",
        ),
        ("01_twitching.yaml", "short: Side", "short: [Side]", "questions[0].short: must be text"),
        ("03_symptoms.yaml", "scale: yes_no_unsure", "scale: yes_or_no", "questions[1].scale"),
        (
            "08_mvd.yaml",
            "partly: {short: helped in part}",
            "sometimes: {short: helped in part}",
            "questions[1].relabel.sometimes: not a value of the scale 'yes_partly_no'",
        ),
        (
            "07_medicines.yaml",
            "scale: yes_no\n",
            "scale: yes_no\n    options: [{value: x, label: X}]\n",
            "questions[1].scale: a question has either a scale or options",
        ),
        ("06_botox.yaml", "max: 200", "max: lots", "questions[0].max"),
        ("12_your_questions.yaml", "min: this_year-5", "min: last_year", "questions[0].min"),
        ("02_time.yaml", "    min: 1950\n", "", "questions[1].min: missing"),
        ("06_botox.yaml", "    max: 200\n", "", "questions[0].max: missing"),
        ("03_symptoms.yaml", "retired: true", "retired: yes please", "retired: must be true"),
        ("11_sure.yaml", "caption: Making your decision\n", "skippable: true\n", "skippable"),
    ],
)
def test_an_invalid_file_names_the_file_and_the_field(tmp_path, file, find, replace, expected):
    steps = copy_steps(tmp_path)
    path = steps / file
    text = path.read_text()
    assert find in text
    path.write_text(text.replace(find, replace, 1))
    with pytest.raises(QuestionnaireError) as error:
        load_questionnaire(steps)
    assert expected in str(error.value)


def test_the_app_does_not_start_with_invalid_questions(tmp_path, monkeypatch):
    steps = copy_steps(tmp_path)
    (steps / "05_treatments.yaml").write_text("id: treatments\ntitle: x\nquestions: []\n")
    monkeypatch.setattr("decision_aid.questions.STEPS_DIR", steps)
    monkeypatch.setattr(load_questionnaire, "__defaults__", (steps,))
    with pytest.raises(QuestionnaireError, match="05_treatments.yaml: questions"):
        create_app({"INSTANCE_PATH": str(tmp_path / "i")})


def test_branching_conditions():
    q = load_questionnaire()
    ids = lambda answers: [s.id for s in q.applicable_steps(answers)]  # noqa: E731
    assert "botox" not in ids({})
    assert "botox" in ids({"treatments": ["botox"]})
    assert {"medicines", "mvd"} <= set(ids({"treatments": ["medicines", "mvd"]}))
    pruned = q.prune({"treatments": ["none"], "botox_rounds": 3, "side": "left"})
    assert pruned == {"treatments": ["none"], "side": "left"}
    # A question asked only after certain answers: the eyelid-ripple question needs the eyelid
    # alone.
    eyelid_only = {"current_areas": ["eyelid"], "eyelid_ripple_only": "yes"}
    assert q.prune(eyelid_only) == eyelid_only
    assert q.prune(eyelid_only | {"current_areas": ["eyelid", "cheek"]}) == {
        "current_areas": ["eyelid", "cheek"]
    }


def test_every_required_question_has_its_own_error_message_and_a_short_label():
    for question in load_questionnaire().questions():
        assert question.short, question.id
        if question.required and question.type != "rating":
            assert question.error, question.id
        for item in question.items if question.required else ():
            assert item.error, (question.id, item.id)


def test_plain_words():
    """Issue 13: no "rounds", no "leaning", no "good and bad points", and month-year hints
    written as "March 2021"."""
    words = []
    for step in load_questionnaire().steps:
        for q in step.questions:
            words += [q.label, q.hint, *(o.label for o in q.options), *(i.label for i in q.items)]
            if q.type == "month_year":
                assert re.search(r"For example, [A-Z][a-z]+ \d{4}", q.hint), q.id
    text = " ".join(words).lower()
    for phrase in ("rounds", "leaning", "good and bad points", "good points", "bad points"):
        assert phrase not in text, phrase


def test_a_scale_gives_questions_the_same_values_and_each_its_own_words():
    questionnaire = load_questionnaire()
    in_sleep, bells_palsy = (
        questionnaire.question("in_sleep"),
        questionnaire.question("bells_palsy"),
    )
    recurred = questionnaire.question("mvd_recurred")
    assert in_sleep.accepted_values == bells_palsy.accepted_values == ("yes", "no", "unsure")
    assert recurred.accepted_values == ("yes", "no", "unsure")
    assert in_sleep.option_label("unsure") == "I don't know"  # relabelled for this question
    assert bells_palsy.option_label("unsure") == "I'm not sure"  # the scale's words
    assert in_sleep.short_label("unsure") == bells_palsy.short_label("unsure") == "not sure"
    assert recurred.short_label("yes") == "came back" and recurred.option_label("yes") == "Yes"


def test_a_retired_value_is_accepted_but_not_offered(client):
    """`hearing_balance` (edition 1): the engine and the schema accept it, the form does not
    offer it, and the clinician page has words for it."""
    question = load_questionnaire().question("red_flags")
    assert "hearing_balance" in question.accepted_values
    assert "hearing_balance" not in [o.value for o in question.options]
    assert question.short_label("hearing_balance") == (
        "hearing loss, ringing in the ear or poor balance"
    )
    client.post("/start", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    page = client.get("/step/symptoms").get_data(as_text=True)
    assert 'value="balance"' in page and 'value="hearing_balance"' not in page
