"""A row of the clinician's table of facts (summary/clinician_table.py, summary/quality_rows.py)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    """A row of the clinician's table of facts. `flag` names why the row is marked."""

    label: str
    value: str
    flag: str = ""

    missing: bool = False  # nothing answered: the value says "Not answered"


def capital(text: str) -> str:
    return text[:1].upper() + text[1:]
