"""Each urgent item in words, for the clinic: the box at the top of page 1 of the PDF, the staff
summary, the staff list and the day list all name the urgent items this way ("Urgent: rash on
carbamazepine, still taking it"). The list and the day list store the codes (language-free) when
a summary is sent and put them into words when they show them. Pure: no Flask."""

from __future__ import annotations

from decision_aid.guidance import content
from decision_aid.guidance.context import URGENT
from decision_aid.guidance.result import GuidanceResult
from decision_aid.text.i18n import gettext

# The items a patient is shown at once, on a page of their own, when an answer makes them urgent
# (the stroke signs have the emergency page). The step files name them (`interrupt`).
INTERRUPT_ITEMS = ("medicine_rash",)


def urgent_codes(result: GuidanceResult) -> tuple[str, ...]:
    """A code for each urgent item: its id, and for the rash on carbamazepine whether the
    patient still takes it ("medicine_rash.current") or did not say ("medicine_rash.unsaid")."""
    codes = []
    for item in result.items:
        if item.level != URGENT:
            continue
        if item.id == "medicine_rash":
            taking = result.facts.medicine_current == "yes"
            codes.append("medicine_rash.current" if taking else "medicine_rash.unsaid")
        else:
            codes.append(item.id)
    return tuple(codes)


def urgent_words(codes) -> tuple[str, ...]:
    """Each code in the clinician's words, in the language in use: "Urgent: ..."."""
    names = content.load("labels")["urgent_names"]
    return tuple(
        gettext("Urgent: {name}").format(name=names.get(code, names["other"]))
        for code in codes or ()
    )


def urgent_names(result: GuidanceResult) -> tuple[str, ...]:
    """The urgent items of a result, each in words."""
    return urgent_words(urgent_codes(result))


def urgent_titles(result: GuidanceResult) -> list[str]:
    """The titles of the urgent items in the patient's own words, in the result's order (the send
    page reminds the patient what their summary told them to do)."""
    return [item.title for item in result.items if item.level == URGENT]
