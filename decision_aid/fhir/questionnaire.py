"""The `Questionnaire` and our answer `CodeSystem`, generated from the loaded step YAML.

One group item per step (linkId `step-<step id>`; a hyphen never occurs in a question id), one
item per question with `linkId` equal to the answer id, and for a rating question a group whose
rows are `<question id>.<row id>`. Codes are `<question id>.<value>`: the same value can mean
different things in two questions ("other" medicine, "other" side effect), so every code is
qualified by its question.

The codes of a question are the options the form offers, then any value that the answers format
still accepts but the form no longer offers (an earlier edition's value, `retired: true` in the
step YAML); such a code is marked retired in the CodeSystem, and stays an `answerOption` so that
older answers remain valid responses."""

from decision_aid.fhir.canon import CODESYSTEM_ID, EXT, QUESTIONNAIRE_ID, UCUM
from decision_aid.questions.types import ANSWER_TYPES

# `ago` units: our words -> UCUM codes (wk, mo, a = week, month, year).
AGO_UNITS = {"weeks": "wk", "months": "mo", "years": "a"}
ITEM_CONTROL = "http://hl7.org/fhir/questionnaire-item-control"
CHOICE_TYPES = ("single", "multiple")


def step_link_id(step):
    return f"step-{step.id}"


def row_link_id(question, item):
    return f"{question.id}.{item.id}"


def code_for(question_id, value):
    return f"{question_id}.{value}"


def answer_codes(question):
    """[(value, display, retired)] for a choice or rating question, in the form's order. An
    option with the value "" ("Does not apply", "Not sure") is the absence of an answer in the
    answers format, so it has no code."""
    offered = [(o.value, o.label, False) for o in question.options if o.value != ""]
    return offered + [(o.value, o.label, True) for o in question.retired_options]


def coding(canon, question_id, value, display=None):
    result = {"system": canon.codesystem_url, "code": code_for(question_id, value)}
    if display:
        result["display"] = display
    return result


def _extension(name, **value):
    return {"url": f"{EXT}{name}", **value}


def _item_control(code):
    return _extension(
        "questionnaire-itemControl",
        valueCodeableConcept={"coding": [{"system": ITEM_CONTROL, "code": code}]},
    )


def _answer_options(canon, question):
    options = []
    for value, display, _retired in answer_codes(question):
        option = {"valueCoding": coding(canon, question.id, value, display)}
        extensions = []
        if question.exclusive is not None and value == question.exclusive:
            extensions.append(_extension("questionnaire-optionExclusive", valueBoolean=True))
        if isinstance(value, int) and not isinstance(value, bool):
            extensions.append(_extension("ordinalValue", valueDecimal=value))
        if extensions:
            option["extension"] = extensions
        options.append(option)
    return options


def _bounds(question):
    """minValue/maxValue for whole numbers. A bound of 'this_year' moves with the calendar, so
    it is left out rather than frozen into the export."""
    extensions = []
    for name, bound in (("minValue", question.min), ("maxValue", question.max)):
        if isinstance(bound, int) and not isinstance(bound, bool):
            extensions.append(_extension(name, valueInteger=bound))
    return extensions


def _question_item(canon, question):
    item = {
        "linkId": question.id,
        "text": question.label,
        "type": ANSWER_TYPES[question.type].fhir_item,  # decision_aid/questions/types.py
        "required": question.required,
        "repeats": question.type in ("multiple", "question_list"),
    }
    extensions = []
    if question.type in CHOICE_TYPES:
        control = "check-box" if question.type == "multiple" else "radio-button"
        extensions.append(_item_control(control))
        item["answerOption"] = _answer_options(canon, question)
    elif question.type == "number":
        extensions += _bounds(question)
    elif question.type == "ago":
        extensions += [
            _extension(
                "questionnaire-unitOption",
                valueCoding={"system": UCUM, "code": code, "display": unit},
            )
            for unit, code in AGO_UNITS.items()
        ]
    elif question.type == "question_list":
        item["answerOption"] = [{"valueString": str(o.value)} for o in question.options]
        if question.max_items:
            extensions.append(
                _extension("questionnaire-maxOccurs", valueInteger=question.max_items)
            )
    if question.max_length and question.type in ("text", "textarea", "question_list"):
        item["maxLength"] = question.max_length
    if extensions:
        item["extension"] = extensions
    return item


def _rating_item(canon, question):
    rows = []
    for row in question.items:
        rows.append(
            {
                "linkId": row_link_id(question, row),
                "text": row.label,
                "type": "choice",
                "required": question.required,
                "repeats": False,
                "extension": [_item_control("radio-button")],
                "answerOption": _answer_options(canon, question),
            }
        )
    return {
        "linkId": question.id,
        "text": question.label,
        "type": "group",
        "required": question.required,
        "extension": [_item_control("table")],
        "item": rows,
    }


