"""The PDF summary: page 1 for the clinician, then the patient's copy.

Answers + guidance result -> summary view (decision_aid.summary, shared with the summary
page, the staff summary and the text output) -> Jinja template (autoescaped, templates/pdf/) ->
WeasyPrint (static/pdf/print.css, system Noto/DejaVu fonts) -> tagged PDF/UA-1.

No clinical logic, and no wording of its own for what the guidance says: this module holds only
the layout (page 1's limits, the split of the patient's questions) and the locked fetcher. It
reads no environment variables: callers pass the clinic name, logo and paper.

Security: every URL that reaches WeasyPrint goes through `LockedFetcher`, which serves only the
bundled files under static/pdf/ and the one logo file named in the configuration, from a fake
origin that is never resolved. Patient text only ever reaches the HTML through autoescaped
Jinja expressions in element content or quoted attributes, never inside <style>.

Determinism: the same answers, result, reference, date and configuration give the same bytes;
the creation date comes from `today` (`dcterms.created`), never from the clock.

Page 1 must fit on one page. The clinician section is laid out once; if its end marker is not
on page 1, the patient's questions are split (the first k on page 1, the rest at the top of
page 2 with a "continued on page N" note) and the layout is repeated with smaller k. Before any
question moves, the guidance reasons are left out of page 1 and the page is set denser.
`clinician_only` renders page 1 alone (with its continuation page only if it needs one).

Page furniture: the running header and footer are margin boxes, measured in the tests never to
touch the body. WeasyPrint 70 cannot mark them as PDF artifacts: it writes their text as marked
content whose structure elements it keeps out of the tag tree (weasyprint/pdf/tags.py), which
veraPDF accepts; the /Artifact marking is an open upstream issue (Kozea/WeasyPrint #1836).
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import logging
import mimetypes
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from babel import Locale, UnknownLocaleError
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from decision_aid import filters, i18n
from decision_aid.dates import short_date
from decision_aid.guidance.result import GuidanceResult
from decision_aid.summary import SummaryView, build_view

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
ASSETS_DIR = PACKAGE_DIR / "static" / "pdf"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
TEMPLATE = "pdf/summary.html"
# Page 1 (and its continuation) in the clinic's language, the patient's copy in the patient's.
CLINICIAN_TEMPLATE = "pdf/_clinician.html"
PATIENT_TEMPLATE = "pdf/_patient.html"
STYLESHEET = "print.css"

# A fake origin that is never resolved; only the fetcher below knows what it means.
ASSET_HOST = "pdf-assets.invalid"
BASE_URL = f"https://{ASSET_HOST}/static/"
LOGO_PATH = "/logo/clinic-logo"
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif"}
LOGO_MAX_BYTES = 2 * 1024 * 1024

PAPERS = {"a4": "A4", "letter": "letter"}
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1"}
# Caps on what page 1 shows of a free-text field; the rest is printed on page 2.
HEADER_CLINIC_CHARS = 55
PAGE1_TEXT_LIMIT = {"name": 120, "date_of_birth": 20, "appointment": 40, "clinic": 60}

# One lock: the shared FontConfiguration and the cached stylesheet are not documented as
# thread-safe, and a PDF render is CPU-bound anyway.
_render_lock = threading.Lock()


# --- Words ---------------------------------------------------------------------------------
# What the PDF shows comes from the summary view (decision_aid.summary), which the summary
# page, the staff summary and the text output render too: the PDF holds no clinical logic, no
# thresholds and no wording of its own for answer values. Here are only the layout's choices.


# --- The locked URL fetcher ----------------------------------------------------------------


class LockedFetcher(URLFetcher):
    """Serves only files under static/pdf/ and the configured logo; refuses every other URL.

    `requested` lists every URL WeasyPrint asked for (tests check it)."""

    def __init__(self, logo: Path | None = None):
        super().__init__(allowed_protocols=("https",), allow_redirects=False, timeout=1)
        self.logo = logo
        self.requested: list[str] = []

    def fetch(self, url, headers=None):
        self.requested.append(url)
        path = self.resolve(url)
        if path is None:
            raise ValueError(f"PDF fetcher refused {url[:200]!r}")
        ctype = LOGO_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
        return URLFetcherResponse(
            url, _read_asset(path), {"Content-Type": ctype or "application/octet-stream"}
        )

    def resolve(self, url: str) -> Path | None:
        """The file a URL stands for, or None if it is not allowed."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme != "https" or parts.netloc != ASSET_HOST or parts.query:
            return None
        if self.logo is not None and parts.path == LOGO_PATH + self.logo.suffix.lower():
            return self.logo
        if not parts.path.startswith("/static/"):
            return None
        relative = unquote(parts.path.removeprefix("/static/"))
        if "\\" in relative or "\x00" in relative:
            return None
        path = (ASSETS_DIR / relative).resolve()
        if not path.is_relative_to(ASSETS_DIR) or not path.is_file():
            return None
        return path


