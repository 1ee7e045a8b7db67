"""Friendly error pages that leak nothing: no stack trace, no input echoed back."""

import logging

from flask import make_response, render_template
from flask.globals import request_ctx
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from decision_aid.text.i18n import N_, _
from decision_aid.web.request_id import log_database_error, route

log = logging.getLogger(__name__)

MESSAGES = {
    400: (
        N_("Sorry, we could not read that"),
        N_(
            "The page may have been open for a long time, or the form was sent twice. Go "
            "back, reload the page and try again. Your saved answers are safe."
        ),
    ),
    404: (
        N_("Page not found"),
        N_(
            "If you typed the web address, check it is correct. If you used a resume link, "
            "your answers may have been deleted."
        ),
    ),
    405: (
        N_("Sorry, that did not work"),
        N_("Go back and try again."),
    ),
    413: (
        N_("That was too much text to send"),
        N_("Please shorten your answer and try again. Your earlier answers are saved."),
    ),
    429: (
        N_("Please wait a little"),
        N_(
            "There have been a lot of tries from here in a short time. Wait a few minutes, "
            "then try again. Your saved answers are safe."
        ),
    ),
    500: (
        N_("Sorry, something went wrong on our side"),
        N_("Your saved answers are safe. Please try again in a few minutes."),
    ),
    503: (
        N_("Sorry, we are busy just now"),
        N_(
            "A lot of people are getting their PDF at the moment. Wait a minute, then try "
            "again. Your answers are saved."
        ),
    ),
}


# For a request no URL can be built for (its Host is malformed, or not in TRUSTED_HOSTS): a page
# with no links, which needs no URL of this site.
BARE_PAGE = (
    '<!doctype html><html lang="en"><meta charset="utf-8"><title>{title}</title>'
    "<h1>{title}</h1><p>{text}</p></html>"
)


def error_page(code):
    from decision_aid.fhir import api as fhir_api

    if request_ctx.url_adapter is None:
        title, text = MESSAGES[code if code in MESSAGES else 500]
        return BARE_PAGE.format(title=title, text=text), code
    if fhir_api.is_api_request():  # a record system gets an OperationOutcome, not a page
        return fhir_api.error_outcome(code)
    title, text = MESSAGES.get(code, MESSAGES[500])
    return render_template("error.html", code=code, title=_(title), text=_(text)), code


def init_app(app):
    @app.errorhandler(CSRFError)
    def csrf_error(_exc):
        return error_page(400)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if exc.code is not None and exc.code < 400:
            return exc  # redirects raised by routing are not errors
        page = error_page(exc.code if exc.code in MESSAGES else 500)
        retry_after = dict(exc.get_headers()).get("Retry-After")
        if retry_after:  # 429 and 503: when to try again
            page = make_response(page)
            page.headers["Retry-After"] = retry_after
        return page

    @app.errorhandler(SQLAlchemyError)
    def database_error(exc):
        log_database_error(exc)
        return error_page(500)

    @app.errorhandler(Exception)
    def unexpected(exc):
        # Log the type and place only: never the request body, which holds answers.
        log.error("unhandled %s (route %s)", type(exc).__name__, route(), exc_info=False)
        return error_page(500)
