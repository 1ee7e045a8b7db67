"""The clinic's clock: its time zone (`CLINIC_TZ`, an IANA name such as Europe/London, default
UTC) for the times staff read and the dates on the PDF, and a person's age on a date. The server's
own time zone (`TZ`) is never used. Also the clinic's date order (`DATE_ORDER`), for dates staff
type as numbers ("02/07/1972")."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError
from babel.core import get_global

DEFAULT_ZONE = "UTC"
# The orders a date typed as three numbers with the year last may be read in.
DATE_ORDERS = {"dmy": "day, month, year", "mdy": "month, day, year"}
_NUMBERS = re.compile(r"(\d{1,4})\s*[./\-\s]\s*(\d{1,2})\s*[./\-\s]\s*(\d{1,4})")


def zone(name: str | None) -> ZoneInfo:
    """The time zone named `name` (UTC if empty). Raises ValueError for an unknown name, so a
    mistyped CLINIC_TZ stops the app at start-up instead of showing wrong times."""
    name = (name or "").strip() or DEFAULT_ZONE
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"CLINIC_TZ {name!r} is not an IANA time zone name") from None


def local(moment: datetime.datetime, tz: ZoneInfo) -> datetime.datetime:
    """A stored moment (UTC, naive from SQLite or aware from PostgreSQL) in the clinic's zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(tz)


def today_in(tz: ZoneInfo) -> datetime.date:
    return datetime.datetime.now(tz).date()


def parse_date(text) -> datetime.date | None:
    """A YYYY-MM-DD answer as a date, or None."""
    try:
        return datetime.date.fromisoformat(str(text).strip()) if text else None
    except ValueError:
        return None


def age_on(date_of_birth, day: datetime.date) -> int | None:
    """Whole years from a date of birth (a date or YYYY-MM-DD) to `day`; None if not known or
    after `day`."""
    born = date_of_birth if isinstance(date_of_birth, datetime.date) else parse_date(date_of_birth)
    if born is None or born > day:
        return None
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def default_date_order(language: str, zone_name: str | None) -> str:
    """The usual order of day and month where the clinic is: the short date format of the
    clinic's language (CLINIC_LANGUAGE) in the country of its time zone (CLINIC_TZ), as the
    CLDR has it. en + Europe/London (dd/MM/y): "dmy"; en + America/New_York or UTC (M/d/yy),
    and zh_Hans (y/M/d: the month before the day): "mdy"; es: "dmy"."""
    territory = get_global("zone_territories").get((zone_name or "").strip())
    try:
        locale = Locale.parse(f"{language}_{territory}" if territory else language)
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse(language)
    pattern = locale.date_formats["short"].pattern
    return "mdy" if 0 <= pattern.find("M") < pattern.find("d") else "dmy"


def check_date_order(order: str) -> str:
    """DATE_ORDER as set: "dmy" or "mdy" (ValueError otherwise, to stop the app at start-up)."""
    order = (order or "").strip().lower()
    if order not in DATE_ORDERS:
        raise ValueError(f"DATE_ORDER must be dmy or mdy, not {order!r}")
    return order


def _day(year: int, month: int, day: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def read_typed_date(text: str, order: str) -> datetime.date | None:
    """A date typed as three numbers: 1972-07-02 or 1972/7/2 (the year first: always year,
    month, day), or 02/07/1972, 2.7.1972, 2-7-1972 (the year last, four digits). With the year
    last, a date that is valid in only one order is read in that one; one valid both ways
    ("02/07/1972") follows `order` ("dmy": 2 July; "mdy": 7 February). None otherwise."""
    match = _NUMBERS.fullmatch((text or "").strip())
    if not match:
        return None
    first, second, third = match.groups()
    if len(first) == 4:
        return _day(int(first), int(second), int(third))
    if len(third) != 4:
        return None
    a, b, year = int(first), int(second), int(third)
    as_dmy, as_mdy = _day(year, b, a), _day(year, a, b)
    if as_dmy and as_mdy:
        return as_dmy if order == "dmy" else as_mdy
    return as_dmy or as_mdy


def app_today(app) -> datetime.date:
    """Today in the clinic's time zone; tests pin it with TODAY in the configuration."""
    pinned = app.config.get("TODAY")
    return datetime.date.fromisoformat(pinned) if pinned else today_in(app.extensions["clinic_tz"])


def init_app(app) -> None:
    """Check CLINIC_TZ and DATE_ORDER once, at start-up (DATE_ORDER, when not set, from
    CLINIC_LANGUAGE and CLINIC_TZ: `default_date_order`)."""
    app.extensions["clinic_tz"] = zone(app.config.get("CLINIC_TZ"))
    if app.config.get("DATE_ORDER"):
        app.config["DATE_ORDER"] = check_date_order(app.config["DATE_ORDER"])
    else:
        app.config["DATE_ORDER"] = default_date_order(
            app.config.get("CLINIC_LANGUAGE", "en"), app.config.get("CLINIC_TZ")
        )