@functools.lru_cache(maxsize=32)
def _read_asset_cached(path: Path, mtime_ns: int, size: int) -> bytes:
    return path.read_bytes()


def _read_asset(path: Path) -> bytes:
    stat = path.stat()
    return _read_asset_cached(path, stat.st_mtime_ns, stat.st_size)


def usable_logo(clinic_logo: str | None) -> Path | None:
    """The configured logo as a resolved path, or None (with a log line) if it cannot be used."""
    if not clinic_logo:
        return None
    path = Path(clinic_logo).expanduser()
    try:
        path = path.resolve(strict=True)
        size = path.stat().st_size
    except OSError:
        log.warning("CLINIC_LOGO %s does not exist; the PDF has no logo", clinic_logo)
        return None
    if not path.is_file() or path.suffix.lower() not in LOGO_TYPES:
        log.warning("CLINIC_LOGO must be a PNG, JPEG or GIF file; the PDF has no logo")
        return None
    if size > LOGO_MAX_BYTES:
        log.warning("CLINIC_LOGO is larger than %d bytes; the PDF has no logo", LOGO_MAX_BYTES)
        return None
    return path


# --- Cached, answer-independent resources --------------------------------------------------


@functools.cache
def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    filters.register(env)
    env.filters["css_string"] = css_string
    env.install_gettext_callables(
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext
    )
    return env


@functools.cache
def _font_config() -> FontConfiguration:
    return FontConfiguration()


@functools.cache
def _css_text() -> str:
    return (ASSETS_DIR / STYLESHEET).read_text(encoding="utf-8")


@functools.cache
def _stylesheet() -> CSS:
    return CSS(
        string=_css_text(),
        base_url=BASE_URL,
        url_fetcher=LockedFetcher(),
        font_config=_font_config(),
    )


# --- Layout helpers ------------------------------------------------------------------------


def _clip(text: str, limit: int) -> tuple[str, bool]:
    """(what page 1 shows, whether something was cut)."""
    if len(text) <= limit:
        return text, False
    return text[: limit - 1].rstrip() + "…", True


# The details that say whose summary it is: page 1 says so when one was not given, with a
# space to write it by hand (a patient may print the PDF without them).
IDENTITY_DETAILS = {"name": i18n.N_("Name"), "date_of_birth": i18n.N_("Date of birth")}


def _page1_details(view: SummaryView) -> tuple[list[dict], list[dict]]:
    """The patient's details as page 1 shows them (clipped), and those to print in full. A name
    or date of birth not given is listed as missing, in its place."""
    given = {detail.key for detail in view.details}
    details = [
        {"label": i18n.gettext(label), "value": "", "cut": False, "missing": True}
        for key, label in IDENTITY_DETAILS.items()
        if key not in given
    ]
    if "name" in given and "date_of_birth" not in given:
        details = []  # the date of birth goes after the name, below
    in_full = []
    for detail in view.details:
        limit = PAGE1_TEXT_LIMIT.get(detail.key)
        shown, cut = _clip(detail.value, limit) if limit else (detail.value, False)
        details.append({"label": detail.label, "value": shown, "cut": cut})
        if cut:
            in_full.append({"label": detail.label, "value": detail.value})
        if detail.key == "name" and "date_of_birth" not in given:
            details.append(
                {"label": i18n.gettext("Date of birth"), "value": "", "cut": False, "missing": True}
            )
    return details, in_full


