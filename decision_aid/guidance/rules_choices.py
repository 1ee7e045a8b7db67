"""The rules on the other choices: tablets, acupuncture, and living with it. Each rule is
registered beside its function (`Rule`); rule_table.py lists them in order; the words are in
items.yaml, the thresholds in thresholds.py."""

from __future__ import annotations

from decision_aid.guidance import content
from decision_aid.guidance.context import (
    INFORM,
    Context,
    Hit,
    Reason,
    Rule,
    botox_tried,
    medicines_tried,
    mvd_tried,
)
from decision_aid.guidance.rules_urgent import is_myokymia, rash_on_tablets, urgent_elsewhere
from decision_aid.guidance.thresholds import (
    MILD_AT_MOST,
    MILD_MIN_ANSWERED,
)


def rule_living_with_it(ctx: Context) -> Hit | None:
    """Living with it is a legitimate choice: say so, with the facts (natural history, starting
    treatment later). A ripple of one eyelid has its own card."""
    a = ctx.answers
    mild = len(a.impact) >= MILD_MIN_ANSWERED and max(a.impact.values()) <= MILD_AT_MOST
    if not (mild or a.leaning == "wait") or urgent_elsewhere(ctx) or is_myokymia(ctx):
        return None
    reasons = []
    if a.leaning == "wait":
        reasons.append(Reason("leaning"))
    if mild:
        reasons.append(Reason("mild"))
    return Hit(INFORM, ("main",), tuple(reasons))


LIVING_WITH_IT = Rule(
    "living_with_it",
    INFORM,
    f"`leaning` = `wait`, or a mild spasm (at least {MILD_MIN_ANSWERED} `impact` items "
    f"answered, none above {MILD_AT_MOST}), and nothing urgent fires and `myokymia` does not "
    "fire.",
    rule_living_with_it,
    ("MILD_MIN_ANSWERED", "MILD_AT_MOST"),
)


def rule_medicine_evidence(ctx: Context) -> Hit | None:
    a = ctx.answers
    if not medicines_tried(a):
        return None
    reasons = []
    if a.medicine_helped == "no":
        reasons.append(Reason("no_help"))
    # Every side effect the patient ticked but a rash, which has its own card.
    effects = [e for e in a.medicine_side_effects if e not in ("none", "rash")]
    if effects:
        words = content.join(content.labels("medicine_side_effects", effects))
        reasons.append(Reason("side_effects", {"effects": words}))
    # A rash on carbamazepine also brings this card, for its safety points (blood tests, the
    # gene test), with the rash itself on its own card.
    if not reasons and not (rash_on_tablets(a) and "carbamazepine" in a.medicines):
        return None
    parts = ["main"]
    if "carbamazepine" in a.medicines:
        parts.append("carbamazepine")
        reasons.append(Reason("carbamazepine"))
    must_taper = [name for name in ("baclofen", "clonazepam") if name in a.medicines]
    if a.medicine_current == "yes" and must_taper:
        parts.append("stopping")
        reasons.append(Reason("stopping", {"names": content.join(must_taper)}))
    return Hit(INFORM, tuple(parts), tuple(reasons))


MEDICINE_EVIDENCE = Rule(
    "medicine_evidence",
    INFORM,
    "Tablets tried, and `medicine_helped` = `no` or a side effect other than a rash in "
    "`medicine_side_effects` (a rash has its own item, `medicine_rash`), or a rash on "
    "carbamazepine. Adds carbamazepine safety when `medicines` includes it, and not "
    "stopping suddenly when baclofen or clonazepam is taken now.",
    rule_medicine_evidence,
)


def rule_acupuncture_evidence(ctx: Context) -> Hit | None:
    a = ctx.answers
    others = botox_tried(a) or medicines_tried(a) or mvd_tried(a)
    if "acupuncture" in a.treatments and not others:
        return Hit(INFORM, ("main",), (Reason("alone"),))
    return None


ACUPUNCTURE_EVIDENCE = Rule(
    "acupuncture_evidence",
    INFORM,
    "`treatments` includes `acupuncture`, with no Botox, tablets or MVD.",
    rule_acupuncture_evidence,
)
