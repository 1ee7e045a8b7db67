"""Reading level of what the patient reads while answering: every step title, question label, hint,
option label and row label in decision_aid/questions/steps/*.yaml, and the guidance items (title
and text) that a few patients' answers lead to. Flesch-Kincaid grade, via textstat.

Gate: no text above grade 9, and a median of at most 7 (NHS "How we write" aims at a reading age
of 9 to 11; grade 7 is about age 12 to 13).

Texts under 4 words ("Yes", "Left side", "Acupuncture") are printed but left out of the gate:
Flesch-Kincaid is calibrated on passages, and for a fragment of one to three words its result
depends only on the syllables of those words, so a single drug or body-part name scores like a
university text ("Carbamazepine": 20) and a plain "Never" like grade 8. From 4 words up, the
sentence-length term starts to count and the figure means something, if still roughly.

textstat 0.7 looks words up in NLTK's CMU dictionary and downloads it from GitHub when missing;
tests run offline, so syllables are counted with textstat's own Pyphen fallback (as
tests/test_guidance_content.py does)."""

import statistics

import pytest
import textstat
import textstat.backend.counts._count_syllables as textstat_syllables
from conftest import TODAY
from test_wizard import (
    BOTH_SIDES_EXPECTED,
    LONG_BOTOX_EXPECTED,
    NOTHING_TRIED_EXPECTED,
    PREVIOUS_MVD_EXPECTED,
    RED_FLAG_EXPECTED,
)

from decision_aid.guidance import evaluate
from decision_aid.questions import load_questionnaire

MAX_GRADE = 9
MAX_MEDIAN_GRADE = 7
MIN_WORDS = 4
PERSONAS = {
    "long-botox": LONG_BOTOX_EXPECTED,
    "red-flag": RED_FLAG_EXPECTED,
    "both-sides": BOTH_SIDES_EXPECTED,
    "nothing-tried": NOTHING_TRIED_EXPECTED,
    "previous-mvd": PREVIOUS_MVD_EXPECTED,
}


@pytest.fixture(autouse=True)
def offline_syllables(monkeypatch):
    monkeypatch.setattr(textstat_syllables, "get_cmudict", lambda lang: {})


def question_texts():
    """(where, text) for every text of the question pages."""
    texts = []
    for step in load_questionnaire().steps:
        texts.append((f"{step.id}: title", step.title))
        for q in step.questions:
            texts.append((f"{step.id}.{q.id}: label", q.label))
            if q.hint:
                texts.append((f"{step.id}.{q.id}: hint", q.hint))
            texts += [(f"{step.id}.{q.id}: option {o.value}", o.label) for o in q.options]
            texts += [(f"{step.id}.{q.id}: row {item.id}", item.label) for item in q.items]
    return texts


def guidance_texts():
    """(where, text) for the guidance items of each persona, each text once."""
    seen = {}
    for persona, answers in PERSONAS.items():
        for item in evaluate(answers, TODAY)["items"]:
            for part in ("title", "text"):
                seen.setdefault(item[part], f"guidance {item['id']} ({persona}): {part}")
    return [(where, text) for text, where in seen.items()]


def measure(texts):
    rows = []
    for where, text in texts:
        words = textstat.lexicon_count(text)
        rows.append((textstat.flesch_kincaid_grade(text), words, where, text))
    return rows


def report(title, rows):
    gated = [grade for grade, words, _, _ in rows if words >= MIN_WORDS]
    short = [row for row in rows if row[1] < MIN_WORDS]
    print(
        f"\n{title}: {len(rows)} texts, {len(gated)} of {MIN_WORDS}+ words: "
        f"median grade {statistics.median(gated):.1f}, max {max(gated):.1f}, "
        f"min {min(gated):.1f}"
    )
    for grade, words, where, text in sorted(rows, reverse=True):
        if words >= MIN_WORDS:
            print(f"  {grade:5.1f}  {words:3d}w  {where}: {text[:80]}")
    print(f"  Not gated (under {MIN_WORDS} words, grade shown for the record):")
    for grade, words, where, text in sorted(short, reverse=True):
        print(f"  {grade:5.1f}  {words:3d}w  {where}: {text}")
    return gated


def check(rows):
    too_hard = [
        f"{grade:.1f}: {where}: {text}"
        for grade, words, where, text in rows
        if words >= MIN_WORDS and grade > MAX_GRADE
    ]
    assert not too_hard, f"above grade {MAX_GRADE}:\n" + "\n".join(too_hard)


def test_question_pages_are_plain_language():
    rows = measure(question_texts())
    gated = report("Question pages (Flesch-Kincaid grade)", rows)
    assert len(rows) > 150
    check(rows)
    assert statistics.median(gated) <= MAX_MEDIAN_GRADE


def test_guidance_is_plain_language():
    rows = measure(guidance_texts())
    gated = report("Guidance items of 5 personas (Flesch-Kincaid grade)", rows)
    assert len(rows) >= 20
    check(rows)
    assert statistics.median(gated) <= MAX_MEDIAN_GRADE


def test_all_texts_together_have_a_median_of_at_most_grade_7():
    rows = measure(question_texts() + guidance_texts())
    gated = [grade for grade, words, _, _ in rows if words >= MIN_WORDS]
    median = statistics.median(gated)
    print(f"\nAll texts: {len(gated)} gated, median grade {median:.1f}")
    assert median <= MAX_MEDIAN_GRADE
