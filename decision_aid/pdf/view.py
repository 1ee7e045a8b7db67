"""What a summary PDF shows, as the template's context: the summary view (decision_aid.summary,
shared with the summary page, the staff summary and the text output), laid out for paper. Only
the layout's choices live here (page 1's limits, the split of the patient's questions); no
clinical logic and no wording of its own for what the guidance says.

Patient text only ever reaches the HTML through autoescaped Jinja expressions in element content
or quoted attributes, never inside <style>."""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Mapping

from markupsafe import Markup

from decision_aid.guidance.result import GuidanceResult
from decision_aid.pdf.fetcher import ASSET_HOST, LOGO_PATH, usable_logo
from decision_aid.pdf.parts import consultation_context, main_sources, pictures, qr_svg
from decision_aid.pdf.templates import clip, css_text, environment, margin_words, page_size
from decision_aid.summary import SummaryView, build_view
from decision_aid.text import i18n
from decision_aid.text.dates import short_date

TEMPLATE = "pdf/summary.html"
# Page 1 (and its continuation) in the clinic's language, the patient's copy in the patient's.
CLINICIAN_TEMPLATE = "pdf/_clinician.html"
PATIENT_TEMPLATE = "pdf/_patient.html"
CONSULTATION_TEMPLATE = "pdf/_consultation.html"

# Caps on what page 1 shows of a free-text field; the rest is printed on page 2.
HEADER_CLINIC_CHARS = 55
PAGE1_TEXT_LIMIT = {"name": 120, "date_of_birth": 20, "appointment": 40, "clinic": 60}

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
        shown, cut = clip(detail.value, limit) if limit else (detail.value, False)
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
            patient_language_name = "" if same else i18n.language_name(language)
        self.dates = (today, answered)
        self.consultation_only = consultation_only  # page 2 alone: no page 1 to fit
        self.suggested_limit = None  # the suggested questions page 2 shows (None: all)
        self.logo = usable_logo(clinic_logo)
        self.questions = self.clinician_view.own_questions
        self.reasons = True  # the guidance reasons on page 1; the layout drops them if need be
        self.split = None  # how many of the questions page 1 keeps, once the layout chose
        self.close = False  # the patient's copy set closer, when that saves a nearly empty page
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
            "clinic_header": clip(clinic_name, HEADER_CLINIC_CHARS)[0],
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
            "close": self.close,
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


def _result_in(language, answers, today, result):
    """The guidance result in `language` for the clinician page (the patient's is `result`):
    made again from the answers, as its words differ; `result` itself if they are not valid."""
    from decision_aid import guidance

    try:
        with i18n.using(language):
            return guidance.result_for(dict(answers), today)
    except guidance.ValidationError:
        return result


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
