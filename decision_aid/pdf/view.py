"""What a summary PDF shows, as the template's context: the summary view (decision_aid.summary,
shared with the summary page, the staff summary and the text output), laid out for paper. Only
the layout's choices live here (page 1's limits, the split of the patient's questions); no
clinical logic and no wording of its own for what the guidance says.

Patient text only ever reaches the HTML through autoescaped Jinja expressions in element content
or quoted attributes, never inside <style>."""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

import jinja2
from markupsafe import Markup

from decision_aid import filters
from decision_aid.dates import short_date
from decision_aid.guidance.result import GuidanceResult
from decision_aid.pdf.fetcher import ASSET_HOST, ASSETS_DIR, LOGO_PATH, usable_logo
from decision_aid.summary import SummaryView, build_view

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE = "pdf/summary.html"
STYLESHEET = "print.css"

PAPERS = {"a4": "A4", "letter": "letter"}
# Caps on what page 1 shows of a free-text field; the rest is printed on page 2.
HEADER_CLINIC_CHARS = 55
PAGE1_TEXT_LIMIT = {"name": 120, "date_of_birth": 20, "appointment": 40, "clinic": 60}

# The details that say whose summary it is: page 1 says so when one was not given, with a
# space to write it by hand (a patient may print the PDF without them).
IDENTITY_DETAILS = {"name": "Name", "date_of_birth": "Date of birth"}


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja environment of the PDF templates (autoescaped, strict)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    filters.register(env)
    return env


@functools.cache
def css_text(name: str = STYLESHEET) -> str:
    return (ASSETS_DIR / name).read_text(encoding="utf-8")


def page_size(paper: str) -> str:
    """The CSS page size for a PAPER setting; ValueError for one not allowed."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    return PAPERS[paper]


def _clip(text: str, limit: int) -> tuple[str, bool]:
    """(what page 1 shows, whether something was cut)."""
    if len(text) <= limit:
        return text, False
    return text[: limit - 1].rstrip() + "…", True


def _page1_details(view: SummaryView) -> tuple[list[dict], list[dict]]:
    """The patient's details as page 1 shows them (clipped), and those to print in full. A name
    or date of birth not given is listed as missing, in its place."""
    given = {detail.key for detail in view.details}
    details = [
        {"label": label, "value": "", "cut": False, "missing": True}
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
            details.append({"label": "Date of birth", "value": "", "cut": False, "missing": True})
    return details, in_full


class SummaryPages:
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
    ):
        size = page_size(paper)
        view = build_view(result, answers, today=today)
        self.logo = usable_logo(clinic_logo)
        self.questions = view.own_questions
        details, continued_details = _page1_details(view)
        self.reasons = True  # the guidance reasons on page 1; the layout drops them if need be
        logo = self.logo
        logo_url = f"https://{ASSET_HOST}{LOGO_PATH}{logo.suffix.lower()}" if logo else None
        clinic_name = (clinic_name or "").strip()
        self._context = {
            "view": view,
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
            "page_size": size,
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

    def html(self, split: int | None = None, *, inline_css: bool) -> str:
        css = Markup(css_text()) if inline_css else None  # our own file, never user text
        return environment().get_template(TEMPLATE).render(**self.context(split), inline_css=css)


def render_summary_html(answers: Mapping, result: GuidanceResult | Mapping, **options) -> str:
    """The self-contained HTML (print CSS inlined) for the summary, as WeasyPrint lays it out
    when all the patient's questions fit on page 1. The options are those of
    `render_summary_pdf`, which passes the same CSS as a cached stylesheet instead and may move
    questions to page 2."""
    return SummaryPages(answers, result, **options).html(inline_css=True)


def reference_for(answers: dict) -> str:
    """A stable reference code for answers rendered outside the web app (the `decision-aid
    render` command: same answers, same code), in the store's alphabet and display form."""
    from decision_aid.store import REFERENCE_ALPHABET, REFERENCE_LENGTH, format_reference

    digest = hashlib.sha256(
        json.dumps(answers, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).digest()
    code = "".join(REFERENCE_ALPHABET[b % len(REFERENCE_ALPHABET)] for b in digest)
    return format_reference(code[:REFERENCE_LENGTH])