def enable_when(canon, questionnaire, condition):
    """A branching condition as enableWhen entries (with enableBehavior when there are
    several). `contains` on a repeating item is "=": FHIR counts any one answer."""
    if not condition:
        return {}
    question = questionnaire.question(condition["question"])
    equals = condition.get("equals")
    if isinstance(equals, list):
        # "Exactly these ticked" (the eyelid alone): FHIR's enableWhen cannot say "and nothing
        # else", so the export asks for each of them; the app asks the narrower question.
        entries = [
            {"question": question.id, "operator": "=", **_condition_answer(canon, question, v)}
            for v in equals
        ]
        return {"enableWhen": entries, **({"enableBehavior": "all"} if len(entries) > 1 else {})}
    values = (
        condition["in"]
        if "in" in condition
        else condition["contains_any"]
        if "contains_any" in condition
        else [condition.get("equals", condition.get("contains"))]
    )
    entries = [
        {"question": question.id, "operator": "=", **_condition_answer(canon, question, v)}
        for v in values
    ]
    result = {"enableWhen": entries}
    if len(entries) > 1:
        result["enableBehavior"] = "any"
    return result


def _condition_answer(canon, question, value):
    if question.type in CHOICE_TYPES:
        return {"answerCoding": coding(canon, question.id, value, question.option_label(value))}
    if question.type == "number":
        return {"answerInteger": value}
    if question.type in ("month_year", "date"):
        return {"answerDate": value}
    if question.type in ("text", "textarea"):
        return {"answerString": value}
    raise ValueError(f"{question.id}: a condition on a '{question.type}' question has no FHIR form")


def question_items(canon, questionnaire):
    groups = []
    for step in questionnaire.steps:
        items = []
        for question in step.questions:
            if question.ui_only:
                continue  # a page-only helper (which follow-up to show): never an answer
            item = (
                _rating_item(canon, question)
                if question.type == "rating"
                else _question_item(canon, question)
            )
            item.update(enable_when(canon, questionnaire, question.show_if))
            if question.show_if and isinstance(question.show_if.get("equals"), list):
                item.pop("required", None)  # enabled more widely than the app asks it
            items.append(item)
        group = {"linkId": step_link_id(step), "text": step.title, "type": "group"}
        group.update(enable_when(canon, questionnaire, step.show_if))
        group["item"] = items
        groups.append(group)
    return groups


def questionnaire(canon, the_questionnaire):
    """The FHIR Questionnaire for the loaded question data."""
    return {
        "resourceType": "Questionnaire",
        "id": QUESTIONNAIRE_ID,
        "url": canon.questionnaire_url,
        "version": canon.version,
        "name": "HemifacialSpasmDecisionAid",
        "title": "Hemifacial spasm: preparing for a treatment decision",
        "status": "active",
        "subjectType": ["Patient"],
        "date": canon.date,
        "description": (
            "Questions for people with hemifacial spasm who are preparing for a treatment "
            "decision: symptoms, their course, treatments tried, daily life, priorities, the "
            "SURE test and the patient's own questions. Not a diagnosis."
        ),
        "item": question_items(canon, the_questionnaire),
    }


def codesystem(canon, the_questionnaire):
    """Our CodeSystem: one abstract concept per question, with its answer codes under it."""
    concepts = []
    for question in the_questionnaire.questions():
        codes = answer_codes(question) if question.type in (*CHOICE_TYPES, "rating") else []
        if not codes:
            continue
        children = []
        for value, display, retired in codes:
            child = {"code": code_for(question.id, value), "display": display}
            if retired:
                child["property"] = [{"code": "status", "valueCode": "retired"}]
            children.append(child)
        concepts.append(
            {
                "code": question.id,
                "display": question.label,
                "property": [{"code": "notSelectable", "valueBoolean": True}],
                "concept": children,
            }
        )
    return {
        "resourceType": "CodeSystem",
        "id": CODESYSTEM_ID,
        "url": canon.codesystem_url,
        "version": canon.version,
        "name": "HemifacialSpasmDecisionAidAnswers",
        "title": "Hemifacial spasm decision aid: answer codes",
        "status": "active",
        "date": canon.date,
        "description": (
            "The answers of the hemifacial spasm decision aid. A code is <question id>.<value>; "
            "each question is an abstract concept grouping its answers."
        ),
        "caseSensitive": True,
        "hierarchyMeaning": "grouped-by",
        "content": "complete",
        "property": [
            {
                "code": "notSelectable",
                "uri": "http://hl7.org/fhir/concept-properties#notSelectable",
                "type": "boolean",
            },
            {
                "code": "status",
                "uri": "http://hl7.org/fhir/concept-properties#status",
                "type": "code",
            },
        ],
        "concept": concepts,
    }
