"""Decision quality (issue 31): the knowledge check's score and feedback, the role the patient
wants (Control Preferences Scale), support and pressure (Ottawa Personal Decision Guide), and
whether a choice fits the priority the patient rated highest. Pure: answers in, words and
numbers out; no Flask, no storage. The instruments and their scoring are the fact sheet's
(section 10.G); the statements' answers and sources are in knowledge.yaml.

    knowledge_check(answers)   -> Knowledge (score 0-100, each statement with its feedback)
    role_group(value)          -> "active" | "collaborative" | "passive" | None
    clinician_facts(answers)   -> the facts for the clinician page (score, "Worth going over")
    fits_top_priority(answers, option) -> True / False / None (not countable)
"""

from __future__ import annotations

from dataclasses import dataclass

from decision_aid.guidance import content
from decision_aid.guidance.model import QUESTIONS
from decision_aid.text import i18n

KNOWLEDGE_ITEMS = tuple(item.id for item in QUESTIONS["knowledge"].items)
# The Control Preferences Scale's five statements, grouped as it is now often reported (Degner
# 1997; fact sheet 10.G): the patient deciding (active), deciding together (collaborative), the
# doctor deciding (passive).
ROLE_GROUPS = {
    "patient": "active",
    "patient_after_doctor": "active",
    "shared": "collaborative",
    "doctor_after_patient": "passive",
    "doctor": "passive",
}
ROLE_GROUP_ORDER = ("active", "collaborative", "passive")
# The leaning's and the follow-up's choice values, as the option ids of the grid.
CHOICE_TO_OPTION = {"botox": "botox", "medicines": "medicines", "surgery": "mvd", "wait": "wait"}
LEVEL_ORDER = ("very", "somewhat", "not")


@dataclass(frozen=True)
class Statement:
    id: str
    text: str  # the statement as the patient read it
    short: str  # the fact, in the clinician's words ("tablets help few people")
    answer: str | None  # "true", "false", "unsure", or None (not answered)
    correct: bool
    explain: str  # "True. Each dose of Botox works for about 3 months. ..."
    table_option: str
    table_row: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Knowledge:
    statements: tuple[Statement, ...]

    @property
    def answered(self) -> int:
        return sum(1 for s in self.statements if s.answer is not None)

    @property
    def correct(self) -> int:
        return sum(1 for s in self.statements if s.correct)

    @property
    def total(self) -> int:
        return len(self.statements)

    @property
    def score(self) -> int | None:
        """The share of statements answered correctly, 0 to 100 (Sepucha 2012); None when the
        check was left out."""
        if not self.answered:
            return None
        return round(100 * self.correct / self.total)

    @property
    def missed(self) -> tuple[Statement, ...]:
        """The statements not answered correctly ("Not sure" and unanswered included), once the
        check was started."""
        if not self.answered:
            return ()
        return tuple(s for s in self.statements if not s.correct)


def _get(answers, name):
    """An answer from an answers document (a dict) or the typed model (guidance.Answers)."""
    if isinstance(answers, dict):
        return answers.get(name)
    return getattr(answers, name, None)


def knowledge_check(answers) -> Knowledge:
    given = _get(answers, "knowledge") or {}
    key = content.load("knowledge")["statements"]
    question = content.question("knowledge")
    statements = []
    for item_id in KNOWLEDGE_ITEMS:
        entry = key[item_id]
        answer = given.get(item_id)
        statements.append(
            Statement(
                id=item_id,
                text=question.item(item_id).label,
                short=content.row_label("knowledge", item_id),
                answer=answer,
                correct=answer == entry["answer_key"],
                explain=entry["explain"].strip(),
                table_option=entry["table_option"],
                table_row=entry["table_row"],
                sources=tuple(entry["sources"]),
            )
        )
    return Knowledge(tuple(statements))


def role_group(value) -> str | None:
    return ROLE_GROUPS.get(value)


def top_priorities(answers) -> tuple[str, ...]:
    """The priorities rated at the highest level the patient used ("very", else "somewhat")."""
    rated = _get(answers, "priorities") or {}
    for level in LEVEL_ORDER[:2]:
        top = tuple(key for key, given in rated.items() if given == level)
        if top:
            return top
    return ()


