"""The PDF summary: page 1 for the clinician, then the patient's copy.

Answers + guidance result -> view model (plain Python, here) -> Jinja template (autoescaped,
templates/pdf/) -> WeasyPrint (static/pdf/print.css, system Noto/DejaVu fonts) -> tagged PDF/UA-1.

Security: every URL that reaches WeasyPrint goes through `LockedFetcher`, which serves only the
bundled files under static/pdf/ and the one logo file named in the configuration, from a fake
origin that is never resolved. Patient text only ever reaches the HTML through autoescaped
Jinja expressions in element content or quoted attributes, never inside <style>.

Determinism: the same answers, result, reference, date and configuration give the same bytes;
the creation date comes from `today` (`dcterms.created`), never from the clock.

Page 1 must fit on one page. The clinician section is laid out once; if its end marker is not
on page 1, the patient's questions are split (the first k on page 1, the rest at the top of
page 2 with a "continued on page N" note) and the layout is repeated with smaller k.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
import logging
import mimetypes
import os
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from decision_aid.guidance import content as guidance_content

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent
ASSETS_DIR = PACKAGE_DIR / "static" / "pdf"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
TEMPLATE = "pdf/summary.html"
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
PAGE1_TEXT_LIMIT = {"name": 120, "date_of_birth": 20, "appointment": 40, "clinic": 60}
NOT_ANSWERED = "Not answered"

# One lock: the shared FontConfiguration and the cached stylesheet are not documented as
# thread-safe, and a PDF render is CPU-bound anyway.
_render_lock = threading.Lock()


# --- Labels (answer values -> words for the PDF) -------------------------------------------

# The words come from the guidance content (guidance/labels.yaml), which a clinician reviews:
# one wording for each answer value, in the summary page, the reasons and the PDF alike.
_LABELS = guidance_content.load("labels")
SIDE = _LABELS["side"]
STARTED_WHERE = _LABELS["started_where"]
AREAS = _LABELS["current_areas"]
YES_NO = _LABELS["yes_no_unsure"]
COURSE = _LABELS["course"]
FREQUENCY = _LABELS["frequency"]
RED_FLAGS = {k: v for k, v in _LABELS["red_flags"].items() if k != "none"}
SEEN_BY = _LABELS["seen_by"]
MRI = _LABELS["mri"]
TREATMENTS = _LABELS["treatments"]
BOTOX_SIDE_EFFECTS = _LABELS["botox_side_effects"]
SATISFACTION = _LABELS["botox_satisfaction"]
MEDICINES = _LABELS["medicines"]
MEDICINE_HELPED = _LABELS["medicine_helped"]
MVD_HELPED = _LABELS["mvd_helped"]
MEDICINE_SIDE_EFFECTS = _LABELS["medicine_side_effects"]
IMPACT_ITEMS = _LABELS["impact"]
IMPACT_LEVELS = tuple(_LABELS["impact_levels"])
PRIORITIES = _LABELS["priorities"]
LEANING = _LABELS["leaning"]
SURE_ITEMS = _LABELS["sure"]
OPTION_NAMES = {
    "botox": "Botox injections",
    "medicines": "Medicines",
    "mvd": "Surgery (MVD)",
    "wait": "Waiting and watching",
}
LEVELS = {"urgent": "Urgent", "recommend": "Recommended", "inform": "Good to know"}
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


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
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )


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


# --- Formatting helpers --------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _label(mapping: dict, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return mapping.get(value, value)
    return _text(value)


def _labels(mapping: dict, values, drop=("none",)) -> list[str]:
    if not isinstance(values, list | tuple):
        return [_label(mapping, values)] if values not in (None, "") else []
    return [_label(mapping, v) for v in values if v not in drop]


def _join(parts) -> str:
    return ", ".join(p for p in parts if p)


def format_date(value) -> str:
    """'2021-03' -> 'Mar 2021', '1961-04-12' -> '12 Apr 1961', a date -> '12 Apr 1961';
    anything else is shown as given."""
    if isinstance(value, datetime.date):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    text = _text(value).strip()
    try:
        if len(text) == 10:
            return format_date(datetime.date.fromisoformat(text))
        if len(text) == 7 and text[4] == "-":
            year, month = int(text[:4]), int(text[5:])
            if 1 <= month <= 12:
                return f"{MONTHS[month - 1]} {year}"
    except ValueError:
        pass
    return text


def format_months(months) -> str:
    if not isinstance(months, int) or isinstance(months, bool) or months < 0:
        return ""
    if months < 1:
        return "less than a month"
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts)


def _duration_months(answers: dict, today: datetime.date):
    """Fallback when the result's facts carry no duration_months."""
    onset = answers.get("onset")
    if isinstance(onset, str) and onset[:4].isdigit():
        month = int(onset[5:7]) if len(onset) == 7 and onset[5:7].isdigit() else 7
        return max(0, (today.year - int(onset[:4])) * 12 + today.month - month)
    ago = answers.get("onset_ago")
    if isinstance(ago, dict) and isinstance(ago.get("amount"), int):
        factor = {"weeks": 12 / 52, "months": 1, "years": 12}.get(ago.get("unit"))
        if factor:
            return int(ago["amount"] * factor)
    return None


