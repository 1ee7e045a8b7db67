"""decision_aid: a questionnaire that helps people with hemifacial spasm prepare for a treatment
decision. `create_app` is the only way to build the app; nothing is built at import time."""

import logging
import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, request
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.exc import OperationalError
from werkzeug.middleware.proxy_fix import ProxyFix

from decision_aid import store
from decision_aid.clinic import clock as clinic_time
from decision_aid.config import settings
from decision_aid.config.instance_files import private_dir, secure_instance
from decision_aid.config.settings import config_from_env
from decision_aid.fields import question_type
from decision_aid.guidance import content as guidance_content
from decision_aid.questions import load_questionnaire
from decision_aid.text import i18n, languages
from decision_aid.web import request_id, saving

csrf = CSRFProtect()

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)


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
    instance_path = (config or {}).get("INSTANCE_PATH") or settings.read(
        settings.BY_NAME["INSTANCE_PATH"]
    )
    # Unset: ./instance, as documented (`make run` from the repository). Flask wants it absolute.
    app = Flask(__name__, instance_path=str(Path(instance_path or "instance").resolve()))
    private_dir(app.instance_path)
    app.config.from_mapping(config_from_env(app.instance_path))
    app.config.update(defaults or {})
    if config:
        app.config.update(config)
    settings.check(app.config)
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

    from decision_aid import staff, wizard
    from decision_aid.fhir import api as fhir_api
    from decision_aid.text import filters
    from decision_aid.web import clinic_send, errors, text_size

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
