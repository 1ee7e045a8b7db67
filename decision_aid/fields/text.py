"""The question types typed as text: a whole number (or a year), a line of text, a longer text."""

from wtforms import TextAreaField

from decision_aid.fields.base import Invalid, QuestionType, text_of, whole_number


class Number(QuestionType):
    """A whole number between `min` and `max` (`max: this_year` makes it a year)."""

    name = "number"

    def parse(self, form, today):
        q = self.q
        text = text_of(form, q.id)
        if self.none_given([text], "Enter a number"):
            return None
        low, high = q.bounds(today)
        if q.max == "this_year":
            message = f"{q.subject} must be a year between {low} and {high}"
        else:
            message = f"{q.subject} must be a whole number from {low} to {high}"
        try:
            return whole_number(text, low, high, "a number")
        except Invalid as exc:
            raise Invalid(message) from exc

    def display(self, value):
        return [f"{value} {self.q.suffix}".strip()]


class Text(QuestionType):
    """One line of text, at most `max_length` characters."""

    name = "text"

    def parse(self, form, today):
        q = self.q
        text = text_of(form, q.id)
        if self.none_given([text], "Enter an answer"):
            return None
        if q.max_length and len(text) > q.max_length:
            raise Invalid(
                f"{q.subject} must be {q.max_length} characters or fewer. "
                f"It has {len(text)}. Remove {len(text) - q.max_length}."
            )
        return text


class TextArea(Text):
    """Text over several lines: the same checks as a line of text."""

    name = "textarea"

    def fields(self):
        return [(self.q.id, TextAreaField())]
