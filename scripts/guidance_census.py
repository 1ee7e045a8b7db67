"""A census of the guidance: run a generated grid of realistic patients through the engine and
print, for each item, how often each level fires, split by treatment history.

    .venv/bin/python scripts/guidance_census.py [--today 2026-12-05] [--check]

The grid is deterministic (a fixed seed): every combination of treatment history, red flags,
leaning and diagnosis, twice, with the other answers drawn at random from realistic values.
`--check` exits 1 when a Botox user who is satisfied and whose benefit is steady is told
"We suggest: ask about MVD" (issue 25)."""

from __future__ import annotations

import argparse
import datetime
import itertools
import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from decision_aid.guidance import evaluate  # noqa: E402

HISTORIES = ("none", "botox", "medicines", "mvd", "botox+medicines")
FLAGS = (["none"], ["none"], ["facial_weakness"], ["hearing_loss"])
LEANINGS = ("botox", "medicines", "surgery", "wait", "unsure")
DIAGNOSES = ("specialist", "family_doctor", "nobody")
BOTOX_PROFILES = ("steady_happy", "steady_one_droop", "shortened", "unhappy", "stopped_early")
LEVELS = ("urgent", "recommend", "inform")


def _botox(rng: random.Random, profile: str, today: datetime.date) -> dict:
    rounds = rng.choice((1, 3, 6, 12, 30))
    recent = rng.random() < 0.7
    last_year = today.year if recent else rng.choice((2019, 2021, 2022))
    last_month = today.month - 1 if recent and today.month > 1 else rng.randint(1, 12)
    answers = {
        "botox_rounds": rounds,
        "botox_last": f"{last_year}-{max(1, last_month):02d}",
    }
    if profile in ("steady_happy", "steady_one_droop"):
        weeks = rng.choice((10, 12, 14))
        answers.update(
            botox_weeks_first=weeks,
            botox_weeks_now=weeks,
            botox_satisfaction=rng.choice(("very", "somewhat")),
            botox_side_effects=["none"] if profile == "steady_happy" else ["ptosis"],
        )
    elif profile == "shortened":
        answers.update(
            botox_weeks_first=12,
            botox_weeks_now=rng.choice((5, 6, 8)),
            botox_satisfaction=rng.choice(("somewhat", "not")),
            botox_side_effects=rng.choice((["none"], ["ptosis"], ["mouth_weakness", "bruising"])),
        )
    elif profile == "unhappy":
        answers.update(
            botox_weeks_first=12,
            botox_weeks_now=rng.choice((10, 12)),
            botox_satisfaction="not",
            botox_side_effects=rng.choice((["ptosis", "mouth_weakness"], ["eye_closure"])),
        )
    else:  # one or two rounds, then stopped: side effects
        answers.update(
            botox_rounds=rng.choice((1, 2)),
            botox_satisfaction=rng.choice(("somewhat", "not")),
            botox_side_effects=rng.choice((["ptosis"], ["double_vision"], ["none"])),
        )
    return answers


