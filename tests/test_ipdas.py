"""docs/ipdas.md maps each IPDAS qualifying, general certification and quality criterion (and the
development-process items) to where the tool meets it. Every criterion has a row, and every place
named in a row exists."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
QUALIFYING = {
    "Describes the condition",
    "States the decision",
    "Describes the options",
    "Describes each option's benefits",
    "Describes each option's harms",
    "Describes living with the consequences",
}
CERTIFICATION = {
    "Positives and negatives in equal detail",
    "Evidence cited",
    "Production date",
    "Update policy",
    "Uncertainty around probabilities",
    "Funding source disclosed",
}

# The 23 quality criteria that apply to a treatment decision (28 less 5 for tests).
QUALITY = {
    "Describes the natural course without the options",
    "Describes the procedures",
    "Lets the options be compared",
    "Gives outcome probabilities",
    "Names the group the probabilities apply to",
    "Gives event rates for the outcomes",
    "Gives the time period of the probabilities",
    "Compares probabilities with the same denominator",
    "Shows probabilities in more than one way",
    "Asks which features matter most to the patient",
    "Gives a step-by-step way to decide",
    "Gives tools to discuss the options with a practitioner",
    "Needs assessment with patients",
    "Needs assessment with practitioners",
    "Review by patients not involved in development",
    "Field test with patients facing the decision",
    "Field test with practitioners",
    "Describes how the evidence was selected",
    "Describes the quality of the evidence",
    "Discloses competing interests",
    "Reports readability levels",
    "Improves the match between informed preferences and the option chosen",
    "Improves knowledge",
}
DEVELOPMENT = {
    "Describes how the content was developed",
    "Gives the authors' and reviewers' credentials",
    "States whether it uses patient stories, and why",
    "Has an update policy with a review cycle and triggers",
    "Has an evaluation plan",
    "Content checked by a clinician",
}
KINDS = {
    "qualifying": QUALIFYING,
    "certification": CERTIFICATION,
    "quality": QUALITY,
    "development": DEVELOPMENT,
}


def rows():
    text = (ROOT / "docs" / "ipdas.md").read_text(encoding="utf-8")
    result = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1] in KINDS:
            result[cells[0]] = (cells[1], re.findall(r"`([^`]+)`", cells[3]))
    return result


def place_exists(place):
    if "::" in place:  # a test
        path, name = place.split("::")
        return re.search(rf"^def {name}\(", (ROOT / path).read_text(), re.M) is not None
    path, _, key = place.partition(":")
    if not (ROOT / path).exists():
        return False
    if not key:
        return True
    if path.endswith(".yaml"):
        data = yaml.safe_load((ROOT / path).read_text(encoding="utf-8"))
        for part in key.split("."):
            if not isinstance(data, dict) or part not in data:
                return False
            data = data[part]
        return True
    return key in (ROOT / path).read_text(encoding="utf-8")


def test_every_criterion_has_a_row():
    found = rows()
    for kind, names in KINDS.items():
        assert {name for name, (k, _) in found.items() if k == kind} == names, kind


def test_every_place_exists():
    missing = [
        (name, place)
        for name, (_, places) in rows().items()
        for place in places
        if not place_exists(place)
    ]
    assert all(places for _, places in rows().values())
    assert missing == []
