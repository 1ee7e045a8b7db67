"""The answers document (docs/answers-format.md): its fixed ids and values, validation, and a
typed model. Every problem message starts with the field name, so a person or a script can find it.
Unknown extra fields are ignored, and a JSON null counts as "not answered"."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import Any

# The fixed values of the public answers format. Do not rename: clinics script against them.
YES_NO_UNSURE = ("yes", "no", "unsure")
CHOICES: dict[str, tuple[str, ...]] = {
    "side": ("left", "right", "both", "unsure"),
    "started_where": ("eye", "cheek_mouth", "whole_side", "unsure"),
    "in_sleep": YES_NO_UNSURE,
    "eyelid_ripple_only": YES_NO_UNSURE,
    "course": ("worse", "same", "better", "fluctuates", "unsure"),
    "frequency": ("hourly", "daily", "weekly", "less", "unsure"),
    "bells_palsy": YES_NO_UNSURE,
    "onset_before_40": YES_NO_UNSURE,
    "diagnosed_hfs": YES_NO_UNSURE,
    "mri": ("none", "normal", "vessel_contact", "other_finding", "unknown_result", "unsure"),
    "botox_satisfaction": ("very", "somewhat", "not"),
    "medicine_helped": ("yes", "partly", "no"),
    "medicine_current": ("yes", "no"),
    "mvd_helped": ("yes", "partly", "no"),
    "mvd_recurred": YES_NO_UNSURE,
    "leaning": ("botox", "medicines", "surgery", "wait", "unsure"),
    "pregnancy": ("yes", "planning", "no", "not_applicable", "unsure"),
}
# Values that documents may still hold but the questions no longer offer. `hearing_balance`
# (edition 1) means hearing loss and poor balance together; edition 2 asks about each apart.
EDITION_1_ONLY = {"red_flags": ("hearing_balance",)}
MULTI_CHOICES: dict[str, tuple[str, ...]] = {
    "current_areas": ("eyelid", "cheek", "mouth", "chin_neck"),
    "red_flags": (
        "sudden_weakness",
        "facial_weakness",
        "hearing_loss",
        "balance",
        "hearing_balance",
        "numbness_pain",
        "double_vision_swallow_speech",
        "limb",
        "lump",
        "both_eyes",
        "none",
    ),
    "seen_by": ("family_doctor", "neurologist", "neurosurgeon", "eye_doctor", "none"),
    "treatments": ("botox", "medicines", "acupuncture", "complementary", "mvd", "none"),
    "botox_side_effects": (
        "ptosis",
        "mouth_weakness",
        "eye_closure",
        "dry_watery_eye",
        "double_vision",
        "bruising",
        "none",
    ),
    "medicines": ("carbamazepine", "clonazepam", "gabapentin", "baclofen", "other"),
    "medicine_side_effects": ("dizziness", "drowsiness", "rash", "other", "none"),
}
IMPACT_ITEMS = ("reading", "driving", "work", "social", "sleep", "mood", "worry")
IMPACT_MAX_PER_ITEM = 3
PRIORITY_ITEMS = (
    "avoid_surgery",
    "lasting_fix",
    "no_repeat_injections",
    "avoid_nerve_risk",
    "short_recovery",
    "cost_travel",
)
PRIORITY_LEVELS = ("not", "somewhat", "very")
SURE_ITEMS = ("sure_of_choice", "know_options", "clear_values", "enough_support")
ONSET_AGO_UNITS = ("weeks", "months", "years")
# Upper limits that only catch typing mistakes (about a century in each unit).
ONSET_AGO_MAX = {"weeks": 5200, "months": 1200, "years": 100}
INT_RANGES = {"botox_rounds": (1, 500), "botox_weeks_first": (0, 52), "botox_weeks_now": (0, 52)}
MAX_QUESTIONS = 20
MAX_QUESTION_CHARS = 500
MAX_TEXT_CHARS = 200
EARLIEST_YEAR = 1900

_YEAR_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_YEAR = re.compile(r"^(\d{4})$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class ValidationError(ValueError):
    """An answers document that breaks the format. `problems` has one message per problem."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class OnsetAgo:
    amount: int
    unit: str


