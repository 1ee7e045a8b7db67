"""What the clinic's list shows of a sent summary, worked out once when it is sent or changed
and stored with it (so that showing the list never reruns the guidance engine for each row).

Pure: no Flask, no clock (`today` is passed in)."""

from __future__ import annotations

import datetime
import unicodedata

from decision_aid.clinic_time import parse_date
from decision_aid.guidance import ValidationError, evaluate

# Items that make the list's red-flag marker, besides any urgent item.
FLAG_ITEMS = {"red_flags", "bilateral", "emergency"}
NAME_LENGTH = 200


def red_flags(result: dict | None) -> bool | None:
    """The red-flag marker of a guidance result: any urgent item or red-flag item (None
    without a result)."""
    if result is None:
        return None
    return any(item["level"] == "urgent" or item["id"] in FLAG_ITEMS for item in result["items"])


def name_key(text: str | None) -> str:
    """A name as the search compares it: case, accents and extra spaces ignored."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def _iso(value) -> str | None:
    day = parse_date(value)
    return day.isoformat() if day else None


def fields(answers: dict, today: datetime.date) -> dict:
    """The stored list columns for one set of answers."""
    try:
        result = evaluate(answers, today)
    except ValidationError:
        result = None
    name = str(answers.get("name") or "").strip()[:NAME_LENGTH] or None
    return {
        "patient_name": name,
        "name_key": name_key(name) or None,
        "date_of_birth": _iso(answers.get("date_of_birth")),
        "appointment": _iso(answers.get("appointment")),
        "red_flags": red_flags(result),
    }
