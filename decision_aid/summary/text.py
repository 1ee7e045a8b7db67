"""format_text(result): the summary as plain text, for the command line. It renders the summary
view (view.py), as the pages and the PDF do."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

from decision_aid.guidance.result import GuidanceResult
from decision_aid.summary.view import SummaryView, build_view

WIDTH = 88


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=indent if first is None else first, subsequent_indent=indent
    ) or [first or indent]


def _cite(refs) -> str:
    return f"(Sources: {'; '.join(ref.short for ref in refs)})"


def _items(view: SummaryView) -> list[str]:
    lines = ["YOUR GUIDANCE", ""]
    if not view.items:
        lines += ["Nothing in your answers needs special action.", ""]
    for item in view.items:
        lines += _wrap(f"[{item.level_name.upper()}] {item.title}")
        lines += _wrap(item.text, "    ")
        if item.for_doctor:
            lines += _wrap(item.for_doctor, "      ", "    For your doctor: ")
        for reason in item.reasons:
            lines += _wrap(reason, "      ", "    - Why: ")
        lines += _wrap(_cite(item.refs), "    ")
        lines.append("")
    return lines


def _about(view: SummaryView) -> list[str]:
    lines = []
    for part in view.about.values():
        lines += [part.title.upper(), ""] + _wrap(part.text, "    ")
        lines += _wrap(_cite(part.refs), "    ") + [""]
    return lines


def _options(view: SummaryView) -> list[str]:
    """The option grid, one option at a time, every row in the same order."""
    lines = ["YOUR CHOICES, SIDE BY SIDE", ""]
    for option in view.options:
        lines += [option.title.upper()]
        for row in option.rows:
            cited = f"{row.text} {_cite(row.refs)}" if row.refs else row.text
            lines += [f"    {row.label}:"] + _wrap(cited, "        ")
        lines.append("")
    if view.what_matters:
        lines += ["WHAT MATTERS TO YOU", ""]
        for text in view.what_matters:
            lines += _wrap(text, "      ", "    * ")
        lines.append("")
    return lines


def _scores(view: SummaryView) -> list[str]:
    scores = view.scores
    impact = f"{scores.impact} ({scores.impact_answered})" if scores.impact else "not answered"
    conflict = {True: "yes", False: "no", None: "not known"}[scores.conflict]
    lines = ["SCORES AND FACTS FOR YOUR CLINICIAN", ""]
    lines += [f"    Daily-life impact score: {impact}"]
    lines += [f"    SURE score: {scores.sure or 'not answered'}"]
    lines += [f"    Not yet sure about the decision (SURE {scores.conflict_at}): {conflict}"]
    lines += [f"    Time since the twitching began: {view.duration or 'not known'}"]
    if view.red_flags.labels:
        lines += _wrap("; ".join(view.red_flags.labels), "      ", "    Red flags: ")
    if view.botox_benefit:
        lines += [f"    Botox benefit: {view.botox_benefit}"]
    return lines + [""]


def format_text(result: GuidanceResult | Mapping) -> str:
    """The result as readable text: guidance, options, questions, scores, sources, provenance."""
    view = build_view(result)
    lines = _items(view) + _about(view) + _options(view)
    lines += ["QUESTIONS TO ASK", ""]
    lines += [line for q in view.questions_to_ask for line in _wrap(q, "      ", "    * ")]
    lines += [""] + _scores(view)
    lines += ["SOURCES", ""]
    for source in view.sources:
        lines += _wrap(source.citation, "      ", f"    {source.id}: ")
    provenance = view.provenance
    lines += ["", "ABOUT THIS GUIDANCE", ""]
    lines += _wrap(provenance.statement, "    ")
    lines += _wrap(provenance.update_policy, "    ", "    Updates: ")
    lines += _wrap(provenance.funding, "    ", "    Funding: ")
    lines += ["", "This is not a diagnosis. If you have sudden weakness, call emergency services."]
    return "\n".join(lines) + "\n"