class _Summary:
    """One summary to render: the template context, built once from the arguments that
    `render_summary_html` and `render_summary_pdf` share. Only where the patient's questions
    are split between page 1 and page 2 varies between layouts (`context(split)`)."""

    def __init__(
        self,
        answers: Mapping,
        result: GuidanceResult | Mapping,
        *,
        reference: str,
        today: datetime.date,
        answered: datetime.date | None = None,
        clinic_name: str = "",
        clinic_logo: str | None = None,
        paper: str = "a4",
        clinician_only: bool = False,
        language: str = i18n.DEFAULT,
        clinic_language: str = i18n.DEFAULT,
    ):
        if paper not in PAPERS:
            raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
        self.language = language
        self.clinic_language = clinic_language
        with i18n.using(language):
            view = build_view(result, answers, today=today)
        with i18n.using(clinic_language):
            self.clinician_view = build_view(
                _result_in(clinic_language, answers, today, result)
                if clinic_language != language
                else result,
                answers,
                today=today,
            )
            details, continued_details = _page1_details(self.clinician_view)
            # Said on page 1 when the patient's copy is in another language than page 1.
            patient_language_name = _language_name(language) if language != clinic_language else ""
        self.view = view
        self.dates = (today, answered)
        self.logo = usable_logo(clinic_logo)
        self.questions = self.clinician_view.own_questions
        self.reasons = True  # the guidance reasons on page 1; _laid_out drops them if need be
        logo = self.logo
        logo_url = f"https://{ASSET_HOST}{LOGO_PATH}{logo.suffix.lower()}" if logo else None
        clinic_name = (clinic_name or "").strip()
        self._context = {
            "patient_language_name": patient_language_name,
            "reference": reference,
            "today": short_date(today),
            "answered": short_date(answered) if answered else "",
            "created": today.isoformat(),
            "clinician_only": clinician_only,
            "clinic_name": clinic_name,
            # The running header has room for one line: a long clinic name is shortened there
            # (it is configuration, not patient text, and appears in full in the metadata).
            "clinic_header": _clip(clinic_name, HEADER_CLINIC_CHARS)[0],
            "logo_url": logo_url,
            "page_size": PAPERS[paper],
            "details": details,
            "continued_details": continued_details,
        }

    def context(self, split: int | None = None) -> dict:
        """The context with the first `split` questions on page 1 (all if None)."""
        keep = len(self.questions) if split is None else split
        return {
            **self._context,
            "questions": self.questions[:keep],
            "continued_questions": self.questions[keep:],
            "continued_start": keep + 1,
            "guidance_reasons": self.reasons,
        }

    def _dates(self) -> dict:
        """The dates in words, in the language in use."""
        today, answered = self.dates
        return {"today": short_date(today), "answered": short_date(answered) if answered else ""}

    def html(self, split: int | None = None, *, inline_css: bool) -> str:
        css = Markup(_css_text()) if inline_css else None  # our own file, never user text
        context = self.context(split)
        env = _environment()
        with i18n.using(self.clinic_language):
            clinician = env.get_template(CLINICIAN_TEMPLATE).render(
                **context | self._dates(),
                view=self.clinician_view,
                section_lang=i18n.html_lang(self.clinic_language),
            )
        first = self.clinic_language if context["clinician_only"] else self.language
        with i18n.using(self.language):
            patient = env.get_template(PATIENT_TEMPLATE).render(
                **context | self._dates(),
                view=self.view,
                section_lang=i18n.html_lang(self.language),
            )
        words = {}
        for name, language in (("clinician", self.clinic_language), ("patient", self.language)):
            with i18n.using(language):
                words[name] = margin_words()
        with i18n.using(first):
            return env.get_template(TEMPLATE).render(
                margin_words=words,
                **context | self._dates(),
                html_lang=i18n.html_lang(first),
                clinician_part=Markup(clinician),  # rendered with autoescape from our templates
                patient_part=Markup(patient),
                inline_css=css,
            )


def _result_in(language, answers, today, result):
    """The guidance result in `language` for the clinician page (the patient's is `result`):
    made again from the answers, as its words differ; `result` itself if they are not valid."""
    from decision_aid import guidance

    try:
        with i18n.using(language):
            return guidance.result_for(dict(answers), today)
    except guidance.ValidationError:
        return result


def _language_name(language: str) -> str:
    """A language's name in the language in use ("Spanish"), and in its own ("Español")."""
    own = i18n.LANGUAGES.get(language, language)
    try:
        name = Locale.parse(language).get_display_name(i18n.formats_as(i18n.current()))
    except (ValueError, UnknownLocaleError):
        return own
    return name if name == own else f"{name} ({own})"


