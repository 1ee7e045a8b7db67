"""Dates in words, the same on every page, the PDF and the guidance: no locale, so a server's
language setting never changes them. Pure: no Flask, no clock.

The pages, the text output and the guidance say "25 November 2026"; the PDF, where page 1 has
little room, says "25 Nov 2026" and "Mar 2021"."""

from __future__ import annotations

import datetime

MONTHS = (
    "January February March April May June July August September October November December"
).split()


def long_date(day: datetime.date) -> str:
    """25 November 2026."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def short_date(day: datetime.date) -> str:
    """25 Nov 2026."""
    return f"{day.day} {MONTHS[day.month - 1][:3]} {day.year}"


def month_year(year: int, month: int, *, short: bool = False) -> str:
    """March 2019, or with `short` Mar 2019."""
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
