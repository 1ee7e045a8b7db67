"""The languages, and the words in each: gettext catalogs in decision_aid/translations/.
Pure (no Flask), so the questionnaire and the guidance can be read in any language.

The language in use is a context variable: the web layer sets it for each request from the
person's choice (decision_aid/languages.py); the PDF sets it for each of its two parts. Only
display text is translated: answers, guidance ids and codes are the same in every language."""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path

from babel.support import NullTranslations, Translations

# Each language in its own name, as the language switcher shows it. The keys are Babel's locale
# names (the catalog folders); pages say `html_lang(key)` ("zh-Hans").
LANGUAGES = {"en": "English", "es": "Español", "zh_Hans": "简体中文"}
DEFAULT = "en"
SHIPPED = tuple(LANGUAGES)
TRANSLATIONS_DIR = Path(__file__).parent / "translations"
DOMAIN = "messages"

_directories = [TRANSLATIONS_DIR]
_current: ContextVar[str] = ContextVar("language", default=DEFAULT)


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
