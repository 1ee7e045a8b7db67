"""The question types: one class per `type` of the step YAML, and one template per type,
`templates/fields/<type>.html`. A new type is a class in this package, added to QUESTION_TYPES,
and its template (the loader, `decision_aid.questions`, lists the YAML keys a type may have).

forms.py builds and checks the forms through these classes, the wizard shows answers in words
through them, and `_macros.html` includes each question's template. The FHIR export keeps its
own table per type (`fhir/questionnaire.py` ITEM_TYPES, `fhir/response.py` VALUE_KEYS)."""

from decision_aid.fields.base import Invalid, InvalidRows, QuestionType, field_name, join_label
from decision_aid.fields.choices import Multiple, QuestionList, Rating, Single
from decision_aid.fields.dates import Ago, Date, MonthYear, Time
from decision_aid.fields.text import Number, Text, TextArea

QUESTION_TYPES = {
    cls.name: cls
    for cls in (
        Single,
        Multiple,
        MonthYear,
        Date,
        Time,
        Ago,
        Number,
        Text,
        TextArea,
        Rating,
        QuestionList,
    )
}


def question_type(question):
    """The handler of one question: its fields, parsing, error anchor, display and template."""
    return QUESTION_TYPES[question.type](question)


__all__ = [
    "QUESTION_TYPES",
    "Invalid",
    "InvalidRows",
    "QuestionType",
    "field_name",
    "join_label",
    "question_type",
]