def _clip(text: str, limit: int) -> tuple[str, bool]:
    """(what page 1 shows, whether something was cut)."""
    if len(text) <= limit:
        return text, False
    return text[: limit - 1].rstrip() + "…", True


# --- The clinician page --------------------------------------------------------------------


def _row(label: str, *values, flag: str = "") -> dict:
    value = " · ".join(v for v in values if v) or NOT_ANSWERED
    return {"label": label, "value": value, "flag": flag, "missing": value == NOT_ANSWERED}


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _capital_label(mapping: dict, value) -> str:
    return _capital(_label(mapping, value))


def _red_flags(answers: dict, facts: dict) -> dict:
    labels = facts.get("red_flag_labels")
    if isinstance(labels, list):
        flags = [_capital(_text(x)) for x in labels if x]
    else:
        flags = [_capital(x) for x in _labels(RED_FLAGS, answers.get("red_flags") or [])]
        if answers.get("bells_palsy") == "yes":
            flags.append("Bell's palsy before")
        if answers.get("onset_before_40") == "yes":
            flags.append("Began before age 40")
        if answers.get("side") == "both":
            flags.append("Both sides of the face")
    answered = bool(answers.get("red_flags")) or labels is not None
    return {
        "flags": flags,
        "answered": answered,
        "emergency": bool(
            facts.get("emergency", "sudden_weakness" in (answers.get("red_flags") or []))
        ),
    }


def _botox_row(answers: dict) -> dict:
    treatments = answers.get("treatments") or []
    if "botox" not in treatments:
        return _row("Botox", "Not tried" if treatments else "")
    rounds = answers.get("botox_rounds")
    first, now = answers.get("botox_weeks_first"), answers.get("botox_weeks_now")
    trend, flag = "", ""
    if isinstance(first, int) and isinstance(now, int):
        trend = f"benefit {first} weeks at first, {now} weeks now"
        if now < first:
            trend += " (shorter)"
            flag = "shorter"
    elif first is not None or now is not None:
        trend = f"benefit {_text(first) or '?'} weeks at first, {_text(now) or '?'} weeks now"
    effects = _labels(BOTOX_SIDE_EFFECTS, answers.get("botox_side_effects") or [])
    return _row(
        "Botox",
        f"{rounds} round{'s' if rounds != 1 else ''}" if rounds is not None else "",
        f"last {format_date(answers['botox_last'])}" if answers.get("botox_last") else "",
        trend,
        _side_effects(effects, answers.get("botox_side_effects")),
        _label(SATISFACTION, answers.get("botox_satisfaction")),
        flag=flag,
    )


def _side_effects(labels: list[str], answered) -> str:
    if labels:
        return "side effects: " + _join(labels)
    return "no side effects" if answered else ""


