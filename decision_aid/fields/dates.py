"""The question types about when: a month and year, a full date, and "about N weeks, months or
years ago". Each part is its own input, so a message can point at the part that is wrong."""

import calendar
import re
import unicodedata
from datetime import date

from wtforms import StringField

from decision_aid.fields.base import (
    NOT_CHOSEN,
    Invalid,
    QuestionType,
    digits,
    field_name,
    month_from_name,
    radio,
    text_of,
    whole_number,
)
from decision_aid.text.dates import long_date, month_names, month_year
from decision_aid.text.i18n import N_, _, date_parts, format_number

# Messages chosen by a part or unit: whole sentences, so that each language can order its words.
MUST_INCLUDE = {
    "day": N_("{subject} must include a day"),
    "month": N_("{subject} must include a month"),
    "year": N_("{subject} must include a year"),
}
WHOLE_NUMBER_OF = {
    "weeks": N_("Enter a whole number of weeks from 0 to {limit}"),
    "months": N_("Enter a whole number of months from 0 to {limit}"),
    "years": N_("Enter a whole number of years from 0 to {limit}"),
}
YEAR_BETWEEN = N_("The year of {what} must be between {earliest} and {latest}")
# Chinese writes a date's parts with their marks ("2019年3月14日"); the number before is the part.
DATE_MARKS = "年月日号號"


def without_date_mark(text):
    """'3月' -> '3', '2019年' -> '2019'; other text as it is."""
    return text.rstrip(DATE_MARKS).strip() if text else text


def year_in_range(q, text, earliest, latest):
    try:
        return whole_number(without_date_mark(text), earliest, latest, "a year")
    except Invalid as exc:
        raise Invalid(
            _(YEAR_BETWEEN).format(what=q.what or _("the date"), earliest=earliest, latest=latest),
            "year",
        ) from exc


ABOUT_AGO = {
    "weeks": N_("About {amount} weeks ago"),
    "months": N_("About {amount} months ago"),
    "years": N_("About {amount} years ago"),
}


def month_number(q, text, required):
    """'March', 'mar' or '3' -> 3."""
    if not text:
        if required:
            raise Invalid(_("{subject} must include a month").format(subject=q.subject), "month")
        return None
    if month_from_name(text):
        return month_from_name(text)
    number = digits(without_date_mark(text))
    if number is None or not 1 <= int(number) <= 12:
        raise Invalid(
            _(
                "The month of {what} must be its name, like {example}, or a number from 1 to 12"
            ).format(what=q.what or _("the date"), example=month_names()[2]),
            "month",
        )
    return int(number)


class DateParts(QuestionType):
    """A date typed in parts, each a text input named `<question>__<part>`."""

    parts = ()

    def fields(self):
        return [(field_name(self.q.id, part), StringField()) for part in self.parts]

    def anchor(self, part=None):
        """The box an error links to: the part at fault, else the first box on the page."""
        return field_name(self.q.id, part or date_parts(self.parts)[0])


# "March 2019", "3/2019", "03-2019" or "2019-03" typed into the month box (issue 27).
MONTH_WITH_YEAR = re.compile(
    r"^\s*(?:(?P<m1>[^\W\d_]+\.?|\d{1,2})\s*[-/.,\s]\s*(?P<y1>\d{4})"
    r"|(?P<y2>\d{4})\s*[-/.,\s]\s*(?P<m2>\d{1,2}))\s*$"
)


def split_month_and_year(q, month_text, year_text):
    """A year typed into the month box with its month is understood when the year box is empty
    or says the same year; otherwise the message says where the year goes."""
    found = MONTH_WITH_YEAR.match(month_text or "")
    if not found:
        if re.fullmatch(r"\s*\d{4}\s*", month_text or ""):
            raise Invalid(_("Type the year in the Year box, and only the month here"), "month")
        return month_text, year_text
    month, year = found.group("m1") or found.group("m2"), found.group("y1") or found.group("y2")
    if year_text and digits(year_text) != year:
        raise Invalid(_("Type the year in the Year box, and only the month here"), "month")
    return month, year


class MonthYear(DateParts):
    """A month (optional unless `month_required`) and a year, in the past: "2019-03" or "2019"."""

    name = "month_year"
    parts = ("month", "year")

    def initial(self, value):
        year, _, month = str(value).partition("-")
        return {
            field_name(self.q.id, "year"): year,
            field_name(self.q.id, "month"): str(int(month)) if month else "",
        }

    def parse(self, form, today):
        q = self.q
        month_text = text_of(form, field_name(q.id, "month"))
        year_text = text_of(form, field_name(q.id, "year"))
        if self.none_given([month_text, year_text], N_("Enter the month and year"), "month"):
            return None
        month_text, year_text = split_month_and_year(q, month_text, year_text)
        if not year_text:
            raise Invalid(_("{subject} must include a year").format(subject=q.subject), "year")
        month = month_number(q, month_text, q.month_required)
        earliest, latest = q.bounds(today)  # the guidance engine's check reads the same bounds
        year = year_in_range(q, year_text, earliest, latest)
        if (year, month or 1) > (today.year, today.month):
            raise Invalid(
                _("{subject} must be in the past").format(subject=q.subject),
                "month" if month else "year",
            )
        return f"{year:04d}-{month:02d}" if month else f"{year:04d}"

    def display(self, value):
        year, _, month = value.partition("-")
        return [month_year(int(year), int(month)) if month else year]


