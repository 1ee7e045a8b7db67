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
import re
from collections.abc import Mapping
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from decision_aid import filters, i18n
from decision_aid.dates import short_date
from decision_aid.guidance.result import GuidanceResult
from decision_aid.pdf.fetcher import ASSET_HOST, ASSETS_DIR, LOGO_PATH, usable_logo
from decision_aid.summary import SummaryView, build_view

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
TEMPLATE = "pdf/summary.html"
# Page 1 (and its continuation) in the clinic's language, the patient's copy in the patient's.
CLINICIAN_TEMPLATE = "pdf/_clinician.html"
PATIENT_TEMPLATE = "pdf/_patient.html"
CONSULTATION_TEMPLATE = "pdf/_consultation.html"
STYLESHEET = "print.css"

PAPERS = {"a4": "A4", "letter": "letter"}
# Caps on what page 1 shows of a free-text field; the rest is printed on page 2.
HEADER_CLINIC_CHARS = 55
PAGE1_TEXT_LIMIT = {"name": 120, "date_of_birth": 20, "appointment": 40, "clinic": 60}

# The details that say whose summary it is: page 1 says so when one was not given, with a
# space to write it by hand (a patient may print the PDF without them).
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

IDENTITY_DETAILS = {"name": i18n.N_("Name"), "date_of_birth": i18n.N_("Date of birth")}


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
        extensions=["jinja2.ext.i18n"],
    )
    filters.register(env)
    env.filters["css_string"] = css_string
    # The numbers to call in the patient's copy: the clinic's EMERGENCY_NUMBER (set for the
    # render by decision_aid.pdf.pool), else those for the readers of the language in use.
    env.globals["emergency_numbers"] = i18n.emergency_numbers
    env.install_gettext_callables(
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext
    )
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
        consultation_only: bool = False,
        sources_url: str = "",
        language: str = i18n.DEFAULT,
        clinic_language: str = i18n.DEFAULT,
    ):
        size = page_size(paper)
        self.language = language
        self.clinic_language = clinic_language
        with i18n.using(language):
            self.view = build_view(result, answers, today=today)
            consultation = consultation_context(self.view, result)
        with i18n.using(clinic_language):
            same = clinic_language == language
            self.clinician_view = build_view(
                result if same else _result_in(clinic_language, answers, today, result),
                answers,
                today=today,
            )
            details, continued_details = _page1_details(self.clinician_view)
            # Said on page 1 when the patient's copy is in another language than page 1.
            patient_language_name = "" if same else _language_name(language)
        self.dates = (today, answered)
        self.consultation_only = consultation_only  # page 2 alone: no page 1 to fit
        self.suggested_limit = None  # the suggested questions page 2 shows (None: all)
        self.logo = usable_logo(clinic_logo)
        self.questions = self.clinician_view.own_questions
        self.reasons = True  # the guidance reasons on page 1; the layout drops them if need be
        self.split = None  # how many of the questions page 1 keeps, once the layout chose
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
            "consultation_only": consultation_only,
            "consultation": consultation,
            "pictures": pictures(self.view),
            "main_sources": main_sources(self.view),
            "sources_url": sources_url,
            "sources_qr": qr_svg(sources_url) if sources_url else "",
            "clinic_name": clinic_name,
            # The running header has room for one line: a long clinic name is shortened there
            # (it is configuration, not patient text, and appears in full in the metadata).
            "clinic_header": _clip(clinic_name, HEADER_CLINIC_CHARS)[0],
            "logo_url": logo_url,
            "page_size": size,
            "details": details,
            "continued_details": continued_details,
        }

    def suggested(self) -> tuple[str, ...]:
        return self._context["consultation"]["suggested_questions"]

    def context(self, split: int | None = None) -> dict:
        """The context with the first `split` questions on page 1 (all if None)."""
        keep = len(self.questions) if split is None else split
        consultation = self._context["consultation"]
        if self.suggested_limit is not None:
            consultation = consultation | {
                "suggested_questions": self.suggested()[: self.suggested_limit]
            }
        return {
            **self._context,
            "consultation": consultation,
            "questions": self.questions[:keep],
            "continued_questions": self.questions[keep:],
            "continued_start": keep + 1,
            "guidance_reasons": self.reasons,
        }

    def _dates(self) -> dict:
        """The dates in words, in the language in use."""
        today, answered = self.dates
        return {"today": short_date(today), "answered": short_date(answered) if answered else ""}

    def clinician_html(self, split: int | None = None) -> str:
        """Page 1 (and the page it continues on) alone, in the clinic's language."""
        with i18n.using(self.clinic_language):
            return (
                environment()
                .get_template(CLINICIAN_TEMPLATE)
                .render(
                    **self.context(split) | self._dates(),
                    view=self.clinician_view,
                    section_lang=i18n.html_lang(self.clinic_language),
                )
            )

    def html(self, split: int | None = None, *, inline_css: bool) -> str:
        css = Markup(css_text()) if inline_css else None  # our own file, never user text
        context = self.context(split)
        env = environment()
        alone = context["clinician_only"] or context["consultation_only"]
        clinician = consultation = patient = ""
        if not context["consultation_only"]:
            clinician = self.clinician_html(split)
        first = self.clinic_language if context["clinician_only"] else self.language
        with i18n.using(self.language):
            parts = {"view": self.view, "section_lang": i18n.html_lang(self.language)}
            if not context["clinician_only"]:
                consultation = env.get_template(CONSULTATION_TEMPLATE).render(
                    **context | self._dates(), **parts
                )
            if not alone:
                patient = env.get_template(PATIENT_TEMPLATE).render(
                    **context | self._dates(), **parts
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
                # each part rendered with autoescape from our templates
                clinician_part=Markup(clinician),
                consultation_part=Markup(consultation),
                patient_part=Markup(patient),
                inline_css=css,
            )


