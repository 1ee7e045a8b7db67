"""The rule registry (issue 29): each rule in one place, its thresholds in one module, named in
its trigger, and docs/guidance-rules.md made from it (tests/test_guidance.py checks the file)."""

import ast
import re
from pathlib import Path

import pytest

from decision_aid.guidance import rule_table, thresholds
from decision_aid.guidance.context import Rule

GUIDANCE = Path(__file__).resolve().parent.parent / "decision_aid" / "guidance"
RULE_MODULES = sorted(GUIDANCE.glob("rules_*.py"))
RULES = {rule.id: rule for rule in rule_table.RULES}


def _named(text: str, word: str) -> bool:
    """Whether `word` appears in `text` on its own ("8" in ">= 8", not in "18" or "2018")."""
    return re.search(rf"(?<![\w/]){re.escape(word)}(?![\w/])", text) is not None


@pytest.mark.parametrize("rule_id", RULES)
def test_each_trigger_states_the_thresholds_of_its_rule(rule_id):
    rule = RULES[rule_id]
    for name in rule.thresholds:
        assert name in rule_table.threshold_names(), f"{rule_id}: no threshold {name}"
        for word in thresholds.as_text(getattr(thresholds, name)):
            assert _named(f"{rule.level} {rule.trigger}", word), (
                f"{rule_id}: the trigger does not state {name} ({word})"
            )


def test_named_finds_a_number_only_on_its_own():
    assert _named("`botox_rounds` >= 8.", "8") and _named("at most 3/4 of", "3/4")
    assert not _named("in 2018", "8") and not _named("at most 3/4 of", "3")
    assert not _named("older age (`age_band` `60_69`)", "70_79")


def test_every_threshold_is_used():
    used = {name for rule in rule_table.RULES for name in rule.thresholds}
    unused = set(rule_table.threshold_names()) - used - set(rule_table.OTHER_THRESHOLD_USES)
    assert not unused, f"thresholds no rule names: {sorted(unused)}"
    assert "SURE_CONFLICT_AT_OR_BELOW" in rule_table.threshold_names()


def _registered(path: Path) -> dict[str, str]:
    """The `Rule(...)` entries written in a module: the constant's name -> the check's name."""
    entries = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            call = node.value
            if isinstance(call.func, ast.Name) and call.func.id == "Rule":
                entries[node.targets[0].id] = ast.unparse(call.args[3])
    return entries


def test_each_rule_is_registered_beside_its_function():
    """Each rule's entry is in the module of its function, named after it (EMERGENCY for
    rule_emergency), and rule_table.RULES lists every entry once."""
    seen = []
    for path in RULE_MODULES:
        module = f"decision_aid.guidance.{path.stem}"
        for constant, check in _registered(path).items():
            rule = next(r for r in rule_table.RULES if r.check.__name__ == check)
            assert rule.check.__module__ == module, (constant, module)
            assert check == f"rule_{rule.id}" and constant == rule.id.upper()
            seen.append(rule.id)
    assert sorted(seen) == sorted(RULES) and len(RULES) == len(rule_table.RULES)
    assert all(isinstance(rule, Rule) for rule in rule_table.RULES)


@pytest.mark.parametrize("path", RULE_MODULES, ids=lambda path: path.name)
def test_rule_modules_write_no_number_of_their_own(path):
    """Every threshold is in thresholds.py: a rule module compares against names, and writes no
    number but 0 and 1."""
    numbers = [
        (node.lineno, node.value)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Constant)
        and isinstance(node.value, int | float)
        and not isinstance(node.value, bool)
        and node.value not in (0, 1)
    ]
    assert not numbers, f"{path.name}: numbers (line, value) to move to thresholds.py: {numbers}"


def test_the_rules_document_lists_each_rule_with_its_module_and_thresholds():
    document = rule_table.rules_markdown()
    for rule in rule_table.RULES:
        row = next(line for line in document.splitlines() if line.startswith(f"| `{rule.id}` |"))
        assert f"| `{rule_table.rule_module(rule)}` |" in row
        for name in rule.thresholds:
            assert f"`{name}` = {rule_table.threshold_value(name)}" in row
    assert "| `ROUNDS_FOR_YEARS` | 8 | `ask_about_mvd` |" in document
