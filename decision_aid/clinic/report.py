"""The clinic's report (issue 31): counts and distributions of the summaries sent in a period,
never names, codes or free text. Pure: records in, figures out (the store reads the records:
`Store.report_records`; the staff page and `decision-aid report` show them).

Every count of fewer than 5 patients (0 included) is shown as "fewer than 5", and a share only
when its count and its whole are 5 or more, so that no cell points at a few people.

Figures:
- summaries sent; the share with an urgent item;
- SURE before (from the summaries) and after (from the follow-ups the patients sent): the
  patients in decisional conflict (3 or less) before and after, and how many of those with both
  went from conflict to none (4 of 4);
- knowledge scores ("Check what you know", 0 to 100);
- preferred roles (Control Preferences Scale: active, collaborative, passive);
- the options chosen (from the follow-ups sent);
- values-choice agreement: of the patients who rated what matters and recorded a choice, how many
  chose an option that fits their top-rated priority, by the mapping "What matters to you" uses
  (guidance/about.yaml fit_options; guidance.quality.fits_top_priority).
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from decision_aid.guidance import quality
from decision_aid.text.i18n import N_

SMALL = 5  # cells under this are suppressed
FEWER = N_("fewer than 5")
OF_WHOLE = N_("{count} of {whole} ({percent}%)")
# The possible scores of 5 statements, and the words for each group and choice.
KNOWLEDGE_BANDS = {
    0: N_("score 0 (none right)"),
    20: N_("score 20 (1 right)"),
    40: N_("score 40 (2 right)"),
    60: N_("score 60 (3 right)"),
    80: N_("score 80 (4 right)"),
    100: N_("score 100 (all 5 right)"),
}
ROLE_LABELS = {
    "active": N_("active (the patient decides)"),
    "collaborative": N_("collaborative (decides with the doctor)"),
    "passive": N_("passive (the doctor decides)"),
}
CHOICES = {
    "botox": N_("Botox"),
    "medicines": N_("tablets"),
    "surgery": N_("operation (MVD)"),
    "wait": N_("wait and see"),
    "undecided": N_("not decided yet"),
}


@dataclass(frozen=True)
class ReportRecord:
    """One sent summary: its answers as the clinic has them, whether it had an urgent item, and
    the follow-up only if the patient sent it."""

    answers: dict
    urgent: bool = False
    followup: dict | None = None


@dataclass
class Section:
    title: str
    rows: list = field(default_factory=list)  # (label, count or None, whole or None)


def _same(text):
    return text


def shown(count, gettext=_same) -> str:
    """A count as the report shows it: "fewer than 5" under 5."""
    return gettext(FEWER) if count < SMALL else str(count)


def share(count, whole, gettext=_same) -> str:
    """ "12 of 40 (30%)"; "fewer than 5" under 5; the count alone when the whole is under 5."""
    if count < SMALL:
        return gettext(FEWER)
    if whole < SMALL:
        return f"{count}"
    percent = round(100 * count / whole)
    return gettext(OF_WHOLE).format(count=count, whole=whole, percent=percent)


@dataclass
class Report:
    since: object
    until: object
    sections: list

    def rows(self, gettext=_same):
        """(section, measure, value as shown) for every figure; with `gettext`, in the clinic's
        language (the staff page)."""
        for section in self.sections:
            for label, count, whole in section.rows:
                value = shown(count, gettext) if whole is None else share(count, whole, gettext)
                yield gettext(section.title), gettext(label), value

    def csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["section", "measure", "value"])
        for row in self.rows():
            writer.writerow(row)
        return out.getvalue()

    def text(self) -> str:
        lines = [f"Clinic report, summaries sent from {self.since} to {self.until}"]
        for section in self.sections:
            lines.append("")
            lines.append(section.title)
            for title, label, value in self.rows():
                if title == section.title:
                    lines.append(f"  {label}: {value}")
        return "\n".join(lines) + "\n"


def _chosen(record):
    return (record.followup or {}).get("chosen")


def build_report(records, since, until) -> Report:
    records = list(records)
    total = len(records)
    urgent = sum(1 for r in records if r.urgent)
    sent = Section(
        N_("Summaries"),
        [(N_("summaries sent"), total, None), (N_("with an urgent item"), urgent, total)],
    )

    before = [quality.sure_total(r.answers.get("sure")) for r in records]
    after = [quality.sure_total((r.followup or {}).get("sure_after")) for r in records]
    both = [(b, a) for b, a in zip(before, after, strict=True) if b is not None and a is not None]
    answered_before = [b for b in before if b is not None]
    answered_after = [a for a in after if a is not None]
    sure = Section(
        N_("Ready to decide (SURE test, 0 to 4; 3 or less is decisional conflict)"),
        [
            (N_("answered before the appointment"), len(answered_before), None),
            (
                N_("in conflict before"),
                sum(1 for b in answered_before if b <= 3),
                len(answered_before),
            ),
            (N_("answered after the appointment (follow-ups sent)"), len(answered_after), None),
            (
                N_("in conflict after"),
                sum(1 for a in answered_after if a <= 3),
                len(answered_after),
            ),
            (N_("answered both"), len(both), None),
            (N_("from conflict to none"), sum(1 for b, a in both if b <= 3 and a == 4), len(both)),
        ],
    )

    scores = [quality.knowledge_check(r.answers).score for r in records]
    scores = [s for s in scores if s is not None]
    by_score = Counter(scores)
    knowledge = Section(
        N_("Check what you know (share of 5 statements right)"),
        [(N_("answered"), len(scores), None)]
        + [(label, by_score[band], len(scores)) for band, label in KNOWLEDGE_BANDS.items()],
    )

    groups = Counter(quality.role_group(r.answers.get("preferred_role")) for r in records)
    answered_role = sum(groups[g] for g in quality.ROLE_GROUP_ORDER)
    roles = Section(
        N_("Preferred role (Control Preferences Scale)"),
        [(N_("answered"), answered_role, None)]
        + [(ROLE_LABELS[g], groups[g], answered_role) for g in quality.ROLE_GROUP_ORDER],
    )

    chosen = Counter(_chosen(r) for r in records if _chosen(r))
    recorded = sum(chosen.values())
    options = Section(
        N_("Options chosen (follow-ups sent)"),
        [(N_("recorded"), recorded, None)]
        + [(label, chosen[c], recorded) for c, label in CHOICES.items()],
    )

    fits = [quality.fits_top_priority(r.answers, _chosen(r)) for r in records]
    countable = [f for f in fits if f is not None]
    agreement = Section(
        N_("Values-choice agreement (choice fits the top-rated priority)"),
        [
            (N_("rated what matters and recorded a choice"), len(countable), None),
            (N_("choice fits the top-rated priority"), sum(countable), len(countable)),
        ],
    )
    return Report(since, until, [sent, sure, knowledge, roles, options, agreement])
