"""Words a patient may not know are explained where the summary first uses them: MVD,
hemifacial spasm (HFS), MS, blepharospasm, neurologist and neurosurgeon. Checked on the rendered
guidance of the summary page for several patients."""

import json
import re
from pathlib import Path

import pytest
from conftest import TODAY
from flask import render_template_string

from decision_aid.guidance import result_for
from decision_aid.summary import build_view

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


# The guidance as the summary page shows it, in the page's order (_guidance.html holds macros).
GUIDANCE = (
    '{% from "_guidance.html" import urgent_items, other_items, options_and_questions '
    "with context %}{{ urgent_items(view) }}{{ other_items(view) }}"
    "{{ options_and_questions(view) }}"
)


def rendered_text(app, answers):
    view = build_view(result_for(answers, TODAY))
    with app.test_request_context("/summary"):
        html = render_template_string(GUIDANCE, view=view)
    text = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", text)


def test_the_guidance_is_rendered(app):
    """The text checked below is the guidance itself, not an empty page."""
    text = rendered_text(app, PATIENTS["typical Botox"])
    assert "Your choices, side by side" in text
    assert "hemifacial spasm" in text.lower()


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
