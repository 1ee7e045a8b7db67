"""The questionnaire's data: steps, questions, their options and rating rows, as loaded from the
step YAML (decision_aid/questions/load.py reads and checks the files). Frozen: read only."""

import re
from dataclasses import dataclass, field, replace

from decision_aid.text.i18n import gettext

# A bound is a whole number, or "this_year" with an optional number of years added or taken.
THIS_YEAR_BOUND = re.compile(r"^this_year(?:([+-])(\d+))?$")
UNITS_PER_YEAR = {"weeks": 52, "months": 12, "years": 1}


def small_first(text):
    """ "Left side" -> "left side": a label as words inside a sentence."""
    return text[:1].lower() + text[1:]


@dataclass(frozen=True)
class Option:
    value: object
    label: str
    hint: str = ""  # shown under the choice, e.g. what the choice does not cover
    reveals: str | None = None  # the id of a question shown only when this option is chosen
    short: str = ""  # the clinician's words, when they are not the label with a small first letter
    # An earlier edition's value: older answers may hold it, the form no longer offers it.
    retired: bool = False
    # Its words are safety-critical: a translation is "reviewed" only once they are signed
    # (decision_aid/review, docs/development.md). Not shown; not in the answers.
    safety_critical: bool = False

    @property
    def short_label(self):
        """The words for this answer on the clinician page and inside sentences: "not sure"."""
        return self.short or small_first(self.label)


@dataclass(frozen=True)
class Item:
    id: str
    label: str
    error: str = ""  # the message when this row of a required rating has no answer
    short: str = ""  # the row in the clinician's words ("reading or screens")
    short_no: str = ""  # a yes/no row answered "no", in words ("not sure of the best choice")

    @property
    def short_label(self):
        return self.short or small_first(self.label)

    def words(self, answer):
        """The row and its answer in words about the patient, when the row has a "no" form."""
        return self.short_no if answer == "no" and self.short_no else self.short_label


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    hint: str = ""
    required: bool = False
    options: tuple = ()  # the choices the form offers
    all_options: tuple = ()  # every value the answers format accepts, retired ones included
    items: tuple = ()
    exclusive: str | None = None
    min: object = None
    max: object = None
    suffix: str = ""
    max_length: int | None = None
    max_items: int | None = None
    month_required: bool = False
    autocomplete: str = ""
    past: bool = False
    show_if: dict | None = None
    short: str = ""  # the label of its row on the check page ("Other symptoms")
    error: str = ""  # the message when a required answer is missing, in GOV.UK's words
    what: str = ""  # what the answer is, for other messages ("The date of your last injection")
    ui_only: bool = False
    # A time asked beside a date ("appointment_time" beside "appointment"): one question on
    # the page with it, as far as "at most three questions a page" counts.
    beside: str = ""
    # Its words and its options' are safety-critical (decision_aid/review): not shown.
    safety_critical: bool = False

    @property
    def row_label(self):
        return self.short or self.label

    @property
    def subject(self):
        """The start of a message about this answer: 'The date of your last injection'."""
        return self.what[:1].upper() + self.what[1:] if self.what else gettext("This answer")

    @property
    def revealed_ids(self):
        return {o.reveals for o in self.options if o.reveals}

    def as_revealed(self):
        """This follow-up as the page draws it under the choice that reveals it: the choice
        makes it needed, so it is not labelled "(optional)" (issue 27; forms.check_step asks
        for it the same way)."""
        return replace(self, required=True)

    def option_label(self, value):
        """The patient's words for one answer value, retired ones included: an earlier
        edition's answers still show words, not an id."""
        option = self.option(value)
        return option.label if option else str(value)

    def option(self, value):
        """The option of a value, retired ones included (None if there is none)."""
        return next((o for o in self.all_options if o.value == value), None)

    def short_label(self, value):
        """The clinician's words for one answer value ("left side")."""
        option = self.option(value)
        return option.short_label if option else str(value)

    def item(self, item_id):
        return next((i for i in self.items if i.id == item_id), None)

    @property
    def accepted_values(self):
        """Every value the answers format accepts, in the order of the file; "" (no answer) is
        not a value."""
        return tuple(o.value for o in self.all_options if o.value != "")

    @property
    def retired_options(self):
        return tuple(o for o in self.all_options if o.retired)

    def bounds(self, today):
        """(lowest, highest) whole number this question accepts on `today`: its values for a
        number, the years for a date (a date in the past goes up to this year)."""
        low, high = bound(self.min, today), bound(self.max, today)
        if high is None and (self.type == "month_year" or self.past):
            high = today.year
        return low, high

    def amount_max(self, unit):
        """The largest amount of an `ago` answer in `unit`: `max` is in years."""
        return self.max * UNITS_PER_YEAR[unit]

    def option_hint(self, value):
        """The hint under one choice ("" if none). `value` may be the form's string."""
        for option in self.options:
            if str(option.value) == str(value):
                return option.hint
        return ""


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    questions: tuple
    file: str
    caption: str = ""
    show_if: dict | None = None
    emergency_if: dict | None = None
    # A guidance item that, when these answers make it urgent, is shown on a page of its own
    # straight after this step (the rash on carbamazepine).
    interrupt: str = ""
    one_of: tuple = ()
    asked_when: str = ""
    opens_with: str = ""  # "choices": the option table's page comes first (/choices)
    # An optional page with "Skip this page" at its top (issue 27): nothing on it is required.
    skippable: bool = False
    metadata: dict = field(default_factory=dict)

    @property
    def in_sequence(self):
        """Whether the step is one of the question pages, asked in order."""
        return not self.asked_when

    @property
    def revealed_ids(self):
        """Questions asked inside another one's choice (a conditional reveal)."""
        return {qid for q in self.questions for qid in q.revealed_ids}

    @property
    def stored_ids(self):
        """The answer ids this step may store: every question but the page-only helpers."""
        return {q.id for q in self.questions if not q.ui_only}

    def shown_questions(self, answers):
        """The questions this step asks, given the answers to earlier steps."""
        return [q for q in self.questions if condition_holds(q.show_if, answers)]