def _medicine_row(answers: dict) -> dict:
    treatments = answers.get("treatments") or []
    if "medicines" not in treatments and not answers.get("medicines"):
        return _row("Medicines", "Not tried" if treatments else "")
    effects = _labels(MEDICINE_SIDE_EFFECTS, answers.get("medicine_side_effects") or [])
    current = answers.get("medicine_current")
    return _row(
        "Medicines",
        _join(_labels(MEDICINES, answers.get("medicines") or [])) or "tried",
        _label(MEDICINE_HELPED, answers["medicine_helped"])
        if answers.get("medicine_helped")
        else "",
        _side_effects(effects, answers.get("medicine_side_effects")),
        {"yes": "still taking", "no": "stopped"}.get(current, ""),
    )


def _mvd_row(answers: dict) -> dict:
    treatments = answers.get("treatments") or []
    if "mvd" not in treatments and answers.get("mvd_year") is None:
        return _row("Previous MVD", "No" if treatments else "")
    recurred = answers.get("mvd_recurred")
    return _row(
        "Previous MVD",
        f"in {answers['mvd_year']}" if answers.get("mvd_year") is not None else "yes",
        _label(MVD_HELPED, answers["mvd_helped"]) if answers.get("mvd_helped") else "",
        f"spasm came back: {_label(YES_NO, recurred)}" if recurred else "",
        flag="recurred" if recurred == "yes" or answers.get("mvd_helped") == "no" else "",
    )


def _impact_row(answers: dict, scores: dict) -> dict:
    impact = answers.get("impact") if isinstance(answers.get("impact"), dict) else {}
    score, most = scores.get("impact"), scores.get("impact_max")
    by_level: dict[int, list[str]] = {}
    for key, label in IMPACT_ITEMS.items():
        value = impact.get(key)
        if isinstance(value, int) and 2 <= value <= 3:
            by_level.setdefault(value, []).append(label)
    detail = "; ".join(
        f"{IMPACT_LEVELS[level]}: {_join(by_level[level])}" for level in (3, 2) if level in by_level
    )
    total = f"{score} of {most}" if score is not None and most else _text(score)
    return _row("Impact on daily life", total, detail)


def _priorities_row(answers: dict) -> dict:
    priorities = answers.get("priorities")
    if not isinstance(priorities, dict):
        return _row("Priorities")
    groups = []
    for level, title in (("very", "very important"), ("somewhat", "somewhat")):
        names = [label for key, label in PRIORITIES.items() if priorities.get(key) == level]
        if names:
            groups.append(f"{title}: {_join(names)}")
    return _row("Priorities", "; ".join(groups) or "none marked important")


def _sure_row(answers: dict, scores: dict) -> dict:
    sure, conflict = scores.get("sure"), scores.get("conflict")
    answered = answers.get("sure") if isinstance(answers.get("sure"), dict) else {}
    noes = [label for key, label in SURE_ITEMS.items() if answered.get(key) == "no"]
    return _row(
        "SURE (readiness)",
        f"{sure} of 4" if sure is not None else "",
        "DECISIONAL CONFLICT (3 or less)" if conflict else "",
        "not: " + _join(noes) if noes else "",
        flag="conflict" if conflict else "",
    )


def _onset(answers: dict) -> str:
    if answers.get("onset"):
        return f"since {format_date(answers['onset'])}"
    ago = answers.get("onset_ago")
    if isinstance(ago, dict) and ago.get("amount") is not None:
        return f"about {ago['amount']} {_text(ago.get('unit'))} ago"
    return ""


