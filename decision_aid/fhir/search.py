"""The search parameters of `GET /fhir/QuestionnaireResponse`, read and checked (pure: no
Flask). Unknown parameters are refused rather than ignored, so that a client never takes an
unfiltered answer for a filtered one.

- `status`: completed | in-progress (or the other FHIR statuses, which match nothing here);
  commas mean "or", repeating the parameter means "and".
- `_lastUpdated`: a FHIR date or dateTime with a prefix ge, gt, le, lt or eq (none means eq),
  judged at the precision given ("ge2026-11" is from the start of November 2026, UTC when no
  zone is given); repeat it for a range.
- `_count`: resources a page (capped at the server's maximum; 0 gives only the total).
- `_page`: the page number, from 1."""

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone

STATUSES = {"in-progress", "completed", "amended", "entered-in-error", "stopped"}
PARAMETERS = {"status", "_lastUpdated", "_count", "_page", "_format"}
MAX_PAGE = 10**6
_MOMENT = re.compile(
    r"^(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d{1,9}))?)?"
    r"(?P<zone>Z|[+-]\d{2}:\d{2})?)?)?)?$"
)


class SearchError(ValueError):
    def __init__(self, message, code="invalid"):
        super().__init__(message)
        self.code = code


@dataclass
class Search:
    statuses: set | None = None
    updated: list = field(default_factory=list)  # [(operator ge|lt, aware datetime)]
    count: int = 20
    page: int = 1


def parse_search(args, *, max_count, default_count):
    unknown = sorted(set(args) - PARAMETERS)
    if unknown:
        allowed = ", ".join(sorted(PARAMETERS))
        raise SearchError(f"unknown search parameter {unknown[0][:40]!r}; use {allowed}")
    search = Search(count=default_count)
    for value in args.getlist("status"):
        codes = {code.strip() for code in value.split(",")}
        if not codes <= STATUSES:
            raise SearchError(f"status must be one of {', '.join(sorted(STATUSES))}")
        search.statuses = codes if search.statuses is None else search.statuses & codes
    for value in args.getlist("_lastUpdated"):
        search.updated += _updated(value)
    if "_count" in args:
        search.count = min(_whole(args.get("_count"), "_count", 0), max_count)
    if "_page" in args:
        search.page = _whole(args.get("_page"), "_page", 1)
    return search


def _whole(text, name, low):
    if not re.fullmatch(r"[0-9]{1,7}", text or "", re.ASCII) or not low <= int(text) <= MAX_PAGE:
        raise SearchError(f"{name} must be a whole number from {low} to {MAX_PAGE}")
    return int(text)


def _updated(value):
    """[(operator, moment)] for one _lastUpdated value, with operators only ge and lt."""
    prefix, text = (value[:2], value[2:]) if value[:2].isalpha() else ("eq", value)
    start, end = _interval(text)
    conditions = {
        "ge": [("ge", start)],
        "gt": [("ge", end)],
        "le": [("lt", end)],
        "lt": [("lt", start)],
        "eq": [("ge", start), ("lt", end)],
    }
    if prefix not in conditions:
        raise SearchError("_lastUpdated takes the prefixes ge, gt, le, lt or eq", "not-supported")
    return conditions[prefix]


def _interval(text):
    """[start, end) of the moment `text` names, at its precision."""
    match = _MOMENT.match(text.replace(" ", "+"))  # an unencoded "+" in a query is a space
    if not match:
        raise SearchError("_lastUpdated must be a date or dateTime, like ge2026-11-25T10:00:00Z")
    parts = match.groupdict()
    fraction = parts["fraction"] or ""
    try:
        zone = _zone(parts["zone"])
        start = datetime(
            int(parts["year"]),
            int(parts["month"] or 1),
            int(parts["day"] or 1),
            int(parts["hour"] or 0),
            int(parts["minute"] or 0),
            int(parts["second"] or 0),
            int((fraction + "000000")[:6]),
            tzinfo=zone,
        )
    except ValueError:
        raise SearchError("_lastUpdated is not a real date or time") from None
    try:  # the end of year 9999, or a zone past UTC±14:00, is no moment either
        return start.astimezone(UTC), _end(start, parts, fraction).astimezone(UTC)
    except (ValueError, OverflowError):
        raise SearchError("_lastUpdated is not a real date or time") from None


def _end(start, parts, fraction):
    """The end of the interval that starts at `start`, at the precision `parts` give."""
    if parts["month"] is None:
        return start.replace(year=start.year + 1)
    if parts["day"] is None:
        return (start + timedelta(days=32)).replace(day=1)
    if parts["hour"] is None:
        return start + timedelta(days=1)
    if parts["second"] is None:
        return start + timedelta(minutes=1)
    if not fraction:
        return start + timedelta(seconds=1)
    return start + timedelta(microseconds=10 ** max(6 - len(fraction), 0))


def _zone(text):
    if not text or text == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    hours, minutes = int(text[1:3]), int(text[4:6])
    return timezone(sign * timedelta(hours=hours, minutes=minutes))
