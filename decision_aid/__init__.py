"""decision_aid: a questionnaire that helps people with hemifacial spasm prepare for a treatment
decision. `create_app` is the only way to build the app; nothing is built at import time."""

import logging
import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from decision_aid import clinic_time, i18n, languages, request_id, saving, store
from decision_aid.fhir.canon import DEFAULT_BASE_URL
from decision_aid.fields import question_type
from decision_aid.guidance import content as guidance_content
from decision_aid.instance_files import private_dir, secure_instance
from decision_aid.limits import config_from_env as limits_config_from_env
from decision_aid.questions import load_questionnaire

csrf = CSRFProtect()

# What a `tel:` link may dial: an emergency number is a few digits (999, 112, 911, 120, 000).
EMERGENCY_NUMBER = re.compile(r"[0-9]{2,6}")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _the_cores():
    """PDF renders at once by default: one a core. Pages still come first, because a render
    process runs at a lower CPU priority (decision_aid.pdf.pool). Half the cores, as before, left
    one render slot on a 2-core host, and 50 patients' PDFs queued past PDF_WAIT_SECONDS into
    503s (README, "Load test")."""
    return max(1, os.cpu_count() or 2)


def config_from_env(instance_path):
    """Every setting the app reads, with safe defaults. The README lists them all."""
    retention_days = int(os.environ.get("RETENTION_DAYS", "30"))
    return {
        "SECRET_KEY": os.environ.get("SECRET_KEY"),
        "DATABASE_URL": os.environ.get(
            "DATABASE_URL", f"sqlite:///{Path(instance_path) / 'decision_aid.sqlite3'}"
        ),
        "SESSION_COOKIE_SECURE": _env_bool("COOKIE_SECURE"),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_REQUEST_BYTES", str(256 * 1024))),
        "CLINIC_NAME": os.environ.get("CLINIC_NAME", ""),
        # "Email me the link" on the saved page (decision_aid/mail_link.py): off when unset.
        "MAIL_URL": os.environ.get("MAIL_URL", ""),
        "CLINIC_LOGO": os.environ.get("CLINIC_LOGO", ""),
        "PAPER": os.environ.get("PAPER", "a4").lower(),
        "CLINIC_TZ": os.environ.get("CLINIC_TZ", "UTC"),
        "RETENTION_DAYS": retention_days,
        # A sent summary is kept until 14 days after its appointment, but at most this long
        # after its last change (decision_aid.store.retention).
        "MAX_RETENTION_DAYS": int(os.environ.get("MAX_RETENTION_DAYS", "180")),
        "STAFF_SESSION_MINUTES": int(os.environ.get("STAFF_SESSION_MINUTES", "30")),
        # However busy, a staff session ends this long after sign-in (a clinic day).
        "STAFF_SESSION_MAX_HOURS": float(os.environ.get("STAFF_SESSION_MAX_HOURS", "12")),
        "FHIR_BASE_URL": os.environ.get("FHIR_BASE_URL", DEFAULT_BASE_URL).strip().rstrip("/"),
        # Holding under load (docs in README, "Running it for real").
        "DB_UPGRADE": _env_bool("DB_UPGRADE", True),
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", "0")),
        "PDF_CONCURRENCY": int(os.environ.get("PDF_CONCURRENCY", _the_cores())),
        "PDF_WAIT_SECONDS": float(os.environ.get("PDF_WAIT_SECONDS", "20")),
        "PDF_RETRY_AFTER": int(os.environ.get("PDF_RETRY_AFTER", "30")),
        "PDF_PROCESSES": int(os.environ.get("PDF_PROCESSES", "1")),
        "PDF_REQUESTS_PER_WORKER": int(os.environ.get("PDF_REQUESTS_PER_WORKER", "6")),
        "PDF_RENDERS_PER_PROCESS": int(os.environ.get("PDF_RENDERS_PER_PROCESS", "50")),
        "PDF_RENDER_TIMEOUT": float(os.environ.get("PDF_RENDER_TIMEOUT", "60")),
        "PDF_CACHE_MB": float(os.environ.get("PDF_CACHE_MB", "100")),
        "PDF_LOCK_DIR": os.environ.get("PDF_LOCK_DIR", ""),
        # Render a patient's PDF in the background when they reach their summary (pdf/ahead.py).
        "PDF_RENDER_AHEAD": _env_bool("PDF_RENDER_AHEAD", True),
        "RATE_LIMITS": limits_config_from_env(),
        # The language of the PDF's page 1, for the clinician (the patient's copy follows the
        # patient's language): one of decision_aid.i18n.LANGUAGES.
        "CLINIC_LANGUAGE": os.environ.get("CLINIC_LANGUAGE", "en"),
        # How staff's dates typed as numbers are read: "dmy" or "mdy"; empty: the usual order
        # of CLINIC_LANGUAGE in CLINIC_TZ's country (decision_aid.clinic_time).
        "DATE_ORDER": os.environ.get("DATE_ORDER", ""),
        # The number the emergency page and the footer give to call (999, 112, 911, 120...);
        # empty: each language's list of examples (decision_aid.i18n.emergency_numbers).
        "EMERGENCY_NUMBER": os.environ.get("EMERGENCY_NUMBER", "").strip(),
        # The host names this service answers to (comma-separated); any other Host gets a 400,
        # so no link the app makes (resume link, QR code, FHIR fullUrl) can name another site.
        # Unset: any (nginx's default_server refuses unknown hosts first, deploy/nginx).
        "TRUSTED_HOSTS": [h.strip() for h in os.environ.get("TRUSTED_HOSTS", "").split(",")]
        if os.environ.get("TRUSTED_HOSTS", "").strip()
        else None,
    }


