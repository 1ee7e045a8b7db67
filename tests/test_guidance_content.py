"""The reviewed content (decision_aid/guidance/*.yaml): balanced options, a source for every
fact, labels for every answer value, and plain language (Flesch-Kincaid grade, via textstat)."""

import datetime
import json
import re
import statistics
from pathlib import Path

import pytest
import textstat
import textstat.backend.counts._count_syllables as textstat_syllables

from decision_aid.guidance import RULE_IDS, evaluate
from decision_aid.guidance.content import CONTENT_DIR, load
from decision_aid.guidance.model import CHOICES, MULTI_CHOICES

ANSWERS_DIR = Path(__file__).parent / "data" / "answers"
TODAY = datetime.date(2026, 11, 25)
OPTION_IDS = ("botox", "medicines", "mvd", "wait")
MAX_GRADE = 9
MAX_MEDIAN_GRADE = 7


@pytest.fixture(autouse=True)
def offline_syllables(monkeypatch):
    """textstat looks words up in NLTK's CMU dictionary and downloads it when it is missing. Tests
    run offline, so count syllables with textstat's own Pyphen fallback instead."""
    monkeypatch.setattr(textstat_syllables, "get_cmudict", lambda lang: {})


def test_every_option_has_balanced_sourced_benefits_and_harms():
    options = load("options")
    sources = load("sources")
    assert tuple(options) == OPTION_IDS
    for option_id, option in options.items():
        assert option["benefits"] and option["harms"], option_id
        # the same depth: as many harms as benefits, of similar length
        assert len(option["benefits"]) == len(option["harms"]), option_id
        benefit_words = sum(len(fact["text"].split()) for fact in option["benefits"])
        harm_words = sum(len(fact["text"].split()) for fact in option["harms"])
        assert 0.6 <= benefit_words / harm_words <= 1.6, (option_id, benefit_words, harm_words)
        facts = [option["what"], option["living_with"], *option["benefits"], *option["harms"]]
        for fact in facts:
            assert fact["text"].strip() and fact["sources"], (option_id, fact)
            assert all(source in sources for source in fact["sources"]), fact["sources"]


def test_every_harm_of_an_active_treatment_has_a_figure_or_a_fact():
    for option_id in ("botox", "medicines", "mvd"):
        harms = load("options")[option_id]["harms"]
        with_figures = [fact for fact in harms if re.search(r"\d", fact["text"])]
        assert len(with_figures) >= len(harms) // 2, option_id


def test_every_item_text_has_a_source_and_every_rule_has_words():
    items = load("items")
    sources = load("sources")
    assert set(items) == set(RULE_IDS)
    for item_id, item in items.items():
        assert item["title"] and item["reasons"], item_id
        for part_id, part in item["parts"].items():
            assert part["text"].strip(), (item_id, part_id)
            assert part["sources"], (item_id, part_id)
            assert all(source in sources for source in part["sources"]), (item_id, part_id)


def test_every_answer_value_has_a_label():
    labels = load("labels")
    for field, choices in {**CHOICES, **MULTI_CHOICES}.items():
        group = (
            "yes_no_unsure"
            if set(choices) <= {"yes", "no", "unsure"} and field not in labels
            else field
        )
        for choice in choices:
            assert choice in labels[group], (field, choice)


def test_sources_and_provenance_are_complete():
    for source_id, source in load("sources").items():
        assert source["short"] and len(source["citation"]) > 20, source_id
    provenance = load("provenance")
    for key in ("content_version", "reviewed", "update_policy", "funding"):
        assert provenance[key], key


def _patient_texts():
    """Every text a patient reads, as (where, text)."""
    texts = []
    for item_id, item in load("items").items():
        texts.append((f"{item_id}: title", item["title"]))
        texts += [(f"{item_id}: {part}", data["text"]) for part, data in item["parts"].items()]
    for option_id, option in load("options").items():
        texts.append((f"{option_id}: what", option["what"]["text"]))
        texts += [(f"{option_id}: benefit", fact["text"]) for fact in option["benefits"]]
        texts += [(f"{option_id}: harm", fact["text"]) for fact in option["harms"]]
        texts.append((f"{option_id}: living with", option["living_with"]["text"]))
    return texts


