"""HTML -> PDF with WeasyPrint (static/pdf/print.css, system Noto/DejaVu fonts), tagged PDF/UA-1,
every URL through the locked fetcher (decision_aid.pdf.fetcher). With the fetcher, the only
module that imports WeasyPrint: it runs in the render process (decision_aid.pdf.pool), never in a
web worker.

Determinism: the same answers, result, reference, date and configuration give the same bytes;
the creation date comes from `today` (`dcterms.created`), never from the clock.

Page 1 must fit on one page. The clinician section is laid out once; if its end marker is not
on page 1, the patient's questions are split (the first k on page 1, the rest at the top of
page 2 with a "continued on page N" note) and the layout is repeated with smaller k. Before any
question moves, the guidance reasons are left out of page 1 and the page is set denser.
Last, a patient's copy whose last page would be nearly empty is set closer if that takes the
page off (`_fill_last_page`).
`clinician_only` renders page 1 alone (with its continuation page only if it needs one);
`consultation_only` page 2, "For the consultation", alone.

Page furniture: the running header and footer are margin boxes, measured in the tests never to
touch the body. WeasyPrint 70 cannot mark them as PDF artifacts: it writes their text as marked
content whose structure elements it keeps out of the tag tree (weasyprint/pdf/tags.py), which
veraPDF accepts; the /Artifact marking is an open upstream issue (Kozea/WeasyPrint #1836).
"""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Mapping

from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from decision_aid.guidance.result import GuidanceResult
from decision_aid.pdf.fetcher import BASE_URL, LockedFetcher
from decision_aid.pdf.templates import css_text
from decision_aid.pdf.view import SummaryPages, clinician_pages_html

log = logging.getLogger("decision_aid.pdf")

PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}

# One lock: the shared FontConfiguration and the cached stylesheet are not documented as
# thread-safe, and a PDF render is CPU-bound anyway.
_render_lock = threading.Lock()


@functools.cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def _stylesheet() -> CSS:
    return CSS(
        string=css_text(),
        base_url=BASE_URL,
        url_fetcher=LockedFetcher(),
        font_config=_font_config(),
    )


def warm_up() -> None:
    """Lay out a line with the summary's stylesheet and fonts, so that the first real render is
    not the slow one (the render process calls it before its first task)."""
    HTML(string="<p>Ready</p>", base_url=BASE_URL, url_fetcher=LockedFetcher()).render(
        font_config=_font_config(), stylesheets=[_stylesheet()]
    )


def render_summary_pdf(answers: Mapping, result: GuidanceResult | Mapping, **options) -> bytes:
    """The summary as PDF bytes: page 1 for the clinician, then the patient's copy.

    Options (keyword only): reference (str) and today (datetime.date), both required;
    answered (datetime.date: when the patient last changed the answers, or None);
    clinic_name (default ""), clinic_logo (a file path or None), paper ("a4" or "letter"),
    clinician_only (True: page 1 alone, plus the page it continues on when it overflows), and
    language and clinic_language (the patient's copy's and page 1's, default "en"; `result` is
    in `language`, docs/languages.md)."""
    with _render_lock:
        return _laid_out(SummaryPages(answers, result, **options)).write_pdf(**PDF_OPTIONS)


def layout_summary(answers: Mapping, result: GuidanceResult | Mapping, **options):
    """The WeasyPrint document (pages and their layout boxes) that `render_summary_pdf` writes,
    for measuring where things are on each page."""
    with _render_lock:
        return _laid_out(SummaryPages(answers, result, **options))


def render_page(html: str, stylesheet: str) -> bytes:
    """PDF bytes for a page that needs no layout decisions (the day list): its HTML and its own
    stylesheet's text, through the locked fetcher and the shared fonts."""
    with _render_lock:
        fetcher = LockedFetcher()
        css = CSS(string=stylesheet, base_url=BASE_URL, url_fetcher=fetcher)
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
            font_config=_font_config(), stylesheets=[css], **PDF_OPTIONS
        )
        return document.write_pdf(**PDF_OPTIONS)


