"""The language of each page (issue 17). An explicit choice wins: a `?lang=` link (the switcher
on every page) is kept in the session. Without one, the browser's Accept-Language decides; else
English. The words and formats come from `text.i18n`, which the guidance and the PDF use
outside Flask too (no Flask-Babel: docs/languages.md)."""

from contextlib import contextmanager

from flask import current_app, g, request, session, url_for

from decision_aid.guidance.engine import review_status
from decision_aid.text import i18n

SESSION_KEY = "lang"
# The query arguments a language link keeps: where a page returns to and how a list is shown.
# Others are dropped, so that a link never carries text typed into (or planted in) a URL.
KEPT_ARGS = ("return_to", "question", "then", "status", "when", "sort", "page")
# Accept-Language tags that mean Traditional Chinese: no catalog yet, so not zh_Hans.
TRADITIONAL_CHINESE = {"hant", "tw", "hk", "mo"}


def from_tag(tag: str) -> str | None:
    """The catalog for one Accept-Language tag ("es-MX" -> "es", "zh-CN" -> "zh_Hans"), or None."""
    parts = tag.lower().replace("_", "-").split("-")
    if parts[0] == "zh":
        return None if TRADITIONAL_CHINESE & set(parts[1:]) else "zh_Hans"
    return parts[0] if parts[0] in i18n.LANGUAGES else None


def chosen_language() -> str:
    """The language for this request: `?lang=`, then the session's choice, then the browser's."""
    asked = (request.args.get(SESSION_KEY) or "").replace("-", "_")  # "zh-Hans" or "zh_Hans"
    if asked in i18n.LANGUAGES and session.get(SESSION_KEY) != asked:
        session[SESSION_KEY] = asked
    if session.get(SESSION_KEY) in i18n.LANGUAGES:
        g.language_choice = session[SESSION_KEY]
        return session[SESSION_KEY]
    for tag, _quality in request.accept_languages:  # best first
        language = from_tag(tag)
        if language:
            return language
    return i18n.DEFAULT


def switch_url(language: str) -> str:
    """This page again in `language` (a GET: a form being filled in is not sent again)."""
    args = {key: request.args[key] for key in KEPT_ARGS if key in request.args}
    args[SESSION_KEY] = i18n.html_lang(language)
    if request.endpoint and request.method == "GET" and request.url_rule is not None:
        return url_for(request.endpoint, **(request.view_args or {}), **args)
    return f"{request.path}?{SESSION_KEY}={i18n.html_lang(language)}"


@contextmanager
def in_language(language: str):
    """Words and formats in `language` inside the block (the PDF's clinician page)."""
    with i18n.using(language):
        yield


def use_answers_language(language: str | None) -> None:
    """The language the answers were given in (kept with them in the store), for this page and
    the next ones: a resume link opened on another device comes back in it (issue 27). A
    `?lang=` in the link still wins, as the person asked for it."""
    asked = (request.args.get(SESSION_KEY) or "").replace("-", "_")
    if language not in i18n.LANGUAGES or asked in i18n.LANGUAGES:
        return
    session[SESSION_KEY] = g.language_choice = language
    i18n.reset(g.pop("language_token"))
    g.language_token = i18n.set_current(language)


def emergency_numbers() -> tuple[i18n.EmergencyNumber, ...]:
    """The numbers this page gives to call: the clinic's EMERGENCY_NUMBER, else the list for
    the page's language (a Jinja global, for the emergency page, the footer and later pages)."""
    return i18n.emergency_numbers(current_app.config.get("EMERGENCY_NUMBER", ""))


def init_app(app):
    app.add_template_global(emergency_numbers)
    app.add_template_global(i18n.date_parts)  # the date boxes in the language's order
    # "Translated from English; not yet reviewed by a native-speaking clinician." (or who
    # checked it) under the header of every page in Spanish or Chinese; "" in English.
    app.add_template_global(review_status, "translation_note")
    # One source of words for templates and code: decision_aid.text.i18n (`_()` in the templates).
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext
    )

    @app.before_request
    def set_language():
        g.language_token = i18n.set_current(chosen_language())
        g.emergency_token = i18n.set_emergency_number(app.config.get("EMERGENCY_NUMBER", ""))

    @app.after_request
    def keep_choice(response):
        """A page that empties the session (start again, delete, remove from this device, staff
        sign-in) keeps the person's language: it is no answer, and the next page needs it."""
        choice = g.get("language_choice")
        if choice and session.get(SESSION_KEY) != choice:
            session[SESSION_KEY] = choice
        return response

    @app.teardown_request
    def reset_language(_error=None):
        token = g.pop("language_token", None)
        if token is not None:
            i18n.reset(token)
        token = g.pop("emergency_token", None)
        if token is not None:
            i18n.reset_emergency_number(token)

    @app.context_processor
    def language_context():
        current = i18n.current()
        return {
            "language": current,
            "html_lang": i18n.html_lang(current),
            "language_links": [
                {
                    "code": code,
                    "name": name,
                    "lang": i18n.html_lang(code),
                    "current": code == current,
                }
                for code, name in i18n.LANGUAGES.items()
            ],
            "switch_url": switch_url,
        }
