"""The clinician table's rows for decision quality (issue 31): the knowledge check's score and
the facts worth going over, the part the patient wants in the decision, and support and
pressure. Each row appears only when the patient answered it, so page 1 stays one page."""

from __future__ import annotations

from collections.abc import Mapping

from decision_aid.guidance.result_facts import Facts
from decision_aid.summary.rows import Row, capital
from decision_aid.text.i18n import gettext


def quality_rows(facts: Facts) -> list[Row]:
    rows = []
    score = facts.knowledge_score
    if score is not None:
        value = gettext("{correct} of {total} right ({score}%)").format(
            correct=facts.knowledge_correct, total=facts.knowledge_total, score=score
        )
        missed = facts.knowledge_missed or ()
        if missed:
            worth = gettext("Worth going over: {facts}").format(facts="; ".join(missed))
            value = f"{value} · {worth}"
        rows.append(Row(gettext("Check what you know"), value, "knowledge" if missed else ""))
    if facts.preferred_role_label:
        rows.append(
            Row(gettext("Part wanted in the decision"), capital(facts.preferred_role_label))
        )
    if facts.support_words:
        rows.append(Row(gettext("Support and pressure"), capital(facts.support_words)))
    return rows


def followup_rows(answers: Mapping, followup: Mapping | None) -> list[Row]:
    """The follow-up the patient sent (issue 31), for the staff summary: the choice made, the
    SURE test before and after, and the Decision Regret Scale's score when all five items were
    answered after a treatment of 3 months or more."""
    from decision_aid.guidance import quality
    from decision_aid.questions import followup_questionnaire
    from decision_aid.questions.translate import in_language
    from decision_aid.text import i18n

    if not followup:
        return []
    questions = in_language(followup_questionnaire(), i18n.current())
    rows = []
    if followup.get("chosen"):
        chosen = questions.question("chosen").short_label(followup["chosen"])
        rows.append(Row(gettext("Choice made"), capital(chosen)))
    before = quality.sure_total(answers.get("sure"))
    after = quality.sure_total(followup.get("sure_after"))
    words = [
        gettext("before: {score}").format(
            score=gettext("not answered") if before is None else f"{before}/4"
        ),
        gettext("after: {score}").format(
            score=gettext("not answered") if after is None else f"{after}/4"
        ),
    ]
    rows.append(Row(gettext("SURE before and after"), "; ".join(words)))
    regret = quality.regret_score(followup.get("regret"))
    if regret is not None and followup.get("treated_3_months") == "yes":
        value = gettext("{score} of 100 (0 is no regret)").format(score=round(regret))
        rows.append(Row(gettext("Decision Regret Scale"), value))
    return rows
