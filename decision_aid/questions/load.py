"""Read and check the step files and the shared scales. A mistake stops the app with a message
that names the file and the field."""

import re
from pathlib import Path

import yaml

from decision_aid.questions.questionnaire import (
    THIS_YEAR_BOUND,
    UNITS_PER_YEAR,
    Item,
    Option,
    Question,
    Questionnaire,
    Step,
)
from decision_aid.questions.scales import SCALES_FILE, read_scales, scale_options
from decision_aid.questions.types import ANSWER_TYPES

STEPS_DIR = Path(__file__).parent / "steps"

# Question types and the keys each may have beyond the common ones (`yaml_keys`).
TYPES = ANSWER_TYPES
TYPES_WITH_OPTIONS = {"single", "multiple", "ago", "rating", "question_list"}
# The bounds each type must have. A number's are its values; a date's are years; an ago
# question's `max` is in years and scales with the unit chosen (100 years is 5200 weeks).
REQUIRED_BOUNDS = {"number": ("min", "max"), "ago": ("min", "max"), "month_year": ("min",)}
OPTION_KEYS = {"value", "label", "short", "hint", "reveals", "retired", "safety_critical"}
ITEM_KEYS = {"id", "label", "error", "short", "short_no"}
COMMON_KEYS = {
    "id",
    "type",
    "label",
    "hint",
    "required",
    "show_if",
    "short",
    "error",
    "what",
    "safety_critical",  # its words (and its options') are safety-critical (decision_aid/review)
}
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
    "interrupt",
    "one_of",
    "asked_when",
    "opens_with",
    "skippable",
    "questions",
}
# A step with `opens_with: choices` is reached through the page of the options side by side
# (/choices): the "Making your decision" section comes after the option table.
OPENS_WITH = {"choices"}
# A step with `asked_when: sharing` is not in the run of question pages: its questions (the name
# and date of birth, which the guidance does not use) are asked when the person shares the
# summary, on the send page and on the page before the PDF.
ASKED_WHEN = {"sharing"}
CONDITION_OPERATORS = {"equals", "contains", "in", "contains_any"}
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")


class QuestionnaireError(ValueError):
    """A question file is not valid. The message names the file and the field."""


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
        unknown = set(opt) - OPTION_KEYS
        if unknown:
            _fail(f"{w}.{sorted(unknown)[0]}", "not a field of an option")
        for key in ("hint", "short"):
            if not isinstance(opt.get(key, ""), str):
                _fail(f"{w}.{key}", "must be text")
        for key in ("retired", "safety_critical"):
            if not isinstance(opt.get(key, False), bool):
                _fail(f"{w}.{key}", "must be true or false")
        reveals = opt.get("reveals")
        if reveals is not None and not isinstance(reveals, str):
            _fail(f"{w}.reveals", "must be a question id")
        label = _require(opt, "label", str, w)
        options.append(
            Option(
                opt["value"],
                label,
                opt.get("hint", ""),
                reveals,
                opt.get("short", ""),
                opt.get("retired", False),
                opt.get("safety_critical", False),
            )
        )
    values = [o.value for o in options]
    if len(set(map(str, values))) != len(values):
        _fail(where, "values must be unique")
    return tuple(options)


def _parse_items(raw, where):
    items = raw.get("items")
    if not isinstance(items, list) or not items:
        _fail(f"{where}.items", "must be a non-empty list")
    parsed = []
    for i, it in enumerate(items):
        w = f"{where}.items[{i}]"
        if not isinstance(it, dict):
            _fail(w, "must be a mapping with id and label")
        unknown = set(it) - ITEM_KEYS
        if unknown:
            _fail(f"{w}.{sorted(unknown)[0]}", "not a field of a rating row")
        _require(it, "id", str, w)
        _require(it, "label", str, w)
        for key in ("error", "short", "short_no"):
            if not isinstance(it.get(key, ""), str):
                _fail(f"{w}.{key}", "must be text")
        parsed.append(Item(**it))
    return tuple(parsed)


def _parse_choices(raw, qtype, where, scales):
    """The options of a question: listed, or a shared scale with its relabels."""
    if "scale" in raw:
        raw_options = scale_options(raw, scales, where, _fail)
    elif "options" in raw:
        raw_options = raw["options"]
    else:
        _fail(f"{where}.options", "missing")
    all_options = _parse_options(raw_options, f"{where}.options")
    if qtype == "ago" and not {str(o.value) for o in all_options} <= set(UNITS_PER_YEAR):
        _fail(f"{where}.options", f"the units must be some of {sorted(UNITS_PER_YEAR)}")
    return {"all_options": all_options, "options": tuple(o for o in all_options if not o.retired)}


def _check_bounds(raw, qtype, where):
    for name in REQUIRED_BOUNDS.get(qtype, ()):
        if name not in raw:
            _fail(f"{where}.{name}", "missing")
    if qtype == "date" and "min" not in raw:
        _fail(f"{where}.min", "missing (the earliest year)")
    if qtype == "date" and "max" not in raw and not raw.get("past"):
        _fail(f"{where}.max", "missing (the latest year), or say past: true")
    for name in ("min", "max"):
        value = raw.get(name)
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            continue
        if not isinstance(value, str) or not THIS_YEAR_BOUND.match(value):
            _fail(f"{where}.{name}", "must be a whole number or 'this_year' (or 'this_year-5')")
        if qtype == "ago":
            _fail(f"{where}.{name}", "must be a whole number of years")