def fits_top_priority(answers, choice) -> bool | None:
    """Whether a choice (a leaning value: botox, medicines, surgery, wait) is one that the
    "What matters to you" text names as fitting a top-rated priority (about.yaml, fit_options).
    None when it cannot be counted: no choice, no rated priority, or no top priority that any
    option fits (cost and travel)."""
    option = CHOICE_TO_OPTION.get(choice)
    fit = content.load("about")["fit_options"]
    mapped = [key for key in top_priorities(answers) if fit.get(key)]
    if option is None or not mapped:
        return None
    return any(option in fit[key] for key in mapped)


def clinician_facts(answers) -> dict:
    """The facts for the clinician page (guidance/facts.py adds them to the result's Facts):
    the knowledge score and the statements worth going over, the role wanted, support and
    pressure. Only what was answered."""
    knowledge = knowledge_check(answers)
    role = _get(answers, "preferred_role")
    return {
        "knowledge_score": knowledge.score,
        "knowledge_correct": knowledge.correct,
        "knowledge_total": knowledge.total,
        "knowledge_missed": tuple(s.short for s in knowledge.missed),
        "preferred_role_label": content.label("preferred_role", role) if role else "",
        "role_group": role_group(role) or "",
        "support_words": _support_line(answers),
    }


def _support_line(answers) -> str:
    parts = []
    others = _get(answers, "others_involved") or []
    if others:
        parts.append(
            i18n.gettext("others involved: {who}").format(
                who=content.join(content.labels("others_involved", others))
            )
        )
    prefer = _get(answers, "others_prefer")
    if prefer:
        parts.append(
            i18n.gettext("they prefer: {choice}").format(
                choice=content.label("others_prefer", prefer)
            )
        )
    pressure = _get(answers, "pressure")
    if pressure:
        parts.append(
            i18n.gettext("feels pressured by others: {answer}").format(
                answer=content.label("pressure", pressure)
            )
        )
    return "; ".join(parts)


# --- After the consultation ---------------------------------------------------------------------

SURE_ITEM_IDS = ("sure_of_choice", "know_options", "clear_values", "enough_support")
# The Decision Regret Scale (Brehaut 2003): answers 1 (strongly agree) to 5 (strongly disagree);
# items 2 and 4 are reversed; each item minus 1, times 25; the mean is 0 (no regret) to 100.
REGRET_ITEMS = ("right_decision", "regret_choice", "same_again", "did_harm", "wise_decision")
REGRET_REVERSED = {"regret_choice", "did_harm"}


def sure_total(sure) -> int | None:
    """The SURE score, 0 to 4 (the "yes" answers), when all four are answered."""
    sure = sure or {}
    if not all(sure.get(key) in ("yes", "no") for key in SURE_ITEM_IDS):
        return None
    return sum(1 for key in SURE_ITEM_IDS if sure[key] == "yes")


def in_conflict(score) -> bool | None:
    """Decisional conflict: a SURE score of 3 or less (context.SURE_CONFLICT_AT_OR_BELOW)."""
    from decision_aid.guidance.context import SURE_CONFLICT_AT_OR_BELOW

    return None if score is None else score <= SURE_CONFLICT_AT_OR_BELOW


def regret_score(regret) -> float | None:
    """The Decision Regret Scale score, 0 to 100, when all five items are answered."""
    regret = regret or {}
    values = [regret.get(key) for key in REGRET_ITEMS]
    if not all(isinstance(v, int) and 1 <= v <= 5 for v in values):
        return None
    scored = [
        (6 - value if key in REGRET_REVERSED else value) - 1
        for key, value in zip(REGRET_ITEMS, values, strict=True)
    ]
    return sum(25 * s for s in scored) / len(scored)


def followup_due(answers, today) -> bool:
    """Whether to offer "How did your appointment go?": the appointment date has passed."""
    appointment = _get(answers, "appointment")
    return bool(appointment) and str(appointment) < today.isoformat()
