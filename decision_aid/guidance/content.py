"""Load the reviewed content: the YAML files next to this module. Loaded once, read only."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

CONTENT_DIR = Path(__file__).parent
CONTENT_FILES = ("items", "options", "questions", "sources", "labels", "provenance", "about")


@cache
def load(name: str) -> dict:
    """The parsed YAML file `name`.yaml. Callers must not change what they get back."""
    if name not in CONTENT_FILES:
        raise KeyError(name)
    with (CONTENT_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def label(field: str, value: str) -> str:
    """The plain-language label of one answer value (the value itself if it has none)."""
    return str(load("labels").get(field, {}).get(value, value))


def labels(field: str, values) -> list[str]:
    return [label(field, value) for value in values]


def join(words: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
