"""The clinic's clock: its time zone (`CLINIC_TZ`, an IANA name such as Europe/London, default
UTC) for the times staff read and the dates on the PDF, and a person's age on a date. The server's
own time zone (`TZ`) is never used."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE = "UTC"


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


def app_today(app) -> datetime.date:
    """Today in the clinic's time zone; tests pin it with TODAY in the configuration."""
    pinned = app.config.get("TODAY")
    return datetime.date.fromisoformat(pinned) if pinned else today_in(app.extensions["clinic_tz"])


def init_app(app) -> None:
    """Check CLINIC_TZ once, at start-up."""
    app.extensions["clinic_tz"] = zone(app.config.get("CLINIC_TZ"))