def clinician_rows(answers: dict, result: dict, today: datetime.date) -> list[dict]:
    """The table of facts on page 1, in the order a clinician reads it."""
    facts = result.get("facts") if isinstance(result.get("facts"), dict) else {}
    scores = result.get("scores") if isinstance(result.get("scores"), dict) else {}
    months = facts.get("duration_months", _duration_months(answers, today))
    areas = _labels(AREAS, answers.get("current_areas") or [])
    seen = _labels(SEEN_BY, answers.get("seen_by") or [], drop=())
    others = [t for t in ("acupuncture", "complementary") if t in (answers.get("treatments") or [])]
    rows = [
        _row(
            "Side",
            _capital_label(SIDE, answers.get("side")),
            flag="both" if answers.get("side") == "both" else "",
        ),
        _row(
            "Onset and duration",
            _onset(answers),
            format_months(months),
            _label(COURSE, answers.get("course")),
        ),
        _row(
            "Spread",
            f"started {_label(STARTED_WHERE, answers['started_where'])}"
            if answers.get("started_where")
            else "",
            f"now: {_join(areas)}" if areas else "",
            f"in sleep: {_label(YES_NO, answers['in_sleep'])}" if answers.get("in_sleep") else "",
            "fine rippling of one eyelid only"
            if answers.get("eyelid_ripple_only") == "yes"
            else "",
        ),
        _row("Frequency", _capital_label(FREQUENCY, answers.get("frequency"))),
        _row(
            "Diagnosis and MRI",
            f"seen by: {_join(seen)}" if seen else "",
            f"called HFS: {_label(YES_NO, answers['diagnosed_hfs'])}"
            if answers.get("diagnosed_hfs")
            else "",
            f"MRI: {_label(MRI, answers['mri'])}" if answers.get("mri") else "",
        ),
        _botox_row(answers),
        _medicine_row(answers),
        _mvd_row(answers),
    ]
    if others:
        rows.append(_row("Other treatments", _join(_labels(TREATMENTS, others))))
    rows += [
        _impact_row(answers, scores),
        _priorities_row(answers),
        _row("Leaning", _capital_label(LEANING, answers.get("leaning"))),
        _sure_row(answers, scores),
    ]
    return rows


# --- The patient's copy --------------------------------------------------------------------


def _source_numbers(result: dict) -> tuple[list[dict], dict[str, int]]:
    sources = result.get("sources") if isinstance(result.get("sources"), dict) else {}
    listed = [{"id": key, "citation": _text(value)} for key, value in sources.items()]
    return listed, {entry["id"]: number for number, entry in enumerate(listed, 1)}


def _refs(ids, numbers: dict[str, int]) -> list[str]:
    return [str(numbers[i]) if i in numbers else _text(i) for i in (ids or [])]


def _sentences(parts) -> str:
    """Reasons as one paragraph: each ends with a full stop, unless it has its own."""
    texts = [_text(p).strip() for p in parts or []]
    return " ".join(t if t[-1] in ".!?" else t + "." for t in texts if t)


def _items(result: dict, numbers) -> list[dict]:
    items = []
    for item in result.get("items") or []:
        level = item.get("level") if item.get("level") in LEVELS else "inform"
        items.append(
            {
                "id": _text(item.get("id")),
                "level": level,
                "level_label": LEVELS[level],
                "title": _text(item.get("title")),
                "text": _text(item.get("text")),
                "reasons": _sentences(item.get("reasons")),
                "refs": _refs(item.get("sources"), numbers),
            }
        )
    order = {"urgent": 0, "recommend": 1, "inform": 2}
    return sorted(items, key=lambda i: order[i["level"]])  # stable: keeps the engine's order


def _facts_with_refs(texts, sources, numbers) -> list[dict]:
    """Benefits or harms, each with its own source numbers when the engine gives them."""
    sources = sources if isinstance(sources, list) else []
    facts = []
    for index, text in enumerate(texts or []):
        ids = sources[index] if index < len(sources) and isinstance(sources[index], list) else []
        facts.append({"text": _text(text), "refs": _refs(ids, numbers)})
    return facts


