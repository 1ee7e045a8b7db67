"""A request id on every request: taken from the X-Request-ID header when a trusted proxy set a
plausible one (deploy/nginx sends nginx's $request_id), else made here. It goes back in the
response's X-Request-ID header and on every log line written while the request is handled, so a
person reporting a problem can quote it and an administrator can find the line.

A database error is logged with its class, its message (first line only: later lines may quote
stored values), the route pattern (never the path itself: a resume path holds a token) and the
request id. Never answers: the engine hides the values of a statement (`hide_parameters`)."""

import logging
import re
import secrets

from flask import g, has_request_context, request
from flask.logging import default_handler

HEADER = "X-Request-ID"
PLAUSIBLE = re.compile(r"[A-Za-z0-9._-]{8,64}")
LOG_FORMAT = "[%(asctime)s] %(levelname)s %(name)s [request %(request_id)s]: %(message)s"

log = logging.getLogger(__name__)
_base_factory = logging.getLogRecordFactory()


def current():
    """This request's id, or "-" outside a request."""
    if has_request_context():
        return g.get("request_id", "-")
    return "-"


def _record_factory(*args, **kwargs):
    record = _base_factory(*args, **kwargs)
    record.request_id = current()
    return record


def route():
    """The route pattern of this request (`/resume/<token>`), never its path."""
    rule = request.url_rule
    return f"{request.method} {rule.rule if rule is not None else '(no route)'}"


def describe_database_error(exc):
    """(class, first line of the message) of a database error, from the driver's own error when
    there is one."""
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines() or [""]
    return type(original).__name__, lines[0][:300]


def init_app(app):
    logging.setLogRecordFactory(_record_factory)
    default_handler.setFormatter(logging.Formatter(LOG_FORMAT))
    # The package's logger gets Flask's handler now, not when app.logger is first touched: under
    # gunicorn, lines logged before that went to Python's last-resort handler, with no time and
    # no request id, and INFO lines were lost (security review, L6).
    if app.logger.level == logging.NOTSET:
        app.logger.setLevel(logging.INFO)

    @app.before_request
    def assign_request_id():
        given = request.headers.get(HEADER, "")
        g.request_id = given if PLAUSIBLE.fullmatch(given) else secrets.token_hex(8)

    @app.after_request
    def send_request_id(response):
        response.headers[HEADER] = current()
        return response


def log_database_error(exc):
    """One line for a database error: its class, its message's first line, the route pattern
    (decision_aid.web.errors shows the person the error page)."""
    kind, message = describe_database_error(exc)
    log.error("database error %s: %s (route %s)", kind, message, route())
