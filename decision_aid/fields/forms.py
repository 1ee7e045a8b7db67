"""WTForms forms built from the question data, and the checks that turn what a person typed into
answers (the format of docs/answers-format.md). There is no hand-written form class per step.

Each question becomes one or more WTForms fields, and is checked on its own, by the class of its
type (`decision_aid.fields`): a message sits next to the question it is about, and the summary
links to the input in error. This module puts a step's questions together: one form, the
page-only questions that reveal a follow-up, and the checks of the questions the step asks.
"""

from dataclasses import dataclass, replace
from functools import cache

from babel.support import Translations
from flask_wtf import FlaskForm
from wtforms.i18n import messages_path

from decision_aid.fields import Invalid, InvalidRows, field_name, question_type
from decision_aid.text import i18n

__all__ = [
    "ActionForm",
    "FieldError",
    "Form",
    "build_form",
    "check_step",
    "field_name",
    "form_class_for",
]


@cache
def _wtforms_messages(locale):
    return Translations.load(messages_path(), [locale], domain="wtforms")


class Form(FlaskForm):
    """Every form of the app. WTForms' own messages are in the page's language, as with
    Flask-WTF, but their catalog is read once per language: Flask-WTF reads it again on every
    request, about a tenth of a page's time (`make load`)."""

    class Meta:
        def get_translations(self, form):
            return _wtforms_messages(i18n.formats_as(i18n.current()))


class ActionForm(Form):
    """Only the CSRF token: for pages whose form is a single button (confirm, delete)."""


@dataclass
class FieldError:
    question_id: str
    message: str  # specific, in GOV.UK's words: the same next to the field and in the summary
    anchor: str  # the id of the input the summary links to
    part: str | None = None  # the rating row it is about, if any

    @property
    def summary(self):
        return self.message

    @property
    def key(self):
        """Which message slot on the page shows it: a question, or one row of a rating."""
        return field_name(self.question_id, self.part) if self.part else self.question_id


def form_class_for(step):
    """A form class for one step (CSRF included). WTForms reads fields from the class."""
    fields = dict(pair for q in step.questions for pair in question_type(q).fields())
    return type(f"{step.id.title().replace('_', '')}Form", (Form,), fields)


def _ui_choice(step, q, answers):
    """The choice of a page-only question, worked out from the stored answers: the option whose
    follow-up was answered, else the option without one once the step has been answered."""
    for option in q.options:
        if option.reveals and option.reveals in answers:
            return str(option.value)
    others = step.stored_ids - q.revealed_ids
    if any(qid in answers for qid in others):
        plain = [o for o in q.options if not o.reveals]
        return str(plain[0].value) if plain else None
    return None


def _ui_data(step, q, answers):
    choice = _ui_choice(step, q, answers)
    if choice is None:
        return {}
    if any(o.reveals for o in q.options if str(o.value) == choice):
        return {q.id: choice, field_name(q.id, "shown"): choice}
    return {q.id: choice}


def initial_data(step, answers):
    """Stored answers -> the field values that show them again."""
    data = {}
    for q in step.questions:
        if q.ui_only:
            data.update(_ui_data(step, q, answers))
            continue
        value = answers.get(q.id)
        if value is not None:
            data.update(question_type(q).initial(value))
    return data


def build_form(step, answers, formdata=None):
    """The bound form for a step: the POSTed data when there is some, else the stored answers."""
    return form_class_for(step)(formdata=formdata, data=initial_data(step, answers))


def revealed_now(step, form):
    """The follow-up questions the chosen answers reveal, and whether the page showed them all.
    Without JavaScript a follow-up appears only after Continue: a choice whose follow-up was not
    on the screen yet is not an error, the page is shown again with it."""
    revealed, hidden, all_shown = set(), set(), True
    for q in step.questions:
        if not q.revealed_ids:
            continue
        choice = form[q.id].data
        for option in q.options:
            if not option.reveals:
                continue
            if str(option.value) == choice:
                revealed.add(option.reveals)
                if (form[field_name(q.id, "shown")].data or "") != choice:
                    all_shown = False
            else:
                hidden.add(option.reveals)
    return revealed, hidden, all_shown


def check_step(step, form, today, answers=None):
    """Returns (answers for this step, errors, complete). Answers hold only the questions
    answered, never a page-only helper. `complete` is False when a follow-up has just been
    revealed and must be shown before the page can be saved. `answers` (the stored ones) decide
    which questions the step asks."""
    asked = step.shown_questions(answers or {})
    revealed, hidden, all_shown = revealed_now(step, form)
    step_answers, errors = {}, []
    for q in asked:
        if q.id in hidden:
            continue  # the follow-up of a choice not made: whatever it holds is dropped
        if q.id in revealed:
            q = replace(q, required=True)  # chosen: its follow-up needs an answer
        handler = question_type(q)
        try:
            value = handler.parse(form, today)
        except InvalidRows as exc:
            errors += [
                FieldError(q.id, message, handler.anchor(part), part)
                for message, part in exc.problems
            ]
            continue
        except Invalid as exc:
            errors.append(FieldError(q.id, exc.message, handler.anchor(exc.part)))
            continue
        if value is not None and not q.ui_only:
            step_answers[q.id] = value
    if not all_shown:
        errors = [e for e in errors if e.question_id not in revealed]
        return step_answers, errors, False
    return step_answers, errors, True
