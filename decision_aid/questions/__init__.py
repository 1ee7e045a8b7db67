"""The questionnaire as data. Each step is a YAML file in `steps/`, named NN_<step>.yaml so that
the number fixes the order. The files are loaded and checked once, at start-up: a mistake stops
the app with a message that names the file and the field. Nothing here knows about Flask."""

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

STEPS_DIR = Path(__file__).parent / "steps"

# Question types and the keys each may have beyond the common ones.
TYPES = {
    "single": {"options"},
    "multiple": {"options", "exclusive"},
    "month_year": {"month_required"},
    "ago": {"options", "min", "max"},
    "number": {"min", "max", "suffix"},
    "text": {"max_length", "autocomplete"},
    "textarea": {"max_length"},
    "date": {"autocomplete", "past"},
    "rating": {"items", "options"},
    "question_list": {"options", "max_items", "max_length"},
}
TYPES_WITH_OPTIONS = {"single", "multiple", "ago", "rating", "question_list"}
COMMON_KEYS = {"id", "type", "label", "hint", "required", "show_if", "short", "error", "what"}
# A single-choice question may be `ui_only`: it helps the page (which follow-up to reveal) and is
# never stored in the answers document. Its options may `reveal` a question of the same step.
UI_ONLY_KEYS = {"ui_only"}
STEP_KEYS = {
    "metadata",
    "id",
    "title",
    "caption",
    "show_if",
    "emergency_if",
    "one_of",
    "asked_when",
    "questions",
}
# A step with `asked_when: sharing` is not in the run of question pages: its questions (the name
# and date of birth, which the guidance does not use) are asked when the person shares the
# summary, on the send page and on the page before the PDF.
ASKED_WHEN = {"sharing"}
CONDITION_OPERATORS = {"equals", "contains", "in"}
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class QuestionnaireError(ValueError):
    """A question file is not valid. The message names the file and the field."""


@dataclass(frozen=True)
class Option:
    value: object
    label: str
    hint: str = ""  # shown under the choice, e.g. what the choice does not cover
    reveals: str | None = None  # the id of a question shown only when this option is chosen


@dataclass(frozen=True)
class Item:
    id: str
    label: str
    error: str = ""  # the message when this row of a required rating has no answer


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: str
    hint: str = ""
    required: bool = False
    options: tuple = ()
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

    @property
    def row_label(self):
        return self.short or self.label

    @property
    def subject(self):
        """The start of a message about this answer: 'The date of your last injection'."""
        return self.what[:1].upper() + self.what[1:] if self.what else "This answer"

    @property
    def revealed_ids(self):
        return {o.reveals for o in self.options if o.reveals}

    def option_label(self, value):
        for option in self.options:
            if option.value == value:
                return option.label
        return str(value)

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
    one_of: tuple = ()
    asked_when: str = ""
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

    def question(self, question_id):
        for q in self.questions():
            if q.id == question_id:
                return q
        return None

    def applicable_steps(self, answers):
        """Every step that applies to these answers, the ones asked when sharing included:
        their answers are kept, shown and exported like the others."""
        return [s for s in self.steps if condition_holds(s.show_if, answers)]

    def sequence(self, answers):
        """The question pages a person goes through, in order, for these answers."""
        return [s for s in self.applicable_steps(answers) if s.in_sequence]

    def sharing_step(self):
        """The step asked when the summary is shared (the name and date of birth), or None in
        a questionnaire without one."""
        return next((s for s in self.steps if s.asked_when == "sharing"), None)

    def possible_steps(self, answers):
        """The steps that apply, or may still apply because the answer that decides them is
        not given yet. Counting these keeps "Step X of Y" from growing part-way: it can only
        shrink when a branch is ruled out."""
        return [
            s
            for s in self.steps
            if condition_holds(s.show_if, answers) or s.show_if["question"] not in answers
        ]

    def prune(self, answers):
        """Drop the answers to questions that no longer apply (a step skipped by branching, or
        a question asked only after certain answers)."""
        keep = {q.id for s in self.applicable_steps(answers) for q in s.shown_questions(answers)}
        return {k: v for k, v in answers.items() if k in keep}


