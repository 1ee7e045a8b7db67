"""The text-size control on every page (issue 27): A, A+ and A++. Many people with hemifacial
spasm read with one eye: a bigger text without the phone's settings.

It works without JavaScript: each size is a link to /text-size/<size>?next=<this page>, which
sets a cookie (a year, this site only, no answers in it) and comes back to the page. base.html
puts the size on <html> as a class, and readable.css makes the root font size 100 %, 150 % or
200 % (every text is sized in rem, so all of it grows)."""

from urllib.parse import urlencode

from flask import redirect, request, url_for

from decision_aid.text.i18n import N_, gettext
from decision_aid.text.languages import KEPT_ARGS

COOKIE = "text_size"
SIZES = {
    # size: (what the link shows, its name for a screen reader)
    "normal": ("A", N_("Normal text")),
    "large": ("A+", N_("Larger text")),
    "largest": ("A++", N_("Largest text")),
}
DEFAULT = "normal"
ONE_YEAR = 365 * 24 * 3600


def current() -> str:
    size = request.cookies.get(COOKIE, DEFAULT)
    return size if size in SIZES else DEFAULT


def safe_next(target: str | None) -> str:
    """Only a path of this site: never another site (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def this_page() -> str:
    """Where a size link comes back to: this page, with only the arguments a language link
    keeps (decision_aid.text.languages.KEPT_ARGS), so that a link never carries text typed into
    (or planted in) a URL. After a POST (a page with errors) what was typed is not sent again."""
    kept = {key: request.args[key] for key in KEPT_ARGS if key in request.args}
    if request.method == "GET" and kept:
        return f"{request.path}?{urlencode(kept)}"
    return request.path


def init_app(app):
    @app.route("/text-size/<size>", endpoint="text_size")
    def set_text_size(size):
        response = redirect(safe_next(request.args.get("next")))
        if size in SIZES:
            response.set_cookie(
                COOKIE,
                size,
                max_age=ONE_YEAR,
                secure=request.is_secure,
                httponly=True,
                samesite="Lax",
            )
        return response

    @app.context_processor
    def text_size_context():
        if request.endpoint is None or request.blueprint == "staff":
            return {"text_size": current(), "text_size_links": []}
        here = this_page()
        size = current()
        return {
            "text_size": size,
            "text_size_links": [
                {
                    "size": key,
                    "shows": shows,
                    "name": gettext(name),
                    "url": url_for("text_size", size=key, next=here),
                    "current": key == size,
                }
                for key, (shows, name) in SIZES.items()
            ],
        }
