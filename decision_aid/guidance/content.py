"""Load the reviewed content: the YAML files next to this module. Loaded once, read only.
The words for each answer (its options' and rows' short labels) are in the questionnaire's step
YAML; `label` and `row_label` read them from there."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from decision_aid.guidance.model import QUESTIONS

CONTENT_DIR = Path(__file__).parent
CONTENT_FILES = (
    "items",
    "options",
    "ask_your_doctor",
    "sources",
    "labels",
    "provenance",
    "about",
)


@cache
def load(name: str) -> dict:
    """The parsed YAML file `name`.yaml. Callers must not change what they get back."""
    if name not in CONTENT_FILES:
        raise KeyError(name)
    with (CONTENT_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def label(field: str, value) -> str:
    """The clinician's words for one answer value ("left side"): the option's short label in
    the questionnaire (the value itself if the question has no such option)."""
    return QUESTIONS[field].short_label(value)


def labels(field: str, values) -> list[str]:
    return [label(field, value) for value in values]


def row_label(field: str, row: str, answer=None) -> str:
    """The words for one row of a rating ("reading or screens"); with the answer, the words
    about the patient when the row has a "no" form ("not sure of the best choice")."""
    return QUESTIONS[field].item(row).words(answer)


def row_labels(field: str, rows) -> list[str]:
    return [row_label(field, row) for row in rows]


def join(words: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