def condition_holds(condition, answers):
    """`{question: id, equals: v}`, `{question: id, contains: v}` or `{question: id, in: [..]}`.
    No condition means always."""
    if not condition:
        return True
    answer = answers.get(condition["question"])
    if "equals" in condition:
        return answer == condition["equals"]
    if "contains" in condition:
        return isinstance(answer, list) and condition["contains"] in answer
    return answer in condition["in"]


def _fail(where, message):
    raise QuestionnaireError(f"{where}: {message}")


def _require(data, key, kind, where):
    if key not in data:
        _fail(f"{where}.{key}", "missing")
    if not isinstance(data[key], kind):
        _fail(f"{where}.{key}", f"must be a {getattr(kind, '__name__', kind)}")
    return data[key]


def _check_condition(condition, where, known_ids):
    if not isinstance(condition, dict) or "question" not in condition:
        _fail(where, "must be a mapping with 'question' and one of equals, contains, in")
    ops = set(condition) - {"question"}
    if len(ops) != 1 or not ops <= CONDITION_OPERATORS:
        _fail(where, f"needs exactly one of {sorted(CONDITION_OPERATORS)}")
    if condition["question"] not in known_ids:
        _fail(f"{where}.question", f"'{condition['question']}' is not an earlier question")
    return dict(condition)


def _parse_options(raw, where):
    if not isinstance(raw, list) or not raw:
        _fail(where, "must be a non-empty list")
    options = []
    for i, opt in enumerate(raw):
        w = f"{where}[{i}]"
        if not isinstance(opt, dict):
            _fail(w, "must be a mapping with value and label")
        if "value" not in opt:
            _fail(f"{w}.value", "missing")
        unknown = set(opt) - {"value", "label", "hint", "reveals"}
        if unknown:
            _fail(f"{w}.{sorted(unknown)[0]}", "not a field of an option")
        if not isinstance(opt.get("hint", ""), str):
            _fail(f"{w}.hint", "must be text")
        reveals = opt.get("reveals")
        if reveals is not None and not isinstance(reveals, str):
            _fail(f"{w}.reveals", "must be a question id")
        label = _require(opt, "label", str, w)
        options.append(Option(opt["value"], label, opt.get("hint", ""), reveals))
    values = [o.value for o in options]
    if len(set(map(str, values))) != len(values):
        _fail(where, "values must be unique")
    return tuple(options)


def _parse_type_fields(raw, qtype, where):
    """Options, rating items and bounds: the fields that depend on the question type."""
    kwargs = {}
    if qtype in TYPES_WITH_OPTIONS:
        if "options" not in raw:
            _fail(f"{where}.options", "missing")
        kwargs["options"] = _parse_options(raw["options"], f"{where}.options")
    if qtype == "rating":
        items = raw.get("items")
        if not isinstance(items, list) or not items:
            _fail(f"{where}.items", "must be a non-empty list")
        kwargs["items"] = tuple(
            Item(
                _require(it, "id", str, f"{where}.items[{i}]"),
                it.get("label", ""),
                it.get("error", ""),
            )
            for i, it in enumerate(items)
        )
        for i, it in enumerate(items):
            _require(it, "label", str, f"{where}.items[{i}]")
    if "exclusive" in raw and raw["exclusive"] not in [o.value for o in kwargs["options"]]:
        _fail(f"{where}.exclusive", f"'{raw['exclusive']}' is not one of the option values")
    for bound in ("min", "max"):
        value = raw.get(bound)
        if value is not None and not isinstance(value, int) and value != "this_year":
            _fail(f"{where}.{bound}", "must be a whole number or 'this_year'")
    for key in ("max_length", "max_items"):
        if key in raw and (not isinstance(raw[key], int) or raw[key] < 1):
            _fail(f"{where}.{key}", "must be a whole number of 1 or more")
    return kwargs