def consultation_context(view: SummaryView, result: GuidanceResult | Mapping) -> dict:
    """What page 2 shows, in the language in use: the grid's few rows in a few words (each
    row marked with the patient's priority it bears on, when that matters to them), the
    priorities, the leaning, the SURE answers, and the questions (the patient's own first)."""
    if not isinstance(result, GuidanceResult):
        result = GuidanceResult.from_json(result)
    facts = result.facts
    chosen = {
        item["id"]: item["label"]
        for item in facts.get("priority_items", ())
        if item.get("level") in ("very", "somewhat")
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
        items = [i for i in facts.get("priority_items", ()) if i.get("level") == level]
        if items:
            names = i18n.pgettext("between the items of a list", ", ").join(
                i["label"] for i in items
            )
            priorities.append(f"{items[0]['level_label']}: {names}")
    own = [_clip(q, CONSULTATION_QUESTION_CHARS)[0] for q in view.own_questions]
    return {
        "options": view.options,
        "rows": rows,
        "priorities": "; ".join(priorities),
        "leaning": facts.get("leaning_label") or "",
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
    return i18n.language_name(language)


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


CLINICIAN_PAGES_TEMPLATE = "pdf/clinician_pages.html"


def clinician_pages_html(
    parts: list[str], *, day: datetime.date, today: datetime.date, clinic_name: str, paper: str
) -> str:
    """One document of the clinician pages of several summaries (`parts`, each rendered by
    `SummaryPages.clinician_html`), in the language in use (the clinic's). Each part's ids
    (and the links to them: "continued on page N") get the part's own prefix, so no two
    summaries share one; the parts are our own autoescaped HTML, where patient text cannot
    hold a raw `id="`."""
    prefixed = [
        Markup(part.replace(' id="', f' id="p{n}-').replace(' href="#', f' href="#p{n}-'))
        for n, part in enumerate(parts, 1)
    ]
    return (
        environment()
        .get_template(CLINICIAN_PAGES_TEMPLATE)
        .render(
            parts=prefixed,
            day=short_date(day),
            created=today.isoformat(),
            clinic_name=(clinic_name or "").strip(),
            page_size=page_size(paper),
            html_lang=i18n.html_lang(i18n.current()),
            margin_words=margin_words(),
        )
    )
