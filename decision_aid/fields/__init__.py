"""The form widgets of the question types: one class per `type` of the step YAML, and one
template per type, `templates/fields/<type>.html`. Everything else about a type (its YAML keys,
the check of a stored value, its JSON Schema and FHIR mapping) is its entry in
`decision_aid/questions/types.py`. A new type is that entry, a class here added to
QUESTION_TYPES, and its template.

forms.py builds and checks the forms through these classes, the wizard shows answers in words
through them, and `_macros.html` includes each question's template."""

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
