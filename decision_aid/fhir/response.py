"""An answers document <-> a `QuestionnaireResponse` to our Questionnaire.

The response holds the answers in `canonical_answers` form, and `answers_from_response` gives
exactly that back: for every valid document the wizard stores, the round trip is the identity.
A response that cannot be read back raises `ImportProblems`, one OperationOutcome issue per
problem (another questionnaire, an unknown linkId, an unknown code, a wrong value type, and
whatever the answers format itself refuses)."""

from decision_aid.fhir.canon import UCUM
from decision_aid.fhir.questionnaire import (
    AGO_UNITS,
    CHOICE_TYPES,
    answer_codes,
    code_for,
    coding,
    row_link_id,
    step_link_id,
)
from decision_aid.fhir.resources import instant, issue
from decision_aid.guidance.model import validate
from decision_aid.questions import condition_holds
from decision_aid.questions.types import ANSWER_TYPES

UNIT_FOR_CODE = {code: unit for unit, code in AGO_UNITS.items()}
PATIENT_ID = "patient"
_BAD = object()  # an answer that could not be read (its problem is already recorded)


class ImportProblems(ValueError):
    """A response that cannot become an answers document. `issues` are OperationOutcome
    issues, one per problem."""

    def __init__(self, issues):
        super().__init__("; ".join(i["diagnostics"] for i in issues))
        self.issues = list(issues)


# --- answers -> QuestionnaireResponse ----------------------------------------------------------


def _empty(value):
    return value is None or (isinstance(value, str | list | dict) and len(value) == 0)


def canonical_answers(questionnaire, answers):
    """The answers as a response holds them: in question order, without what carries no answer
    (null, "", [], {}, an empty line in the question list, a rating row without an answer),
    without fields that are not questions, and without answers to questions that do not apply
    (a skipped step: FHIR forbids answers to disabled items, and the wizard drops them too).
    Conditions are judged on the answers kept so far, as enableWhen is. For every document the
    wizard stores, this changes nothing."""
    kept = {}
    for step in questionnaire.steps:
        if not condition_holds(step.show_if, kept):
            continue
        for question in step.questions:
            if question.ui_only or not _enabled_as_exported(question.show_if, kept):
                continue
            value = _canonical_value(question, answers.get(question.id))
            if not _empty(value):
                kept[question.id] = value
    return kept


def _enabled_as_exported(condition, kept):
    """A condition as the Questionnaire's enableWhen says it: "exactly these ticked" is
    exported as "each of these ticked" (see questionnaire.enable_when)."""
    if condition and isinstance(condition.get("equals"), list):
        given = kept.get(condition["question"]) or []
        return all(value in given for value in condition["equals"])
    return condition_holds(condition, kept)


def _canonical_value(question, value):
    if question.type == "question_list" and isinstance(value, list):
        return [line for line in value if line != ""]
    if question.type == "rating" and isinstance(value, dict):
        return {row.id: value[row.id] for row in question.items if value.get(row.id) is not None}
    return value


def _patient(answers):
    """The patient's name and date of birth, when given, as a contained Patient."""
    if "name" not in answers and "date_of_birth" not in answers:
        return None
    patient = {"resourceType": "Patient", "id": PATIENT_ID}
    if "name" in answers:
        patient["name"] = [{"text": answers["name"]}]
    if "date_of_birth" in answers:
        patient["birthDate"] = answers["date_of_birth"]
    return patient


def questionnaire_response(
    canon,
    questionnaire,
    answers,
    *,
    authored,
    status="completed",
    reference=None,
    resource_id=None,
    last_updated=None,
):
    """The answers as a QuestionnaireResponse. `authored` is when the patient finished;
    `reference` (ABCD-EFGH) becomes an identifier; `last_updated` the meta.lastUpdated."""
    answers = canonical_answers(questionnaire, answers)
    resource = {"resourceType": "QuestionnaireResponse"}
    if resource_id:
        resource["id"] = resource_id
    if last_updated:
        resource["meta"] = {"lastUpdated": instant(last_updated, precise=True)}
    patient = _patient(answers)
    if patient:
        resource["contained"] = [patient]
    if reference:
        resource["identifier"] = {"system": canon.reference_system, "value": reference}
    resource["questionnaire"] = canon.questionnaire_canonical
    resource["status"] = status
    if patient:
        resource["subject"] = {"reference": f"#{PATIENT_ID}"}
    resource["authored"] = instant(authored)
    items = _items(canon, questionnaire, answers)
    if items:
        resource["item"] = items
    return resource