def _generated_questions():
    """The questions the engine writes, over the fixtures and a few extra answers."""
    documents = [
        json.loads(path.read_text(encoding="utf-8")) for path in sorted(ANSWERS_DIR.glob("*.json"))
    ]
    documents += [
        {"mri": status, "leaning": leaning, "medicine_helped": "no", "side": "both"}
        for status, leaning in [
            ("unsure", "botox"),
            ("unknown_result", "medicines"),
            ("vessel_contact", "wait"),
            ("other_finding", "surgery"),
        ]
    ]
    documents.append(
        {
            "botox_weeks_first": 8,
            "botox_weeks_now": 12,
            "botox_satisfaction": "not",
            "medicine_side_effects": ["dizziness", "rash"],
            "priorities": dict.fromkeys(
                ["avoid_surgery", "short_recovery", "cost_travel", "lasting_fix"], "very"
            ),
            "treatments": ["mvd"],
            "mvd_recurred": "yes",
        }
    )
    questions = set()
    for answers in documents:
        own = set(answers.get("patient_questions", []))
        questions |= set(evaluate(answers, TODAY)["questions_to_ask"]) - own
    return sorted(questions)


def test_plain_language():
    questions = _generated_questions()
    texts = _patient_texts() + [("question", question) for question in questions]
    grades = [(textstat.flesch_kincaid_grade(text), where, text) for where, text in texts]
    values = [grade for grade, _, _ in grades]
    median = statistics.median(values)
    print(
        f"\nReadability (Flesch-Kincaid grade): {len(values)} texts ({len(questions)} generated"
        f" questions): median {median:.1f}, max {max(values):.1f}, min {min(values):.1f}"
    )
    for grade, where, text in sorted(grades, reverse=True)[:5]:
        print(f"  {grade:4.1f}  {where}: {text[:70]}")
    too_hard = [(round(g, 1), where) for g, where, _ in grades if g > MAX_GRADE]
    assert not too_hard
    assert median <= MAX_MEDIAN_GRADE


def test_plain_language_rules_of_thumb():
    for where, text in _patient_texts():
        assert "%" not in text, where  # figures as natural frequencies: "about 1 in 10"
        sentences = [s for s in re.split(r"(?<=[.?!])\s+", text) if s]
        assert all(len(s.split()) <= 25 for s in sentences), where


def test_the_impact_score_is_never_called_a_validated_instrument():
    for path in CONTENT_DIR.glob("*.yaml"):
        text = path.read_text(encoding="utf-8")
        assert "HFS-7" not in text and "HFS-30" not in text, path
    result = json.dumps(
        evaluate(json.loads((ANSWERS_DIR / "typical_botox.json").read_text()), TODAY)
    )
    assert "HFS-7" not in result and "HFS-30" not in result


def test_second_person():
    for where, text in _patient_texts():
        if where.endswith("title"):
            continue
        words = set(re.findall(r"[a-z']+", text.lower()))
        assert not words & {"patient", "patients", "he", "she"}, where


def test_hfs_is_spelled_out_at_its_first_use_in_each_text():
    """Each item part, option fact and question may be read on its own."""
    texts = _patient_texts() + [("question", q) for q in load("questions").values()]
    for where, text in texts:
        if "HFS" in text:
            before = text[: text.index("HFS")]
            assert before.lower().endswith("hemifacial spasm ("), where


def test_no_citation_or_statement_points_at_the_project_fact_sheet():
    """Patients cannot see the fact sheet: citations describe the real source."""
    for source_id, source in load("sources").items():
        assert "fact sheet" not in source["citation"].lower(), source_id
    result = json.dumps(evaluate({}, TODAY))
    assert "fact sheet" not in result.lower()


def test_mvd_framing_is_not_tilted_towards_surgery():
    texts = [text for _, text in _patient_texts()]
    assert sum("aims at the cause" in text for text in texts) == 1
    assert not any("in only about" in text for text in texts)
    living_with = load("options")["mvd"]["living_with"]["text"]
    assert "vary by hospital" in living_with and "ask your team" in living_with


def test_medicines_uncertainty_is_a_harm_not_a_benefit():
    medicines = load("options")["medicines"]
    assert not any("dummy pill" in fact["text"] for fact in medicines["benefits"])
    assert any("dummy pill" in fact["text"] for fact in medicines["harms"])


def test_wait_and_see_shows_the_uncertainty_consistently():
    wait = load("options")["wait"]
    benefits = " ".join(fact["text"] for fact in wait["benefits"])
    harms = " ".join(fact["text"] for fact in wait["harms"])
    assert "4 in 10" in benefits and "not typical" in benefits and "no one knows" in benefits
    assert "very rare" in harms and "too hopeful" in harms
    assert "rarely goes away" not in harms
