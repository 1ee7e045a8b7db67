"""The day list: the sent summaries for one appointment date on a one-page PDF (code, name, date
of birth, the patient's language, the urgent items in words or the red-flag marker, status),
tagged PDF/UA-1 like the summary, through the same locked fetcher and fonts
(decision_aid.pdf.render)."""

from __future__ import annotations

import datetime

from decision_aid.guidance.urgent import urgent_words
from decision_aid.pdf import render as pdf_render
from decision_aid.pdf.templates import css_text, environment, page_size
from decision_aid.text import i18n
from decision_aid.text.dates import short_answer_date, short_date
from decision_aid.text.i18n import N_, gettext

STYLESHEET = "day_list.css"
RED_FLAG_WORDS = {True: N_("Red flags"), False: N_("None"), None: N_("Not known yet")}
# (reviewed, finished) -> the status column
STATUS_WORDS = {
    (True, True): N_("Reviewed"),
    (False, True): N_("New"),
    (True, False): N_("Reviewed, being changed"),
    (False, False): N_("New, being changed"),
}


def render(
    items, *, day: datetime.date, today: datetime.date, clinic_name: str = "", paper: str = "a4"
):
    """PDF bytes for `items` (store.SentSummary) with an appointment on `day`."""
    size = page_size(paper)
    rows = [
        {
            "code": item.reference_display,
            "name": item.patient_name or gettext("Not given"),
            "date_of_birth": short_answer_date(item.date_of_birth) if item.date_of_birth else "",
            "time": item.appointment_time or "",
            "language": i18n.language_name(item.language) if item.language else "",
            "flagged": bool(item.red_flags or item.urgent),
            # Each urgent item named; else whether there are red flags.
            "urgent": "; ".join(urgent_words(item.urgent)),
            "red_flags": gettext(RED_FLAG_WORDS[item.red_flags]),
            "status": gettext(STATUS_WORDS[(bool(item.reviewed_at), bool(item.finished))]),
        }
        for item in items
    ]
    html = (
        environment()
        .get_template("pdf/day_list.html")
        .render(
            rows=rows,
            day=short_date(day),
            today=short_date(today),
            created=today.isoformat(),
            clinic_name=(clinic_name or "").strip(),
            page_size=size,
            html_lang=i18n.html_lang(i18n.current()),
        )
    )
    return pdf_render.render_page(html, css_text(STYLESHEET))