def _options(result: dict, numbers) -> list[dict]:
    options = []
    for option in result.get("options") or []:
        oid = _text(option.get("id"))
        options.append(
            {
                "id": oid,
                "name": _text(option.get("title")) or OPTION_NAMES.get(oid, oid),
                "what": _text(option.get("what")),
                "benefits": _facts_with_refs(
                    option.get("benefits"), option.get("benefit_sources"), numbers
                ),
                "harms": _facts_with_refs(option.get("harms"), option.get("harm_sources"), numbers),
                "living_with": _text(option.get("living_with")),
                "refs": _refs(option.get("sources"), numbers),
            }
        )
    return options


# --- Putting it together -------------------------------------------------------------------


def _patient_questions(answers: dict) -> list[str]:
    questions = answers.get("patient_questions") or []
    if not isinstance(questions, list | tuple):
        questions = [questions]
    return [_text(q) for q in questions if _text(q).strip()]


def _context(answers, result, *, reference, today, clinic_name, logo, paper, split=None):
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    questions = _patient_questions(answers)
    keep = len(questions) if split is None else split
    details, continued_details = [], []
    for key, label in (
        ("name", "Name"),
        ("date_of_birth", "Date of birth"),
        ("appointment", "Appointment"),
        ("clinic", "Clinic"),
    ):
        value = _text(answers.get(key)).strip()
        if not value:
            continue
        if key in ("date_of_birth", "appointment"):
            value = format_date(value)
        shown, cut = _clip(value, PAGE1_TEXT_LIMIT[key])
        details.append({"label": label, "value": shown, "cut": cut})
        if cut:
            continued_details.append({"label": label, "value": value})
    sources, numbers = _source_numbers(result)
    provenance = result.get("provenance") if isinstance(result.get("provenance"), dict) else {}
    items = _items(result, numbers)
    to_ask = [_text(q) for q in result.get("questions_to_ask") or [] if _text(q).strip()]
    return {
        "reference": _text(reference),
        "today": format_date(today),
        "created": today.isoformat(),
        "clinic_name": _text(clinic_name).strip(),
        "logo_url": f"https://{ASSET_HOST}{LOGO_PATH}{logo.suffix.lower()}" if logo else None,
        "page_size": PAPERS[paper],
        "details": details,
        "continued_details": continued_details,
        "red_flags": _red_flags(answers, result.get("facts") or {}),
        "rows": clinician_rows(answers, result, today),
        "advice": [i for i in items if i["level"] in ("urgent", "recommend")],
        "questions": questions[:keep],
        "continued_questions": questions[keep:],
        "continued_start": keep + 1,
        "items": items,
        "options": _options(result, numbers),
        # The engine may already list the patient's own questions; print each question once.
        "questions_to_ask": [q for q in to_ask if q not in questions],
        "own_questions": questions,
        "sources": sources,
        "provenance": {
            "content_version": _text(provenance.get("content_version")),
            "reviewed": format_date(provenance.get("reviewed"))
            if provenance.get("reviewed")
            else "",
            "update_policy": _text(provenance.get("update_policy")),
            "funding": _text(provenance.get("funding")),
            "reviewed_by": _text(provenance.get("reviewed_by")),
        },
    }


def _html(context: dict, *, inline_css: bool) -> str:
    css = Markup(_css_text()) if inline_css else None  # our own file, never user text
    return _environment().get_template(TEMPLATE).render(**context, inline_css=css)


def render_summary_html(
    answers: dict,
    result: dict,
    *,
    reference: str,
    today: datetime.date,
    clinic_name: str = "",
    clinic_logo: str | None = None,
    paper: str = "a4",
) -> str:
    """The self-contained HTML (print CSS inlined) for the summary, as WeasyPrint lays it out
    when all the patient's questions fit on page 1. `render_summary_pdf` passes the same CSS
    as a cached stylesheet instead, and may move questions to page 2."""
    context = _context(
        answers,
        result,
        reference=reference,
        today=today,
        clinic_name=clinic_name,
        logo=usable_logo(clinic_logo),
        paper=paper,
    )
    return _html(context, inline_css=True)