def _parse_question(raw, where, known_ids):
    if not isinstance(raw, dict):
        _fail(where, "must be a mapping")
    qid = _require(raw, "id", str, where)
    if not ID_PATTERN.match(qid):
        _fail(f"{where}.id", f"'{qid}' must be snake_case")
    qtype = _require(raw, "type", str, where)
    if qtype not in TYPES:
        _fail(f"{where}.type", f"unknown type '{qtype}'; use one of {sorted(TYPES)}")
    allowed = COMMON_KEYS | TYPES[qtype] | (UI_ONLY_KEYS if qtype == "single" else set())
    unknown = set(raw) - allowed
    if unknown:
        _fail(f"{where}.{sorted(unknown)[0]}", f"not a field of a '{qtype}' question")
    _require(raw, "label", str, where)
    if not isinstance(raw.get("hint", ""), str):
        _fail(f"{where}.hint", "must be text")
    if not isinstance(raw.get("required", False), bool):
        _fail(f"{where}.required", "must be true or false")
    for key in ("short", "error", "what"):
        if not isinstance(raw.get(key, ""), str):
            _fail(f"{where}.{key}", "must be text")
    kwargs = {k: v for k, v in raw.items() if k in allowed}
    kwargs.update(_parse_type_fields(raw, qtype, where))
    if "show_if" in raw:
        kwargs["show_if"] = _check_condition(raw["show_if"], f"{where}.show_if", known_ids)
    return Question(**kwargs)


def _asked_when(data, where):
    asked_when = data.get("asked_when", "")
    if asked_when and asked_when not in ASKED_WHEN:
        _fail(f"{where}: asked_when", f"must be one of {sorted(ASKED_WHEN)}")
    return asked_when


def parse_step(data, file_name, known_ids):
    where = file_name
    if not isinstance(data, dict):
        _fail(where, "must be a mapping")
    unknown = set(data) - STEP_KEYS
    if unknown:
        _fail(f"{where}: {sorted(unknown)[0]}", "not a field of a step")
    step_id = _require(data, "id", str, where)
    title = _require(data, "title", str, where)
    raw_questions = _require(data, "questions", list, where)
    if not raw_questions:
        _fail(f"{where}: questions", "must not be empty")
    show_if = data.get("show_if") and _check_condition(
        data["show_if"], f"{where}: show_if", known_ids
    )
    questions = []
    for i, raw in enumerate(raw_questions):
        q = _parse_question(raw, f"{where}: questions[{i}]", known_ids)
        if q.id in known_ids:
            _fail(f"{where}: questions[{i}].id", f"'{q.id}' is used twice")
        known_ids.add(q.id)
        questions.append(q)
    emergency_if = data.get("emergency_if") and _check_condition(
        data["emergency_if"], f"{where}: emergency_if", known_ids
    )
    ids = {q.id for q in questions}
    for q in questions:
        for qid in q.revealed_ids:
            if qid not in ids or qid == q.id:
                _fail(f"{where}: {q.id}.options.reveals", f"'{qid}' is not a question of this step")
    asked_when = _asked_when(data, where)
    one_of = tuple(tuple(group) for group in data.get("one_of", []))
    for group in one_of:
        for qid in group:
            if qid not in {q.id for q in questions}:
                _fail(f"{where}: one_of", f"'{qid}' is not a question of this step")
    return Step(
        id=step_id,
        title=title,
        questions=tuple(questions),
        file=file_name,
        caption=data.get("caption", ""),
        show_if=show_if or None,
        emergency_if=emergency_if or None,
        one_of=one_of,
        asked_when=asked_when,
        metadata=dict(data.get("metadata") or {}),
    )


def load_questionnaire(directory=STEPS_DIR):
    """Read and check every step file. Raises QuestionnaireError naming the file and field."""
    files = sorted(Path(directory).glob("*.yaml"))
    if not files:
        raise QuestionnaireError(f"{directory}: no question files")
    steps, known_ids, step_ids = [], set(), set()
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise QuestionnaireError(f"{path.name}: not valid YAML: {exc}") from None
        step = parse_step(data, path.name, known_ids)
        if step.id in step_ids:
            _fail(f"{path.name}: id", f"step id '{step.id}' is used twice")
        step_ids.add(step.id)
        steps.append(step)
    return Questionnaire(tuple(steps))
