"""The patient's path: start, one page per step, the emergency interrupt, check answers,
summary, resume and delete. It holds no clinical logic: branching comes from the question data
and guidance from `decision_aid.guidance`.

    record.py   the answers this browser holds, where "Continue" leads, their guidance (no routes)
    steps.py    the start page, the step pages and their branching, the emergency interrupt
    check.py    the check page, and the rows and answers in words it shares with the summary
    summary.py  the summary page, the page before the PDF, the PDF
    saved.py    "Save and come back later", the resume link, remove from this device, delete

The page modules add their routes to `bp` when imported, below."""

from flask import Blueprint

from decision_aid.wizard.record import (
    answered_date,
    clinic_name,
    guidance_for,
    questionnaire,
    require_finished,
    require_response,
    today,
)

bp = Blueprint("wizard", __name__)

from decision_aid.wizard import check, saved, steps, summary  # noqa: E402  (they use `bp`)
from decision_aid.wizard.check import display_answer  # noqa: E402

__all__ = [
    "answered_date",
    "bp",
    "check",
    "clinic_name",
    "display_answer",
    "guidance_for",
    "questionnaire",
    "require_finished",
    "require_response",
    "saved",
    "steps",
    "summary",
    "today",
]
