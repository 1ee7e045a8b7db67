"""Hypothesis strategies for answers documents, drawn from the questionnaire itself (each
question's type, values and bounds), so new questions and values are covered as they are
added."""

import datetime

from hypothesis import strategies as st

from decision_aid.guidance.model import QUESTIONS

SHORT_TEXT = st.text(max_size=40)
DAYS = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2100, 12, 31))


def multi(choices, exclusive="none"):
    """A list of distinct choices, or the exclusive one on its own."""
    others = [choice for choice in choices if choice != exclusive]
    lists = st.lists(st.sampled_from(others), unique=True, max_size=len(others))
    return st.one_of(lists, st.just([exclusive])) if exclusive in choices else lists


def _dates(question, today):
    low, high = question.bounds(today)
    latest = today if question.past or question.type == "month_year" else None
    return st.dates(
        min_value=datetime.date(low, 1, 1), max_value=latest or datetime.date(high, 12, 31)
    )


def _month_year(question, today):
    months = _dates(question, today).map(lambda day: day.strftime("%Y-%m"))
    if question.month_required:
        return months
    return st.one_of(months, _dates(question, today).map(lambda day: str(day.year)))


def _ago(question):
    return st.sampled_from(question.accepted_values).flatmap(
        lambda unit: st.fixed_dictionaries(
            {
                "amount": st.integers(question.min, question.amount_max(unit)),
                "unit": st.just(unit),
            }
        )
    )


def _rating(question):
    answer = st.sampled_from(question.accepted_values) | st.none()
    return st.fixed_dictionaries({}, optional={item.id: answer for item in question.items})


def answer(question, today, text):
    """A strategy of valid answers to one question on `today`."""
    kind = question.type
    limited = text.filter(lambda words: len(words) <= (question.max_length or len(words)))
    if kind == "single":
        return st.sampled_from(question.accepted_values)
    if kind == "multiple":
        return multi(question.accepted_values, question.exclusive)
    if kind == "number":
        return st.integers(*question.bounds(today))
    if kind == "month_year":
        return _month_year(question, today)
    if kind == "ago":
        return _ago(question)
    if kind == "date":
        return _dates(question, today).map(datetime.date.isoformat)
    if kind == "time":
        return st.builds("{:02d}:{:02d}".format, st.integers(0, 23), st.integers(0, 59))
    if kind == "rating":
        return _rating(question)
    if kind == "question_list":
        return st.lists(limited, max_size=question.max_items)
    return limited  # text, textarea


@st.composite
def valid_documents(draw, text=SHORT_TEXT):
    """(answers, today): any valid answers document, empty answers and unknown fields included."""
    today = draw(DAYS)
    optional = {qid: answer(q, today, text) for qid, q in QUESTIONS.items()}
    optional["an_unknown_field"] = st.one_of(st.none(), st.integers(), st.text(max_size=10))
    return draw(st.fixed_dictionaries({}, optional=optional)), today
