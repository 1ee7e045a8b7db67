"""Words a patient may not know are explained where the summary first uses them: MVD,
hemifacial spasm (HFS), MS, blepharospasm, neurologist and neurosurgeon. Checked on the rendered
guidance of the summary page for several patients."""

import json
import re
from pathlib import Path

import pytest
from conftest import TODAY
from flask import render_template

from decision_aid.guidance import evaluate
from decision_aid.wizard import source_numbers

ANSWERS = Path(__file__).parent / "data" / "answers"
# term -> an explanation that must cover its first use
JARGON = {
    "MVD": r"operation called MVD|an operation \(MVD|MVD \(microvascular decompression\)",
    "HFS": r"[Hh]emifacial spasm \(HFS\)",
    "hemifacial spasm": r"What hemifacial spasm is|[Hh]emifacial spasm \(HFS\)",
    "MS": r"MS \(multiple sclerosis\)",
    "blepharospasm": r"blepharospasm, where",
    "neurologist": r"neurologist \(a doctor for the brain and nerves\)|"
    r"neurologist or neurosurgeon \(doctors for the brain and nerves\)",
    "neurosurgeon": r"neurosurgeon \(a brain|neurologist or neurosurgeon \(doctors for the brain",
}
PATIENTS = {
    "typical Botox": json.loads((ANSWERS / "typical_botox.json").read_text()),
    "red flags": json.loads((ANSWERS / "red_flag.json").read_text()),
    "both eyes, both sides, before 40": {
        "side": "both",
        "red_flags": ["both_eyes"],
        "onset_before_40": "yes",
        "seen_by": ["none"],
    },
    "leans to surgery": {"leaning": "surgery", "priorities": {"lasting_fix": "very"}},
    "nothing said": {},
}


def rendered_text(app, answers):
    result = evaluate(answers, TODAY)
    with app.test_request_context("/summary"):
        html = render_template(
            "_guidance.html", result=result, source_numbers=source_numbers(result)
        )
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("name", PATIENTS)
def test_jargon_is_explained_at_first_use(app, name):
    text = rendered_text(app, PATIENTS[name])
    unexplained = []
    for term, explanation in JARGON.items():
        first = re.search(rf"\b{re.escape(term)}\b", text)
        if first is None:
            continue
        covers = [m for m in re.finditer(explanation, text) if m.start() <= first.start()]
        if not any(m.end() > first.start() for m in covers):
            unexplained.append((term, text[max(0, first.start() - 60) : first.end() + 60]))
    assert unexplained == []
