"""What every PDF's HTML shares (the summary, the clinician pages of a day, the day list, the
review packet): the templates' Jinja environment (autoescaped, strict), the print stylesheets,
the paper sizes, the words of the page margins, CSS strings, and text clipped to a limit."""

from __future__ import annotations

import functools
import re
from pathlib import Path

import jinja2
from markupsafe import Markup

from decision_aid.pdf.fetcher import ASSETS_DIR
from decision_aid.text import filters, i18n

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STYLESHEET = "print.css"

PAPERS = {"a4": "A4", "letter": "letter"}


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja environment of the PDF templates (autoescaped, strict)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        extensions=["jinja2.ext.i18n"],
    )
    filters.register(env)
    env.filters["css_string"] = css_string
    # The numbers to call in the patient's copy: the clinic's EMERGENCY_NUMBER (set for the
    # render by decision_aid.pdf.pool), else those for the readers of the language in use.
    env.globals["emergency_numbers"] = i18n.emergency_numbers
    env.install_gettext_callables(
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext
    )
    return env


@functools.cache
def css_text(name: str = STYLESHEET) -> str:
    return (ASSETS_DIR / name).read_text(encoding="utf-8")


def page_size(paper: str) -> str:
    """The CSS page size for a PAPER setting; ValueError for one not allowed."""
    if paper not in PAPERS:
        raise ValueError(f"paper must be one of {', '.join(PAPERS)}, not {paper!r}")
    return PAPERS[paper]


def clip(text: str, limit: int) -> tuple[str, bool]:
    """(what page 1 shows, whether something was cut)."""
    if len(text) <= limit:
        return text, False
    return text[: limit - 1].rstrip() + "…", True


def margin_words() -> dict:
    """The words of the page margins in the language in use: the footer, and the words before,
    between and after the numbers of "Page 2 of 5" (the catalog's "Page %(page)s of %(pages)s")."""
    parts = re.split(r"%\((page|pages)\)s", i18n.gettext("Page %(page)s of %(pages)s"))
    if len(parts) != 5 or parts[1] != "page":  # a translation that orders them otherwise
        parts = ["Page ", "page", " of ", "pages", ""]
    return {
        "footer": i18n.gettext("Hemifacial spasm decision summary · not a diagnosis"),
        "before": parts[0],
        "middle": parts[2],
        "after": parts[4],
    }


def css_string(text: str) -> Markup:
    """`text` as a CSS string literal, safe inside <style>: quotes, backslashes, angle brackets
    and line breaks escaped."""
    escaped = "".join(f"\\{ord(char):x} " if char in '"\\<>&\n\r' else char for char in str(text))
    return Markup(f'"{escaped}"')