def _parse_type_fields(raw, qtype, where, scales):
    """Options, rating items and bounds: the fields that depend on the question type."""
    kwargs = {}
    if qtype in TYPES_WITH_OPTIONS:
        kwargs.update(_parse_choices(raw, qtype, where, scales))
    if "relabel" in raw and "scale" not in raw:
        _fail(f"{where}.relabel", "only a question with a scale may relabel it")
    if qtype == "rating":
        kwargs["items"] = _parse_items(raw, where)
    if "exclusive" in raw and raw["exclusive"] not in [o.value for o in kwargs["options"]]:
        _fail(f"{where}.exclusive", f"'{raw['exclusive']}' is not one of the option values")
    _check_bounds(raw, qtype, where)
    for key in ("max_length", "max_items"):
        if key in raw and (not isinstance(raw[key], int) or raw[key] < 1):
            _fail(f"{where}.{key}", "must be a whole number of 1 or more")
    return kwargs


def _parse_question(raw, where, known_ids, scales):
    if not isinstance(raw, dict):
        _fail(where, "must be a mapping")
    qid = _require(raw, "id", str, where)
    if not ID_PATTERN.match(qid):
        _fail(f"{where}.id", f"'{qid}' must be snake_case")
    qtype = _require(raw, "type", str, where)
    if qtype not in TYPES:
        _fail(f"{where}.type", f"unknown type '{qtype}'; use one of {sorted(TYPES)}")
    allowed = COMMON_KEYS | TYPES[qtype].yaml_keys | (UI_ONLY_KEYS if qtype == "single" else set())
    unknown = set(raw) - allowed
    if unknown:
        _fail(f"{where}.{sorted(unknown)[0]}", f"not a field of a '{qtype}' question")
    _require(raw, "label", str, where)
    if not isinstance(raw.get("hint", ""), str):
        _fail(f"{where}.hint", "must be text")
    for key in ("required", "safety_critical"):
        if not isinstance(raw.get(key, False), bool):
            _fail(f"{where}.{key}", "must be true or false")
    for key in ("short", "error", "what"):
        if not isinstance(raw.get(key, ""), str):
            _fail(f"{where}.{key}", "must be text")
    kwargs = {k: v for k, v in raw.items() if k in allowed - {"scale", "relabel"}}
    kwargs.update(_parse_type_fields(raw, qtype, where, scales))
    if "show_if" in raw:
        kwargs["show_if"] = _check_condition(raw["show_if"], f"{where}.show_if", known_ids)
    if "beside" in raw and raw["beside"] not in known_ids:
        _fail(f"{where}.beside", f"'{raw['beside']}' is not a question before this one")
    return Question(**kwargs)


def _skippable(data, questions, where):
    skippable = data.get("skippable", False) is True
    if skippable and any(q.required for q in questions):
        _fail(f"{where}: skippable", "a page with a required question cannot be skipped")
    return skippable


def _asked_when(data, where):
    asked_when = data.get("asked_when", "")
    if asked_when and asked_when not in ASKED_WHEN:
        _fail(f"{where}: asked_when", f"must be one of {sorted(ASKED_WHEN)}")
    return asked_when


def _interrupt(data, where):
    if data.get("opens_with", "") not in OPENS_WITH | {""}:
        _fail(f"{where}: opens_with", f"must be one of {sorted(OPENS_WITH)}")
    interrupt = data.get("interrupt", "")
    if not isinstance(interrupt, str):
        _fail(f"{where}: interrupt", "must be the id of a guidance item")
    return interrupt


def parse_step(data, file_name, known_ids, scales=None):
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
        q = _parse_question(raw, f"{where}: questions[{i}]", known_ids, scales or {})
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
    skippable = _skippable(data, questions, where)
    interrupt = _interrupt(data, where)
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
        interrupt=interrupt,
        one_of=one_of,
        asked_when=asked_when,
        opens_with=data.get("opens_with", ""),
        skippable=skippable,
        metadata=dict(data.get("metadata") or {}),
    )


def load_questionnaire(directory=STEPS_DIR, *, scales_file=SCALES_FILE):
    """Read and check every step file, with the shared scales they name. Raises
    QuestionnaireError naming the file and field."""
    files = sorted(Path(directory).glob("*.yaml"))
    if not files:
        raise QuestionnaireError(f"{directory}: no question files")
    scales = read_scales(scales_file, _fail)
    for name, options in scales.items():
        _parse_options(options, f"{Path(scales_file).name}: {name}")
    steps, known_ids, step_ids = [], set(), set()
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise QuestionnaireError(f"{path.name}: not valid YAML: {exc}") from None
        step = parse_step(data, path.name, known_ids, scales)
        if step.id in step_ids:
            _fail(f"{path.name}: id", f"step id '{step.id}' is used twice")
        step_ids.add(step.id)
        steps.append(step)
    return Questionnaire(tuple(steps))
