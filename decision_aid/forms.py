"""WTForms forms built from the question data, and the checks that turn what a person typed into
answers (the format of docs/answers-format.md). There is no hand-written form class per step.

Each question becomes one or more WTForms fields. Composite inputs (a month and a year, a rating
row) get one field per part, named `<question>__<part>`. The checks are per question so that a
message sits next to the question it is about, and the summary links to the first input in error.
"""

import calendar
import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import date

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from decision_aid.dates import MONTHS, month_year

SEP = "__"
# A month typed as a word: "March" or "Mar" (the names of decision_aid.dates, no locale).
MONTH_NAMES = {
    name.lower(): number for number, full in enumerate(MONTHS, 1) for name in (full, full[:3])
}
EARLIEST_YEAR = 1950
DIGITS = re.compile(r"[0-9]{1,6}")
AGO_UNITS_PER_YEAR = {"weeks": 52, "months": 12, "years": 1}


class ActionForm(FlaskForm):
    """Only the CSRF token: for pages whose form is a single button (confirm, delete)."""


def field_name(question_id, part=None):
    return question_id if part is None else f"{question_id}{SEP}{part}"


def join_label(label, text):
    """'Which side?' + 'Left' -> 'Which side? Left'; 'Your name' + 'x' -> 'Your name: x';
    'Answer each.' + 'x' -> 'Answer each. x'."""
    label = label.rstrip()
    return f"{label} {text}" if label.endswith(("?", ".")) else f"{label}: {text}"


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


def _choices(question):
    return [SelectChoice(str(o.value), o.label) for o in question.options]


def _fields_for(question):
    """The WTForms fields of one question, as (name, field) pairs."""
    qid, qtype = question.id, question.type
    if qtype == "single":
        radio = (qid, RadioField(choices=_choices(question), validate_choice=False))
        if question.revealed_ids:
            # Which follow-up the page showed when it was sent (app.js keeps it up to date).
            return [radio, (field_name(qid, "shown"), StringField())]
        return [radio]
    if qtype == "multiple":
        return [(qid, SelectMultipleField(choices=_choices(question), validate_choice=False))]
    if qtype == "month_year":
        return [(field_name(qid, p), StringField()) for p in ("month", "year")]
    if qtype == "date":
        return [(field_name(qid, p), StringField()) for p in ("day", "month", "year")]
    if qtype == "ago":
        return [
            (field_name(qid, "amount"), StringField()),
            (
                field_name(qid, "unit"),
                RadioField(choices=_choices(question), validate_choice=False),
            ),
        ]
    if qtype in ("number", "text"):
        return [(qid, StringField())]
    if qtype == "textarea":
        return [(qid, TextAreaField())]
    if qtype == "rating":
        return [
            (
                field_name(qid, item.id),
                RadioField(choices=_choices(question), validate_choice=False),
            )
            for item in question.items
        ]
    if qtype == "question_list":
        return [
            (
                field_name(qid, "common"),
                SelectMultipleField(choices=_choices(question), validate_choice=False),
            ),
            (field_name(qid, "own"), TextAreaField()),
        ]
    raise ValueError(f"no form field for question type {qtype}")


def form_class_for(step):
    """A FlaskForm subclass for one step (CSRF included). WTForms reads fields from the class."""
    fields = dict(pair for q in step.questions for pair in _fields_for(q))
    return type(f"{step.id.title().replace('_', '')}Form", (FlaskForm,), fields)


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
        if value is None:
            continue
        if q.type in ("single", "multiple", "number", "text", "textarea"):
            data[q.id] = [str(v) for v in value] if isinstance(value, list) else str(value)
        elif q.type == "month_year":
            year, _, month = str(value).partition("-")
            data[field_name(q.id, "year")] = year
            data[field_name(q.id, "month")] = str(int(month)) if month else ""
        elif q.type == "date":
            year, month, day = value.split("-")
            data.update(
                {
                    field_name(q.id, "year"): year,
                    field_name(q.id, "month"): str(int(month)),
                    field_name(q.id, "day"): str(int(day)),
                }
            )
        elif q.type == "ago":
            data[field_name(q.id, "amount")] = str(value["amount"])
            data[field_name(q.id, "unit")] = value["unit"]
        elif q.type == "rating":
            for item_id, v in value.items():
                data[field_name(q.id, item_id)] = str(v)
        elif q.type == "question_list":
            common = {str(o.value) for o in q.options}
            data[field_name(q.id, "common")] = [v for v in value if v in common]
            data[field_name(q.id, "own")] = "\n".join(v for v in value if v not in common)
    return data


def build_form(step, answers, formdata=None):
    """The bound form for a step: the POSTed data when there is some, else the stored answers."""
    return form_class_for(step)(formdata=formdata, data=initial_data(step, answers))


# ---- checks: what was typed -> answers, or a message that says how to fix it ----------------


