"""The patient's path: start, one page per step, the emergency interrupt, check answers,
summary, resume and delete. It holds no clinical logic: branching comes from the question data
and guidance from `decision_aid.guidance`.

    steps.py    the start page, the step pages and their branching, the emergency interrupt
    check.py    the check page, and the rows and answers in words it shares with the summary
    summary.py  the summary page, the page before the PDF, the PDF
    choices.py  the option table before "Making your decision" (issue 31)
    feedback.py "Was anything unclear or missing?", stored apart from the answers
    followup.py "How did your appointment go?", after the appointment date
    saved.py    "Save and come back later", the resume link, remove from this device, delete

What the pages share with the send page is in decision_aid.web.patient_session and
web.shared. The page modules add their routes to `bp` (blueprint.py) when imported, below."""

from decision_aid.wizard import (
    check,
    choices,
    feedback,
    followup,
    mail_link,  # "Email me the link" on the saved page
    saved,
    sources,
    steps,
    summary,
)
from decision_aid.wizard.blueprint import bp

__all__ = [
    "bp",
    "check",
    "choices",
    "feedback",
    "followup",
    "mail_link",
    "saved",
    "sources",
    "steps",
    "summary",
]
