"""Load the reviewed content: the YAML files next to this module. Loaded once, read only.
The words for each answer (its options' and rows' short labels) are in the questionnaire's step
YAML; `label` and `row_label` read them from there.

Every function here answers in the language in use (`decision_aid.text.i18n.current()`): each text
of a content file is a catalog message whose context is its key path ("items.emergency.title").
Sources are references and stay as published; ids, numbers and source keys are data."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import yaml

from decision_aid.guidance.model import QUESTIONNAIRE
from decision_aid.questions.translate import in_language
from decision_aid.text import i18n

CONTENT_DIR = Path(__file__).parent
CONTENT_FILES = (
    "items",
    "options",
    "ask_your_doctor",
    "sources",
    "labels",
    "provenance",
    "about",
    "knowledge",
)
# Files, and keys in any file, that hold no words to translate: the references, the source
# keys each fact cites, the content version and review date, and the safety-critical mark
# (`safety_critical: true` on a key: every text under it is safety-critical; decision_aid/review).
NOT_TRANSLATED_FILES = {"sources"}
NOT_TRANSLATED_KEYS = {
    "sources",
    "content_version",
    "reviewed",
    "translations",
    "safety_critical",
    "answer_key",
    "table_option",
    "table_row",
    "fit_options",
}
SAFETY_MARK = "safety_critical"


def load(name: str) -> dict:
    """The parsed YAML file `name`.yaml, in the language in use. Callers must not change what
    they get back."""
    return _load(name, i18n.current())


@cache
def _english(name: str) -> dict:
    if name not in CONTENT_FILES:
        raise KeyError(name)
    with (CONTENT_DIR / f"{name}.yaml").open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@cache
def _load(name: str, language: str) -> dict:
    data = _english(name)
    if language == i18n.DEFAULT or name in NOT_TRANSLATED_FILES:
        return data
    with i18n.using(language):
        return _translated(data, name, i18n.pgettext)


def _translated(data, place, translate):
    """`data` with each string passed through translate(key path, text)."""
    if isinstance(data, dict):
        return {
            key: value
            if key in NOT_TRANSLATED_KEYS
            else _translated(value, f"{place}.{key}", translate)
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [
            _translated(value, f"{place}.{index}", translate) for index, value in enumerate(data)
        ]
    if isinstance(data, str) and data.strip():
        return translate(place, data)
    return data


def load_english(name: str) -> dict:
    """The parsed YAML file `name`.yaml as written (in English)."""
    return _english(name)


def blanked(name: str) -> dict:
    """Content file `name` with each of its texts left out ("" in its place): its data alone."""
    if name in NOT_TRANSLATED_FILES:
        return _english(name)
    return _translated(_english(name), name, lambda place, text: "")


def messages(name: str) -> list[tuple[str, str]]:
    """(context, text) of every message of content file `name` (the Babel extractor's list)."""
    if name in NOT_TRANSLATED_FILES:
        return []
    found = []

    def collect(context, text):
        found.append((context, text))
        return text

    _translated(_english(name), name, collect)
    return found


def safety_critical_contexts(name: str) -> set[str]:
    """The contexts of every message of content file `name` under a key marked
    `safety_critical: true`."""
    found: set[str] = set()

    def walk(data, place, marked):
        if isinstance(data, dict):
            marked = marked or data.get(SAFETY_MARK) is True
            for key, value in data.items():
                if key not in NOT_TRANSLATED_KEYS:
                    walk(value, f"{place}.{key}", marked)
        elif isinstance(data, list):
            for index, value in enumerate(data):
                walk(value, f"{place}.{index}", marked)
        elif marked and isinstance(data, str) and data.strip():
            found.add(place)

    if name not in NOT_TRANSLATED_FILES:
        walk(_english(name), name, False)
    return found


def questionnaire(language: str):
    """The packaged questionnaire's words in `language`."""
    return in_language(QUESTIONNAIRE, language)


@cache
def _questions(language: str) -> dict:
    return {q.id: q for q in questionnaire(language).stored_questions()}


def _question(field: str):
    return _questions(i18n.current())[field]


def question(field: str):
    """The stored question `field` in the language in use."""
    return _question(field)


def label(field: str, value) -> str:
    """The clinician's words for one answer value ("left side"): the option's short label in
    the questionnaire (the value itself if the question has no such option)."""
    return _question(field).short_label(value)


def option_text(field: str, value) -> str:
    """The words of one offered option as the patient reads them (a common question to ask,
    whose value is its English text), else the value as written (the patient's own words)."""
    return _question(field).option_label(value)


def labels(field: str, values) -> list[str]:
    return [label(field, value) for value in values]


def row_label(field: str, row: str, answer=None) -> str:
    """The words for one row of a rating ("reading or screens"); with the answer, the words
    about the patient when the row has a "no" form ("not sure of the best choice")."""
    return _question(field).item(row).words(answer)


def row_labels(field: str, rows) -> list[str]:
    return [row_label(field, row) for row in rows]


def join(words: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    if len(words) <= 1:
        return "".join(words)
    separator = i18n.pgettext("between the items of a list", ", ")
    return i18n.gettext("{items} and {last}").format(
        items=separator.join(words[:-1]), last=words[-1]
    )


def emergency_numbers() -> str:
    """The numbers to call in an emergency, in words: the clinic's own EMERGENCY_NUMBER when it
    is set (decision_aid.text.i18n, as the pages show it), else the list ("999 in the UK, ..."). The
    one place the guidance's texts take them from."""
    return i18n.configured_emergency_number() or load("labels")["emergency_numbers"]
