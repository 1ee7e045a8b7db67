"""The guidance result as frozen dataclasses: what `result_for(answers, today)` returns.

`to_json()` gives the public format of docs/answers-format.md, which `evaluate` returns.
`GuidanceResult.from_json` reads that format back, for a result made elsewhere (a hand-made
document, or one kept as JSON): the fields that the format leaves optional (the clinician's
wording of an item, parts of the provenance, whole sections of a partial result) read as empty.

`facts` is a Facts (guidance/result_facts.py): what the clinician page shows, one typed field per
key of the format's `facts`, read as attributes (a misspelt name raises AttributeError).
`to_json` writes it field by field, and `Facts.from_json` reads it back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from types import MappingProxyType

from decision_aid.guidance.context import RED_FLAG_ITEMS, URGENT
from decision_aid.guidance.result_facts import Facts


def _json(value):
    """A dataclass, mapping or sequence as plain JSON values (field order is key order)."""
    if value is None or isinstance(value, str | int | float):
        return value
    if is_dataclass(value):
        return {f.name: _json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {key: _json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json(item) for item in value]
    return value


class _Json:
    def to_json(self) -> dict:
        return _json(self)


@dataclass(frozen=True)
class Item(_Json):
    """One piece of guidance. The `staff_*` fields say the same about the patient, in the
    clinician's words; `for_doctor` is technical detail kept out of the patient's words."""

    id: str
    level: str
    title: str
    text: str
    reasons: tuple[str, ...]
    sources: tuple[str, ...]
    for_doctor: str = ""
    staff_level: str = ""
    staff_title: str = ""
    staff_reasons: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, data: Mapping) -> Item:
        return cls(
            id=data["id"],
            level=data["level"],
            title=data["title"],
            text=data["text"],
            reasons=tuple(data.get("reasons", ())),
            sources=tuple(data.get("sources", ())),
            for_doctor=data.get("for_doctor", ""),
            staff_level=data.get("staff_level", ""),
            staff_title=data.get("staff_title", ""),
            staff_reasons=tuple(data.get("staff_reasons", ())),
        )


@dataclass(frozen=True)
class Figure(_Json):
    """A picture of 100 people: `n` for sure, up to `upto`."""

    n: int
    upto: int
    words: str

    @classmethod
    def from_json(cls, data: Mapping | None) -> Figure | None:
        return cls(data["n"], data["upto"], data["words"]) if data else None


@dataclass(frozen=True)
class OptionRow(_Json):
    """One row of the option grid, for one option."""

    id: str
    label: str
    text: str
    sources: tuple[str, ...]
    figure: Figure | None = None
    brief: str = ""  # the cell in a few words, for the one-page grid of the PDF's page 2

    @classmethod
    def from_json(cls, data: Mapping) -> OptionRow:
        return cls(
            id=data["id"],
            label=data["label"],
            text=data["text"],
            sources=tuple(data.get("sources", ())),
            figure=Figure.from_json(data.get("figure")),
            brief=data.get("brief", ""),
        )


@dataclass(frozen=True)
class Option(_Json):
    """A treatment choice: the grid's rows, and the format's older fields taken from them."""

    id: str
    title: str
    short: str
    what: str
    benefits: tuple[str, ...]
    harms: tuple[str, ...]
    living_with: str
    sources: tuple[str, ...]
    benefit_sources: tuple[tuple[str, ...], ...]
    harm_sources: tuple[tuple[str, ...], ...]
    rows: tuple[OptionRow, ...]

    @classmethod
    def from_json(cls, data: Mapping) -> Option:
        return cls(
            id=data["id"],
            title=data.get("title", data["id"]),
            short=data.get("short", data["id"]),
            what=data.get("what", ""),
            benefits=tuple(data.get("benefits", ())),
            harms=tuple(data.get("harms", ())),
            living_with=data.get("living_with", ""),
            sources=tuple(data.get("sources", ())),
            benefit_sources=tuple(tuple(ids) for ids in data.get("benefit_sources", ())),
            harm_sources=tuple(tuple(ids) for ids in data.get("harm_sources", ())),
            rows=tuple(OptionRow.from_json(row) for row in data.get("rows", ())),
        )


@dataclass(frozen=True)
class AboutPart(_Json):
    """What hemifacial spasm is, or what the decision is."""

    title: str
    text: str
    sources: tuple[str, ...]

    @classmethod
    def from_json(cls, data: Mapping) -> AboutPart:
        return cls(data["title"], data["text"], tuple(data.get("sources", ())))


@dataclass(frozen=True)
class WhatMatters(_Json):
    """A priority the patient rated, with the options that fit it."""

    id: str
    level: str
    text: str


@dataclass(frozen=True)
class Scores(_Json):
    """Impact: the sum of the answered daily-life items (None if none); `sure`: the SURE score
    (None unless all four are answered); `conflict`: decisional conflict (None if unknown)."""

    impact: int | None = None
    impact_max: int | None = None
    sure: int | None = None
    conflict: bool | None = None


@dataclass(frozen=True)
class Provenance(_Json):
    """Who wrote the content, when, and who checked it. `statement` is the one review
    statement every page shows; `reviewed` is YYYY-MM-DD and `reviewed_text` the same in
    words."""

    content_version: str = ""
    reviewed: str = ""
    reviewed_text: str = ""
    reviewed_by: str = ""
    statement: str = ""
    update_policy: str = ""
    funding: str = ""
    written_by: str = ""
    conflicts: str = ""
    # The review status of this language's translation ("" in English), shown with `statement`.
    translation: str = ""


@dataclass(frozen=True)
class GuidanceResult:
    """The whole result. The patient's own questions come first in `questions_to_ask`, then
    the ones the tool suggests besides them (never a question that repeats one of the
    patient's)."""

    about: Mapping[str, AboutPart]
    items: tuple[Item, ...]
    options: tuple[Option, ...]
    what_matters: tuple[WhatMatters, ...]
    own_questions: tuple[str, ...]
    suggested_questions: tuple[str, ...]
    scores: Scores
    facts: Facts
    sources: Mapping[str, str]
    provenance: Provenance

    @property
    def questions_to_ask(self) -> tuple[str, ...]:
        return self.own_questions + self.suggested_questions

    @property
    def red_flag(self) -> bool:
        """The clinic's red-flag marker: any urgent item or red-flag item."""
        return any(item.level == URGENT or item.id in RED_FLAG_ITEMS for item in self.items)

    def to_json(self) -> dict:
        """The public format (docs/answers-format.md), in its key order."""
        return {
            "about": _json(self.about),
            "items": _json(self.items),
            "options": _json(self.options),
            "what_matters": _json(self.what_matters),
            "questions_to_ask": list(self.questions_to_ask),
            "scores": self.scores.to_json(),
            "facts": _json(self.facts),
            "sources": dict(self.sources),
            "provenance": self.provenance.to_json(),
        }

    @classmethod
    def from_json(cls, data: Mapping) -> GuidanceResult:
        facts_data = data.get("facts", {})
        asked = tuple(data.get("questions_to_ask", ()))
        # The format lists the patient's own questions first (each as the patient wrote it).
        own = set(facts_data.get("patient_questions", ()))
        count = 0
        while count < len(asked) and asked[count] in own:
            count += 1
        provenance = data.get("provenance", {})
        return cls(
            about=MappingProxyType(
                {key: AboutPart.from_json(part) for key, part in data.get("about", {}).items()}
            ),
            items=tuple(Item.from_json(item) for item in data.get("items", ())),
            options=tuple(Option.from_json(option) for option in data.get("options", ())),
            what_matters=tuple(
                WhatMatters(entry["id"], entry["level"], entry["text"])
                for entry in data.get("what_matters", ())
            ),
            own_questions=asked[:count],
            suggested_questions=asked[count:],
            scores=Scores(**{f.name: data.get("scores", {}).get(f.name) for f in fields(Scores)}),
            facts=Facts.from_json(facts_data),
            sources=MappingProxyType(dict(data.get("sources", {}))),
            provenance=Provenance(
                **{f.name: provenance.get(f.name, "") for f in fields(Provenance)}
            ),
        )
