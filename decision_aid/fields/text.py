"""The question types typed as text: a whole number (or a year), a line of text, a longer text."""

from wtforms import TextAreaField

from decision_aid.fields.base import Invalid, QuestionType, text_of, typed_text, whole_number
from decision_aid.text.i18n import N_, _


class Number(QuestionType):
    """A whole number between `min` and `max` (`max: this_year` makes it a year)."""

    name = "number"

    def parse(self, form, today):
        q = self.q
        text = text_of(form, q.id)
        if self.none_given([text], N_("Enter a number")):
            return None
        low, high = q.bounds(today)
        if q.max == "this_year":
            message = _("{subject} must be a year between {low} and {high}")
        else:
            message = _("{subject} must be a whole number from {low} to {high}")
        try:
            return whole_number(text, low, high, "a number")
        except Invalid as exc:
            raise Invalid(message.format(subject=q.subject, low=low, high=high)) from exc

    def display(self, value):
        return [f"{value} {self.q.suffix}".strip()]


class Text(QuestionType):
    """One line of text, at most `max_length` characters."""

    name = "text"

    def parse(self, form, today):
        q = self.q
        text = typed_text(form, q.id).strip()
        if self.none_given([text], N_("Enter an answer")):
            return None
        if q.max_length and len(text) > q.max_length:
            raise Invalid(
                _(
                    "{subject} must be {limit} characters or fewer. It has {count}. Remove {extra}."
                ).format(
                    subject=q.subject,
                    limit=q.max_length,
                    count=len(text),
                    extra=len(text) - q.max_length,
                )
            )
        return text


class TextArea(Text):
    """Text over several lines: the same checks as a line of text."""

    name = "textarea"

    def fields(self):
        return [(self.q.id, TextAreaField())]
