"""The day list: the sent summaries for one appointment date on a one-page PDF (code, name, date
of birth, red flags, status), tagged PDF/UA-1 like the summary, through the same locked fetcher
and fonts (decision_aid.pdf)."""

from __future__ import annotations

import datetime

from weasyprint import CSS, HTML

from decision_aid import pdf
from decision_aid.dates import short_answer_date, short_date
from decision_aid.i18n import N_, gettext

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
    if paper not in pdf.PAPERS:
        raise ValueError(f"paper must be one of {', '.join(pdf.PAPERS)}, not {paper!r}")
    rows = [
        {
            "code": item.reference_display,
            "name": item.patient_name or gettext("Not given"),
            "date_of_birth": short_answer_date(item.date_of_birth) if item.date_of_birth else "",
            "flagged": bool(item.red_flags),
            "red_flags": gettext(RED_FLAG_WORDS[item.red_flags]),
            "status": gettext(STATUS_WORDS[(bool(item.reviewed_at), bool(item.finished))]),
        }
        for item in items
    ]
    html = (
        pdf._environment()
        .get_template("pdf/day_list.html")
        .render(
            rows=rows,
            day=short_date(day),
            today=short_date(today),
            created=today.isoformat(),
            clinic_name=(clinic_name or "").strip(),
            page_size=pdf.PAPERS[paper],
        )
    )
    stylesheet = (pdf.ASSETS_DIR / STYLESHEET).read_text(encoding="utf-8")
    with pdf._render_lock:
        fetcher = pdf.LockedFetcher()
        css = CSS(string=stylesheet, base_url=pdf.BASE_URL, url_fetcher=fetcher)
        document = HTML(string=html, base_url=pdf.BASE_URL, url_fetcher=fetcher).render(
            font_config=pdf._font_config(), stylesheets=[css], **pdf.PDF_OPTIONS
        )
        return document.write_pdf(**pdf.PDF_OPTIONS)
