"""The summary, built once and rendered four times. No Flask.

    view.py             build_view(result, answers, today): what a summary shows (SummaryView)
    clinician_table.py  the clinician's table of facts and the scores in words, part of the view
    text.py             format_text(result): the view as plain text, for the command line

The summary page (templates/summary.html, _guidance.html), the staff summary
(templates/staff/summary.html) and the PDF (pdf.py, templates/pdf/summary.html) render the same
view."""

from decision_aid.summary.text import format_text
from decision_aid.summary.view import SummaryView, build_view, own_questions

__all__ = ["SummaryView", "build_view", "format_text", "own_questions"]
