"""The guidance engine: a pure core that turns an answers document into sourced, balanced
guidance (docs/answers-format.md). No Flask, no clock: `today` is passed in.

    result = result_for(answers, today)  # a GuidanceResult (guidance/result.py); raises
                                         # ValidationError on an invalid document
    data = evaluate(answers, today)      # the same as JSON: result.to_json()
    problems = validate(answers, today)  # [] when valid; each message starts with the field

The words, options and sources are in the YAML files next to this module. Each rule is in one
rules_*.py module by topic, its function beside its registry entry (trigger, level, thresholds);
every threshold is in thresholds.py; rule_table.py lists the rules in order
(docs/guidance-rules.md has the map). engine.py puts the result together: its items,
options and scores, with the facts for the clinician from facts.py (a Facts, result_facts.py)
and the questions to ask from ask_your_doctor.py.
The answers' ids, values, bounds and words are the questionnaire's
(decision_aid/questions/): model.py reads them from there."""

from decision_aid.guidance.engine import evaluate, result_for
from decision_aid.guidance.model import Answers, ValidationError, parse, validate
from decision_aid.guidance.result import GuidanceResult
from decision_aid.guidance.rule_table import RULE_IDS, rules_markdown
from decision_aid.guidance.urgent import (
    INTERRUPT_ITEMS,
    urgent_codes,
    urgent_names,
    urgent_titles,
    urgent_words,
)

__all__ = [
    "INTERRUPT_ITEMS",
    "RULE_IDS",
    "Answers",
    "GuidanceResult",
    "ValidationError",
    "evaluate",
    "parse",
    "result_for",
    "rules_markdown",
    "urgent_codes",
    "urgent_names",
    "urgent_titles",
    "urgent_words",
    "validate",
]
