"""The reviewed content (decision_aid/guidance/*.yaml): balanced options, a source for every
fact, labels for every answer value, and plain language (Flesch-Kincaid grade, via textstat)."""

import json
import re
import statistics
from pathlib import Path

import pytest
import textstat
import textstat.backend.counts._count_syllables as textstat_syllables
from conftest import TODAY

from decision_aid.guidance import RULE_IDS, evaluate
from decision_aid.guidance.content import CONTENT_DIR, load
from decision_aid.guidance.model import QUESTIONS

ANSWERS_DIR = Path(__file__).parent / "data" / "answers"
OPTION_IDS = ("wait", "botox", "medicines", "mvd")
MAX_GRADE = 9
MAX_MEDIAN_GRADE = 7


@pytest.fixture(autouse=True)
def offline_syllables(monkeypatch):
    """textstat looks words up in NLTK's CMU dictionary and downloads it when it is missing. Tests
    run offline, so count syllables with textstat's own Pyphen fallback instead."""
    monkeypatch.setattr(textstat_syllables, "get_cmudict", lambda lang: {})


GRID_ROWS = (
    "involves",
    "helps",
    "lasts",
    "common_harms",
    "rare_harms",
    "if_not_working",
    "time_visits",
    "recovery",
    "living_with",
    "cost_travel",
    "evidence",
)
# The one form for figures: "about N in 100" or "about N to M in 100", or "in 1,000" for rare
# harms. Numbers that are not figures of people: durations, counts of studies, years.
FIGURE = re.compile(r"\b(about |fewer than )?\d+( to \d+)? in (100|1,000)\b")
NOT_A_FIGURE = re.compile(
    r"\b\d+(\.\d+)?( to \d+(\.\d+)?)? (weeks?|months?|years?|hours?|nights?|days?|times|people"
    r"|in 100 treatments)\b|\b(19|20)\d\d\b|\b\d+ (in 100 injections|in 100 visits)"
    r"|\(\d+ of \d+\)"
)
# "Out of 100 people, about 85 to 95 ...": the sentence names the denominator once (issue 25:
# every option in the form "out of 100 people, over N years").
OUT_OF_100 = re.compile(r"[^.;]*\bout of 100\b[^.;]*", re.IGNORECASE)


def _without_figures(text):
    text = OUT_OF_100.sub(lambda match: re.sub(r"\d", "", match.group(0)), text)
    return NOT_A_FIGURE.sub("", FIGURE.sub("", text))


def test_every_option_has_every_row_of_the_grid():
    grid = load("options")
    sources = load("sources")
    assert tuple(grid["rows"]) == GRID_ROWS
    assert tuple(grid["options"]) == OPTION_IDS
    for option_id, option in grid["options"].items():
        for row in GRID_ROWS:
            cell = option[row]
            assert cell["text"].strip(), (option_id, row)
            assert all(source in sources for source in cell["sources"]), (option_id, row)
            if not cell["sources"]:  # only where the sources say nothing
                assert "Ask your clinic" in cell["text"], (option_id, row)


def test_benefits_and_harms_have_the_same_depth():
    for option in evaluate({}, TODAY)["options"]:
        assert len(option["benefits"]) == len(option["harms"]), option["id"]
        benefit_words = sum(len(text.split()) for text in option["benefits"])
        harm_words = sum(len(text.split()) for text in option["harms"])
        assert 0.6 <= benefit_words / harm_words <= 1.6, (option["id"], benefit_words, harm_words)


def test_figures_in_the_grid_use_one_form():
    """Every number in the grid is "about N in 100", "in 1,000", or not a figure of people (a
    duration, a count, a year). The test lists any other form."""
    other_forms = []
    for option_id, option in load("options")["options"].items():
        for row in GRID_ROWS:
            text = _without_figures(option[row]["text"])
            other_forms += [(option_id, row, text) for _ in re.findall(r"\d", text)[:1]]
    assert other_forms == []


def test_every_harm_of_an_active_treatment_has_a_figure():
    for option in evaluate({}, TODAY)["options"]:
        if option["id"] != "wait":
            assert all(FIGURE.search(text) for text in option["harms"]), option["id"]


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


# Words that keep their capital inside a sentence.
NAMES = ("Botox", "MVD", "MRI", "Bell's")


def test_every_answer_value_has_words_for_the_clinician():
    """Each option and rating row has its words for the clinician page and for sentences: the
    `short` label, or else the label with a small first letter. Those start in lower case unless
    they start with a name, and a label that starts with a name has its own `short`."""
    for question in QUESTIONS.values():
        for entry in [*question.all_options, *question.items]:
            if getattr(entry, "value", None) == "":
                continue  # "Not sure" in a rating row: no answer, so no words
            words = entry.short_label
            assert words.strip(), (question.id, entry)
            assert words[0].islower() or words.startswith(NAMES), (question.id, words)
            if not entry.short:
                assert not entry.label.startswith(NAMES), (question.id, entry.label)