def _layout(context: dict, fetcher: LockedFetcher):
    html = HTML(string=_html(context, inline_css=False), base_url=BASE_URL, url_fetcher=fetcher)
    return html.render(font_config=_font_config(), stylesheets=[_stylesheet()], **PDF_OPTIONS)


def _fits(document) -> bool:
    return bool(document.pages) and "clinician-end" in document.pages[0].anchors


def render_summary_pdf(
    answers: dict,
    result: dict,
    *,
    reference: str,
    today: datetime.date,
    clinic_name: str = "",
    clinic_logo: str | None = None,
    paper: str = "a4",
) -> bytes:
    """The summary as PDF bytes: page 1 for the clinician, then the patient's copy."""
    logo = usable_logo(clinic_logo)
    args = dict(reference=reference, today=today, clinic_name=clinic_name, logo=logo, paper=paper)
    context = _context(answers, result, **args)
    with _render_lock:
        fetcher = LockedFetcher(logo)
        document = _layout(context, fetcher)
        if not _fits(document):
            document = _split_questions(answers, result, args, document, fetcher)
        return document.write_pdf(**PDF_OPTIONS)


def _split_questions(answers, result, args, document, fetcher):
    """Page 1 overflowed: keep as many whole questions on page 1 as fit with the note."""
    first_page = document.pages[0].anchors
    count = len(_patient_questions(answers))
    keep = sum(1 for n in range(1, count + 1) if f"question-{n}" in first_page)
    for split in range(min(keep, count - 1), -1, -1):
        context = _context(answers, result, **args, split=split)
        document = _layout(context, fetcher)
        if _fits(document):
            return document
    log.warning("The clinician page does not fit on one page even without questions")
    return document


# --- The `decision-aid render` command -----------------------------------------------------


def reference_for(answers: dict) -> str:
    """A stable reference code for answers rendered outside the web app (same answers, same
    code), in the store's alphabet and display form."""
    from decision_aid.store import REFERENCE_ALPHABET, REFERENCE_LENGTH, format_reference

    digest = hashlib.sha256(
        json.dumps(answers, sort_keys=True, ensure_ascii=False).encode("utf-8")
    ).digest()
    code = "".join(REFERENCE_ALPHABET[b % len(REFERENCE_ALPHABET)] for b in digest)
    return format_reference(code[:REFERENCE_LENGTH])


def render_answers_file(answers_path, output_path, *, today=None, paper=None, err=None) -> int:
    """Validate an answers file, evaluate it and write the PDF. Returns the exit code:
    0 done, 2 invalid input (one line per problem on `err`, no traceback), 1 other failure.
    CLINIC_NAME, CLINIC_LOGO and PAPER come from the environment, as for the web app."""
    err = err or sys.stderr
    today = today or datetime.date.today()
    paper = (paper or os.environ.get("PAPER") or "a4").lower()
    if paper not in PAPERS:
        print(f"paper: must be one of {', '.join(PAPERS)} (got {paper!r})", file=err)
        return 2
    try:
        with open(answers_path, encoding="utf-8") as f:
            answers = json.load(f)
    except OSError as exc:
        print(f"{answers_path}: cannot read the file ({exc.strerror or exc})", file=err)
        return 2
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        print(f"{answers_path}: not valid JSON ({exc})", file=err)
        return 2
    from decision_aid.guidance import ValidationError, evaluate

    try:
        result = evaluate(answers, today)
    except ValidationError as exc:
        for problem in exc.problems:
            print(problem, file=err)
        return 2
    pdf = render_summary_pdf(
        answers,
        result,
        reference=reference_for(answers),
        today=today,
        clinic_name=os.environ.get("CLINIC_NAME", ""),
        clinic_logo=os.environ.get("CLINIC_LOGO") or None,
        paper=paper,
    )
    try:
        Path(output_path).write_bytes(pdf)
    except OSError as exc:
        print(f"{output_path}: cannot write the PDF ({exc.strerror or exc})", file=err)
        return 1
    return 0