@dataclass(frozen=True)
class Questionnaire:
    steps: tuple

    def step(self, step_id):
        for step in self.steps:
            if step.id == step_id:
                return step
        return None

    def questions(self):
        return [q for step in self.steps for q in step.questions]

    def stored_questions(self):
        """The questions whose answers the answers document holds: all but the page-only ones."""
        return [q for q in self.questions() if not q.ui_only]

    def question(self, question_id):
        for q in self.questions():
            if q.id == question_id:
                return q
        return None

    def applicable_steps(self, answers):
        """Every step that applies to these answers, the ones asked when sharing included:
        their answers are kept, shown and exported like the others. A step none of whose
        questions apply (a follow-up asked only after certain answers) is skipped."""
        return [
            s
            for s in self.steps
            if condition_holds(s.show_if, answers) and s.shown_questions(answers)
        ]

    def sequence(self, answers):
        """The question pages a person goes through, in order, for these answers."""
        return [s for s in self.applicable_steps(answers) if s.in_sequence]

    def sharing_step(self):
        """The step asked when the summary is shared (the name and date of birth), or None in a
        questionnaire without one."""
        return next((s for s in self.steps if s.asked_when == "sharing"), None)

    def prune(self, answers):
        """Drop the answers to questions that no longer apply (a step skipped by branching, or
        a question asked only after certain answers)."""
        keep = {q.id for s in self.applicable_steps(answers) for q in s.shown_questions(answers)}
        return {k: v for k, v in answers.items() if k in keep}


def bound(value, today):
    """A bound as a whole number on `today`: 1950 -> 1950, "this_year-5" -> today's year - 5."""
    if value is None or isinstance(value, int):
        return value
    sign, years = THIS_YEAR_BOUND.match(value).groups()
    return today.year + (int(years or 0) * (-1 if sign == "-" else 1))


def condition_holds(condition, answers):
    """`{question: id, equals: v}`, `{question: id, contains: v}`, `{question: id, in: [..]}`
    or `{question: id, contains_any: [..]}` (a list answer with any of them). No condition means
    always."""
    if not condition:
        return True
    answer = answers.get(condition["question"])
    if "equals" in condition:
        return answer == condition["equals"]
    if "contains" in condition:
        return isinstance(answer, list) and condition["contains"] in answer
    if "contains_any" in condition:
        return isinstance(answer, list) and any(v in answer for v in condition["contains_any"])
    return answer in condition["in"]