@dataclass(frozen=True)
class Answers:
    """A valid answers document. Lists are tuples; unanswered fields are None or empty."""

    side: str | None = None
    started_where: str | None = None
    current_areas: tuple[str, ...] = ()
    in_sleep: str | None = None
    eyelid_ripple_only: str | None = None
    onset: str | None = None
    onset_ago: OnsetAgo | None = None
    course: str | None = None
    frequency: str | None = None
    red_flags: tuple[str, ...] = ()
    bells_palsy: str | None = None
    onset_before_40: str | None = None
    seen_by: tuple[str, ...] = ()
    diagnosed_hfs: str | None = None
    mri: str | None = None
    treatments: tuple[str, ...] = ()
    botox_rounds: int | None = None
    botox_last: str | None = None
    botox_weeks_first: int | None = None
    botox_weeks_now: int | None = None
    botox_side_effects: tuple[str, ...] = ()
    botox_satisfaction: str | None = None
    medicines: tuple[str, ...] = ()
    medicine_helped: str | None = None
    medicine_side_effects: tuple[str, ...] = ()
    medicine_current: str | None = None
    mvd_year: int | None = None
    mvd_helped: str | None = None
    mvd_recurred: str | None = None
    impact: dict[str, int] = field(default_factory=dict)
    priorities: dict[str, str] = field(default_factory=dict)
    leaning: str | None = None
    pregnancy: str | None = None
    sure: dict[str, str] = field(default_factory=dict)
    patient_questions: tuple[str, ...] = ()
    name: str | None = None
    date_of_birth: str | None = None
    appointment: str | None = None
    clinic: str | None = None


# ---------------------------------------------------------------------------------------------
# Checks. Each takes (field name, value, today) and returns a list of problem messages.


def _got(value: Any) -> str:
    text = repr(value)
    return f" (got {text[:40]}{'...' if len(text) > 40 else ''})"


def _is_int(value: Any) -> bool:
    # JSON true/false arrive as bool, which Python counts as int: refuse them.
    return isinstance(value, int) and not isinstance(value, bool)


def _check_choice(name: str, value: Any, choices: tuple[str, ...]) -> list[str]:
    if isinstance(value, str) and value in choices:
        return []
    return [f"{name}: must be one of {', '.join(choices)}{_got(value)}"]


def _check_multi(name: str, value: Any, choices: tuple[str, ...]) -> list[str]:
    if not isinstance(value, list):
        return [f"{name}: must be a list of choices from {', '.join(choices)}{_got(value)}"]
    problems = []
    for index, item in enumerate(value):
        problems += _check_choice(f"{name}[{index}]", item, choices)
    known = [item for item in value if isinstance(item, str)]
    repeated = sorted({item for item in known if known.count(item) > 1})
    if repeated:
        problems.append(f"{name}: lists the same choice more than once ({', '.join(repeated)})")
    if "none" in known and len(value) > 1:
        problems.append(f"{name}: 'none' cannot be combined with other choices")
    return problems


def _check_int(name: str, value: Any, low: int, high: int) -> list[str]:
    if _is_int(value) and low <= value <= high:
        return []
    return [f"{name}: must be a whole number from {low} to {high}{_got(value)}"]


def _check_onset(name: str, value: Any, today: datetime.date) -> list[str]:
    if not isinstance(value, str):
        return [f"{name}: must be a date as YYYY-MM or YYYY{_got(value)}"]
    if _YEAR.match(value):
        return _check_year_month(name, int(value), None, today)
    return _check_month(name, value, today, "YYYY-MM or YYYY")


def _check_month(name: str, value: Any, today: datetime.date, form: str = "YYYY-MM") -> list[str]:
    match = _YEAR_MONTH.match(value) if isinstance(value, str) else None
    if not match:
        return [f"{name}: must be a date as {form}{_got(value)}"]
    year, month = int(match.group(1)), int(match.group(2))
    if not 1 <= month <= 12:
        return [f"{name}: the month must be from 01 to 12{_got(value)}"]
    return _check_year_month(name, year, month, today)


def _check_year_month(name: str, year: int, month: int | None, today: datetime.date) -> list[str]:
    if year < EARLIEST_YEAR:
        return [f"{name}: the year must be {EARLIEST_YEAR} or later (got {year})"]
    if (year, month or 1) > (today.year, today.month):
        return [f"{name}: is in the future (today is {today.isoformat()})"]
    return []


def _check_onset_ago(name: str, value: Any, today: datetime.date) -> list[str]:
    if not isinstance(value, dict):
        return [f'{name}: must be an object like {{"amount": 2, "unit": "years"}}{_got(value)}']
    problems = _check_choice(f"{name}.unit", value.get("unit"), ONSET_AGO_UNITS)
    limit = ONSET_AGO_MAX.get(value.get("unit"), max(ONSET_AGO_MAX.values()))
    problems += _check_int(f"{name}.amount", value.get("amount"), 0, limit)
    return problems


def _check_day(name: str, value: Any, today: datetime.date, past_only: bool) -> list[str]:
    try:
        if not (isinstance(value, str) and _DAY.match(value)):
            raise ValueError
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return [f"{name}: must be a real date as YYYY-MM-DD{_got(value)}"]
    if past_only and day > today:
        return [f"{name}: is in the future (today is {today.isoformat()})"]
    return []


