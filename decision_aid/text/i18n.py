"""The languages, and the words in each: gettext catalogs in decision_aid/translations/.
Pure (no Flask), so the questionnaire and the guidance can be read in any language.

The language in use is a context variable: the web layer sets it for each request from the
person's choice (decision_aid/text/languages.py); the PDF sets it for each of its two parts. Only
display text is translated: answers, guidance ids and codes are the same in every language."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

# Each language in its own name, as the language switcher shows it. The keys are Babel's locale
# names (the catalog folders); pages say `html_lang(key)` ("zh-Hans").
LANGUAGES = {"en": "English", "es": "Español", "zh_Hans": "简体中文"}
DEFAULT = "en"
SHIPPED = tuple(LANGUAGES)
TRANSLATIONS_DIR = Path(__file__).parent.parent / "translations"
DOMAIN = "messages"

_directories = [TRANSLATIONS_DIR]
_current: ContextVar[str] = ContextVar("language", default=DEFAULT)
# The clinic's own EMERGENCY_NUMBER ("" when unset), for the words made outside a template: the
# guidance's "{emergency}" (decision_aid.guidance.content). Set per request and per render.
_emergency_number: ContextVar[str] = ContextVar("emergency_number", default="")


def current() -> str:
    return _current.get()


def set_current(language: str):
    """Use `language` from now on in this context; returns the token for `reset`."""
    return _current.set(language)


def reset(token) -> None:
    _current.reset(token)


@contextmanager
def using(language: str):
    """Words in `language` inside the block (the PDF's clinician page, a test)."""
    token = _current.set(language)
    try:
        yield
    finally:
        _current.reset(token)


def html_lang(language: str) -> str:
    """The BCP 47 tag of a catalog name: "zh_Hans" -> "zh-Hans"."""
    return language.replace("_", "-")


def directories() -> list[Path]:
    return list(_directories)


def register(language: str, name: str, directory) -> None:
    """Another language whose catalog is in `directory` (the tests' pseudo-locale). Dates and
    numbers in it are formatted as in English (`formats_as`)."""
    LANGUAGES[language] = name
    if Path(directory) not in _directories:
        _directories.append(Path(directory))
    translations.cache_clear()


def formats_as(language: str) -> str:
    """The Babel locale that formats dates and numbers for `language`."""
    return language if language in SHIPPED else DEFAULT


@cache
def translations(language: str) -> NullTranslations:
    """The catalog of `language` (English is the source: no catalog)."""
    if language == DEFAULT:
        return NullTranslations()
    for directory in _directories:
        found = Translations.load(str(directory), [language], DOMAIN)
        if isinstance(found, Translations):
            return found
    return NullTranslations()


def missing_catalogs() -> list[str]:
    """The offered languages whose compiled catalog (.mo) cannot be found. Without one a page
    would claim Spanish or Chinese and show English, so the app refuses to start instead."""
    return [
        language
        for language in SHIPPED
        if language != DEFAULT and not isinstance(translations(language), Translations)
    ]


def gettext(message: str) -> str:
    return translations(current()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ungettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return translations(current()).upgettext(context, message)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark a string for the catalog where it is defined; translate it with `gettext` where it
    is shown (module-level constants are built before any language is chosen)."""
    return message


_ = gettext


def language_name(language: str) -> str:
    """A language's name in the language in use ("Spanish"), and in its own ("Español")."""
    from babel import Locale, UnknownLocaleError

    own = LANGUAGES.get(language, language)
    try:
        name = Locale.parse(language).get_display_name(formats_as(current()))
    except (ValueError, UnknownLocaleError):
        return own
    return name if name == own else f"{name} ({own})"


# --- numbers ---------------------------------------------------------------------------------

# CLDR's minimumGroupingDigits, which Babel does not apply: Spanish writes 1000 without a
# separator (the RAE; the review's ES-M2: "1,000" reads as a decimal in Spain), and 10.000 with.
MIN_GROUPING_DIGITS = {"es": 2}
# Languages that write a count and its unit together: 8周, 3个月 (the review's note 12.1).
NO_SPACE_BEFORE_UNIT = {"zh_Hans"}


def format_number(value, language: str | None = None) -> str:
    """A number as the readers of `language` (by default the language in use) write it, through
    Babel's number formatting: 1,000 in English, 1000 and 10.000 in Spanish."""
    language = language or current()
    locale = formats_as(language)
    grouping = abs(value) >= 10 ** (2 + MIN_GROUPING_DIGITS.get(language, 1))
    return format_decimal(value, locale=locale, group_separator=grouping)


def count_phrase(amount, unit: str, language: str | None = None) -> str:
    """A count and its (already translated) unit: "8 weeks", "8 semanas", "8周"."""
    language = language or current()
    space = "" if language in NO_SPACE_BEFORE_UNIT else " "
    return f"{format_number(amount, language)}{space}{unit}"


# Languages whose readers write a date year first (2027年1月14日): their date boxes are in that
# order (issue 32; the review's ZH-A15). Others keep day, month, year.
YEAR_FIRST = {"zh_Hans"}


def date_parts(parts, language: str | None = None) -> tuple:
    """The parts of a typed date ("day", "month", "year") in the order the readers of
    `language` (by default the language in use) write them."""
    if (language or current()) in YEAR_FIRST:
        order = ("year", "month", "day")
        return tuple(sorted(parts, key=order.index))
    return tuple(parts)


# --- emergency numbers ----------------------------------------------------------------------


@dataclass(frozen=True)
class EmergencyNumber:
    """A number to phone in an emergency: `number` is what a phone dials (a `tel:` link), `place`
    where it is the number, in the language in use ("" for the clinic's own EMERGENCY_NUMBER)."""

    number: str
    place: str = ""


# The numbers each language's readers most likely need when no EMERGENCY_NUMBER is set
# (issue 32; the review of December 2026, section 8). The catalogs hold the places' words, never
# the numbers. A language without a list here (a new catalog) shows the English list.
EMERGENCY_NUMBERS = {
    # Each place is shown as "Call 999 (UK)" on the emergency page and in the footer.
    "en": (
        # TRANSLATORS: safety-critical
        ("999", N_("UK")),
        # TRANSLATORS: safety-critical
        ("112", N_("Europe")),
        # TRANSLATORS: safety-critical
        ("911", N_("US and Canada")),
    ),
    "es": (
        # TRANSLATORS: safety-critical
        ("112", N_("Spain and Europe")),
        # TRANSLATORS: safety-critical
        ("911", N_("Mexico, United States")),
    ),
    "zh_Hans": (
        # TRANSLATORS: safety-critical
        ("120", N_("mainland China")),
        # TRANSLATORS: safety-critical
        ("999", N_("Hong Kong")),
        # TRANSLATORS: safety-critical
        ("995", N_("Singapore")),
    ),
}


def configured_emergency_number() -> str:
    return _emergency_number.get()


def set_emergency_number(number: str):
    """Use the clinic's EMERGENCY_NUMBER from now on in this context (a request); returns the
    token for `reset_emergency_number`."""
    return _emergency_number.set(number or "")


def reset_emergency_number(token) -> None:
    _emergency_number.reset(token)


@contextmanager
def using_emergency_number(number: str):
    """The clinic's EMERGENCY_NUMBER inside the block (a request, a PDF render)."""
    token = _emergency_number.set(number or "")
    try:
        yield
    finally:
        _emergency_number.reset(token)


def emergency_numbers(configured: str | None = None, language: str | None = None) -> tuple:
    """The numbers to show as the ones to call: the clinic's own (`configured`, its
    EMERGENCY_NUMBER setting) when set, else the list for readers of `language` (by default the
    language in use), each with its place in that language. Pages reach it through the
    `emergency_numbers` Jinja global (decision_aid/text/languages.py)."""
    if configured is None:
        configured = configured_emergency_number()
    if configured:
        return (EmergencyNumber(configured),)
    language = language or current()
    words = translations(language)
    return tuple(
        EmergencyNumber(number, words.ugettext(place))
        for number, place in EMERGENCY_NUMBERS.get(language, EMERGENCY_NUMBERS[DEFAULT])
    )
