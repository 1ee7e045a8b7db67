"""The guidance engine: a pure core that turns an answers document into sourced, balanced
guidance (docs/answers-format.md). No Flask, no clock: `today` is passed in.

    result = evaluate(answers, today)   # raises ValidationError on an invalid document
    problems = validate(answers, today)  # [] when valid; each message starts with the field

The words, options and sources are in the YAML files next to this module; the rule logic is in
rules.py, the rule table in rule_table.py.
The answers' ids, values, bounds and words are the questionnaire's
(decision_aid/questions/): model.py reads them from there."""

from decision_aid.guidance.engine import evaluate
from decision_aid.guidance.model import Answers, ValidationError, parse, validate
from decision_aid.guidance.rule_table import RULE_IDS, rules_markdown
from decision_aid.guidance.text import format_text

__all__ = [
    "RULE_IDS",
    "Answers",
    "ValidationError",
    "evaluate",
    "format_text",
    "parse",
    "rules_markdown",
    "validate",
]
