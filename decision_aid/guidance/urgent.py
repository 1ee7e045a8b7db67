"""The urgent items of a guidance result, named in words: the short titles the clinic's list,
day list and staff summary show instead of a bare marker ("Rash on carbamazepine, still taking
it: assess today"). Pure: no Flask; the words are those of the language in use."""

from __future__ import annotations

from decision_aid.guidance.context import URGENT
from decision_aid.guidance.result import GuidanceResult


def urgent_titles(result: GuidanceResult, staff: bool = True) -> list[str]:
    """The titles of the items at the urgent level, in the result's order: in the clinician's
    words (`staff_title`), or with `staff=False` in the patient's."""
    return [
        (item.staff_title or item.title) if staff else item.title
        for item in result.items
        if item.level == URGENT
    ]
