"""The clinician table's rows for decision quality (issue 31): the knowledge check's score and
the facts worth going over, the part the patient wants in the decision, and support and
pressure. Each row appears only when the patient answered it, so page 1 stays one page."""

from __future__ import annotations

from collections.abc import Mapping

from decision_aid.i18n import gettext
from decision_aid.summary.facts import Row, capital


def quality_rows(facts: Mapping) -> list[Row]:
    rows = []
    score = facts.get("knowledge_score")
    if score is not None:
        value = gettext("{correct} of {total} right ({score}%)").format(
            correct=facts["knowledge_correct"], total=facts["knowledge_total"], score=score
        )
        missed = facts.get("knowledge_missed") or ()
        if missed:
            worth = gettext("Worth going over: {facts}").format(facts="; ".join(missed))
            value = f"{value} · {worth}"
        rows.append(Row(gettext("Check what you know"), value, "knowledge" if missed else ""))
    if facts.get("preferred_role_label"):
        rows.append(
            Row(gettext("Part wanted in the decision"), capital(facts["preferred_role_label"]))
        )
    if facts.get("support_words"):
        rows.append(Row(gettext("Support and pressure"), capital(facts["support_words"])))
    return rows