class Invalid(Exception):
    def __init__(self, message, part=None):
        super().__init__(message)
        self.message = message
        self.part = part


class InvalidRows(Exception):
    """Several rows of a rating in error: each gets its own message and link."""

    def __init__(self, problems):
        super().__init__("; ".join(message for message, _part in problems))
        self.problems = problems


def _text(form, name):
    return (form[name].data or "").strip()


def _digits(text):
    """ASCII digits only, after folding full-width ones ('１２' -> '12'). str.isdigit() would
    let '²' through, which int() then refuses; the length cap keeps int() cheap."""
    folded = unicodedata.normalize("NFKC", text)
    return folded if DIGITS.fullmatch(folded) else None


def _whole_number(text, low, high, what):
    """'12' -> 12, with a message that names the range."""
    text = _digits(text)
    if text is None:
        raise Invalid(f"Enter {what} as a whole number, like {low if low > 1 else 12}")
    number = int(text)
    if not low <= number <= high:
        raise Invalid(f"Enter {what} between {low} and {high}")
    return number


def _bound(value, today):
    return today.year if value == "this_year" else value


def _month(q, text, required):
    if not text:
        if required:
            raise Invalid(f"{q.subject} must include a month", "month")
        return None
    if text.lower() in MONTH_NAMES:
        return MONTH_NAMES[text.lower()]
    digits = _digits(text)
    if digits is None or not 1 <= int(digits) <= 12:
        raise Invalid(
            f"The month of {q.what or 'the date'} must be its name, like March, "
            "or a number from 1 to 12",
            "month",
        )
    return int(digits)


def _missing(q, default):
    return Invalid(q.error or default)


def _check_single(q, form, today):
    value = form[q.id].data
    if value in (None, "", "None"):
        if q.required:
            raise _missing(q, "Select one answer")
        return None
    allowed = {str(o.value): o.value for o in q.options}
    if value not in allowed:
        raise Invalid(q.error or "Select one of the answers shown")
    return allowed[value]


def _check_multiple(q, form, today):
    values = form[q.id].data or []
    allowed = {str(o.value): o.value for o in q.options}
    if any(v not in allowed for v in values):
        raise Invalid("Select from the answers shown")
    if not values:
        if q.required:
            hint = f", or select '{q.option_label(q.exclusive)}'" if q.exclusive else ""
            raise _missing(q, f"Select at least one answer{hint}")
        return None
    if q.exclusive and q.exclusive in values and len(values) > 1:
        raise Invalid(
            f"Select '{q.option_label(q.exclusive)}' on its own, "
            "or untick it and keep the others you selected"
        )
    order = [str(o.value) for o in q.options]
    return [allowed[v] for v in sorted(set(values), key=order.index)]


def _check_month_year(q, form, today):
    month_text = _text(form, field_name(q.id, "month"))
    year_text = _text(form, field_name(q.id, "year"))
    if not month_text and not year_text:
        if q.required:
            raise Invalid(q.error or "Enter the month and year", "month")
        return None
    if not year_text:
        raise Invalid(f"{q.subject} must include a year", "year")
    month = _month(q, month_text, q.month_required)
    try:
        year = _whole_number(year_text, EARLIEST_YEAR, today.year, "a year")
    except Invalid as exc:
        raise Invalid(
            f"The year of {q.what or 'the date'} must be between {EARLIEST_YEAR} and {today.year}",
            "year",
        ) from exc
    if (year, month or 1) > (today.year, today.month):
        raise Invalid(f"{q.subject} must be in the past", "month" if month else "year")
    return f"{year:04d}-{month:02d}" if month else f"{year:04d}"


def _check_date(q, form, today):
    parts = {p: _text(form, field_name(q.id, p)) for p in ("day", "month", "year")}
    if not any(parts.values()):
        if q.required:
            raise Invalid(q.error or "Enter the date", "day")
        return None
    for part in ("day", "month", "year"):
        if not parts[part]:
            raise Invalid(f"{q.subject} must include a {part}", part)
    month = _month(q, parts["month"], True)
    latest = today.year if q.past else today.year + 5
    earliest = 1900 if q.past else today.year - 5
    try:
        year = _whole_number(parts["year"], earliest, latest, "a year")
    except Invalid as exc:
        raise Invalid(
            f"The year of {q.what or 'the date'} must be between {earliest} and {latest}", "year"
        ) from exc
    last_day = calendar.monthrange(year, month)[1]
    try:
        day = _whole_number(parts["day"], 1, last_day, "a day")
    except Invalid as exc:
        raise Invalid(
            f"{month_year(year, month)} has {last_day} days. Enter a day between 1 and {last_day}",
            "day",
        ) from exc
    value = date(year, month, day)
    if q.past and value > today:
        raise Invalid(f"{q.subject} must be today or in the past", "day")
    return value.isoformat()


