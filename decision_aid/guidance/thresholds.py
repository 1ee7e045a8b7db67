"""Every threshold of the guidance: each number or cut-off that a rule or a score compares an
answer against, with where it comes from. Nothing else in decision_aid/guidance/ writes a
clinical number. Each rule names the thresholds it uses in its registry entry (`Rule.thresholds`,
beside its function in rules_*.py), its trigger text states them, and docs/guidance-rules.md
lists them (tests/test_guidance_rules.py checks both). Pure: no Flask."""

from __future__ import annotations

# SURE test: a score of 3 or less (of 4) flags decisional conflict (Legare 2010).
SURE_CONFLICT_AT_OR_BELOW = 3

# Botox side effects start in the days after an injection and wear off within weeks; a dose
# works for about 3 months (fact sheet, section 2). Past that, Botox cannot explain a weak face.
BOTOX_EFFECT_MONTHS = 3
# Injections are repeated every 3 to 4 months (Toxins 2021), so 8 rounds is about 2 years.
ROUNDS_FOR_YEARS = 8
# "Shortening": the benefit now is at most three quarters of what it was at first.
SHORTER_FRACTION = (3, 4)
# Botox failing: this many kinds of troublesome side effect, in a patient who is not very happy.
TROUBLESOME_KINDS = 2

# Twitching under a month, known to the week or month, is "recent"; eyelid rippling under 3
# months may be myokymia.
PERSISTENT_MONTHS = 1
MYOKYMIA_MAX_MONTHS = 3
# Eyelid twitching that lasts more than 2 weeks should be seen by a doctor (NHS).
MYOKYMIA_SEE_DOCTOR_WEEKS = 2

# An MVD in this or the previous calendar year may still be working (delayed improvement).
RECENT_MVD_YEARS = 1
# The age bands for which the fact sheet's words on older age before an operation matter
# (section 10 C): 60 and over. Never "too old".
OLDER_AGE_BANDS = ("60_69", "70_79", "80_plus")

# Daily life: any item answered "often" (2) or "always" (3) counts as affected.
IMPACT_AFFECTED = 2
# A mild spasm: every answered daily-life item "never" (0) or "sometimes" (1), with at least
# this many answered.
MILD_AT_MOST = 1
MILD_MIN_ANSWERED = 3


def as_text(value) -> tuple[str, ...]:
    """How a threshold appears in a trigger text: a number as itself, a fraction as "3/4", a
    list of values as each value."""
    if isinstance(value, int):
        return (str(value),)
    if len(value) == 2 and all(isinstance(part, int) for part in value):
        return (f"{value[0]}/{value[1]}",)
    return tuple(str(part) for part in value)