def _secret_key(instance_path):
    """Make a key once and keep it in the instance folder, so that sessions survive restarts
    without a key ever being committed."""
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return key_file.read_text().strip()


WEB_DEFAULTS = {
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_NAME": "decision_aid",
    "WTF_CSRF_TIME_LIMIT": None,  # the session carries the token; a slow patient must not fail
}


def base_app(config=None, defaults=None):
    """The configuration (environment, then `defaults`, then `config`), the private instance
    folder with its secret key, the clinic's clock and the store (its schema brought up to date
    as DB_UPGRADE says). The `decision-aid` staff, purge, db and api-token commands need only
    this: no blueprints, no questionnaire or guidance content, no PDF renderer."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
    app = Flask(__name__, instance_path=instance_path and str(Path(instance_path).resolve()))
    private_dir(app.instance_path)
    app.config.from_mapping(config_from_env(app.instance_path))
    app.config.update(defaults or {})
    if config:
        app.config.update(config)
    if app.config["CLINIC_LANGUAGE"] not in i18n.LANGUAGES:
        raise ValueError(
            f"CLINIC_LANGUAGE must be one of {', '.join(i18n.LANGUAGES)}, "
            f"not {app.config['CLINIC_LANGUAGE']!r}"
        )
    if app.config["MAX_RETENTION_DAYS"] < app.config["RETENTION_DAYS"]:
        raise ValueError(
            f"MAX_RETENTION_DAYS ({app.config['MAX_RETENTION_DAYS']}) must be at least "
            f"RETENTION_DAYS ({app.config['RETENTION_DAYS']})"
        )
    if app.config["EMERGENCY_NUMBER"] and not EMERGENCY_NUMBER.fullmatch(
        app.config["EMERGENCY_NUMBER"]
    ):
        raise ValueError(
            "EMERGENCY_NUMBER must be a number to dial (digits, such as 999, 112 or 120), "
            f"not {app.config['EMERGENCY_NUMBER']!r}"
        )
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=app.config["RETENTION_DAYS"])
    clinic_time.init_app(app)
    try:
        if not app.config.get("SECRET_KEY"):
            app.config["SECRET_KEY"] = _secret_key(app.instance_path)
        secure_instance(app)
        store.init_app(app)
    except (OSError, OperationalError) as exc:
        raise _cannot_start(app, exc) from None
    return app


def _cannot_start(app, exc):
    """One clear line (gunicorn prints a RuntimeError's message, once, without a traceback) for
    an instance folder or database the app cannot write: a read-only disk, a wrong owner or
    mode, a full disk."""
    if isinstance(exc, OSError):
        detail = f"{exc.strerror or type(exc).__name__}: {exc.filename or app.instance_path}"
    else:
        detail = str(exc.orig or exc).strip().splitlines()[0]
    message = (
        f"decision_aid cannot start: its instance folder or database cannot be written "
        f"({detail}). The service's user must own INSTANCE_PATH and the database in it, and "
        f"the disk must be writable and have room."
    )
    return RuntimeError(message)


def create_app(config=None):
    """Build the app. `config` (a dict) overrides what comes from the environment."""
    app = base_app(config, WEB_DEFAULTS)
    if missing := i18n.missing_catalogs():
        raise RuntimeError(
            f"the compiled catalogs of {', '.join(missing)} are missing: run `make setup`, or "
            "`pybabel compile -d decision_aid/translations` before installing (docs/languages.md)"
        )
    app.extensions["questionnaire"] = load_questionnaire()
    for name in guidance_content.CONTENT_FILES:  # loaded once, before gunicorn forks (--preload)
        guidance_content.load(name)
    app.session_interface = saving.Sessions()
    request_id.init_app(app)  # first: every later hook and error page has the id
    languages.init_app(app)  # before CSRF: an error page is in the person's language too
    csrf.init_app(app)
    if app.config["TRUSTED_PROXIES"]:  # behind nginx (deploy/): the client's address and scheme
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from decision_aid import clinic_send, errors, fhir_api, filters, staff, text_size, wizard

    filters.register(app.jinja_env)
    app.add_template_global(question_type)  # _macros.html draws each question by its type
    app.register_blueprint(wizard.bp)
    app.register_blueprint(clinic_send.bp)
    app.register_blueprint(fhir_api.bp)
    text_size.init_app(app)  # A, A+, A++ on every page (issue 27)
    staff.init_app(app)  # Flask-Login and the /staff blueprint
    errors.init_app(app)
    _init_headers(app)
    _quiet_request_logs()
    return app


def _init_headers(app):
    @app.after_request
    def security_headers(response):
        response.headers["Content-Security-Policy"] = CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "same-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.endpoint != "static":
            # Every page may hold answers; only bundled assets may be cached.
            response.headers["Cache-Control"] = "no-store"
        return response


def _quiet_request_logs():
    """The development server logs each request line; the resume URL holds a token, and query
    strings may hold input. Log only errors."""
    logging.getLogger("werkzeug").setLevel(logging.ERROR)
