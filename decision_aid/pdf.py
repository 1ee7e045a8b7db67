"""The PDF summary: page 1 for the clinician, then the patient's copy.

Answers + guidance result -> view model (plain Python, here) -> Jinja template (autoescaped,
templates/pdf/) -> WeasyPrint (static/pdf/print.css, system Noto/DejaVu fonts) -> tagged PDF/UA-1.

No clinical logic: every clinical value, label and flag on the PDF comes from the guidance
result (`facts`, `scores`, `items` of docs/answers-format.md, made by
decision_aid.guidance.evaluate). From the answers the PDF takes only the patient's details and
own questions. It reads no environment variables: callers pass the clinic name, logo and paper.

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
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import jinja2
from markupsafe import Markup
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from decision_aid import filters
from decision_aid.clinic_time import age_on
from decision_aid.guidance.model import IMPACT_ITEMS, SURE_ITEMS

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
HEADER_CLINIC_CHARS = 55
PAGE1_TEXT_LIMIT = {"name": 120, "date_of_birth": 20, "appointment": 40, "clinic": 60}
NOT_ANSWERED = "Not answered"

# One lock: the shared FontConfiguration and the cached stylesheet are not documented as
# thread-safe, and a PDF render is CPU-bound anyway.
_render_lock = threading.Lock()


# --- Words ---------------------------------------------------------------------------------

# Every clinical value on the PDF comes from the guidance result (`facts`, `scores`, `items`),
# already in words from the questionnaire's short labels and the reviewed guidance content: the
# PDF holds no clinical logic, no thresholds and no wording of its own for answer values. From
# the questionnaire it takes only how many daily-life and SURE questions there are, for
# "3 of 7 answered".
IMPACT_QUESTIONS = len(IMPACT_ITEMS)
SURE_QUESTIONS = len(SURE_ITEMS)
# The same words as the summary page, so a patient sees one name for each level.
LEVELS = {"urgent": "Urgent", "recommend": "We suggest", "inform": "Good to know"}
MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
OTHER_TREATMENTS = ("acupuncture", "complementary")


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
    )
    filters.register(env)
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


# --- Formatting helpers --------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value) -> list:
    return list(value) if isinstance(value, list | tuple) else []


def _join(parts) -> str:
    return ", ".join(_text(p) for p in parts if p)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


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


def _clip(text: str, limit: int) -> tuple[str, bool]:
    """(what page 1 shows, whether something was cut)."""
    if len(text) <= limit:
        return text, False
    return text[: limit - 1].rstrip() + "…", True


# --- The clinician page --------------------------------------------------------------------
# Each row shows what the engine put in result["facts"] and result["scores"]; a row is flagged
# when the engine's own value or rule says so (a fired item, botox_trend, conflict).


def _row(label: str, *values, flag: str = "") -> dict:
    value = " · ".join(v for v in values if v) or NOT_ANSWERED
    return {"label": label, "value": value, "flag": flag, "missing": value == NOT_ANSWERED}


def _red_flags(facts: dict) -> dict:
    flags = [_capital(_text(label)) for label in _list(facts.get("red_flag_labels")) if label]
    return {
        "flags": flags,
        "answered": bool(flags or _list(facts.get("red_flags"))),
        "emergency": facts.get("emergency") is True,
        # False when every listed symptom is a known effect of the patient's own treatment.
        "to_check": facts.get("red_flags_to_check") is not False,
    }


def _valued_labels(facts: dict, field: str) -> list[tuple]:
    """(value, label) pairs of a list fact: `field` and `field_labels` are in the same order."""
    values, labels = _list(facts.get(field)), _list(facts.get(f"{field}_labels"))
    return list(zip(values, labels, strict=False))


def _side_effects(facts: dict, field: str) -> str:
    pairs = _valued_labels(facts, field)
    named = [label for value, label in pairs if value != "none"]
    if named:
        return "side effects: " + _join(named)
    return "no side effects" if pairs else ""


def _not_tried(facts: dict) -> str:
    """What a treatment row says when it was not tried: only if the treatment question was
    answered at all."""
    return "Not tried" if _list(facts.get("treatments")) else ""


def _botox_row(facts: dict) -> dict:
    if not facts.get("botox_tried"):
        return _row("Botox", _not_tried(facts))
    rounds, trend = facts.get("botox_rounds"), facts.get("botox_trend")
    first, now = facts.get("botox_weeks_first"), facts.get("botox_weeks_now")
    if facts.get("botox_trend_text"):
        benefit = f"benefit {facts['botox_trend_text']}"
        if trend in ("shorter", "longer"):
            benefit += f" ({trend})"
    else:  # only one of the two answered: show what there is
        benefit = _join(
            [
                f"benefit {first} weeks at first" if first is not None else "",
                f"benefit {now} weeks now" if now is not None else "",
            ]
        )
    return _row(
        "Botox",
        f"{rounds} round{'s' if rounds != 1 else ''}" if rounds is not None else "",
        f"last {format_date(facts['botox_last'])}" if facts.get("botox_last") else "",
        benefit,
        _side_effects(facts, "botox_side_effects"),
        _text(facts.get("botox_satisfaction_label")),
        flag="shorter" if trend == "shorter" else "",
    )


def _medicine_row(facts: dict) -> dict:
    names = _list(facts.get("medicines_labels"))
    if not names and "medicines" not in _list(facts.get("treatments")):
        return _row("Medicines", _not_tried(facts))
    return _row(
        "Medicines",
        _join(names) or "tried",
        _text(facts.get("medicine_helped_label")),
        _side_effects(facts, "medicine_side_effects"),
        _text(facts.get("medicine_current_label")),
    )


def _mvd_row(facts: dict, fired: set[str]) -> dict:
    if not facts.get("mvd_tried"):
        return _row("Previous MVD", "No" if _list(facts.get("treatments")) else "")
    year, recurred = facts.get("mvd_year"), facts.get("mvd_recurred_label")
    return _row(
        "Previous MVD",
        f"in {year}" if year is not None else "yes",
        _text(facts.get("mvd_helped_label")),
        f"spasm: {recurred}" if recurred else "",
        flag="after MVD" if "after_mvd" in fired else "",
    )


def _impact_row(facts: dict, scores: dict) -> dict:
    score, most = scores.get("impact"), scores.get("impact_max")
    if score is None:
        return _row("Impact on daily life")
    total = f"{score} of {most}" if most else _text(score)
    notes = []
    answered = facts.get("impact_answered")
    if isinstance(answered, int) and answered < IMPACT_QUESTIONS:
        notes.append(f"{answered} of {IMPACT_QUESTIONS} questions answered")
    if most:
        notes.append(f"higher is worse, 0 to {most}")
    if notes:
        total += f" ({'; '.join(notes)})"
    by_answer: dict[str, list[str]] = {}  # highest score first; "never" left out
    items = [i for i in _list(facts.get("impact_items")) if isinstance(i, dict)]
    for item in sorted(items, key=lambda i: -i.get("score", 0)):
        if item.get("score"):
            by_answer.setdefault(_text(item.get("answer")), []).append(_text(item.get("label")))
    detail = "; ".join(f"{answer}: {_join(labels)}" for answer, labels in by_answer.items())
    return _row("Impact on daily life", total, detail)


def _priorities_row(facts: dict) -> dict:
    items = [i for i in _list(facts.get("priority_items")) if isinstance(i, dict)]
    if not items:
        return _row("Priorities")
    groups = []
    for level in ("very", "somewhat"):
        chosen = [i for i in items if i.get("level") == level]
        if chosen:
            names = _join(_text(i.get("label")) for i in chosen)
            groups.append(f"{_text(chosen[0].get('level_label'))}: {names}")
    return _row("Priorities", "; ".join(groups) or "none marked important")


def _sure_row(facts: dict, scores: dict) -> dict:
    """The SURE score with its scale, and each answer in words about the patient."""
    sure, conflict = scores.get("sure"), scores.get("conflict") is True
    words = "; ".join(_text(w) for w in _list(facts.get("sure_words")) if w)
    return _row(
        "SURE (readiness)",
        f"{sure} of {SURE_QUESTIONS} (higher is better, 0 to {SURE_QUESTIONS}; 3 or less is "
        "decisional conflict)"
        if sure is not None
        else "",
        "DECISIONAL CONFLICT" if conflict else "",
        _capital(words),
        flag="conflict" if conflict else "",
    )


def _pregnancy_row(facts: dict) -> list[dict]:
    """Pregnancy, only when the question was answered."""
    label = _text(facts.get("pregnancy_label"))
    return [_row("Pregnancy", _capital(label))] if facts.get("pregnancy") else []


def _onset(facts: dict) -> str:
    if facts.get("onset"):
        return f"since {format_date(facts['onset'])}"
    if facts.get("onset_text"):
        return f"about {facts['onset_text']}"
    return ""


def clinician_rows(result: dict) -> list[dict]:
    """The table of facts on page 1, in the order a clinician reads it."""
    facts, scores = _dict(result.get("facts")), _dict(result.get("scores"))
    fired = {_text(item.get("id")) for item in _list(result.get("items")) if isinstance(item, dict)}
    areas = _list(facts.get("current_areas_labels"))
    seen = _list(facts.get("seen_by_labels"))
    treatments = _valued_labels(facts, "treatments")
    others = [label for value, label in treatments if value in OTHER_TREATMENTS]
    rows = [
        _row(
            "Side",
            _capital(_text(facts.get("side_label"))),
            flag="both sides" if "bilateral" in fired else "",
        ),
        _row(
            "Onset and duration",
            _onset(facts),
            # "about 18 months ago" already says how long; a date needs the duration beside it
            format_months(facts.get("duration_months")) if facts.get("onset") else "",
            _text(facts.get("course_label")),
            f"under 40 at onset: {facts['onset_before_40_label']}"
            if facts.get("onset_before_40_label")
            else "",
        ),
        _row(
            "Spread",
            f"began: {facts['started_where_label']}" if facts.get("started_where_label") else "",
            f"now: {_join(areas)}" if areas else "",
            f"in sleep: {facts['in_sleep_label']}" if facts.get("in_sleep_label") else "",
            "fine rippling of one eyelid only" if facts.get("eyelid_ripple_only") == "yes" else "",
        ),
        _row("Frequency", _capital(_text(facts.get("frequency_label")))),
        _row(
            "Diagnosis and MRI",
            f"seen by: {_join(seen)}" if seen else "",
            f"called HFS: {facts['diagnosed_hfs_label']}"
            if facts.get("diagnosed_hfs_label")
            else "",
            f"MRI: {facts['mri_label']}" if facts.get("mri_label") else "",
            f"Bell's palsy before: {facts['bells_palsy_label']}"
            if facts.get("bells_palsy_label")
            else "",
        ),
        _botox_row(facts),
        _medicine_row(facts),
        _mvd_row(facts, fired),
    ]
    if others:
        rows.append(_row("Other treatments", _join(others)))
    rows += [
        *_pregnancy_row(facts),
        _impact_row(facts, scores),
        _priorities_row(facts),
        _row("Leaning", _capital(_text(facts.get("leaning_label")))),
        _sure_row(facts, scores),
    ]
    return rows


def clinician_items(result: dict) -> list[dict]:
    """The guidance items as page 1 lists them: level and title in the clinician's words, with
    the reasons about the patient, urgent first (the engine's own `staff_*` wording)."""
    order = {"urgent": 0, "recommend": 1, "inform": 2}
    items = [i for i in _list(result.get("items")) if isinstance(i, dict)]
    items = sorted(items, key=lambda i: order.get(i.get("level"), 2))
    return [
        {
            "level": item.get("level") if item.get("level") in LEVELS else "inform",
            "level_label": _text(item.get("staff_level")) or LEVELS.get(item.get("level"), ""),
            "title": _text(item.get("staff_title")) or _text(item.get("title")),
            "reasons": _sentences(item.get("staff_reasons")),
        }
        for item in items
    ]


# --- The patient's copy --------------------------------------------------------------------


def _source_numbers(result: dict) -> tuple[list[dict], dict[str, int]]:
    sources = _dict(result.get("sources"))
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
                "for_doctor": _text(item.get("for_doctor")),
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
        rows = [
            {
                "id": _text(row.get("id")),
                "label": _text(row.get("label")),
                "text": _text(row.get("text")),
                "refs": _refs(row.get("sources"), numbers),
                "figure": _dict(row.get("figure")) or None,
            }
            for row in _list(option.get("rows"))
            if isinstance(row, dict)
        ]
        options.append(
            {
                "id": _text(option.get("id")),
                "name": _text(option.get("title")) or _text(option.get("id")),
                "short": _text(option.get("short")) or _text(option.get("id")),
                "rows": rows,
            }
        )
    return options


def _about(result: dict, numbers) -> list[dict]:
    """What hemifacial spasm is, and the decision, each with its sources."""
    about = _dict(result.get("about"))
    return [
        {
            "title": _text(_dict(about.get(key)).get("title")),
            "text": _text(_dict(about.get(key)).get("text")),
            "refs": _refs(_dict(about.get(key)).get("sources"), numbers),
        }
        for key in ("condition", "decision")
        if about.get(key)
    ]


def _provenance(result: dict) -> dict:
    provenance = _dict(result.get("provenance"))
    return {
        # The engine's one review statement (version, when written, who checked it), if any.
        "statement": _text(provenance.get("statement")),
        "content_version": _text(provenance.get("content_version")),
        "reviewed": format_date(provenance.get("reviewed")) if provenance.get("reviewed") else "",
        "update_policy": _text(provenance.get("update_policy")),
        "funding": _text(provenance.get("funding")),
        "reviewed_by": _text(provenance.get("reviewed_by")),
        "written_by": _text(provenance.get("written_by")),
        "conflicts": _text(provenance.get("conflicts")),
    }


# --- Putting it together -------------------------------------------------------------------


def _patient_questions(answers: dict) -> list[str]:
    questions = answers.get("patient_questions") or []
    if not isinstance(questions, list | tuple):
        questions = [questions]
    return [_text(q) for q in questions if _text(q).strip()]


# The details that say whose summary it is: page 1 says so when one was not given, with a
# space to write it by hand (a patient may print the PDF without them).
IDENTITY_DETAILS = ("name", "date_of_birth")


def _details(answers: dict, today: datetime.date) -> tuple[list[dict], list[dict]]:
    """The patient's details as page 1 shows them (clipped), and those to print in full. The age
    on `today` follows the date of birth."""
    details, in_full = [], []
    for key, label in (
        ("name", "Name"),
        ("date_of_birth", "Date of birth"),
        ("appointment", "Appointment"),
        ("clinic", "Clinic"),
    ):
        value = _text(answers.get(key)).strip()
        if not value:
            if key in IDENTITY_DETAILS:
                details.append({"label": label, "value": "", "cut": False, "missing": True})
            continue
        age = age_on(value, today) if key == "date_of_birth" else None
        if key in ("date_of_birth", "appointment"):
            value = format_date(value)
        shown, cut = _clip(value, PAGE1_TEXT_LIMIT[key])
        details.append({"label": label, "value": shown, "cut": cut})
        if age is not None:
            details.append({"label": "Age", "value": str(age), "cut": False})
        if cut:
            in_full.append({"label": label, "value": value})
    return details, in_full


class _Summary:
    """One summary to render: the template context, built once from the arguments that
    `render_summary_html` and `render_summary_pdf` share. Only where the patient's questions
    are split between page 1 and page 2 varies between layouts (`context(split)`)."""

    def __init__(
        self,
        answers: dict,
        result: dict,
        *,
        reference: str,
        today: datetime.date,
        answered: datetime.date | None = None,
        clinic_name: str = "",
        clinic_logo: str | None = None,
        paper: str = "a4",
        clinician_only: bool = False,
    ):
        if paper not in PAPERS:
            raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
        answers, result = _dict(answers), _dict(result)
        self.logo = usable_logo(clinic_logo)
        self.questions = _patient_questions(answers)
        details, continued_details = _details(answers, today)
        sources, numbers = _source_numbers(result)
        items = _items(result, numbers)
        to_ask = [_text(q) for q in result.get("questions_to_ask") or [] if _text(q).strip()]
        self.reasons = True  # the guidance reasons on page 1; _laid_out drops them if need be
        logo = self.logo
        logo_url = f"https://{ASSET_HOST}{LOGO_PATH}{logo.suffix.lower()}" if logo else None
        self._context = {
            "reference": _text(reference),
            "today": format_date(today),
            "answered": format_date(answered) if answered else "",
            "created": today.isoformat(),
            "clinician_only": clinician_only,
            "clinic_name": _text(clinic_name).strip(),
            # The running header has room for one line: a long clinic name is shortened there
            # (it is configuration, not patient text, and appears in full in the metadata).
            "clinic_header": _clip(_text(clinic_name).strip(), HEADER_CLINIC_CHARS)[0],
            "logo_url": logo_url,
            "page_size": PAPERS[paper],
            "details": details,
            "continued_details": continued_details,
            "red_flags": _red_flags(_dict(result.get("facts"))),
            "rows": clinician_rows(result),
            "guidance": clinician_items(result),
            "items": items,
            "about": _about(result, numbers),
            "options": _options(result, numbers),
            "what_matters": [
                _text(_dict(entry).get("text")) for entry in _list(result.get("what_matters"))
            ],
            # The engine may already list the patient's own questions; print each one once.
            "questions_to_ask": [q for q in to_ask if q not in self.questions],
            "own_questions": self.questions,
            "sources": sources,
            "provenance": _provenance(result),
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
        css = Markup(_css_text()) if inline_css else None  # our own file, never user text
        return _environment().get_template(TEMPLATE).render(**self.context(split), inline_css=css)


def render_summary_html(answers: dict, result: dict, **options) -> str:
    """The self-contained HTML (print CSS inlined) for the summary, as WeasyPrint lays it out
    when all the patient's questions fit on page 1. The options are those of
    `render_summary_pdf`, which passes the same CSS as a cached stylesheet instead and may move
    questions to page 2."""
    return _Summary(answers, result, **options).html(inline_css=True)


def render_summary_pdf(answers: dict, result: dict, **options) -> bytes:
    """The summary as PDF bytes: page 1 for the clinician, then the patient's copy.

    Options (keyword only): reference (str) and today (datetime.date), both required;
    answered (datetime.date: when the patient last changed the answers, or None);
    clinic_name (default ""), clinic_logo (a file path or None), paper ("a4" or "letter"), and
    clinician_only (True: page 1 alone, plus the page it continues on when it overflows)."""
    with _render_lock:
        return _laid_out(_Summary(answers, result, **options)).write_pdf(**PDF_OPTIONS)


def layout_summary(answers: dict, result: dict, **options):
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