def _check_ago(q, form, today):
    amount_text = _text(form, field_name(q.id, "amount"))
    unit = form[field_name(q.id, "unit")].data
    unit = None if unit in (None, "", "None") else unit
    if not amount_text and not unit:
        if q.required:
            raise Invalid(q.error or "Enter how long ago", "amount")
        return None
    if not amount_text:
        raise Invalid(f"Enter {q.what or 'how long ago'} as a number, like 2", "amount")
    if unit not in AGO_UNITS_PER_YEAR:
        raise Invalid("Select weeks, months or years", "unit")
    limit = (q.max or 100) * AGO_UNITS_PER_YEAR[unit]
    try:
        amount = _whole_number(amount_text, q.min or 0, limit, "a number")
    except Invalid as exc:
        raise Invalid(f"Enter a whole number of {unit} from 0 to {limit}", "amount") from exc
    return {"amount": amount, "unit": unit}


def _check_number(q, form, today):
    text = _text(form, q.id)
    if not text:
        if q.required:
            raise _missing(q, "Enter a number")
        return None
    low, high = _bound(q.min, today), _bound(q.max, today)
    if q.max == "this_year":
        try:
            return _whole_number(text, low, high, "a year")
        except Invalid as exc:
            raise Invalid(f"{q.subject} must be a year between {low} and {high}") from exc
    try:
        return _whole_number(text, low, high, "a number")
    except Invalid as exc:
        raise Invalid(f"{q.subject} must be a whole number from {low} to {high}") from exc


def _check_text(q, form, today):
    text = _text(form, q.id)
    if not text:
        if q.required:
            raise _missing(q, "Enter an answer")
        return None
    if q.max_length and len(text) > q.max_length:
        raise Invalid(
            f"{q.subject} must be {q.max_length} characters or fewer. "
            f"It has {len(text)}. Remove {len(text) - q.max_length}."
        )
    return text


def _check_rating(q, form, today):
    allowed = {str(o.value): o.value for o in q.options}
    answered, missing = {}, []
    for item in q.items:
        value = form[field_name(q.id, item.id)].data
        if value in (None, "", "None"):
            missing.append(item)
        elif value not in allowed:
            raise Invalid("Select one of the answers shown", item.id)
        else:
            answered[item.id] = allowed[value]
    if q.required and missing:
        raise InvalidRows(
            [(item.error or f"Select an answer for '{item.label}'", item.id) for item in missing]
        )
    return answered or None


def _check_question_list(q, form, today):
    allowed = [str(o.value) for o in q.options]
    common = form[field_name(q.id, "common")].data or []
    if any(v not in allowed for v in common):
        raise Invalid("Select from the questions shown", "common")
    own_text = form[field_name(q.id, "own")].data or ""
    own = [line.strip() for line in own_text.splitlines() if line.strip()]
    for number, line in enumerate(own, start=1):
        if q.max_length and len(line) > q.max_length:
            raise Invalid(
                f"Question {number} has {len(line)} characters. "
                f"Make it {q.max_length} characters or fewer",
                "own",
            )
    questions = [v for v in allowed if v in common] + own
    if q.max_items and len(questions) > q.max_items:
        extra = len(questions) - q.max_items
        raise Invalid(
            f"You can list up to {q.max_items} questions. You have {len(questions)}. "
            f"Remove {extra}",
            "own",
        )
    return questions or None


CHECKS = {
    "single": _check_single,
    "multiple": _check_multiple,
    "month_year": _check_month_year,
    "date": _check_date,
    "ago": _check_ago,
    "number": _check_number,
    "text": _check_text,
    "textarea": _check_text,
    "rating": _check_rating,
    "question_list": _check_question_list,
}


def first_input_id(q, part=None):
    """The id of the input an error links to: the part in error, or the first input."""
    if q.type in ("single", "multiple"):
        return f"{q.id}-0"
    if q.type == "rating":
        return f"{field_name(q.id, part or q.items[0].id)}-0"
    if q.type in ("month_year", "date", "ago", "question_list"):
        default = {"month_year": "month", "date": "day", "ago": "amount", "question_list": "own"}
        name = field_name(q.id, part or default[q.type])
        return f"{name}-0" if part in ("unit", "common") else name
    return q.id


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
        try:
            value = CHECKS[q.type](q, form, today)
        except InvalidRows as exc:
            errors += [
                FieldError(q.id, message, first_input_id(q, part), part)
                for message, part in exc.problems
            ]
            continue
        except Invalid as exc:
            errors.append(FieldError(q.id, exc.message, first_input_id(q, exc.part)))
            continue
        if value is not None and not q.ui_only:
            step_answers[q.id] = value
    if not all_shown:
        errors = [e for e in errors if e.question_id not in revealed]
        return step_answers, errors, False
    return step_answers, errors, True