def patient(rng, history, flags, leaning, diagnosis, today) -> tuple[dict, str | None]:
    """One realistic answers document, and its Botox profile (None without Botox)."""
    treatments = [] if history == "none" else history.split("+")
    onset_years = rng.choice((0, 1, 2, 5, 10))
    answers = {
        "side": "both" if rng.random() < 0.04 else rng.choice(("left", "right")),
        "started_where": "eye",
        "current_areas": rng.choice(
            (["eyelid"], ["eyelid", "cheek"], ["eyelid", "cheek", "mouth"])
        ),
        "onset_ago": {
            "amount": onset_years or rng.choice((2, 6)),
            "unit": "years" if onset_years else "months",
        },
        "course": rng.choice(("worse", "same", "fluctuates")),
        "frequency": rng.choice(("hourly", "daily")),
        "red_flags": list(flags),
        "bells_palsy": "yes" if rng.random() < 0.05 else "no",
        "onset_before_40": "yes" if rng.random() < 0.15 else "no",
        "treatments": treatments or ["none"],
        "leaning": leaning,
        "impact": {k: rng.randint(0, 3) for k in ("reading", "driving", "social", "mood")},
        "priorities": {
            "avoid_surgery": rng.choice(("not", "somewhat", "very")),
            "lasting_fix": rng.choice(("somewhat", "very")),
            "avoid_nerve_risk": rng.choice(("somewhat", "very")),
        },
        "sure": {k: rng.choice(("yes", "no")) for k in ("sure_of_choice", "know_options")},
    }
    answers["sure"].update(clear_values="yes", enough_support="yes")
    if diagnosis == "specialist":
        answers.update(seen_by=[rng.choice(("neurologist", "neurosurgeon"))], diagnosed_hfs="yes")
        answers["mri"] = rng.choice(("normal", "vessel_contact", "none"))
    elif diagnosis == "family_doctor":
        answers.update(seen_by=["family_doctor"], diagnosed_hfs=rng.choice(("yes", "unsure")))
        answers["mri"] = rng.choice(("none", "normal"))
    else:
        answers.update(seen_by=["none"], diagnosed_hfs="no", mri="none")
    profile = None
    if "botox" in treatments:
        profile = rng.choice(BOTOX_PROFILES)
        answers.update(_botox(rng, profile, today))
    if "medicines" in treatments:
        answers.update(
            medicines=[rng.choice(("carbamazepine", "clonazepam", "gabapentin", "baclofen"))],
            medicine_current=rng.choice(("yes", "no")),
            medicine_helped=rng.choice(("no", "partly")),
            medicine_side_effects=rng.choice((["none"], ["drowsiness"], ["dizziness"])),
        )
    if "mvd" in treatments:
        answers.update(
            mvd_year=rng.choice((2008, 2018, today.year - 1)),
            mvd_helped=rng.choice(("yes", "yes", "partly")),
            mvd_recurred=rng.choice(("no", "no", "yes")),
        )
    return answers, profile


def grid(today: datetime.date, repeats: int = 2):
    rng = random.Random(25)
    for combo in itertools.product(HISTORIES, FLAGS, LEANINGS, DIAGNOSES, range(repeats)):
        history, flags, leaning, diagnosis, _ = combo
        answers, profile = patient(rng, history, flags, leaning, diagnosis, today)
        yield history, profile, answers


def census(today: datetime.date):
    counts: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    totals: Counter = Counter()
    happy_steady_mvd = happy_steady = 0
    for history, profile, answers in grid(today):
        totals[history] += 1
        items = {item["id"]: item["level"] for item in evaluate(answers, today)["items"]}
        for item_id, level in items.items():
            counts[item_id][history][level] += 1
        satisfied = answers.get("botox_satisfaction") in ("very", "somewhat")
        steady = profile in ("steady_happy", "steady_one_droop")
        if steady and satisfied:
            happy_steady += 1
            happy_steady_mvd += items.get("ask_about_mvd") == "recommend"
    return counts, totals, happy_steady, happy_steady_mvd


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--today", default="2026-12-05", help="date as YYYY-MM-DD")
    parser.add_argument("--check", action="store_true", help="exit 1 if the MVD rule over-fires")
    args = parser.parse_args(argv)
    today = datetime.date.fromisoformat(args.today)
    counts, totals, happy_steady, happy_steady_mvd = census(today)
    print(f"{sum(totals.values())} patients, today {today.isoformat()}")
    print("Cells: urgent/recommend/inform (U/R/I) out of the patients with that history.")
    header = f"{'item':24}" + "".join(f"{h + ' (' + str(totals[h]) + ')':>24}" for h in HISTORIES)
    print(header)
    for item_id in sorted(counts):
        cells = []
        for history in HISTORIES:
            c = counts[item_id][history]
            cells.append(f"{c['urgent']}/{c['recommend']}/{c['inform']}")
        print(f"{item_id:24}" + "".join(f"{cell:>24}" for cell in cells))
    print()
    print(
        f"Botox users satisfied with a steady benefit: {happy_steady}; "
        f"ask_about_mvd at recommend: {happy_steady_mvd}"
    )
    return 1 if args.check and happy_steady_mvd else 0


if __name__ == "__main__":
    raise SystemExit(main())
