"""The staff form of each guidance sentence sits next to the patient's form in items.yaml, and
the engine returns both: the same keys, the same blanks, and words about the patient."""

import json
import re
import string
from pathlib import Path

from conftest import TODAY

from decision_aid.guidance import evaluate
from decision_aid.guidance.content import load

ANSWERS = Path(__file__).parent / "data" / "answers"
SECOND_PERSON = re.compile(r"\b(you|your|yours|yourself)\b", re.I)


def _blanks(template):
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_item_has_a_staff_title_and_a_staff_form_of_each_reason():
    for item_id, item in load("items").items():
        staff = item["staff"]
        assert staff["title"] and not SECOND_PERSON.search(staff["title"]), item_id
        assert set(staff.get("titles", {})) == set(item.get("titles", {})), item_id
        assert set(staff["reasons"]) == set(item["reasons"]), item_id
        for key, template in item["reasons"].items():
            words = staff["reasons"][key]
            assert _blanks(words) == _blanks(template), (item_id, key)
            assert not SECOND_PERSON.search(words), (item_id, key)


def test_the_engine_returns_both_forms_and_the_staff_level():
    for path in sorted(ANSWERS.glob("*.json")):
        result = evaluate(json.loads(path.read_text(encoding="utf-8")), TODAY)
        for item in result["items"]:
            assert len(item["staff_reasons"]) == len(item["reasons"])
            assert item["staff_level"] in {"Urgent", "Recommended", "Discussed"}
            assert not SECOND_PERSON.search(" ".join(item["staff_reasons"]))
        assert all(not SECOND_PERSON.search(w) for w in result["facts"]["sure_words"])