def margin_words() -> dict:
    """The words of the page margins in the language in use: the footer, and the words before,
    between and after the numbers of "Page 2 of 5" (the catalog's "Page %(page)s of %(pages)s")."""
    parts = re.split(r"%\((page|pages)\)s", i18n.gettext("Page %(page)s of %(pages)s"))
    if len(parts) != 5 or parts[1] != "page":  # a translation that orders them otherwise
        parts = ["Page ", "page", " of ", "pages", ""]
    return {
        "footer": i18n.gettext("Hemifacial spasm decision summary · not a diagnosis"),
        "before": parts[0],
        "middle": parts[2],
        "after": parts[4],
    }


def css_string(text: str) -> Markup:
    """`text` as a CSS string literal, safe inside <style>: quotes, backslashes, angle brackets
    and line breaks escaped."""
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\<>&\n\r' else char for char in str(text))
    return Markup(f'"{escaped}"')


def render_summary_html(answers: Mapping, result: GuidanceResult | Mapping, **options) -> str:
    """The self-contained HTML (print CSS inlined) for the summary, as WeasyPrint lays it out
    when all the patient's questions fit on page 1. The options are those of
    `render_summary_pdf`, which passes the same CSS as a cached stylesheet instead and may move
    questions to page 2."""
    return _Summary(answers, result, **options).html(inline_css=True)


def render_summary_pdf(answers: Mapping, result: GuidanceResult | Mapping, **options) -> bytes:
    """The summary as PDF bytes: page 1 for the clinician, then the patient's copy.

    Options (keyword only): reference (str) and today (datetime.date), both required;
    answered (datetime.date: when the patient last changed the answers, or None);
    clinic_name (default ""), clinic_logo (a file path or None), paper ("a4" or "letter"), and
    clinician_only (True: page 1 alone, plus the page it continues on when it overflows),
    language (the patient's copy's, default "en") and clinic_language (page 1's, default "en")."""
    with _render_lock:
        return _laid_out(_Summary(answers, result, **options)).write_pdf(**PDF_OPTIONS)


def layout_summary(answers: Mapping, result: GuidanceResult | Mapping, **options):
    """The WeasyPrint document (pages and their layout boxes) that `render_summary_pdf` writes,
    for measuring where things are on each page."""
    with _render_lock:
        return _laid_out(_Summary(answers, result, **options))


def _laid_out(summary: _Summary):
    """Page 1 with the guidance reasons if everything fits; else without them (they are on the
    patient's copy and the staff page) and a little denser, so the patient's own questions stay
    on page 1; else with the questions that do not fit moved to page 2."""
    fetcher = LockedFetcher(summary.logo)
    document = _layout(summary, None, fetcher)
    if _fits(document):
        return document
    summary.reasons = False
    document = _layout(summary, None, fetcher)
    if not _fits(document):
        document = _split_questions(summary, document, fetcher)
    if not _fits(document):
        log.warning("The clinician page does not fit on one page even without questions")
    return document


def _layout(summary: _Summary, split: int | None, fetcher: LockedFetcher):
    html = HTML(
        string=summary.html(split, inline_css=False), base_url=BASE_URL, url_fetcher=fetcher
    )
    return html.render(font_config=_font_config(), stylesheets=[_stylesheet()], **PDF_OPTIONS)


def _fits(document) -> bool:
    return bool(document.pages) and "clinician-end" in document.pages[0].anchors


def _split_questions(summary: _Summary, document, fetcher):
    """Page 1 overflowed: keep as many whole questions on page 1 as fit with the note."""
    first_page = document.pages[0].anchors
    count = len(summary.questions)
    keep = sum(1 for n in range(1, count + 1) if f"question-{n}" in first_page)
    for split in range(min(keep, count - 1), -1, -1):
        document = _layout(summary, split, fetcher)
        if _fits(document):
            return document
    return document


# --- For the `decision-aid render` command -------------------------------------------------


def reference_for(answers: dict) -> str:
    """A stable reference code for answers rendered outside the web app (same answers, same
    code), in the store's alphabet and display form."""
    from decision_aid.store import REFERENCE_ALPHABET, REFERENCE_LENGTH, format_reference

    digest = hashlib.sha256(
        json.dumps(answers, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).digest()
    code = "".join(REFERENCE_ALPHABET[b % len(REFERENCE_ALPHABET)] for b in digest)
    return format_reference(code[:REFERENCE_LENGTH])
