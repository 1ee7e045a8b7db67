"""Every setting the app reads from the environment, in one table: its name (the environment
variable and the Flask configuration key are the same), its default, how its text is read and
checked, and the line that documents it. `config_from_env` reads them all; `check` stops the app
at start-up on a value it cannot use. scripts/settings_docs.py writes the settings tables of
docs/configuration.md (all of them) and README.md (the ones an operator sets) from this table,
and tests/test_settings.py checks that they match."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from decision_aid.text.i18n import LANGUAGES


def text(value: str) -> str:
    return value


def stripped(value: str) -> str:
    return value.strip()


def lower(value: str) -> str:
    return value.strip().lower()


def boolean(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def base_url(value: str) -> str:
    return value.strip().rstrip("/")


def host_list(value: str) -> list[str] | None:
    return [h.strip() for h in value.split(",")] if value.strip() else None


def _the_cores(_instance_path) -> str:
    """PDF renders at once by default: one a core (a Download's render runs at the pages'
    priority, a render ahead at the lowest: decision_aid.pdf.pool). Half the cores, as before, left
    one render slot on a 2-core host, and 50 patients' PDFs queued past PDF_WAIT_SECONDS into
    503s (docs/performance.md)."""
    return str(max(1, os.cpu_count() or 2))


def _sqlite_in(instance_path) -> str:
    return f"sqlite:///{Path(instance_path) / 'decision_aid.sqlite3'}"


# The FHIR canonical base when none is set (decision_aid.fhir.canon has the same; a test checks).
DEFAULT_BASE_URL = "https://decision-aid.example/fhir"

# What a `tel:` link may dial: an emergency number is a few digits (999, 112, 911, 120, 000).
EMERGENCY_NUMBER = re.compile(r"[0-9]{2,6}")


def _a_language(value):
    if value not in LANGUAGES:
        raise ValueError(f"CLINIC_LANGUAGE must be one of {', '.join(LANGUAGES)}, not {value!r}")


def _a_number_to_dial(value):
    if value and not EMERGENCY_NUMBER.fullmatch(value):
        raise ValueError(
            "EMERGENCY_NUMBER must be a number to dial (digits, such as 999, 112 or 120), "
            f"not {value!r}"
        )


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable and the Flask key
    default: str | Callable[[str], str] | None  # text read as the environment's; or of the folder
    parse: Callable[[str], object]
    shown: str  # the default, in the documents
    doc: str  # what it means, in the documents (Markdown)
    operator: bool = False  # one an operator sets: also in the README
    former: tuple[str, ...] = ()  # earlier environment names, still read
    check: Callable[[object], None] | None = None  # raises ValueError on a value it cannot use


S = Setting
# fmt: off
SETTINGS = (
    S("SECRET_KEY", None, text, "made once and kept in `instance/secret_key` (mode 600)",
      "signs the session cookie and CSRF tokens; never commit one", operator=True),
    S("DATABASE_URL", _sqlite_in, text, "`sqlite:///instance/decision_aid.sqlite3`",
      "SQLAlchemy URL; `postgresql+psycopg://user:pass@host/db` for PostgreSQL", operator=True),
    S("INSTANCE_PATH", "", text, "`./instance`",
      "where the database and the secret key live (Flask's instance folder)", operator=True),
    S("SESSION_COOKIE_SECURE", "0", boolean, "off",
      "`1` sends cookies only over HTTPS (set it in production); `COOKIE_SECURE` is still read",
      operator=True, former=("COOKIE_SECURE",)),
    S("TRUSTED_HOSTS", "", host_list, "any",
      "the host names (with `:port` when not the default) this service answers to, "
      "comma-separated; any other `Host` gets a 400, so no link it makes (resume link, QR code, "
      "FHIR `fullUrl`) can name another site", operator=True),
    S("TRUSTED_PROXIES", "0", int, "`0`",
      "proxy hops in front (nginx: `1`); the client's address (for the rate limits) and scheme "
      "come from their `X-Forwarded-*` headers", operator=True),
    S("CLINIC_NAME", "", text, "empty",
      "the clinic that runs the service: printed on every PDF page, and the only clinic "
      "patients can send their summary to; empty: sending is not offered", operator=True),
    S("CLINIC_LOGO", "", text, "empty", "path to a small PNG/JPEG logo for the PDF",
      operator=True),
    S("CLINIC_TZ", "UTC", text, "`UTC`",
      "the clinic's IANA time zone (e.g. `Europe/London`): staff times, \"today\", the PDF's "
      "dates and the day list; an unknown name stops the app at start-up", operator=True),
    S("CLINIC_LANGUAGE", "en", text, "`en`",
      "the language of the PDF's page 1, for the clinician: `en`, `es` or `zh_Hans` (the "
      "patient's copy follows the patient's language; [languages](docs/languages.md)); another "
      "value stops the app at start-up", operator=True, check=_a_language),
    S("PAPER", "a4", lower, "`a4`", "`a4` or `letter` for the PDF", operator=True),
    S("EMERGENCY_NUMBER", "", stripped, "empty",
      "the number to call (e.g. `999`, `112`, `911`, `120`): the emergency page shows it as a "
      "big `tel:` link, and the footer of every patient page as a link. Empty: each language's "
      "examples (English 999 UK, 112 Europe, 911 US and Canada; Spanish 112 Spain and Europe, "
      "911 Mexico and the US; Chinese 120 mainland China, 999 Hong Kong, 995 Singapore; "
      "`decision_aid/text/i18n.py`, `emergency_numbers`). Anything but 2 to 6 digits stops the app "
      "at start-up", operator=True, check=_a_number_to_dial),
    S("RETENTION_DAYS", "30", int, "`30`",
      "how long answers are kept after their last change; also the lifetime of the patient's "
      "cookie", operator=True),
    S("MAX_RETENTION_DAYS", "180", int, "`180`",
      "a summary sent to the clinic is kept until 14 days after its appointment when that is "
      "later than `RETENTION_DAYS`, but never longer than this after its last change "
      "([retention](docs/deployment.md#retention-decision-aid-purge)); less than "
      "`RETENTION_DAYS` stops the app at start-up"),
    S("FHIR_BASE_URL", DEFAULT_BASE_URL, base_url, f"`{DEFAULT_BASE_URL}`",
      "base of the FHIR canonical URLs (Questionnaire, CodeSystem, reference codes); set one "
      "your organisation controls and keep it stable ([FHIR](docs/fhir.md))", operator=True),
    S("DATE_ORDER", "", text, "from `CLINIC_LANGUAGE` and `CLINIC_TZ`",
      "`dmy` (day, month, year) or `mdy` (month, day, year): how staff's dates of birth typed "
      "in numbers (`02/07/1972`) are read when both orders are valid. Unset: the order of the "
      "short date format of `CLINIC_LANGUAGE` in the country of `CLINIC_TZ` (CLDR, through "
      "Babel): `en` with `Europe/London` or `Australia/Sydney` is `dmy`, `en` with "
      "`America/New_York` or `UTC` is `mdy`, `es` is `dmy`, `zh_Hans` (year, month, day) is "
      "`mdy`. Another value stops the app at start-up"),
    S("MAX_CONTENT_LENGTH", str(256 * 1024), int, "`262144`",
      "larger requests get a friendly 413 page; `MAX_REQUEST_BYTES` is still read",
      former=("MAX_REQUEST_BYTES",)),
    S("STAFF_SESSION_MINUTES", "30", int, "`30`", "staff sign-in timeout"),
    S("STAFF_SESSION_MAX_HOURS", "12", float, "`12`",
      "however busy, a staff session ends this long after sign-in (a clinic day)"),
    S("DB_UPGRADE", "1", boolean, "on",
      "on: the app brings the schema up to date at start-up (once per host, under a lock; a "
      "schema already up to date costs one query). `0`: it only checks, and refuses to start "
      "until `decision-aid db upgrade` has run (the production unit runs it once per "
      "deployment)"),
    S("MAIL_URL", "", stripped, "empty",
      "the SMTP server for \"Email me the link\" on the saved page: "
      "`smtp://host:25?from=noreply@clinic.example`, "
      "`smtp+starttls://user:password@host:587?from=…` or "
      "`smtps://user:password@host:465?from=…` (`decision_aid/wizard/mail_link.py`). Empty: the "
      "button is not shown", operator=True),
    S("PDF_CONCURRENCY", _the_cores, int, "the number of cores",
      "PDF renders at once on the host, across every worker and every instance that shares "
      "`PDF_LOCK_DIR` (lock files in the instance folder, or there)"),
    S("PDF_LOCK_DIR", "", text, "the instance folder",
      "where the render slots' lock files are (one folder for the host's workers)"),
    S("PDF_WAIT_SECONDS", "20", float, "`20`",
      "how long a PDF request waits for a render slot, or for the same PDF being made by "
      "another request, before a friendly 503 page"),
    S("PDF_RETRY_AFTER", "30", int, "`30`", "the 503's `Retry-After`"),
    S("PDF_REQUESTS_PER_WORKER", "6", int, "`6`",
      "PDF requests under way at once in one worker process (of its 8 threads), and at most 2 "
      "of one patient's; one more gets the 503 at once, so pages keep the worker's other "
      "threads"),
    S("PDF_PROCESSES", "1", int, "`1`",
      "render processes per worker process for Downloads (the render ahead has one of its own, "
      "at the lowest CPU priority)"),
    S("PDF_RENDERS_PER_PROCESS", "50", int, "`50`",
      "renders before a render process is replaced (WeasyPrint's native memory goes back to "
      "the system)"),
    S("PDF_RENDER_TIMEOUT", "60", float, "`60`",
      "seconds before a render is given up (its process is replaced)"),
    S("PDF_CACHE_MB", "100", float, "`100`",
      "size of the PDF cache in the instance folder (least recently used files go first); `0` "
      "turns it off"),
    S("PDF_RENDER_AHEAD", "1", boolean, "on",
      "`0` turns off the render of a patient's PDF in the background when they reach their "
      "summary (`decision_aid/pdf/ahead.py`)"),
    S("RATE_LIMIT_START", "60/600", stripped, "`60/600`",
      "new starts per address: COUNT/SECONDS (kept in the database, so across workers and "
      "hosts)"),
    S("RATE_LIMIT_SEND", "20/3600", stripped, "`20/3600`",
      "summaries sent to the clinic per address"),
    S("RATE_LIMIT_PDF", "30/3600", stripped, "`30/3600`", "PDF downloads per patient"),
    S("RATE_LIMIT_PDF_ADDRESS", "200/3600", stripped, "`200/3600`",
      "PDF downloads per address, whoever the patients"),
    S("RATE_LIMIT_FEEDBACK", "20/3600", stripped, "`20/3600`",
      "notes sent through \"Was anything unclear or missing?\" per address"),
    S("RATE_LIMIT_MAIL_ADDRESS", "3/86400", stripped, "`3/86400`",
      "\"Email me the link\" mails to one email address (only its hash is kept)"),
    S("RATE_LIMIT_MAIL_PATIENT", "5/86400", stripped, "`5/86400`",
      "\"Email me the link\" mails for one patient's answers"),
)
# fmt: on
BY_NAME = {setting.name: setting for setting in SETTINGS}


def environment_text(setting: Setting, environ=os.environ) -> str | None:
    """The setting's text in the environment (under its name, else a former one), or None."""
    for name in (setting.name, *setting.former):
        if name in environ:
            return environ[name]
    return None


def read(setting: Setting, instance_path=".", environ=os.environ):
    value = environment_text(setting, environ)
    if value is None:
        value = setting.default(instance_path) if callable(setting.default) else setting.default
    return None if value is None else setting.parse(value)


def config_from_env(instance_path, environ=os.environ) -> dict:
    """Every setting, from the environment or its default (INSTANCE_PATH is Flask's folder,
    chosen before the app is made: see decision_aid.base_app)."""
    return {s.name: read(s, instance_path, environ) for s in SETTINGS if s.name != "INSTANCE_PATH"}


def check(config) -> None:
    """Stop the app at start-up (ValueError) on a value it cannot use."""
    for setting in SETTINGS:
        if setting.check:
            setting.check(config[setting.name])
    if config["MAX_RETENTION_DAYS"] < config["RETENTION_DAYS"]:
        raise ValueError(
            f"MAX_RETENTION_DAYS ({config['MAX_RETENTION_DAYS']}) must be at least "
            f"RETENTION_DAYS ({config['RETENTION_DAYS']})"
        )


def markdown_table(settings) -> str:
    """The documents' table of `settings` (links written from the repository's root)."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [f"| `{s.name}` | {s.shown} | {s.doc} |" for s in settings]
    return "\n".join(rows) + "\n"
