"""FHIR R4 (4.0.1) for the questionnaire and the answers: pure mapping, no Flask.

- `questionnaire.py`: the `Questionnaire` and our answer `CodeSystem`, generated from the step
  YAML, never from copied ids or values.
- `response.py`: answers document <-> `QuestionnaireResponse`, with a per-problem
  `OperationOutcome` when a response cannot be read back.
- `resources.py`: the other resources around them (the record `Bundle` with its
  `DocumentReference`, search `Bundle`s, `OperationOutcome`, `CapabilityStatement`).

docs/fhir.md describes the mapping."""

from decision_aid.fhir.canon import DEFAULT_BASE_URL, FHIR_VERSION, Canon
from decision_aid.fhir.questionnaire import codesystem, questionnaire
from decision_aid.fhir.resources import (
    capability_statement,
    issue,
    operation_outcome,
    outcome_lines,
    record_bundle,
    searchset,
)
from decision_aid.fhir.response import (
    ImportProblems,
    answers_from_response,
    canonical_answers,
    questionnaire_response,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "FHIR_VERSION",
    "Canon",
    "ImportProblems",
    "answers_from_response",
    "canonical_answers",
    "capability_statement",
    "codesystem",
    "issue",
    "operation_outcome",
    "outcome_lines",
    "questionnaire",
    "questionnaire_response",
    "record_bundle",
    "searchset",
]
