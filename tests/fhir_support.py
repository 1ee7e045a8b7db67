"""Independent checks of every FHIR resource the app makes:

1. HL7's FHIR R4 JSON Schema (`tests/vendor/fhir.schema.json`, see tests/vendor/README.md),
   with Python's `jsonschema`;
2. the R4B models of `fhir.resources` (pydantic), whose Questionnaire, QuestionnaireResponse,
   Bundle, DocumentReference, Patient, CodeSystem and OperationOutcome are those of R4;
3. the SDC rules that neither runs (`sdc_problems`)."""

import json
from functools import cache
from pathlib import Path

import jsonschema
from fhir.resources.R4B import get_fhir_model_class
from jsonschema import validators

SCHEMA_FILE = Path(__file__).parent / "vendor" / "fhir.schema.json"
DEFINITIONS = "#/definitions/"


def _discriminated_one_of(validator, one_of, instance, schema):
    """`oneOf` as the schema's own `discriminator` (resourceType) declares it: a resource is
    checked against the definition its resourceType names. Every branch fixes resourceType
    with `const`, so this gives the same verdict as trying all ~150 branches, in a fraction of
    the time. Anything else falls back to the standard `oneOf`."""
    names = {
        branch.get("$ref", "")[len(DEFINITIONS) :]: branch
        for branch in one_of
        if isinstance(branch, dict) and branch.get("$ref", "").startswith(DEFINITIONS)
    }
    kind = instance.get("resourceType") if isinstance(instance, dict) else None
    if len(names) == len(one_of) and isinstance(kind, str) and kind in names:
        yield from validator.descend(instance, names[kind])
        return
    yield from jsonschema._keywords.oneOf(validator, one_of, instance, schema)


FhirValidator = validators.extend(jsonschema.Draft6Validator, {"oneOf": _discriminated_one_of})


@cache
def _schema_validator():
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    FhirValidator.check_schema(schema)
    return FhirValidator(schema)


def schema_errors(resource):
    """Every way `resource` breaks HL7's R4 JSON Schema, as "path: message" lines."""
    errors = _schema_validator().iter_errors(resource)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message[:300]}"
        for error in sorted(errors, key=lambda e: list(map(str, e.absolute_path)))
    ]


def model_errors(resource):
    """The fhir.resources (R4B) verdict: [] or the pydantic errors."""
    try:
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
    except Exception as error:  # pydantic's ValidationError, or an unknown resourceType
        return [str(error)[:2000]]
    return []


def assert_valid(resource):
    """Both validators accept the resource."""
    assert schema_errors(resource) == [], schema_errors(resource)
    assert model_errors(resource) == [], model_errors(resource)


def _walk(items, parents=()):
    for item in items or []:
        yield item, parents
        yield from _walk(item.get("item"), (*parents, item))


def sdc_problems(questionnaire, response=None, required=True):
    """The SDC rules that neither validator checks: unique linkIds, groups with items, every
    enableWhen.question an earlier linkId; and for a response, every linkId in the
    Questionnaire, every coded answer in its item's answerOption, no empty group, no answer
    to a disabled item and (unless `required` is false, for made-up answers) no unanswered
    required item that is enabled."""
    problems = []
    items = [item for item, _ in _walk(questionnaire["item"])]
    link_ids = [item["linkId"] for item in items]
    problems += [
        f"linkId {link} is used twice" for link in set(link_ids) if link_ids.count(link) > 1
    ]
    for index, item in enumerate(items):
        if item["type"] == "group" and not item.get("item"):
            problems.append(f"group {item['linkId']} has no items")
        earlier = set(link_ids[:index])
        for condition in item.get("enableWhen", []):
            if condition["question"] not in earlier:
                problems.append(
                    f"{item['linkId']}: enableWhen on {condition['question']}, not earlier"
                )
    if response is not None:
        by_link = {i["linkId"]: i for i in items}
        problems += _response_problems(by_link, questionnaire, response, required)
    return problems


def _answers_by_link(response):
    return {item["linkId"]: item.get("answer", []) for item, _ in _walk(response.get("item"))}


def _value_of(entry, prefix):
    """An answer's value (`value...`) or an enableWhen's (`answer...`); a Coding by its code."""
    for key, value in entry.items():
        if key.startswith(prefix) and key != "answer":
            return value["code"] if isinstance(value, dict) and "code" in value else value
    return None


def _enabled(item, answers):
    conditions = item.get("enableWhen")
    if not conditions:
        return True
    results = [
        any(_value_of(a, "value") == _value_of(c, "answer") for a in answers.get(c["question"], []))
        for c in conditions
    ]
    return any(results) if item.get("enableBehavior") == "any" else all(results)


def _response_problems(by_link, questionnaire, response, required):
    problems = []
    answers = _answers_by_link(response)
    for item, _parents in _walk(response.get("item")):
        definition = by_link.get(item["linkId"])
        if definition is None:
            problems.append(f"{item['linkId']} is not in the Questionnaire")
            continue
        if definition["type"] == "group" and not item.get("item"):
            problems.append(f"group {item['linkId']} is empty")
        codes = [
            o["valueCoding"]["code"]
            for o in definition.get("answerOption", [])
            if "valueCoding" in o
        ]
        for answer in item.get("answer", []):
            coded = answer.get("valueCoding")
            if coded and coded["code"] not in codes:
                problems.append(f"{item['linkId']}: {coded['code']} is not an answerOption")
        if not definition.get("repeats") and len(item.get("answer", [])) > 1:
            problems.append(f"{item['linkId']}: several answers, but it does not repeat")
    for item, parents in _walk(questionnaire["item"]):
        enabled = all(_enabled(x, answers) for x in (*parents, item))
        present = item["linkId"] in answers
        if present and not enabled:
            problems.append(f"{item['linkId']} is answered but not enabled")
        if (
            required
            and enabled
            and item.get("required")
            and item["type"] != "group"
            and not answers.get(item["linkId"])
        ):
            problems.append(f"{item['linkId']} is required and enabled but not answered")
    return problems
