"""The result's `facts` as a frozen dataclass: each answer with its words, the durations, trends
and scores, for the clinician's page. guidance/facts.py builds it; summary/clinician_table.py
lays it out as a table. A misspelt name fails: reading it raises AttributeError, and making a
Facts with it a TypeError (tests/test_summary.py).

The fields are in the order of the public format's `facts` (docs/answers-format.md), which
`GuidanceResult.to_json` writes from them. Each default is what a field reads as when a result
read back from JSON (`Facts.from_json`) leaves it out: a hand-made or partial document. A
`<field>_label` is the answer's words in the language in use (None when not answered), and
`<field>_labels` the words of a list answer, in the same order."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from types import MappingProxyType
from typing import Any

EMPTY: Mapping = MappingProxyType({})


@dataclass(frozen=True)
class ImpactItem:
    """A daily-life question answered: its score (0 never to 3 most of the time) in words."""

    id: str
    label: str
    score: int
    answer: str

    @classmethod
    def from_json(cls, data: Mapping) -> ImpactItem:
        return cls(data["id"], data.get("label", ""), data["score"], data.get("answer", ""))


@dataclass(frozen=True)
class PriorityItem:
    """A priority rated: `level` is "very", "somewhat" or "not", `level_label` its words."""

    id: str
    label: str
    level: str
    level_label: str

    @classmethod
    def from_json(cls, data: Mapping) -> PriorityItem:
        return cls(
            data["id"], data.get("label", ""), data.get("level", ""), data.get("level_label", "")
        )


def _empty() -> Mapping:
    return EMPTY


@dataclass(frozen=True)
class Facts:
    """What the clinician's page shows, one field per fact."""

    # The symptoms
    side: str | None = None
    side_label: str | None = None
    started_where: str | None = None
    started_where_label: str | None = None
    current_areas: tuple[str, ...] = ()
    current_areas_labels: tuple[str, ...] = ()
    in_sleep: str | None = None
    in_sleep_label: str | None = None
    eyelid_ripple_only: str | None = None
    eyelid_ripple_only_label: str | None = None
    onset: str | None = None  # YYYY-MM or YYYY-MM-DD, as the patient gave it
    onset_ago: Mapping[str, Any] | None = None  # {"amount": 18, "unit": "months"}
    onset_text: str | None = None
    duration_months: int | None = None
    duration_text: str | None = None  # "about 7 years"
    course: str | None = None
    course_label: str | None = None
    frequency: str | None = None
    frequency_label: str | None = None
    red_flags: tuple[str, ...] = ()
    red_flag_labels: tuple[str, ...] = ()
    treatment_effects: Mapping[str, str] = field(
        default_factory=_empty
    )  # red flag -> "botox" or "mvd"
    # Whether the patient linked them to the treatment (a follow-up answered yes), not the tool
    # from the timing of a recent injection.
    treatment_effects_patient_linked: bool = False
    # Whether anything listed may have another cause (False: only known treatment effects).
    red_flags_to_check: bool = True
    emergency: bool = False
    bells_palsy: str | None = None
    bells_palsy_label: str | None = None
    onset_before_40: str | None = None
    onset_before_40_label: str | None = None
    # The diagnosis
    seen_by: tuple[str, ...] = ()
    seen_by_labels: tuple[str, ...] = ()
    diagnosed_hfs: str | None = None
    diagnosed_hfs_label: str | None = None
    mri: str | None = None
    mri_label: str | None = None
    mri_year: int | None = None
    # The treatments tried
    treatments: tuple[str, ...] = ()
    treatments_labels: tuple[str, ...] = ()
    botox_tried: bool = False
    botox_rounds: int | None = None
    botox_last: str | None = None
    botox_weeks_first: int | None = None
    botox_weeks_now: int | None = None
    botox_trend: str | None = None  # "shorter", "longer", "same" or None
    botox_trend_text: str | None = None
    botox_side_effects: tuple[str, ...] = ()
    botox_side_effects_labels: tuple[str, ...] = ()
    botox_satisfaction: str | None = None
    botox_satisfaction_label: str | None = None
    medicines: tuple[str, ...] = ()
    medicines_labels: tuple[str, ...] = ()
    medicine_helped: str | None = None
    medicine_helped_label: str | None = None
    medicine_side_effects: tuple[str, ...] = ()
    medicine_side_effects_labels: tuple[str, ...] = ()
    medicine_current: str | None = None
    medicine_current_label: str | None = None
    botox_current: str | None = None
    botox_current_label: str | None = None
    botox_weakness_after: str | None = None
    botox_weakness_after_label: str | None = None
    mvd_tried: bool = False
    mvd_year: int | None = None
    mvd_helped: str | None = None
    mvd_helped_label: str | None = None
    mvd_recurred: str | None = None
    mvd_recurred_label: str | None = None
    mvd_symptoms_after: str | None = None
    mvd_symptoms_after_label: str | None = None
    # What matters to the patient, and the scores
    impact: Mapping[str, int] = field(default_factory=_empty)
    impact_items: tuple[ImpactItem, ...] = ()
    impact_total: int | None = None
    impact_max: int | None = None
    impact_answered: int | None = None
    priorities: Mapping[str, str] = field(default_factory=_empty)
    priority_items: tuple[PriorityItem, ...] = ()
    priorities_very: tuple[str, ...] = ()
    leaning: str | None = None
    leaning_label: str | None = None
    pregnancy: str | None = None
    pregnancy_label: str | None = None
    sure: Mapping[str, str] = field(default_factory=_empty)
    sure_no_labels: tuple[str, ...] = ()
    # Each answered SURE question in words about the patient: "not sure of the best choice".
    sure_words: tuple[str, ...] = ()
    sure_total: int | None = None
    conflict: bool | None = None
    # The decision-quality measures (guidance/quality.py)
    knowledge_score: int | None = None  # percent right, None when the check was not answered
    knowledge_correct: int = 0
    knowledge_total: int = 0
    knowledge_missed: tuple[str, ...] = ()
    preferred_role_label: str = ""
    role_group: str = ""
    support_words: str = ""
    # The patient's health
    age_band: str | None = None
    age_band_label: str | None = None
    health_problems: tuple[str, ...] = ()
    health_problems_labels: tuple[str, ...] = ()
    blood_thinners: str | None = None
    blood_thinners_label: str | None = None
    # The patient's own questions and details (name, date_of_birth, appointment, clinic)
    patient_questions: tuple[str, ...] = ()
    patient: Mapping[str, Any] = field(default_factory=_empty)

    @classmethod
    def from_json(cls, data: Mapping) -> Facts:
        """The facts of a result read back from JSON. A fact the document leaves out reads as
        its default; a key that is no fact here (a document of another version) is left out."""
        values = {}
        for name in (f.name for f in fields(cls)):
            if name not in data:
                continue
            value = data[name]
            if name == "impact_items":
                value = tuple(ImpactItem.from_json(item) for item in value)
            elif name == "priority_items":
                value = tuple(PriorityItem.from_json(item) for item in value)
            elif isinstance(value, list | tuple):
                value = tuple(value)
            elif isinstance(value, Mapping):
                value = MappingProxyType(dict(value))
            values[name] = value
        return cls(**values)
