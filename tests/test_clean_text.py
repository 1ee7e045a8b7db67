"""Free text without NUL, control or bidirectional override characters (issue 15): every free-text
field of the questionnaire drops them, tells the person, and keeps the rest of what they typed;
stored answers are then readable by PostgreSQL's `jsonb`; revision 0007 cleans what was stored
before."""

import json

import pytest
from conftest import TEST_DATABASE_URL, Patient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text
from test_wizard import LONG_BOTOX, walk

from decision_aid.questions import condition_holds
from decision_aid.store import Store, current_revision, get_store, hash_token, upgrade
from decision_aid.store.migrations import head_revision
from decision_aid.text.clean import CHANGED_MESSAGE, UNSAFE, clean, clean_value

HIDDEN = "\x00\u202e\u2066\x07\x1b\x7f\x85"
FREE_TEXT = ("text", "textarea", "question_list")


def test_clean_takes_out_hidden_characters_and_keeps_the_rest():
    assert clean("Zo\x00ë\u202e Å\u2069ngström") == ("Zoë Ångström", True)
    assert clean("two\r\nlines\tand a tab") == ("two\nlines\tand a tab", False)
    assert clean("old mac\rline") == ("old mac\nline", False)
    assert clean_value({"a": ["x\x00", 3, {"b": "\u202ey"}]}) == {"a": ["x", 3, {"b": "y"}]}


@given(st.text())
def test_cleaned_text_has_no_hidden_character_and_cleans_to_itself(typed):
    cleaned, _changed = clean(typed)
    assert not UNSAFE.search(cleaned) and "\r" not in cleaned
    assert clean(cleaned) == (cleaned, False)
    kept = iter(typed.replace("\r\n", "\n").replace("\r", "\n"))
    assert all(char in kept for char in cleaned)  # only taken out, never changed or added


def free_text_questions(questionnaire):
    for step in questionnaire.steps:
        for question in step.questions:
            if question.type in FREE_TEXT:
                yield step, question


def field_for(question):
    return f"{question.id}__own" if question.type == "question_list" else question.id


def test_every_free_text_field_drops_hidden_characters_and_says_so(app, patient):
    questionnaire = app.extensions["questionnaire"]
    questions = list(free_text_questions(questionnaire))
    assert {q.id for _step, q in questions} >= {"name", "clinic", "patient_questions"}
    patient.start()
    for step, question in questions:
        assert condition_holds(step.show_if, {}), f"{step.id}: reach it with answers first"
        field = field_for(question)
        reply = patient.post_step(step.id, {field: f"Ask{HIDDEN} about\r\nit"})
        assert reply.status_code == 200, (question.id, reply.status_code)
        page = reply.get_data(as_text=True)
        assert page.count(CHANGED_MESSAGE) == 2, question.id  # at the field and at the top
        assert "\x00" not in page and "\u202e" not in page and "\u2066" not in page
        assert "Ask about" in page, question.id  # the rest of what was typed is kept


def test_what_was_kept_is_saved_clean(app, patient):
    steps = dict(LONG_BOTOX)
    dirty = {
        "your_questions": {"patient_questions__own": "Is MVD\u202e safe?\r\nHow long\x00?"},
        "about_you": {"name": "Zo\x00ë \u2067Ångström"},
    }
    walk_steps = [(s, dict(d, **dirty.get(s, {}))) for s, d in steps.items()]
    patient.start()
    for step_id, data in walk_steps:
        reply = patient.post_step(step_id, data)
        if step_id in dirty:
            assert reply.status_code == 200
            assert CHANGED_MESSAGE in reply.get_data(as_text=True)
            reply = patient.post_step(
                step_id, {**data, **{k: clean(v)[0] for k, v in dirty[step_id].items()}}
            )
        assert reply.status_code == 302, step_id
    stored = patient.stored().answers
    assert stored["name"] == "Zoë Ångström"
    assert stored["patient_questions"][-2:] == ["Is MVD safe?", "How long?"]


@pytest.mark.skipif(not TEST_DATABASE_URL, reason="PostgreSQL only (make test-postgres)")
def test_postgres_jsonb_reads_every_stored_answer(app):
    patient = Patient(app, app.test_client())
    walk(patient, LONG_BOTOX)
    with get_store(app).engine.connect() as conn:
        names = conn.execute(text("SELECT answers::jsonb ->> 'name' FROM responses")).scalars()
        assert list(names) == ["Zoë Ångström"]


def test_revision_7_cleans_answers_stored_before(tmp_path):
    store = Store(TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'old.sqlite3'}")
    if TEST_DATABASE_URL:
        from test_migrations import _drop_everything

        _drop_everything(store.engine)
    upgrade(store.engine, "0006")
    answers = {"name": "Ann\u0000 Lee\u202e", "patient_questions": ["Why\x1b?"], "side": "left"}
    with store.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO responses (token_hash, reference, answers, sent_answers, "
                "completed_steps, created_at, updated_at) VALUES (:hash, 'ABCDEFGH', :answers, "
                ":answers, '[]', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"hash": hash_token("old"), "answers": json.dumps(answers)},
        )
    store.upgrade()
    assert current_revision(store.engine) == head_revision()
    cleaned = {"name": "Ann Lee", "patient_questions": ["Why?"], "side": "left"}
    loaded = store.load("old")
    assert loaded.answers == cleaned and loaded.sent_answers == cleaned
    store.engine.dispose()
