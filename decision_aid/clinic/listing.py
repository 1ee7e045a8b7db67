"""What the clinic's list shows of a sent summary, worked out once when it is sent or changed
and stored with it (so that showing the list never reruns the guidance engine for each row).

Pure: no Flask, no clock (`today` is passed in)."""

from __future__ import annotations

import datetime
import unicodedata

from decision_aid.clinic.clock import parse_date
from decision_aid.guidance import ValidationError, result_for, urgent_codes

NAME_LENGTH = 200


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
        result = result_for(answers, today)
        red_flag = result.red_flag  # the guidance's red-flag marker
        urgent = list(urgent_codes(result)) or None  # the urgent items, named on the list
    except ValidationError:
        red_flag = urgent = None  # not known until the answers are valid
    name = str(answers.get("name") or "").strip()[:NAME_LENGTH] or None
    return {
        "patient_name": name,
        "name_key": name_key(name) or None,
        "date_of_birth": _iso(answers.get("date_of_birth")),
        "appointment": _iso(answers.get("appointment")),
        "red_flags": red_flag,
        "urgent": urgent,
    }


def clinic_day(answers: dict) -> dict:
    """The list column of revision 0011 (kept apart from `fields`, whose keys revision 0006
    fills in): `appointment_time` ("14:30"), when given."""
    time = str(answers.get("appointment_time") or "").strip()[:5] or None
    return {"appointment_time": time}


def columns(answers: dict, today: datetime.date) -> dict:
    """Every stored list column for these answers: what the caller of the store's `send`, and of
    a `save` that remakes a sent summary, computes and passes in (the store runs no guidance)."""
    return fields(answers, today) | clinic_day(answers)