def _items(canon, questionnaire, answers):
    groups = []
    for step in questionnaire.steps:
        items = [
            _answer_item(canon, question, answers[question.id])
            for question in step.questions
            if question.id in answers
        ]
        if items:
            groups.append({"linkId": step_link_id(step), "text": step.title, "item": items})
    return groups


def _answer_item(canon, question, value):
    item = {"linkId": question.id, "text": question.label}
    if question.type == "rating":
        item["item"] = [
            {
                "linkId": row_link_id(question, row),
                "text": row.label,
                "answer": [_choice(canon, question, value[row.id])],
            }
            for row in question.items
            if row.id in value
        ]
    else:
        item["answer"] = _answers(question, value, canon)
    return item


def _answers(question, value, canon):
    kind = question.type
    if kind == "single":
        return [_choice(canon, question, value)]
    if kind == "multiple":
        return [_choice(canon, question, one) for one in value]
    if kind == "question_list":
        return [{"valueString": line} for line in value]
    if kind == "ago":
        quantity = {"value": value["amount"], "unit": value["unit"], "system": UCUM}
        if value["unit"] in AGO_UNITS:
            quantity["code"] = AGO_UNITS[value["unit"]]
        return [{"valueQuantity": quantity}]
    if kind == "time":
        return [{"valueTime": f"{value}:00"}]  # FHIR's time has seconds
    return [{ANSWER_TYPES[kind].fhir_value: value}]  # its element (questions/types.py)


def _choice(canon, question, value):
    displays = {code_value: display for code_value, display, _ in answer_codes(question)}
    return {"valueCoding": coding(canon, question.id, value, displays.get(value))}


# --- QuestionnaireResponse -> answers ----------------------------------------------------------


def answers_from_response(canon, questionnaire, resource, today):
    """The answers document a response holds. Raises ImportProblems with every problem."""
    if not isinstance(resource, dict) or resource.get("resourceType") != "QuestionnaireResponse":
        kind = resource.get("resourceType") if isinstance(resource, dict) else type(resource)
        message = f"not a QuestionnaireResponse (resourceType is {kind!r})"
        raise ImportProblems([issue("structure", message, "resourceType")])
    _check_questionnaire(canon, resource)
    issues = []
    found = _collect(questionnaire, resource.get("item"), issues)
    answers = {}
    for question in questionnaire.questions():
        if question.id in found:
            value = _read(canon, question, found[question.id], issues)
            if not _empty(value):
                answers[question.id] = value
    for problem in validate(answers, today) if not issues else []:
        issues.append(issue("invalid", problem, problem.split(":")[0].split("[")[0]))
    if issues:
        raise ImportProblems(issues)
    return answers


def _check_questionnaire(canon, resource):
    named = resource.get("questionnaire")
    where = "QuestionnaireResponse.questionnaire"
    if not isinstance(named, str) or not named:
        message = f"the response does not name its questionnaire ({canon.questionnaire_url})"
        raise ImportProblems([issue("required", message, where)])
    url = named.split("|")[0]
    if url != canon.questionnaire_url:
        message = (
            f"a response to another questionnaire ({url}); only responses to "
            f"{canon.questionnaire_url} can be read"
        )
        raise ImportProblems([issue("not-supported", message, where)])