def _check_text(name: str, value: Any, limit: int = MAX_TEXT_CHARS) -> list[str]:
    if not isinstance(value, str):
        return [f"{name}: must be text{_got(value)}"]
    if len(value) > limit:
        return [f"{name}: must be at most {limit} characters (it has {len(value)})"]
    return []


def _check_object(name: str, value: Any, check_item) -> list[str]:
    if not isinstance(value, dict):
        return [f"{name}: must be an object{_got(value)}"]
    return [p for key, item in value.items() if item is not None for p in check_item(key, item)]


def _check_impact(name: str, value: Any, today: datetime.date) -> list[str]:
    def item(key, answer):
        if key not in IMPACT_ITEMS:
            return []  # unknown extra fields are ignored
        return _check_int(f"{name}.{key}", answer, 0, IMPACT_MAX_PER_ITEM)

    return _check_object(name, value, item)


def _keyed_choices(keys: tuple[str, ...], choices: tuple[str, ...]):
    def check(name: str, value: Any, today: datetime.date) -> list[str]:
        def item(key, answer):
            return _check_choice(f"{name}.{key}", answer, choices) if key in keys else []

        return _check_object(name, value, item)

    return check


def _check_questions(name: str, value: Any, today: datetime.date) -> list[str]:
    if not isinstance(value, list):
        return [f"{name}: must be a list of questions{_got(value)}"]
    problems = []
    if len(value) > MAX_QUESTIONS:
        problems.append(
            f"{name}: must have at most {MAX_QUESTIONS} questions (it has {len(value)})"
        )
    for index, item in enumerate(value):
        problems += _check_text(f"{name}[{index}]", item, MAX_QUESTION_CHARS)
    return problems


def _build_checks() -> dict:
    checks: dict = {}
    for name, choices in CHOICES.items():
        checks[name] = lambda n, v, t, c=choices: _check_choice(n, v, c)
    for name, choices in MULTI_CHOICES.items():
        checks[name] = lambda n, v, t, c=choices: _check_multi(n, v, c)
    for name, (low, high) in INT_RANGES.items():
        checks[name] = lambda n, v, t, lo=low, hi=high: _check_int(n, v, lo, hi)
    checks["onset"] = _check_onset
    checks["onset_ago"] = _check_onset_ago
    checks["botox_last"] = _check_month
    checks["mvd_year"] = lambda n, v, t: _check_int(n, v, EARLIEST_YEAR, t.year)
    checks["impact"] = _check_impact
    checks["priorities"] = _keyed_choices(PRIORITY_ITEMS, PRIORITY_LEVELS)
    checks["sure"] = _keyed_choices(SURE_ITEMS, ("yes", "no"))
    checks["patient_questions"] = _check_questions
    checks["name"] = lambda n, v, t: _check_text(n, v)
    checks["clinic"] = lambda n, v, t: _check_text(n, v)
    checks["date_of_birth"] = lambda n, v, t: _check_day(n, v, t, past_only=True)
    checks["appointment"] = lambda n, v, t: _check_day(n, v, t, past_only=False)
    return checks


CHECKS = _build_checks()


def validate(answers: Any, today: datetime.date) -> list[str]:
    """Return one message per problem, each starting with the field name; [] when valid."""
    if not isinstance(answers, dict):
        return [f"answers: must be a JSON object{_got(answers)}"]
    problems = []
    for name, check in CHECKS.items():  # a fixed order, so the messages are reproducible
        value = answers.get(name)
        if value is not None:
            problems += check(name, value, today)
    return problems


def parse(answers: Any, today: datetime.date) -> Answers:
    """Validate and build the typed model. Raises ValidationError with every problem."""
    problems = validate(answers, today)
    if problems:
        raise ValidationError(problems)
    values: dict[str, Any] = {}
    for name in Answers.__dataclass_fields__:
        value = answers.get(name)
        if value is None:
            continue
        if name == "onset_ago":
            value = OnsetAgo(value["amount"], value["unit"])
        elif name == "patient_questions":
            value = tuple(q.strip() for q in value if q.strip())
        elif isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, dict):
            value = {key: item for key, item in value.items() if item is not None}
        values[name] = value
    _drop_unknown_keys(values)
    return Answers(**values)


def _drop_unknown_keys(values: dict[str, Any]) -> None:
    for name, keys in (
        ("impact", IMPACT_ITEMS),
        ("priorities", PRIORITY_ITEMS),
        ("sure", SURE_ITEMS),
    ):
        if name in values:
            values[name] = {key: values[name][key] for key in keys if key in values[name]}
