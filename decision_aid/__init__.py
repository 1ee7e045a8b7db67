"""decision_aid: a questionnaire that helps people with hemifacial spasm prepare for a treatment
decision. `create_app` is the only way to build the app; nothing is built at import time."""

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect

from decision_aid import clinic_time, store
from decision_aid.fhir.canon import DEFAULT_BASE_URL
from decision_aid.fields import question_type
from decision_aid.questions import load_questionnaire

csrf = CSRFProtect()

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
        "CLINIC_LOGO": os.environ.get("CLINIC_LOGO", ""),
        "PAPER": os.environ.get("PAPER", "a4").lower(),
        "CLINIC_TZ": os.environ.get("CLINIC_TZ", "UTC"),
        "RETENTION_DAYS": retention_days,
        "STAFF_SESSION_MINUTES": int(os.environ.get("STAFF_SESSION_MINUTES", "30")),
        "FHIR_BASE_URL": os.environ.get("FHIR_BASE_URL", DEFAULT_BASE_URL).strip().rstrip("/"),
    }


def _secret_key(instance_path):
    """Make a key once and keep it in the instance folder, so that sessions survive restarts
    without a key ever being committed."""
    key_file = Path(instance_path) / "secret_key"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def create_app(config=None):
    """Build the app. `config` (a dict) overrides what comes from the environment."""
    instance_path = (config or {}).get("INSTANCE_PATH") or os.environ.get("INSTANCE_PATH")
    app = Flask(__name__, instance_path=instance_path and str(Path(instance_path).resolve()))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(config_from_env(app.instance_path))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="decision_aid",
        WTF_CSRF_TIME_LIMIT=None,  # the session carries the token; a slow patient must not fail
    )
    if config:
        app.config.update(config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.instance_path)
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(days=app.config["RETENTION_DAYS"])

    app.extensions["questionnaire"] = load_questionnaire()
    clinic_time.init_app(app)
    store.init_app(app)
    csrf.init_app(app)

    from decision_aid import clinic_send, errors, fhir_api, filters, staff, wizard

    filters.register(app.jinja_env)
    app.add_template_global(question_type)  # _macros.html draws each question by its type
    app.register_blueprint(wizard.bp)
    app.register_blueprint(clinic_send.bp)
    app.register_blueprint(fhir_api.bp)
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
        response.headers["Referrer-Policy"] = "no-referrer"
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
