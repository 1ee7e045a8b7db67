"""Template helpers that the web pages and the PDF share (both register them)."""

import re

from markupsafe import Markup, escape

from decision_aid.clinic.clock import parse_date
from decision_aid.guidance.urgent import urgent_words
from decision_aid.text import i18n
from decision_aid.text.dates import long_date
from decision_aid.text.i18n import N_, gettext
from decision_aid.text.icons import icon_array, icon_array_tiled

_LINK = re.compile(r"https?://[^\s\]]+[^\s\].,;]|\bPMID (\d+)|\bdoi:(10\.\S+[^\s.,;\]])")


def citation_html(citation: str) -> Markup:
    """A citation with its web address, PMID or DOI as real links."""
    parts, last = [], 0
    for match in _LINK.finditer(citation):
        parts.append(escape(citation[last : match.start()]))
        text = match.group(0)
        if match.group(1):
            href = f"https://pubmed.ncbi.nlm.nih.gov/{match.group(1)}/"
        elif match.group(2):
            href = f"https://doi.org/{match.group(2)}"
        else:
            href = text
        parts.append(Markup('<a href="{}">{}</a>').format(href, text))
        last = match.end()
    parts.append(escape(citation[last:]))
    return Markup("").join(parts)


def capitalize_first(text: str) -> str:
    """The first letter upper case, the rest as it is (Jinja's `capitalize` lowers the rest)."""
    return text[:1].upper() + text[1:]


def iso_day(text):
    """A stored YYYY-MM-DD date as "12 April 1961" (as given if it is not one)."""
    day = parse_date(text)
    return long_date(day) if day else text


# Who did an audited action, as stored: markers the audit page shows in the reader's language.
ACTORS = {
    "patient": N_("patient"),
    "retention purge": N_("retention purge"),
    "command line": N_("command line"),
}


def actor_words(actor: str) -> str:
    """ "command line: a@b.org" -> the marker in the page's language, then the account."""
    head, sep, rest = actor.partition(": ")
    return gettext(ACTORS[head]) + sep + rest if head in ACTORS else actor


def language_name(language: str | None) -> str:
    """The patient's language as the staff read it ("Spanish (Español)"); "" if not known."""
    return i18n.language_name(language) if language else ""


def register(env) -> None:
    """Add the shared helpers to a Jinja environment."""
    env.filters["citation_html"] = citation_html
    env.filters["capitalize_first"] = capitalize_first
    env.filters["iso_day"] = iso_day
    env.filters["actor_words"] = actor_words
    # The urgent items of a sent summary (stored as codes), each in words.
    env.filters["urgent_words"] = urgent_words
    env.filters["language_name"] = language_name
    env.globals["icon_array"] = icon_array
    env.globals["icon_array_tiled"] = icon_array_tiled
