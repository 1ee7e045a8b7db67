"""Property: whatever a person types, an answer the forms accept is an answer the guidance
engine accepts. The two validate the same public format from two sides; this keeps them in step."""

from conftest import TODAY
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from decision_aid.fields.forms import check_step, field_name, form_class_for
from decision_aid.guidance import validate
from decision_aid.questions import load_questionnaire

QUESTIONNAIRE = load_questionnaire()
NUMBERS = st.one_of(
    st.integers(0, 60).map(str),
    st.integers(1940, 2030).map(str),
    st.sampled_from(["", " 7 ", "x", "-1", "3.5", "mar", "March", "²", "１２", "9" * 5000]),
    st.text(max_size=8),
)
TEXT = st.text(max_size=30)


def inputs_for(question):
    """Form fields -> strategies of what someone might send for them."""
    values = [str(o.value) for o in question.options]
    qid, qtype = question.id, question.type
    if qtype == "single":
        radio = {qid: st.lists(st.sampled_from(values + [""]), min_size=1, max_size=1)}
        if question.revealed_ids:  # which follow-up the page said was on screen
            radio[field_name(qid, "shown")] = st.lists(st.sampled_from(values + [""]), max_size=1)
        return radio
    if qtype == "multiple":
        return {qid: st.lists(st.sampled_from(values), min_size=1, max_size=3)}
    if qtype in ("month_year", "date"):
        parts = ("day", "month", "year") if qtype == "date" else ("month", "year")
        return {field_name(qid, p): st.lists(NUMBERS, max_size=1) for p in parts}
    if qtype == "ago":
        return {
            field_name(qid, "amount"): st.lists(NUMBERS, max_size=1),
            field_name(qid, "unit"): st.lists(st.sampled_from(values), max_size=1),
        }
    if qtype in ("number",):
        return {qid: st.lists(NUMBERS, max_size=1)}
    if qtype in ("text", "textarea", "time"):
        return {qid: st.lists(TEXT, max_size=1)}
    if qtype == "rating":
        return {
            field_name(qid, item.id): st.lists(st.sampled_from(values), min_size=1, max_size=1)
            for item in question.items
        }
    return {
        field_name(qid, "common"): st.lists(st.sampled_from(values), max_size=3),
        field_name(qid, "own"): st.lists(st.text(max_size=60), max_size=1),
    }


def step_data(step):
    fields = {}
    for question in step.questions:
        fields.update(inputs_for(question))
    return st.fixed_dictionaries(fields)


ALL_STEPS = st.tuples(*[step_data(step) for step in QUESTIONNAIRE.steps])


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ALL_STEPS)
def test_answers_the_forms_accept_are_valid_for_the_guidance_engine(app, posted):
    answers = {}
    with app.test_request_context():
        for step, data in zip(QUESTIONNAIRE.steps, posted, strict=True):
            form = form_class_for(step)(
                formdata=MultiDict([(k, v) for k, values in data.items() for v in values]),
                meta={"csrf": False},
            )
            step_answers, errors, complete = check_step(step, form, TODAY, answers)
            if complete and not errors:
                answers.update(step_answers)
    answers = QUESTIONNAIRE.prune(answers)
    assert validate(answers, TODAY) == []
    event(f"{len(answers) // 10 * 10}+ answers")
