"""The questionnaire as data. Each step is a YAML file in `steps/`, named NN_<step>.yaml so that
the number fixes the order. The files are loaded and checked once, at start-up: a mistake stops
the app with a message that names the file and the field. Nothing here knows about Flask.

The step files are the single source of every answer id, value, bound and label: the forms, the
guidance engine's checks (`decision_aid.guidance.model`), its words for each answer and the JSON
Schema (`decision_aid.schema`) are all read from what is loaded here. What each `type` means (its
YAML keys, stored-value check, JSON Schema and FHIR mapping) is its entry in `types.py`."""

from functools import cache

from decision_aid.questions.load import STEPS_DIR, TYPES, QuestionnaireError, load_questionnaire
from decision_aid.questions.questionnaire import (
    THIS_YEAR_BOUND,
    Question,
    Questionnaire,
    Step,
    condition_holds,
)

# What the rest of the app and the tests use; the other names are in load.py, questionnaire.py.
__all__ = [
    "STEPS_DIR",
    "THIS_YEAR_BOUND",
    "TYPES",
    "Question",
    "Questionnaire",
    "QuestionnaireError",
    "Step",
    "condition_holds",
    "followup_questionnaire",
    "load_questionnaire",
    "packaged_questionnaire",
]


@cache
def packaged_questionnaire():
    """The questionnaire in this package, loaded once. The guidance engine and the schema read
    their ids, values, bounds and words from it; the app loads its own copy at start-up."""
    return load_questionnaire()


FOLLOWUP_DIR = STEPS_DIR.parent / "followup"


@cache
def followup_questionnaire():
    """ "How did your appointment go?" (issue 31): one step, asked after the appointment and kept
    beside the answers, not in the answers document (decision_aid.store.followup)."""
    return load_questionnaire(FOLLOWUP_DIR)
