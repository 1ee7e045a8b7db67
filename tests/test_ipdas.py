"""docs/ipdas.md maps each IPDAS qualifying and general certification criterion to where the tool
meets it. Every criterion has a row, and every place named in a row exists."""

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


def rows():
    text = (ROOT / "docs" / "ipdas.md").read_text(encoding="utf-8")
    result = {}
    for line in text.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[1] in ("qualifying", "certification"):
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
    assert {name for name, (kind, _) in found.items() if kind == "qualifying"} == QUALIFYING
    assert {name for name, (kind, _) in found.items() if kind == "certification"} == CERTIFICATION


def test_every_place_exists():
    missing = [
        (name, place)
        for name, (_, places) in rows().items()
        for place in places
        if not place_exists(place)
    ]
    assert all(places for _, places in rows().values())
    assert missing == []
