"""format_text(result): the guidance result as plain text, for the command line."""

from __future__ import annotations

import textwrap

from decision_aid.guidance import content

WIDTH = 88
LEVEL_HEADINGS = {"urgent": "URGENT", "recommend": "WE SUGGEST", "inform": "GOOD TO KNOW"}


def _wrap(text: str, indent: str = "", first: str | None = None) -> list[str]:
    return textwrap.wrap(
        text, WIDTH, initial_indent=indent if first is None else first, subsequent_indent=indent
    ) or [first or indent]


def _cite(source_ids: list[str]) -> str:
    catalogue = content.load("sources")
    shorts = [catalogue[sid]["short"] if sid in catalogue else sid for sid in source_ids]
    return f"(Sources: {'; '.join(shorts)})"


def _items(result: dict) -> list[str]:
    lines = ["YOUR GUIDANCE", ""]
    if not result["items"]:
        lines += ["Nothing in your answers needs special action.", ""]
    for item in result["items"]:
        lines += _wrap(f"[{LEVEL_HEADINGS[item['level']]}] {item['title']}")
        lines += _wrap(item["text"], "    ")
        if item["for_doctor"]:
            lines += _wrap(item["for_doctor"], "      ", "    For your doctor: ")
        for reason in item["reasons"]:
            lines += _wrap(reason, "      ", "    - Why: ")
        lines += _wrap(_cite(item["sources"]), "    ")
        lines.append("")
    return lines


def _about(result: dict) -> list[str]:
    lines = []
    for part in result["about"].values():
        lines += [part["title"].upper(), ""] + _wrap(part["text"], "    ")
        lines += _wrap(_cite(part["sources"]), "    ") + [""]
    return lines


def _options(result: dict) -> list[str]:
    """The option grid, one option at a time, every row in the same order."""
    lines = ["YOUR CHOICES, SIDE BY SIDE", ""]
    for option in result["options"]:
        lines += [option["title"].upper()]
        for row in option["rows"]:
            cited = f"{row['text']} {_cite(row['sources'])}" if row["sources"] else row["text"]
            lines += [f"    {row['label']}:"] + _wrap(cited, "        ")
        lines.append("")
    if result["what_matters"]:
        lines += ["WHAT MATTERS TO YOU", ""]
        for entry in result["what_matters"]:
            lines += _wrap(entry["text"], "      ", "    * ")
        lines.append("")
    return lines


def _scores(result: dict) -> list[str]:
    scores, facts = result["scores"], result["facts"]
    impact = "not answered"
    if scores["impact"] is not None:
        answered = facts["impact_answered"]
        impact = (
            f"{scores['impact']} of {scores['impact_max']} ({answered} of 7 questions answered)"
        )
    sure = "not answered" if scores["sure"] is None else f"{scores['sure']} of 4"
    conflict = {True: "yes", False: "no", None: "not known"}[scores["conflict"]]
    lines = ["SCORES AND FACTS FOR YOUR CLINICIAN", ""]
    lines += [f"    Daily-life impact score: {impact}", f"    SURE score: {sure}"]
    lines += [f"    Not yet sure about the decision (SURE 3 or less): {conflict}"]
    duration = facts["duration_text"] or "not known"
    lines += [f"    Time since the twitching began: {duration}"]
    if facts["red_flag_labels"]:
        lines += _wrap("; ".join(facts["red_flag_labels"]), "      ", "    Red flags: ")
    if facts["botox_trend_text"]:
        lines += [f"    Botox benefit: {facts['botox_trend_text']}"]
    return lines + [""]


def format_text(result: dict) -> str:
    """The result as readable text: guidance, options, questions, scores, sources, provenance."""
    lines = _items(result) + _about(result) + _options(result)
    lines += ["QUESTIONS TO ASK", ""]
    lines += [line for q in result["questions_to_ask"] for line in _wrap(q, "      ", "    * ")]
    lines += [""] + _scores(result)
    lines += ["SOURCES", ""]
    for source_id, citation in result["sources"].items():
        lines += _wrap(citation, "      ", f"    {source_id}: ")
    provenance = result["provenance"]
    lines += ["", "ABOUT THIS GUIDANCE", ""]
    lines += _wrap(provenance["statement"], "    ")
    lines += _wrap(provenance["update_policy"], "    ", "    Updates: ")
    lines += _wrap(provenance["funding"], "    ", "    Funding: ")
    lines += ["", "This is not a diagnosis. If you have sudden weakness, call emergency services."]
    return "\n".join(lines) + "\n"