def _laid_out(summary: SummaryPages):
    """Page 1 with the guidance reasons if everything fits; else without them (they are on the
    patient's copy and the staff page) and a little denser, so the patient's own questions stay
    on page 1; else with the questions that do not fit moved to page 2. Then page 2, "For the
    consultation", on one page (`_fit_consultation`)."""
    fetcher = LockedFetcher(summary.logo)
    document = _layout(summary, None, fetcher)
    if summary.consultation_only or _fits(document):
        return _fill_last_page(summary, _fit_consultation(summary, document, fetcher), fetcher)
    summary.reasons = False
    document = _layout(summary, None, fetcher)
    if not _fits(document):
        document = _split_questions(summary, document, fetcher)
    if not _fits(document):
        log.warning("The clinician page does not fit on one page even without questions")
    return _fill_last_page(summary, _fit_consultation(summary, document, fetcher), fetcher)


# The share of its body the last page of the patient's copy should fill: a last page holding only
# "About this summary" is a page people throw away. (The sources' heading never stands alone on
# the last page: the last row of pictures goes with it, pdf/_patient.html.) Below it, the copy
# is set a little closer (print.css, section.patient.close), kept if that takes the page off.
MIN_LAST_PAGE = 1 / 3


def last_page_filled(document) -> float:
    """How far down the last page's body the patient's copy goes (0 to 1; 1 when the document
    has no patient's copy)."""
    page = document.pages[-1]
    if "copy-end" not in page.anchors:
        return 1.0
    box = page._page_box  # WeasyPrint keeps no public handle on the page's content box
    return (page.anchors["copy-end"][1] - box.content_box_y()) / box.height


def _fill_last_page(summary: SummaryPages, document, fetcher):
    """The copy set closer when its last page is nearly empty, if that takes the page off."""
    if last_page_filled(document) >= MIN_LAST_PAGE:
        return document
    summary.close = True
    closer = _layout(summary, summary.split, fetcher)
    if len(closer.pages) < len(document.pages):
        return closer
    summary.close = False
    return document


def _consultation_pages(document) -> tuple[int | None, int | None]:
    """The pages where page 2's section starts and ends (None when it is not in the PDF)."""
    start = end = None
    for number, page in enumerate(document.pages):
        if "consultation-start" in page.anchors:
            start = number
        if "consultation-end" in page.anchors:
            end = number
    return start, end


def _fit_consultation(summary: SummaryPages, document, fetcher):
    """Page 2 holds the patient's questions, then as many of the suggested ones as fit on it (in
    a long language or with many questions of their own, the last suggestions are left out:
    they are on the summary page)."""
    start, end = _consultation_pages(document)
    if start is None or start == end:
        return document
    shown = sum(1 for name in document.pages[start].anchors if name.startswith("suggested-"))
    for keep in range(min(shown, len(summary.suggested())) - 1, -1, -1):
        summary.suggested_limit = keep
        document = _layout(summary, summary.split, fetcher)
        start, end = _consultation_pages(document)
        if start == end:
            break
    return document


def _layout(summary: SummaryPages, split: int | None, fetcher: LockedFetcher):
    html = HTML(
        string=summary.html(split, inline_css=False), base_url=BASE_URL, url_fetcher=fetcher
    )
    return html.render(font_config=_font_config(), stylesheets=[_stylesheet()], **PDF_OPTIONS)


def _fits(document) -> bool:
    return bool(document.pages) and "clinician-end" in document.pages[0].anchors


def _split_questions(summary: SummaryPages, document, fetcher):
    """Page 1 overflowed: keep as many whole questions on page 1 as fit with the note."""
    first_page = document.pages[0].anchors
    count = len(summary.questions)
    keep = sum(1 for n in range(1, count + 1) if f"question-{n}" in first_page)
    for split in range(min(keep, count - 1), -1, -1):
        summary.split = split
        document = _layout(summary, split, fetcher)
        if _fits(document):
            return document
    return document


def render_clinician_pages(summaries: list[SummaryPages], **options) -> tuple[bytes, int]:
    """Page 1 of each summary (with the page it continues on, if it needs one), laid out as
    "Print clinician page" lays it out alone, in one tagged document: (PDF bytes, pages).
    `options`: day, today, clinic_name and paper (decision_aid.pdf.view.clinician_pages_html)."""
    with _render_lock:
        parts = []
        for summary in summaries:
            _laid_out(summary)  # settles the reasons and the split of its questions
            parts.append(summary.clinician_html(summary.split))
        html = clinician_pages_html(parts, **options)
        logo = summaries[0].logo if summaries else None
        fetcher = LockedFetcher(logo)
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
            font_config=_font_config(), stylesheets=[_stylesheet()], **PDF_OPTIONS
        )
        return document.write_pdf(**PDF_OPTIONS), len(document.pages)