def test_the_facts_use_the_words_of_the_questionnaire():
    facts = evaluate(
        {"side": "unsure", "in_sleep": "unsure", "pregnancy": "no", "treatments": ["botox"]},
        TODAY,
    )["facts"]
    assert facts["side_label"] == "not sure"  # short: not sure, in scales.yaml
    assert facts["in_sleep_label"] == "not sure"  # relabelled "I don't know" for the patient
    assert facts["pregnancy_label"] == "no"  # the label "No" with a small first letter
    assert facts["treatments_labels"] == ["Botox"]  # a name keeps its capital


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
    for option_id, option in load("options")["options"].items():
        texts += [(f"{option_id}: {row}", option[row]["text"]) for row in GRID_ROWS]
    about = load("about")
    texts += [(f"about: {key}", about[key]["text"]) for key in ("condition", "decision")]
    texts += [(f"about: fits {key}", text) for key, text in about["fits"].items()]
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
    texts = _patient_texts() + [("question", q) for q in load("ask_your_doctor").values()]
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
    assert not any("only treatment" in text or "aims at the cause" in text for text in texts)
    mvd = load("options")["options"]["mvd"]
    assert "when a blood vessel is the cause" in mvd["involves"]["text"]
    assert "It may not work" in mvd["if_not_working"]["text"]
    assert "No randomised trial has compared MVD with Botox" in mvd["evidence"]["text"]
    assert mvd["evidence"]["text"].startswith("Low.")  # case series, graded as Botox is
    assert load("options")["options"]["botox"]["evidence"]["text"].startswith("Low.")
    assert "hearing loss in that ear" in mvd["rare_harms"]["text"].lower()
    assert "ask your surgeon" in mvd["recovery"]["text"].lower()


def test_botox_evidence_is_as_plain_as_for_tablets():
    options = load("options")["options"]
    assert "no trial compared it with a dummy injection" in options["botox"]["evidence"]["text"]
    assert "dummy pill" in options["medicines"]["evidence"]["text"]
    for row in ("helps", "lasts"):
        assert "dummy pill" not in options["medicines"][row]["text"]
        assert not re.search(r"\d+ in 100", options["medicines"]["helps"]["text"])


def test_wait_and_see_shows_the_uncertainty_consistently():
    wait = load("options")["options"]["wait"]
    assert "rarely goes away" in wait["helps"]["text"] and "unusual" in wait["helps"]["text"]
    assert "too hopeful" in wait["evidence"]["text"]
    harms = wait["common_harms"]["text"] + wait["rare_harms"]["text"]
    assert "spread" not in harms and "worse" not in harms  # no evidence that others prevent it


def test_every_source_is_cited():
    """No source sits in the list unless some text cites it (the SURE test is cited by the
    engine for the conflict flag)."""
    cited = {"legare-2010"}
    for item in load("items").values():
        for part in item["parts"].values():
            cited |= set(part["sources"])
    grid = load("options")
    for option in grid["options"].values():
        for row in grid["rows"]:
            cited |= set(option[row]["sources"])
    about = load("about")
    cited |= set(about["condition"]["sources"]) | set(about["decision"]["sources"])
    assert set(load("sources")) == cited


def test_citations_with_a_pmid_or_doi_become_links():
    from decision_aid.text.filters import citation_html

    html = str(citation_html(load("sources")["nunta-aree-2024"]["citation"]))
    assert '<a href="https://pubmed.ncbi.nlm.nih.gov/38227077/">PMID 38227077</a>' in html
    html = str(citation_html(load("sources")["neurol-india-2017"]["citation"]))
    assert '<a href="https://doi.org/10.4103/neuroindia.NI_1166_16">' in html
    assert str(citation_html("<b> PMID 1")).startswith("&lt;b&gt;")


def test_every_picture_counts_people_in_the_words_it_shows():
    """Each picture of 100 people counts people ("out of 100 people", "in 100 people"), as its
    caption says: a figure per injection is written in the cell's text, never drawn as people."""
    for option_id, option in load("options")["options"].items():
        for row in GRID_ROWS:
            figure = option[row].get("figure")
            if figure:
                words = figure["words"]
                assert "100 people" in words and "injection" not in words, (option_id, row)
                for number in (figure["n"], figure["upto"]):
                    assert re.search(rf"\b{number}\b", words.replace("100 people", "")), (
                        option_id,
                        row,
                    )