def _collect(questionnaire, items, issues):
    """{question id: (answers, where)}, or for a rating question {row id: (answers, where)},
    from items at any depth. Unknown linkIds and repeated questions are problems."""
    steps = {step_link_id(step) for step in questionnaire.steps}
    questions = {question.id: question for question in questionnaire.questions()}
    rows = {
        row_link_id(question, row): (question.id, row.id)
        for question in questions.values()
        if question.type == "rating"
        for row in question.items
    }
    found = {}

    def walk(items, where):
        if items is None:
            return
        if not isinstance(items, list):
            issues.append(issue("structure", "must be a list of items", where))
            return
        for index, item in enumerate(items):
            at = f"{where}.item[{index}]"
            link = item.get("linkId") if isinstance(item, dict) else None
            if link in steps or (link in questions and questions[link].type == "rating"):
                walk(item.get("item"), at)
            elif link in questions or link in rows:
                question_id, row_id = rows.get(link, (link, None))
                place = found.setdefault(question_id, {}) if row_id else found
                key = row_id or question_id
                if key in place:
                    issues.append(issue("duplicate", f"{link}: answered more than once", at))
                else:
                    place[key] = (item.get("answer"), at)
            else:
                message = f"unknown linkId {link!r}: not an item of this questionnaire"
                issues.append(issue("not-found", message, at))

    walk(items, "QuestionnaireResponse")
    return found


def _read(canon, question, found, issues):
    if question.type == "rating":
        rows = {}
        for row in question.items:
            if row.id in found:
                value = _single(canon, question, *found[row.id], issues)
                if value is not _BAD and value is not None:
                    rows[row.id] = value
        return rows
    if question.type in ("multiple", "question_list"):
        answers, where = found
        values = [
            _value(canon, question, answer, f"{where}.answer[{index}]", issues)
            for index, answer in enumerate(_answer_list(answers, where, issues))
        ]
        return [value for value in values if value is not _BAD]
    value = _single(canon, question, *found, issues)
    return None if value is _BAD else value


def _answer_list(answers, where, issues):
    if answers is None:
        return []
    if not isinstance(answers, list):
        issues.append(issue("structure", "answer must be a list", where))
        return []
    return answers


def _single(canon, question, answers, where, issues):
    answers = _answer_list(answers, where, issues)
    if len(answers) > 1:
        issues.append(issue("structure", f"{question.id}: only one answer is allowed", where))
        return _BAD
    return _value(canon, question, answers[0], f"{where}.answer[0]", issues) if answers else None


def _value(canon, question, answer, where, issues):
    key = ANSWER_TYPES[question.type].fhir_value
    value = answer.get(key) if isinstance(answer, dict) else None
    if value is None:
        issues.append(issue("invalid", f"{question.id}: the answer must be a {key}", where))
        return _BAD
    if question.type in (*CHOICE_TYPES, "rating"):
        return _code(canon, question, value, f"{where}.{key}", issues)
    if question.type == "ago":
        return _quantity(question, value, f"{where}.{key}", issues)
    if question.type == "time" and isinstance(value, str) and len(value) >= 5:
        return value[:5]  # 14:30:00 -> 14:30 (the answers keep minutes)
    return value


def _code(canon, question, value, where, issues):
    codes = {code_for(question.id, v): v for v, _display, _retired in answer_codes(question)}
    system = value.get("system") if isinstance(value, dict) else None
    code = value.get("code") if isinstance(value, dict) else None
    if system != canon.codesystem_url:
        message = f"{question.id}: the code system must be {canon.codesystem_url}, not {system!r}"
        issues.append(issue("code-invalid", message, where))
        return _BAD
    if code not in codes:
        message = f"{question.id}: unknown code {code!r}; the codes are {', '.join(codes)}"
        issues.append(issue("code-invalid", message, where))
        return _BAD
    return codes[code]


def _quantity(question, value, where, issues):
    unit = UNIT_FOR_CODE.get(value.get("code")) if isinstance(value, dict) else None
    if unit is None or value.get("system", UCUM) != UCUM:
        units = ", ".join(f"{code} ({word})" for word, code in AGO_UNITS.items())
        message = f"{question.id}: the unit must be a UCUM code: {units}"
        issues.append(issue("code-invalid", message, where))
        return _BAD
    return {"amount": value.get("value"), "unit": unit}
