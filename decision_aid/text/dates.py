"""Dates in words, the same on every page, the PDF and the guidance: never the server's locale,
only the language in use (decision_aid.text.i18n). Pure: no Flask, no clock.

In English the pages, the text output and the guidance say "25 November 2026"; the PDF, where
page 1 has little room, says "25 Nov 2026" and "Mar 2021". Other languages use Babel's (CLDR)
forms of the same dates: "25 de noviembre de 2026", "2026年11月25日"."""

from __future__ import annotations

import datetime

from babel.dates import format_date, format_skeleton, get_month_names

from decision_aid.text import i18n

MONTHS = (
    "January February March April May June July August September October November December"
).split()


def _locale() -> str | None:
    """The Babel locale of the language in use; None for English (the forms below)."""
    locale = i18n.formats_as(i18n.current())
    return None if locale == i18n.DEFAULT else locale


def month_names() -> list[str]:
    """The twelve month names in the language in use."""
    locale = _locale()
    if locale is None:
        return list(MONTHS)
    names = get_month_names("wide", "stand-alone", locale=locale)
    return [names[number] for number in range(1, 13)]


def long_date(day: datetime.date) -> str:
    """25 November 2026."""
    if locale := _locale():
        return format_date(day, "long", locale=locale)
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: datetime.date) -> str:
    """25 Nov 2026."""
    if locale := _locale():
        return format_date(day, "medium", locale=locale)
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def month_year(year: int, month: int, *, short: bool = False) -> str:
    """March 2019, or with `short` Mar 2019."""
    if locale := _locale():
        return format_skeleton(
            "yMMM" if short else "yMMMM", datetime.date(year, month, 1), locale=locale
        )
    name = MONTHS[month - 1]
    return f"{name[:3] if short else name} {year}"


def short_answer_date(value) -> str:
    """An answer's date as the PDF shows it: '2021-03' -> 'Mar 2021', '1961-04-12' ->
    '12 Apr 1961', a date -> '12 Apr 1961'; anything else as given."""
    if isinstance(value, datetime.date):
        return short_date(value)
    text = str(value).strip()
    try:
        if len(text) == 10:
            return short_date(datetime.date.fromisoformat(text))
        if len(text) == 7 and text[4] == "-":
            year, month = int(text[:4]), int(text[5:])
            if 1 <= month <= 12:
                return month_year(year, month, short=True)
    except ValueError:
        pass
    return text
