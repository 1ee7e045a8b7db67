"""What every question type shares: the names of its form fields, the messages it raises, and
the small parsers of typed text (whole numbers, month names) that several types use."""

import re
import unicodedata

from wtforms import RadioField, SelectMultipleField, StringField
from wtforms.fields.choices import SelectChoice

from decision_aid.text import clean as clean_text
from decision_aid.text.dates import MONTHS, month_names
from decision_aid.text.i18n import _

SEP = "__"
# A month typed as a word: "March" or "Mar" (the names of decision_aid.text.dates), or its name in
# the language of the page ("marzo", "三月"): `month_from_name`.
MONTH_NAMES = {
    name.lower(): number for number, full in enumerate(MONTHS, 1) for name in (full, full[:3])
}


def month_from_name(text):
    """The month number of a typed month name, in English or in the page's language (None)."""
    text = text.strip().lower()
    if text in MONTH_NAMES:
        return MONTH_NAMES[text]
    for number, name in enumerate(month_names(), 1):
        if text in {name.lower(), name.lower()[:3]}:
            return number
    return None


DIGITS = re.compile(r"[0-9]{1,6}")
NOT_CHOSEN = (None, "", "None")  # what WTForms hands back for a radio group left empty


def field_name(question_id, part=None):
    return question_id if part is None else f"{question_id}{SEP}{part}"


def join_label(label, text):
    """'Which side?' + 'Left' -> 'Which side? Left'; 'Your name' + 'x' -> 'Your name: x';
    'Answer each.' + 'x' -> 'Answer each. x'."""
    label = label.rstrip()
    return f"{label} {text}" if label.endswith(("?", ".")) else f"{label}: {text}"


class Invalid(Exception):
    """What was typed cannot be an answer. `part` names the input in error (a date's "year")."""

    def __init__(self, message, part=None):
        super().__init__(message)
        self.message = message
        self.part = part


class InvalidRows(Exception):
    """Several rows of a rating in error: each gets its own message and link."""

    def __init__(self, problems):
        super().__init__("; ".join(message for message, _part in problems))
        self.problems = problems


def option_choices(question):
    return [SelectChoice(str(o.value), o.label) for o in question.options]


def radio(question):
    return RadioField(choices=option_choices(question), validate_choice=False)


def checkboxes(question):
    return SelectMultipleField(choices=option_choices(question), validate_choice=False)


def allowed_values(question):
    """The options as the form sends them (text) -> the values the answers store."""
    return {str(o.value): o.value for o in question.options}


def text_of(form, name):
    return (form[name].data or "").strip()


def typed_text(form, name, part=None):
    """Free text as typed, without hidden characters (decision_aid.text.clean). If any were
    taken out, the field shows the text without them and the person is asked to check it."""
    cleaned, changed = clean_text.clean(form[name].data or "")
    if changed:
        form[name].data = cleaned
        raise Invalid(_(clean_text.CHANGED_MESSAGE), part)
    return cleaned


def digits(text):
    """ASCII digits only, after folding full-width ones ('１２' -> '12'). str.isdigit() would
    let '²' through, which int() then refuses; the length cap keeps int() cheap."""
    folded = unicodedata.normalize("NFKC", text)
    return folded if DIGITS.fullmatch(folded) else None


def whole_number(text, low, high, what):
    """'12' -> 12, with a message that names the range."""
    text = digits(text)
    if text is None:
        raise Invalid(
            _("Enter {what} as a whole number, like {example}").format(
                what=what, example=low if low > 1 else 12
            )
        )
    number = int(text)
    if not low <= number <= high:
        raise Invalid(
            _("Enter {what} between {low} and {high}").format(what=what, low=low, high=high)
        )
    return number


class QuestionType:
    """One kind of question (the `type` of a question in the step YAML). An instance handles
    one question: the WTForms fields it adds, the field data that shows a stored answer again,
    the answer parsed from what was posted, the id of the input an error links to, and the
    answer in words for the check page. Its page markup is `templates/fields/<name>.html`.

    The defaults fit a type with one text input named after the question."""

    name = ""

    def __init__(self, question):
        self.q = question

    @property
    def template(self):
        return f"fields/{self.name}.html"

    def fields(self):
        """The WTForms fields, as (name, field) pairs. Parts are named `<question>__<part>`."""
        return [(self.q.id, StringField())]

    def initial(self, value):
        """A stored answer (never None) -> the field data that shows it again."""
        return {self.q.id: str(value)}

    def parse(self, form, today):
        """The posted form -> the answer, or None when there is none. Raises Invalid (or
        InvalidRows) with a message that says how to fix it."""
        raise NotImplementedError

    def none_given(self, given, message, part=None):
        """True when every input of the answer is empty: no answer. A required question says so
        instead, in its own words (`error`) or in `message`."""
        if any(given):
            return False
        if self.q.required:
            raise Invalid(self.q.error or _(message), part)
        return True

    def anchor(self, part=None):
        """The id of the input an error links to: the part in error, or the first input."""
        return self.q.id

    def display(self, value):
        """A stored answer (never empty) in words, as lines, for the check page and summary."""
        return [str(value)]