class Date(DateParts):
    """Day, month and year: "2027-01-14", with the years between `min` and `max` (a `past` date,
    a birthday, goes up to today)."""

    name = "date"
    parts = ("day", "month", "year")

    def initial(self, value):
        year, month, day = value.split("-")
        return {
            field_name(self.q.id, "year"): year,
            field_name(self.q.id, "month"): str(int(month)),
            field_name(self.q.id, "day"): str(int(day)),
        }

    def parse(self, form, today):
        q = self.q
        parts = {p: text_of(form, field_name(q.id, p)) for p in self.parts}
        if self.none_given(parts.values(), N_("Enter the date"), "day"):
            return None
        for part in self.parts:
            if not parts[part]:
                raise Invalid(_(MUST_INCLUDE[part]).format(subject=q.subject), part)
        month = month_number(q, parts["month"], True)
        earliest, latest = q.bounds(today)
        year = year_in_range(q, parts["year"], earliest, latest)
        last_day = calendar.monthrange(year, month)[1]
        try:
            day = whole_number(without_date_mark(parts["day"]), 1, last_day, "a day")
        except Invalid as exc:
            raise Invalid(
                _("{month} has {days} days. Enter a day between 1 and {days}").format(
                    month=month_year(year, month), days=last_day
                ),
                "day",
            ) from exc
        value = date(year, month, day)
        if q.past and value > today:
            raise Invalid(
                _("{subject} must be today or in the past").format(subject=q.subject), "day"
            )
        return value.isoformat()

    def display(self, value):
        return [long_date(date.fromisoformat(value))]


# A time of day as typed: 14:30, 14.30, 9:05, 2:30 pm, 2 pm, 14h30.
TIME = re.compile(r"(\d{1,2})(?:\s*[:.h]\s*(\d{2}))?\s*(?:(am|a\.m\.|pm|p\.m\.))?")


def read_time(text):
    """'2:30 pm' -> '14:30'; None if it is not a time of day."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    match = TIME.fullmatch(folded)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    half = (match.group(3) or "").replace(".", "")
    if half:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if half == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}"


class Time(QuestionType):
    """A time of day, typed in one input: "14:30" (24 hours, as stored), "2:30 pm" or "14.30"
    are read as the same answer."""

    name = "time"

    def parse(self, form, today):
        q = self.q
        text = text_of(form, q.id)
        if self.none_given([text], N_("Enter the time")):
            return None
        value = read_time(text)
        if value is None:
            raise Invalid(
                _("Enter {what} as a time of day, like 14:30 or 2:30 pm").format(
                    what=q.what or _("the time")
                )
            )
        return value


class Ago(QuestionType):
    """About 3 weeks ago: a number (`__amount`) and a unit radio (`__unit`), stored as
    {"amount": 3, "unit": "weeks"}."""

    name = "ago"

    def fields(self):
        return [
            (field_name(self.q.id, "amount"), StringField()),
            (field_name(self.q.id, "unit"), radio(self.q)),
        ]

    def initial(self, value):
        return {
            field_name(self.q.id, "amount"): str(value["amount"]),
            field_name(self.q.id, "unit"): value["unit"],
        }

    def parse(self, form, today):
        q = self.q
        amount_text = text_of(form, field_name(q.id, "amount"))
        unit = form[field_name(q.id, "unit")].data
        unit = None if unit in NOT_CHOSEN else unit
        if self.none_given([amount_text, unit], N_("Enter how long ago"), "amount"):
            return None
        if not amount_text:
            raise Invalid(
                _("Enter {what} as a number, like 2").format(what=q.what or _("how long ago")),
                "amount",
            )
        if unit not in {str(o.value) for o in q.options}:
            raise Invalid(_("Select weeks, months or years"), "unit")
        limit = q.amount_max(unit)
        try:
            amount = whole_number(amount_text, q.min, limit, "a number")
        except Invalid as exc:
            raise Invalid(_(WHOLE_NUMBER_OF[unit]).format(limit=limit), "amount") from exc
        return {"amount": amount, "unit": unit}

    def anchor(self, part=None):
        name = field_name(self.q.id, part or "amount")
        return f"{name}-0" if part == "unit" else name

    def display(self, value):
        return [_(ABOUT_AGO[value["unit"]]).format(amount=format_number(value["amount"]))]
