"""What page 2 (the consultation page) and the patient's copy show besides the summary view, in
the language in use: page 2's few grid rows, priorities, leaning, SURE answers and questions;
the pictures of 100 people; the short list of sources and the QR code of the sources page."""

from __future__ import annotations

from collections.abc import Mapping

from markupsafe import Markup, escape

from decision_aid.guidance.result import GuidanceResult
from decision_aid.pdf.templates import clip
from decision_aid.summary import SummaryView
from decision_aid.text import i18n

# Page 2's grid: the rows of the option grid it shows (the Option Grid's few), and the priority
# each row bears on, marked when the patient said it matters to them.
CONSULTATION_ROWS = {
    "helps": None,
    "lasts": "lasting_fix",
    "common_harms": None,
    "rare_harms": "avoid_nerve_risk",
    "time_visits": "no_repeat_injections",
}
# Page 2 shows the patient's first questions, each at most this long (page 1 has them in full).
CONSULTATION_QUESTIONS, CONSULTATION_QUESTION_CHARS = 6, 160

# The patient's copy lists at most this many sources by name (the rest are on /sources).
MAIN_SOURCES = 8


def consultation_context(view: SummaryView, result: GuidanceResult | Mapping) -> dict:
    """What page 2 shows, in the language in use: the grid's few rows in a few words (each
    row marked with the patient's priority it bears on, when that matters to them), the
    priorities, the leaning, the SURE answers, and the questions (the patient's own first)."""
    if not isinstance(result, GuidanceResult):
        result = GuidanceResult.from_json(result)
    facts = result.facts
    chosen = {
        item.id: item.label for item in facts.priority_items if item.level in ("very", "somewhat")
    }
    rows = []
    for row_id, priority in CONSULTATION_ROWS.items():
        cells = [
            next((cell for cell in option.rows if cell.id == row_id), None)
            for option in view.options
        ]
        if any(cell is None for cell in cells) or not cells:
            continue
        rows.append(
            {
                "label": cells[0].label,
                "matters": chosen.get(priority, ""),
                "cells": [cell.brief or cell.text for cell in cells],
            }
        )
    priorities = []
    for level in ("very", "somewhat"):
        items = [i for i in facts.priority_items if i.level == level]
        if items:
            names = i18n.pgettext("between the items of a list", ", ").join(i.label for i in items)
            priorities.append(f"{items[0].level_label}: {names}")
    own = [clip(q, CONSULTATION_QUESTION_CHARS)[0] for q in view.own_questions]
    return {
        "options": view.options,
        "rows": rows,
        "priorities": "; ".join(priorities),
        "leaning": facts.leaning_label or "",
        "sure": view.scores.sure,
        "sure_scale": view.scores.sure_scale,
        "sure_answers": view.scores.sure_answers,
        "own_questions": own[:CONSULTATION_QUESTIONS],
        "suggested_questions": view.suggested_questions,
    }


def pictures(view: SummaryView) -> list[dict]:
    """The pictures of 100 people of the option grid, each with its option's short name."""
    return [
        {"option": option.short, "figure": cell.figure}
        for option in view.options
        for cell in option.rows
        if cell.figure
    ]


def main_sources(view: SummaryView) -> list[str]:
    """The short names of the first MAIN_SOURCES sources behind the patient's copy's cards, in
    the order of their numbers: a short list; the full one is on the service's sources page."""
    numbered = {ref.number or 0: ref.short for item in view.items for ref in item.refs}
    return list(dict.fromkeys(numbered[n] for n in sorted(numbered)))[:MAIN_SOURCES]


def qr_svg(url: str) -> Markup:
    """A QR code of `url` as inline SVG (one path of dark modules), drawn with segno, with the
    link as its text alternative. `url` is the service's own address (config, not patient
    text); it is escaped all the same."""
    import segno

    qr = segno.make(url, error="m", micro=False)
    size = len(qr.matrix) + 8  # a 4-module quiet zone on every side
    path = "".join(
        f"M{x + 4} {y + 4}h1v1h-1z"
        for y, line in enumerate(qr.matrix)
        for x, dark in enumerate(line)
        if dark
    )
    label = escape(i18n.gettext("QR code of the sources page: {url}").format(url=url))
    return Markup(
        f'<svg class="qr-code" viewBox="0 0 {size} {size}" role="img" aria-label="{label}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{label}</title>'
        f'<rect width="{size}" height="{size}" fill="#fff"/>'
        f'<path fill="#000" d="{path}"/></svg>'
    )
