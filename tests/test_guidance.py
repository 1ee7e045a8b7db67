"""The guidance engine (issue 4): a persona table that covers every rule, firing and not firing;
validation messages that name the field; the command line; and the rule table document."""

import copy
import datetime
import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TODAY

from decision_aid.cli.main import main
from decision_aid.guidance import (
    RULE_IDS,
    ValidationError,
    evaluate,
    rules_markdown,
    validate,
)
from decision_aid.summary import format_text

ROOT = Path(__file__).resolve().parent.parent
ANSWERS_DIR = Path(__file__).parent / "data" / "answers"
LEVELS = ("urgent", "recommend", "inform")


def fixture(name):
    return json.loads((ANSWERS_DIR / f"{name}.json").read_text(encoding="utf-8"))


# Answers that on their own trigger nothing: a specialist has seen it and the MRI is done.
SETTLED = {"seen_by": ["neurologist"], "mri": "normal", "red_flags": ["none"]}


def settled(**answers):
    return {**SETTLED, **answers}


# (name, answers, expected item ids in order, expected levels, words expected in the reasons)
PERSONAS = [
    (
        "empty document",
        {},
        ["specialist_evaluation", "mri"],
        {"specialist_evaluation": "recommend", "mri": "recommend"},
        {"specialist_evaluation": ["not said when", "not seen"], "mri": ["not told us"]},
    ),
    (
        "typical Botox patient, benefit halved",
        fixture("typical_botox"),
        ["mri", "ask_about_mvd", "adjust_botox", "botox_limits"],
        {
            "mri": "recommend",
            "ask_about_mvd": "recommend",
            "adjust_botox": "recommend",
            "botox_limits": "inform",
        },
        {
            "ask_about_mvd": [
                "6 weeks now",
                "12 weeks at first",
                "drooping eyelid and bruising",  # every ticked side effect, not only the trigger
                "Botox 10 times",
                "hearing or face movement matters a lot",  # the trade-off, named
            ],
            "adjust_botox": ["6 weeks now", "drooping eyelid and bruising"],
            "botox_limits": ["Botox 10 times"],
            "mri": ["not had an MRI"],
        },
    ),
    (
        "red flags with sudden weakness",
        fixture("red_flag"),
        ["emergency", "red_flags", "specialist_evaluation", "mri"],
        {"emergency": "urgent", "red_flags": "urgent", "specialist_evaluation": "recommend"},
        {
            "emergency": ["today or in the last few days", "sign of a stroke"],
            "red_flags": ["hearing loss", "numbness or pain", "before you were 40"],
            "specialist_evaluation": ["about 3 months"],
        },
    ),
    (
        "sudden weakness only: no separate red_flags item",
        settled(red_flags=["sudden_weakness"]),
        ["emergency"],
        {"emergency": "urgent"},
        {"emergency": ["sudden sign of a stroke"]},
    ),
    (
        "other red flags, already seen and scanned",
        settled(red_flags=["limb", "lump", "both_eyes"]),
        ["red_flags"],
        {"red_flags": "urgent"},
        {"red_flags": ["arm or leg", "lump near the ear", "both eyes"]},
    ),
    (
        "Bell's palsy before: a check, not urgent",
        settled(bells_palsy="yes"),
        ["red_flags"],
        {"red_flags": "recommend"},
        {"red_flags": ["Bell's palsy"]},
    ),
    (
        "began before 40",
        settled(onset_before_40="yes", bells_palsy="no"),
        ["red_flags"],
        {"red_flags": "recommend"},
        {"red_flags": ["before you were 40"]},
    ),
    (
        "no red flags, specialist seen, vessel on MRI: nothing to flag",
        settled(
            red_flags=["none"],
            bells_palsy="no",
            onset_before_40="unsure",
            seen_by=["neurosurgeon"],
            mri="vessel_contact",
            side="right",
            onset="2015",
            treatments=["none"],
        ),
        [],
        {},
        {},
    ),
    (
        "both sides, with an eyelid ripple: bilateral, never myokymia",
        settled(side="both", eyelid_ripple_only="yes", current_areas=["eyelid"]),
        ["bilateral"],
        {"bilateral": "recommend"},
        {"bilateral": ["both sides"]},
    ),
    (
        "twitching for 2 weeks, nobody seen: wait a few weeks, no MRI yet",
        {"onset_ago": {"amount": 2, "unit": "weeks"}, "current_areas": ["eyelid", "cheek"]},
        ["specialist_evaluation"],
        {"specialist_evaluation": "inform"},
        {"specialist_evaluation": ["about 2 weeks"]},
    ),
    (
        "fine ripple of one eyelid for 3 weeks: myokymia",
        {
            "side": "left",
            "eyelid_ripple_only": "yes",
            "current_areas": ["eyelid"],
            "onset_ago": {"amount": 3, "unit": "weeks"},
            "seen_by": ["none"],
        },
        ["myokymia"],
        {"myokymia": "recommend"},  # over 2 weeks: see a doctor (NHS)
        {"myokymia": ["fine ripple", "about 3 weeks"]},
    ),
    (
        "eyelid ripple for nearly 3 years: not myokymia",
        {"eyelid_ripple_only": "yes", "current_areas": ["eyelid"], "onset": "2024-01"},
        ["specialist_evaluation", "mri"],
        {"specialist_evaluation": "recommend", "mri": "recommend"},
        {"specialist_evaluation": ["about 2 years"]},
    ),
    (
        "Botox that still works well: limits only, no MVD prompt",
        settled(
            treatments=["botox"],
            botox_rounds=3,
            botox_weeks_first=12,
            botox_weeks_now=11,
            botox_side_effects=["bruising"],
            botox_satisfaction="very",
        ),
        ["botox_limits"],
        {"botox_limits": "inform"},
        {"botox_limits": ["Botox 3 times"]},
    ),
    (
        "Botox with a drooping eyelid only",
        settled(treatments=["botox"], botox_side_effects=["ptosis"]),
        ["ask_about_mvd", "adjust_botox", "botox_limits"],
        {"ask_about_mvd": "recommend", "adjust_botox": "recommend"},
        {"ask_about_mvd": ["side effects from Botox", "drooping eyelid"]},
    ),
    (
        "Botox for years, unhappy (details without the treatments list)",
        settled(botox_rounds=12, botox_satisfaction="not"),
        ["ask_about_mvd", "botox_limits"],
        {"ask_about_mvd": "recommend"},
        {"ask_about_mvd": ["Botox 12 times", "for years", "not happy"]},
    ),
    (
        "Botox side effects, avoiding nerve risk and surgery matter a lot: the trade-off named",
        settled(
            treatments=["botox"],
            botox_side_effects=["ptosis", "dry_watery_eye"],
            priorities={"avoid_nerve_risk": "very", "avoid_surgery": "very"},
        ),
        ["ask_about_mvd", "adjust_botox", "botox_limits"],
        {"ask_about_mvd": "recommend"},
        {
            "ask_about_mvd": [
                "drooping eyelid and dry or watery eye",
                "hearing or face movement matters a lot to you. MVD has that risk",
                "avoiding surgery matters a lot to you. MVD is an operation",
            ]
        },
    ),
    (
        "no Botox, leans towards surgery",
        settled(leaning="surgery"),
        ["ask_about_mvd"],
        {"ask_about_mvd": "recommend"},
        {"ask_about_mvd": ["lean towards"]},
    ),
    (
        "carbamazepine did not help; still on baclofen",
        settled(
            treatments=["medicines"],
            medicines=["carbamazepine", "baclofen"],
            medicine_helped="no",
            medicine_side_effects=["drowsiness"],
            medicine_current="yes",
        ),
        ["ask_about_botox", "medicine_evidence"],
        {"ask_about_botox": "recommend", "medicine_evidence": "inform"},
        {
            "ask_about_botox": ["tablets did not help"],
            "medicine_evidence": ["did not help", "drowsiness", "carbamazepine", "baclofen"],
        },
    ),
    (
        "rash on carbamazepine, still taking it: urgent",
        settled(
            treatments=["medicines"],
            medicines=["carbamazepine"],
            medicine_helped="partly",
            medicine_side_effects=["rash"],
            medicine_current="yes",
        ),
        ["medicine_rash", "medicine_evidence"],
        {"medicine_rash": "urgent", "medicine_evidence": "inform"},
        {
            "medicine_rash": ["include carbamazepine, and you still take them."],
            "medicine_evidence": ["You have taken carbamazepine."],
        },
    ),
    (
        "rash on carbamazepine, not said if still taking it: urgent, after the emergency",
        {**settled(medicines=["carbamazepine", "gabapentin"]), "red_flags": ["sudden_weakness"]}
        | {"medicine_side_effects": ["dizziness", "rash"], "seen_by": ["family_doctor"]},
        ["emergency", "medicine_rash", "specialist_evaluation", "medicine_evidence"],
        {"emergency": "urgent", "medicine_rash": "urgent", "medicine_evidence": "inform"},
        {
            "medicine_rash": ["You said you had a rash on your tablets, which include carb"],
            "medicine_evidence": ["effects: dizziness."],
        },
    ),
    (
        "rash on carbamazepine, stopped: tell the doctor, not urgent",
        settled(medicines=["carbamazepine"], medicine_side_effects=["rash"], medicine_current="no"),
        ["medicine_rash", "medicine_evidence"],
        {"medicine_rash": "recommend"},
        {"medicine_rash": ["which included carbamazepine, and you have stopped them."]},
    ),
    (
        "rash on another tablet: at least recommend",
        settled(medicines=["gabapentin"], medicine_side_effects=["rash"], medicine_current="yes"),
        ["medicine_rash"],
        {"medicine_rash": "recommend"},
        {"medicine_rash": ["rash on your tablets."]},
    ),
    (
        "tablets that help, no side effects: no medicine item",
        settled(
            treatments=["medicines"],
            medicines=["gabapentin"],
            medicine_helped="yes",
            medicine_side_effects=["none"],
        ),
        [],
        {},
        {},
    ),
    (
        "acupuncture alone, nothing else done",
        {"treatments": ["acupuncture"], "onset": "2023", "seen_by": ["family_doctor"]},
        ["specialist_evaluation", "mri", "acupuncture_evidence"],
        {"acupuncture_evidence": "inform"},
        {"acupuncture_evidence": ["no other treatment"]},
    ),
    (
        "acupuncture with Botox: no acupuncture item",
        settled(treatments=["acupuncture", "botox"]),
        ["botox_limits"],
        {"botox_limits": "inform"},
        {},
    ),
    (
        "spasm back years after MVD",
        settled(treatments=["mvd"], mvd_year=2015, mvd_helped="yes", mvd_recurred="yes"),
        ["after_mvd"],
        {"after_mvd": "recommend"},
        {"after_mvd": ["came back"]},
    ),
    (
        "MVD this year that has not helped yet",
        settled(mvd_year=2026, mvd_helped="no", leaning="surgery"),
        ["after_mvd"],
        {"after_mvd": "recommend"},
        {"after_mvd": ["did not help", "2026"]},
    ),
    (
        "MVD that worked: no after_mvd, no ask_about_mvd",
        settled(treatments=["mvd"], mvd_year=2020, mvd_helped="yes", mvd_recurred="no"),
        [],
        {},
        {},
    ),
    (
        "MVD done, only a family doctor ticked: a neurosurgeon was seen, no specialist item",
        {
            "treatments": ["mvd"],
            "seen_by": ["family_doctor"],
            "mri": "vessel_contact",
            "red_flags": ["none"],
            "onset": "2015",
            "leaning": "surgery",
        },
        [],
        {},
        {},
    ),
    (
        "MRI done, result unknown",
        settled(mri="unknown_result"),
        ["mri"],
        {"mri": "recommend"},
        {"mri": ["do not know the result"]},
    ),
    (
        "MRI showed something else",
        settled(mri="other_finding"),
        ["mri"],
        {"mri": "recommend"},
        {"mri": ["something else"]},
    ),
    (
        "not sure about an MRI",
        settled(mri="unsure"),
        ["mri"],
        {"mri": "recommend"},
        {"mri": ["not sure"]},
    ),
    # --- Edition 2: a suggestion for every option ----------------------------------------
    (
        "satisfied long-term Botox user who wants to avoid surgery: MVD only as information",
        settled(
            treatments=["botox"],
            botox_rounds=20,
            botox_weeks_first=12,
            botox_weeks_now=12,
            botox_side_effects=["none"],
            botox_satisfaction="very",
            priorities={"avoid_surgery": "very"},
        ),
        ["ask_about_mvd", "botox_limits"],
        {"ask_about_mvd": "inform", "botox_limits": "inform"},
        {"ask_about_mvd": ["Botox 20 times", "avoiding surgery matters a lot"]},
    ),
    # (the inform card's title is checked in test_mvd_success_sits_next_to_its_complications)
    (
        "one round of Botox, happy: no MVD card at all",
        settled(treatments=["botox"], botox_rounds=1, botox_satisfaction="very"),
        ["botox_limits"],
        {"botox_limits": "inform"},
        {},
    ),
    (
        "a lasting fix matters a lot, nothing tried: MVD suggested, and Botox for daily life",
        settled(
            treatments=["none"],
            priorities={"lasting_fix": "very"},
            impact={"reading": 3, "driving": 2, "sleep": 1},
        ),
        ["ask_about_mvd", "ask_about_botox"],
        {"ask_about_mvd": "recommend", "ask_about_botox": "recommend"},
        {
            "ask_about_mvd": ["lasting fix matters a lot"],
            "ask_about_botox": ["reading or screens and driving"],
        },
    ),
    (
        "tablets failed, high impact: ask about Botox",
        settled(
            treatments=["medicines"],
            medicines=["gabapentin"],
            medicine_helped="no",
            medicine_side_effects=["none"],
            impact={"work": 3, "social": 3},
        ),
        ["ask_about_botox", "medicine_evidence"],
        {"ask_about_botox": "recommend"},
        {"ask_about_botox": ["tablets did not help", "work or daily tasks"]},
    ),
    (
        "Botox wearing off sooner with a bruise only: change the Botox, and MVD is suggested",
        settled(
            treatments=["botox"],
            botox_weeks_first=12,
            botox_weeks_now=6,
            botox_side_effects=["bruising"],
        ),
        ["ask_about_mvd", "adjust_botox", "botox_limits"],
        {"adjust_botox": "recommend", "ask_about_mvd": "recommend"},
        {"adjust_botox": ["6 weeks now"]},
    ),
    # --- Edition 2: clinical safety ------------------------------------------------------
    (
        "Botox droop ticked as a slow face weakness: a known Botox effect, not an emergency",
        settled(
            red_flags=["facial_weakness"],
            treatments=["botox"],
            botox_side_effects=["ptosis"],
            botox_satisfaction="somewhat",
        ),
        ["red_flags", "ask_about_mvd", "adjust_botox", "botox_limits"],
        {"red_flags": "recommend"},
        {"red_flags": ["weakness or drooping of the face", "Botox gave you side effects"]},
    ),
    (
        "slow face weakness, Botox side effect not of that kind: urgent, may have another cause",
        settled(
            red_flags=["facial_weakness"], treatments=["botox"], botox_side_effects=["bruising"]
        ),
        ["red_flags", "botox_limits"],
        {"red_flags": "urgent"},
        {"red_flags": ["You said you have: weakness or drooping of the face."]},
    ),
    (
        "hearing loss and a weak face after an MVD: known effects of the operation",
        settled(
            red_flags=["hearing_loss", "facial_weakness"],
            treatments=["mvd"],
            mvd_year=2019,
            mvd_helped="yes",
            mvd_recurred="no",
        ),
        ["red_flags"],
        {"red_flags": "recommend"},
        {"red_flags": ["hearing loss in the ear", "weakness or drooping", "you have had an MVD"]},
    ),
    (
        "hearing loss after an MVD, and numbness: the numbness is urgent, the hearing explained",
        settled(red_flags=["hearing_loss", "numbness_pain"], treatments=["mvd"]),
        ["red_flags"],
        {"red_flags": "urgent"},
        {"red_flags": ["You said you have: numbness or pain in the face.", "had an MVD"]},
    ),
    (
        "hearing loss on the twitching side, no MVD: urgent",
        settled(red_flags=["hearing_loss"]),
        ["red_flags"],
        {"red_flags": "urgent"},
        {"red_flags": ["hearing loss in the ear on the twitching side"]},
    ),
    (
        "poor balance that has not gone away: urgent",
        settled(red_flags=["balance"]),
        ["red_flags"],
        {"red_flags": "urgent"},
        {"red_flags": ["poor balance"]},
    ),
    (
        "edition 1 hearing_balance still reads as a red flag",
        settled(red_flags=["hearing_balance"]),
        ["red_flags"],
        {"red_flags": "urgent"},
        {"red_flags": ["ringing in the ear or poor balance"]},
    ),
    (
        "ringing in the ears only is answered 'none': no red flag",
        settled(red_flags=["none"], side="left"),
        [],
        {},
        {},
    ),
    (
        "both eyes squeezing shut alone: a check for blepharospasm, not urgent",
        settled(red_flags=["both_eyes"]),
        ["red_flags"],
        {"red_flags": "recommend"},
        {"red_flags": ["both eyes squeeze shut"]},
    ),
    (
        "sudden leg weakness today: emergency first",
        settled(red_flags=["sudden_weakness"], seen_by=["family_doctor"], onset="2023-05"),
        ["emergency", "specialist_evaluation"],
        {"emergency": "urgent", "specialist_evaluation": "recommend"},
        {"emergency": ["sudden sign of a stroke"]},
    ),
    (
        "a sudden droop that began weeks ago, twitching for 2 weeks: urgent, specialist and MRI",
        {
            "red_flags": ["facial_weakness"],
            "onset_ago": {"amount": 2, "unit": "weeks"},
            "seen_by": ["none"],
            "mri": "none",
        },
        ["red_flags", "specialist_evaluation", "mri"],
        {"red_flags": "urgent", "specialist_evaluation": "recommend", "mri": "recommend"},
        {"red_flags": ["weakness or drooping of the face"]},
    ),
    (
        "emergency with twitching for 1 week: no 'wait a few weeks' beside it",
        {"red_flags": ["sudden_weakness"], "onset_ago": {"amount": 1, "unit": "weeks"}},
        ["emergency", "specialist_evaluation", "mri"],
        {"emergency": "urgent", "specialist_evaluation": "recommend"},
        {},
    ),
    (
        "eyelid ripple for 2 weeks with Bell's palsy before: no harmless-twitch card",
        settled(
            eyelid_ripple_only="yes",
            current_areas=["eyelid"],
            onset_ago={"amount": 2, "unit": "weeks"},
            bells_palsy="yes",
        ),
        ["red_flags"],
        {"red_flags": "recommend"},
        {"red_flags": ["Bell's palsy"]},
    ),
    (
        "eyelid ripple for 1 week: usually harmless, no doctor yet",
        {
            "side": "left",
            "eyelid_ripple_only": "yes",
            "current_areas": ["eyelid"],
            "onset_ago": {"amount": 1, "unit": "weeks"},
            "red_flags": ["none"],
        },
        ["myokymia"],
        {"myokymia": "inform"},
        {"myokymia": ["about 1 week"]},
    ),
    (
        "eyelid ripple 'about 0 months ago': under a year, so not myokymia, specialist and MRI",
        {
            "eyelid_ripple_only": "yes",
            "current_areas": ["eyelid"],
            "onset_ago": {"amount": 0, "unit": "months"},
        },
        ["specialist_evaluation", "mri"],
        {"specialist_evaluation": "recommend", "mri": "recommend"},
        {"specialist_evaluation": ["less than a year"]},
    ),
    (
        "'about 0 years ago': under a year, specialist and MRI kept",
        {"onset_ago": {"amount": 0, "unit": "years"}, "seen_by": ["family_doctor"]},
        ["specialist_evaluation", "mri"],
        {"specialist_evaluation": "recommend", "mri": "recommend"},
        {"specialist_evaluation": ["less than a year"]},
    ),
    (
        "pregnant and taking carbamazepine: urgent",
        settled(
            medicines=["carbamazepine"],
            medicine_current="yes",
            medicine_helped="partly",
            pregnancy="yes",
        ),
        ["pregnancy"],
        {"pregnancy": "urgent"},
        {"pregnancy": ["pregnant or breastfeeding", "carbamazepine now"]},
    ),
    (
        "planning a pregnancy and leaning towards tablets: recommend",
        settled(pregnancy="planning", leaning="medicines"),
        ["pregnancy"],
        {"pregnancy": "recommend"},
        {"pregnancy": ["planning a pregnancy", "lean towards tablets"]},
    ),
    (
        "pregnancy does not apply, on carbamazepine: no pregnancy card",
        settled(medicines=["carbamazepine"], medicine_current="yes", pregnancy="not_applicable"),
        [],
        {},
        {},
    ),
    (
        "pregnant, stopped carbamazepine, leaning towards Botox: no pregnancy card",
        settled(
            medicines=["carbamazepine"], medicine_current="no", pregnancy="yes", leaning="botox"
        ),
        [],
        {},
        {},
    ),
]

# Issue 25 (the clinical review of December 2026) changed what these personas get: MVD is
# suggested only when HFS is diagnosed, on one side, and Botox is failing or the patient leans
# towards surgery (otherwise it is named as one choice); "adjust Botox" comes first; a weak face
# or hearing loss is a treatment's effect only while it can be; the red-flag card names the scan.
_CHANGED = {
    "typical Botox patient, benefit halved": (
        ["mri", "adjust_botox", "ask_about_mvd", "botox_limits"],
        {"mri": "recommend", "adjust_botox": "recommend", "ask_about_mvd": "recommend"},
        {
            "ask_about_mvd": ["6 weeks now", "12 weeks at first", "Botox 10 times"],
            "adjust_botox": ["6 weeks now", "drooping eyelid and bruising"],
        },
    ),
    "red flags with sudden weakness": (
        ["emergency", "red_flags", "specialist_evaluation"],
        {"emergency": "urgent", "red_flags": "urgent", "specialist_evaluation": "recommend"},
        {"red_flags": ["hearing loss", "A brain scan (MRI)"]},
    ),
    "Botox with a drooping eyelid only": (
        ["adjust_botox", "botox_limits"],
        {"adjust_botox": "recommend", "botox_limits": "inform"},
        {"adjust_botox": ["drooping eyelid"]},
    ),
    "Botox for years, unhappy (details without the treatments list)": (
        ["ask_about_mvd", "botox_limits"],
        {"ask_about_mvd": "inform"},
        {"ask_about_mvd": ["not happy with Botox"]},
    ),
    "Botox side effects, avoiding nerve risk and surgery matter a lot: the trade-off named": (
        ["adjust_botox", "botox_limits"],
        {"adjust_botox": "recommend"},
        {"adjust_botox": ["drooping eyelid and dry or watery eye"]},
    ),
    "no Botox, leans towards surgery": (
        ["ask_about_mvd"],
        {"ask_about_mvd": "inform"},
        {"ask_about_mvd": ["lean towards asking about surgery"]},
    ),
    "a lasting fix matters a lot, nothing tried: MVD suggested, and Botox for daily life": (
        ["ask_about_botox", "ask_about_mvd"],
        {"ask_about_botox": "recommend", "ask_about_mvd": "inform"},
        {"ask_about_mvd": ["lasting fix matters a lot"]},
    ),
    "Botox wearing off sooner with a bruise only: change the Botox, and MVD is suggested": (
        ["adjust_botox", "ask_about_mvd", "botox_limits"],
        {"adjust_botox": "recommend", "ask_about_mvd": "inform"},
        {},
    ),
    "Botox droop ticked as a slow face weakness: a known Botox effect, not an emergency": (
        ["red_flags", "adjust_botox", "botox_limits"],
        {"red_flags": "urgent"},
        {"red_flags": ["weakness or drooping of the face", "A brain scan (MRI)"]},
    ),
    "hearing loss and a weak face after an MVD: known effects of the operation": (
        ["red_flags"],
        {"red_flags": "urgent"},
        {"red_flags": ["hearing loss", "A brain scan (MRI)"]},
    ),
    "hearing loss after an MVD, and numbness: the numbness is urgent, the hearing explained": (
        ["red_flags"],
        {"red_flags": "urgent"},
        {"red_flags": ["numbness or pain in the face", "hearing loss"]},
    ),
    "a sudden droop that began weeks ago, twitching for 2 weeks: urgent, specialist and MRI": (
        ["red_flags", "specialist_evaluation"],
        {"red_flags": "urgent", "specialist_evaluation": "recommend"},
        {"red_flags": ["A brain scan (MRI)"]},
    ),
    "pregnant, stopped carbamazepine, leaning towards Botox: no pregnancy card": (
        ["pregnancy"],
        {"pregnancy": "recommend"},
        {"pregnancy": ["lean towards Botox"]},
    ),
}
PERSONAS = [
    (name, answers, *_CHANGED[name]) if name in _CHANGED else (name, answers, ids, levels, words)
    for name, answers, ids, levels, words in PERSONAS
]

# Issue 25's own rules, each firing and not firing (today is 2026-12-05 in these tests).
_DIAGNOSED = {"seen_by": ["neurologist"], "diagnosed_hfs": "yes", "mri": "normal", "side": "left"}
_HAPPY_BOTOX = {
    **_DIAGNOSED,
    "red_flags": ["none"],
    "treatments": ["botox"],
    "botox_rounds": 12,
    "botox_last": "2026-10",
    "botox_weeks_first": 12,
    "botox_weeks_now": 12,
    "botox_satisfaction": "very",
    "botox_side_effects": ["ptosis"],
    "leaning": "botox",
}
PERSONAS += [
    (
        "issue 25: weak face, last Botox in 2022: urgent, scan named, never a Botox effect",
        {**_HAPPY_BOTOX, "red_flags": ["facial_weakness"], "botox_last": "2022-05"},
        ["red_flags", "adjust_botox", "ask_about_mvd", "botox_limits"],
        {"red_flags": "urgent", "ask_about_mvd": "inform"},
        {"red_flags": ["weakness or drooping of the face", "A brain scan (MRI)"]},
    ),
    (
        "issue 25: weak face, last Botox last month with a droop: a Botox effect",
        {**_HAPPY_BOTOX, "red_flags": ["facial_weakness"]},
        ["red_flags", "adjust_botox", "ask_about_mvd", "botox_limits"],
        {"red_flags": "recommend", "ask_about_mvd": "inform"},
        {"red_flags": ["last Botox injection was in the last 3 months"]},
    ),
    (
        "issue 25: weak face, old Botox, but the patient says it began after an injection",
        {
            **_HAPPY_BOTOX,
            "red_flags": ["facial_weakness"],
            "botox_last": "2022-05",
            "botox_weakness_after": "yes",
        },
        ["red_flags", "adjust_botox", "ask_about_mvd", "botox_limits"],
        {"red_flags": "recommend"},
        {"red_flags": ["began in the weeks after a Botox injection"]},
    ),
    (
        "issue 25: a happy Botox user with one droop: no MVD suggestion",
        _HAPPY_BOTOX,
        ["adjust_botox", "ask_about_mvd", "botox_limits"],
        {"adjust_botox": "recommend", "ask_about_mvd": "inform"},
        {"ask_about_mvd": ["Botox 12 times"]},
    ),
    (
        "issue 25: Botox failing, diagnosed, one side: adjust first, then MVD suggested",
        {**_HAPPY_BOTOX, "botox_weeks_now": 8, "botox_satisfaction": "not"},
        ["adjust_botox", "ask_about_mvd", "botox_limits"],
        {"adjust_botox": "recommend", "ask_about_mvd": "recommend"},
        {"ask_about_mvd": ["8 weeks now", "not happy with Botox"]},
    ),
    (
        "issue 25: Botox failing but both sides: MVD only named",
        {**_HAPPY_BOTOX, "side": "both", "botox_satisfaction": "not"},
        ["bilateral", "adjust_botox", "ask_about_mvd", "botox_limits"],
        {"ask_about_mvd": "inform"},
        {},
    ),
    (
        "issue 25: leaning surgery, Bell's palsy before: MVD only named",
        {**_DIAGNOSED, "red_flags": ["none"], "bells_palsy": "yes", "leaning": "surgery"},
        ["red_flags", "ask_about_mvd"],
        {"red_flags": "recommend", "ask_about_mvd": "inform"},
        {},
    ),
    (
        "issue 25: leaning surgery, diagnosed, one side: MVD suggested with all its harms",
        {**_DIAGNOSED, "red_flags": ["none"], "leaning": "surgery"},
        ["ask_about_mvd"],
        {"ask_about_mvd": "recommend"},
        {"ask_about_mvd": ["lean towards asking about surgery"]},
    ),
    (
        "issue 25: leaning wait, avoiding surgery very, Botox failing: MVD only named",
        {
            **_HAPPY_BOTOX,
            "botox_satisfaction": "not",
            "leaning": "wait",
            "priorities": {"avoid_surgery": "very"},
        },
        ["adjust_botox", "ask_about_mvd", "living_with_it", "botox_limits"],
        {"ask_about_mvd": "inform", "living_with_it": "inform"},
        {"living_with_it": ["lean towards waiting"]},
    ),
    (
        "issue 25: pregnant on clonazepam: the card names clonazepam",
        {
            **_DIAGNOSED,
            "red_flags": ["none"],
            "treatments": ["medicines"],
            "medicines": ["clonazepam"],
            "medicine_current": "yes",
            "pregnancy": "yes",
            "leaning": "unsure",
        },
        ["pregnancy"],
        {"pregnancy": "recommend"},
        {"pregnancy": ["clonazepam"]},
    ),
    (
        "issue 25: hearing loss after an MVD, begun just after it: a known effect",
        {
            **_DIAGNOSED,
            "red_flags": ["hearing_loss"],
            "treatments": ["mvd"],
            "mvd_year": 2025,
            "mvd_helped": "yes",
            "mvd_recurred": "no",
            "mvd_symptoms_after": "yes",
        },
        ["red_flags"],
        {"red_flags": "recommend"},
        {"red_flags": ["began just after your MVD"]},
    ),
    (
        "issue 25: a one-week flutter of one eyelid, onset before 40: myokymia only",
        {
            "side": "left",
            "current_areas": ["eyelid"],
            "eyelid_ripple_only": "yes",
            "onset_ago": {"amount": 1, "unit": "weeks"},
            "red_flags": ["none"],
            "onset_before_40": "yes",
            "seen_by": ["none"],
            "impact": {"reading": 3},
        },
        ["myokymia"],
        {"myokymia": "inform"},
        {"myokymia": ["fine ripple"]},
    ),
    (
        "issue 25: a 3-week twitch nobody has examined: no Botox suggestion",
        {
            "side": "left",
            "current_areas": ["eyelid", "cheek"],
            "onset_ago": {"amount": 3, "unit": "weeks"},
            "red_flags": ["none"],
            "seen_by": ["none"],
            "impact": {"reading": 3, "driving": 3},
        },
        ["specialist_evaluation"],
        {"specialist_evaluation": "inform"},
        {},
    ),
]


@pytest.mark.parametrize(
    "answers, ids, levels, reason_words",
    [pytest.param(*persona[1:], id=persona[0]) for persona in PERSONAS],
)
def test_persona(answers, ids, levels, reason_words):
    result = evaluate(copy.deepcopy(answers), TODAY)
    items = {item["id"]: item for item in result["items"]}
    assert [item["id"] for item in result["items"]] == ids
    for item_id, level in levels.items():
        assert items[item_id]["level"] == level
    for item_id, words in reason_words.items():
        reasons = " ".join(items[item_id]["reasons"])
        for word in words:
            assert word in reasons, (item_id, word, reasons)
    ranks = [LEVELS.index(item["level"]) for item in result["items"]]
    assert ranks == sorted(ranks)


def test_personas_cover_every_rule_firing_and_not_firing():
    fired, quiet = set(), set()
    for _, _, ids, _, _ in PERSONAS:
        fired |= set(ids)
        quiet |= set(RULE_IDS) - set(ids)
    assert len(PERSONAS) >= 15
    assert fired == set(RULE_IDS)
    assert quiet == set(RULE_IDS)


def test_item_shape_and_sources_resolve():
    result = evaluate(fixture("red_flag"), TODAY)
    for item in result["items"]:
        assert set(item) == {"id", "level", "title", "text", "reasons", "sources", "for_doctor"} | {
            "staff_level",
            "staff_title",
            "staff_reasons",
        }
        assert item["title"] and item["text"] and item["reasons"] and item["sources"]
        assert all(source in result["sources"] for source in item["sources"])


def test_medicine_item_has_the_carbamazepine_safety_points():
    answers = settled(medicines=["carbamazepine"], medicine_side_effects=["dizziness"])
    item = evaluate(answers, TODAY)["items"][0]
    assert item["id"] == "medicine_evidence"
    assert "gene test" in item["text"] and "blood tests" in item["text"]
    assert "HLA-B" not in item["text"]  # gene names are for the doctor
    assert item["for_doctor"].startswith("HLA-B*15:02 testing")
    assert "cpic-2013" in item["sources"]


def test_rash_on_carbamazepine_has_its_own_card_with_the_severe_signs():
    answers = settled(
        medicines=["carbamazepine"],
        medicine_side_effects=["rash", "dizziness"],
        medicine_current="yes",
    )
    items = {item["id"]: item for item in evaluate(answers, TODAY)["items"]}
    card = items["medicine_rash"]
    assert card["level"] == "urgent"
    assert card["title"] == "Tell your doctor about your rash today"
    assert "Today, tell your doctor about your rash" in card["text"]
    for sign in ("fever", "blisters", "peeling skin", "sores in your mouth or eyes"):
        assert sign in card["text"], sign
    # When to call the emergency number, with the number (issue 25).
    assert "call your emergency number (999 in the UK, 112 in Europe" in card["text"]
    assert "carbamazepine-rash" in card["sources"]
    # The general tablets card stays apart, and does not repeat the rash.
    assert "rash" not in " ".join(items["medicine_evidence"]["reasons"])
    stopped = evaluate({**answers, "medicine_current": "no"}, TODAY)["items"][0]
    assert stopped["level"] == "recommend" and "If you still have the rash" in stopped["text"]
    no_rash = settled(medicines=["carbamazepine"], medicine_helped="no")
    assert all(item["id"] != "medicine_rash" for item in evaluate(no_rash, TODAY)["items"])


def test_the_medicines_option_lists_the_pregnancy_harm_for_everyone():
    medicines = next(o for o in evaluate({}, TODAY)["options"] if o["id"] == "medicines")
    harms = " ".join(medicines["harms"])
    assert "unborn baby" in harms and "birth control" in harms


def test_botox_side_effects_bring_a_card_about_changing_the_botox():
    answers = settled(treatments=["botox"], botox_side_effects=["ptosis"])
    items = {item["id"]: item for item in evaluate(answers, TODAY)["items"]}
    assert "dose, the places injected, or the time between doses" in items["adjust_botox"]["text"]
    assert "jitpimolmard-1998" in items["adjust_botox"]["sources"]
    assert "ask_about_mvd" not in items  # one droop in a patient not unhappy: not failing
    unhappy = evaluate(settled(botox_rounds=12, botox_satisfaction="not"), TODAY)["items"]
    assert [item["id"] for item in unhappy] == ["ask_about_mvd", "botox_limits"]


def test_after_an_mvd_no_specialist_or_could_mvd_suit_me_question():
    answers = {"treatments": ["mvd"], "seen_by": ["none"], "leaning": "surgery", "onset": "2019"}
    result = evaluate(answers, TODAY)
    assert "specialist_evaluation" not in {item["id"] for item in result["items"]}
    text = " ".join(result["questions_to_ask"])
    assert "Could MVD suit me" not in text and "Should I see a neurologist" not in text
    assert "Could MVD suit me" in " ".join(
        evaluate({"leaning": "surgery"}, TODAY)["questions_to_ask"]
    )


def test_recent_mvd_mentions_slow_improvement_only_when_recent():
    recent = evaluate(settled(mvd_year=2025, mvd_helped="partly"), TODAY)["items"][0]
    old = evaluate(settled(mvd_year=2019, mvd_helped="partly"), TODAY)["items"][0]
    assert "too soon" in recent["text"] and "too soon" not in old["text"]


def test_mvd_success_sits_next_to_its_complications():
    result = evaluate({}, TODAY)
    mvd = next(option for option in result["options"] if option["id"] == "mvd")
    assert "about 88 to 91 were free of spasm about 3 years after it" in mvd["benefits"][0]
    assert "about 63 in 100 were fully free at 1 year" in mvd["benefits"][0]
    assert "weak face" in mvd["harms"][0]
    item = evaluate(settled(leaning="surgery", side="left"), TODAY)["items"][0]
    assert "about 88" in item["text"] and "hearing" in item["text"]
    # Wherever MVD is suggested: the brain-fluid leak, stroke and death, and the one-year figure.
    for words in ("leak of brain fluid", "Stroke and death", "fewer than 1 in 1,000", "at 1 year"):
        assert words in item["text"], words
    assert "does not work for everyone" in item["text"]
    years = settled(treatments=["botox"], botox_rounds=20, botox_satisfaction="very")
    informed = evaluate(years, TODAY)["items"][0]
    assert (informed["level"], informed["title"]) == (
        "inform",
        "An operation called MVD is also a choice",
    )
    botox = evaluate(settled(impact={"reading": 3}), TODAY)["items"][0]
    assert botox["id"] == "ask_about_botox"
    assert "85 to 95 in 100" in botox["text"] and "drooping eyelid" in botox["text"]


# --- Questions, scores, facts -------------------------------------------------------------------


def test_questions_from_the_answers_and_the_patients_own():
    questions = evaluate(fixture("typical_botox"), TODAY)["questions_to_ask"]
    assert questions[0] == "How long would I be off work after an operation?"
    assert "My Botox lasts 6 weeks now instead of 12; what does that mean?" in questions
    text = " ".join(questions)
    assert "drooping eyelid" in text  # side effects
    assert "MRI" in text  # imaging
    assert "hearing and face" in text  # a "very" priority
    assert "ready to decide" in text  # SURE 2 of 4


def test_patient_question_is_not_repeated_by_a_generated_one():
    answers = fixture("typical_botox")
    answers["patient_questions"] = [
        "My Botox lasts 6 weeks now instead of 12. What does that mean?"
    ]
    questions = evaluate(answers, TODAY)["questions_to_ask"]
    assert sum("6 weeks now instead of 12" in q for q in questions) == 1


def test_scores():
    scores = evaluate(fixture("typical_botox"), TODAY)["scores"]
    assert scores == {"impact": 13, "impact_max": 21, "sure": 2, "conflict": True}
    assert evaluate({}, TODAY)["scores"] == {
        "impact": None,
        "impact_max": 21,
        "sure": None,
        "conflict": None,
    }
    all_yes = dict.fromkeys(["sure_of_choice", "know_options", "clear_values", "enough_support"])
    scores = evaluate({"sure": {k: "yes" for k in all_yes}, "impact": {"sleep": 0}}, TODAY)
    assert scores["scores"] == {"impact": 0, "impact_max": 21, "sure": 4, "conflict": False}
    partial = evaluate({"sure": {"sure_of_choice": "no"}}, TODAY)["scores"]
    assert partial["sure"] is None and partial["conflict"] is True


@pytest.mark.parametrize(
    "answers, months",
    [
        ({"onset": "2026-11"}, 0),
        ({"onset": "2025-11"}, 12),
        ({"onset": "2020"}, 82),  # a year alone counts from January: the longest it can be
        ({"onset_ago": {"amount": 5, "unit": "weeks"}}, 1),
        ({"onset_ago": {"amount": 3, "unit": "weeks"}}, 0),
        ({"onset_ago": {"amount": 7, "unit": "months"}}, 7),
        ({"onset_ago": {"amount": 2, "unit": "years"}}, 24),
        ({"onset": "2024-11", "onset_ago": {"amount": 1, "unit": "weeks"}}, 24),  # onset wins
        ({}, None),
    ],
)
def test_duration_months(answers, months):
    assert evaluate(answers, TODAY)["facts"]["duration_months"] == months


def test_facts_for_the_clinician_page():
    facts = evaluate(fixture("typical_botox"), TODAY)["facts"]
    assert facts["side"] == "left" and facts["side_label"] == "left side"
    assert facts["onset_text"] == "2020-04" and facts["duration_months"] == 79
    assert facts["botox_trend"] == "shorter"
    assert facts["botox_trend_text"] == "6 weeks now, 12 weeks at first"
    assert facts["botox_side_effects_labels"] == ["drooping eyelid", "bruising"]
    assert facts["seen_by_labels"] == ["family doctor", "neurologist"]
    assert facts["impact_total"] == 13 and facts["sure_total"] == 2 and facts["conflict"] is True
    assert facts["priorities_very"] == [
        "a lasting fix",
        "no repeated injections",
        "avoiding a risk to hearing or face movement",
    ]
    assert facts["patient"]["name"] == "Alex Example"
    slightly = evaluate(settled(botox_weeks_first=12, botox_weeks_now=10), TODAY)
    assert slightly["facts"]["botox_trend"] == "shorter"
    assert [item["id"] for item in slightly["items"]] == ["botox_limits"]  # under a quarter less
    # "About 0 months ago" is some time in the last year, not "under a month" (edition 2).
    zero_months = evaluate({"onset_ago": {"amount": 0, "unit": "months"}}, TODAY)
    assert zero_months["items"][0]["reasons"][0] == "The twitching started less than a year ago."
    assert zero_months["facts"]["duration_months"] is None
    just_begun = evaluate({"onset_ago": {"amount": 0, "unit": "weeks"}}, TODAY)["items"][0]
    assert just_begun["reasons"] == ["The twitching started less than a week ago."]
    this_month = evaluate({"onset": "2026-11"}, TODAY)["items"][0]
    assert this_month["level"] == "inform" and this_month["id"] == "specialist_evaluation"
    # A year alone never counts as recent, even in January of that year.
    year_only = evaluate({"onset": "2027"}, datetime.date(2027, 1, 20))["items"]
    assert [item["level"] for item in year_only] == ["recommend", "recommend"]
    flags = evaluate(fixture("red_flag"), TODAY)["facts"]
    assert flags["emergency"] is True
    assert flags["onset_text"] == "3 months ago"
    assert "numbness or pain in the face" in flags["red_flag_labels"]
    assert "started before age 40" in flags["red_flag_labels"]
    assert flags["red_flags_to_check"] is True
    after_botox = settled(
        red_flags=["facial_weakness"],
        treatments=["botox"],
        botox_side_effects=["ptosis"],
        botox_last="2026-11",
    )
    explained = evaluate(after_botox, TODAY)["facts"]
    assert explained["treatment_effects"] == {"facial_weakness": "botox"}
    assert explained["red_flags_to_check"] is False
    assert explained["red_flag_labels"] == [
        "weakness or drooping of the face (last Botox within 3 months, with side effects of that "
        "kind: a known effect of Botox)"
    ]
    pregnant = evaluate(settled(pregnancy="planning"), TODAY)["facts"]
    assert pregnant["pregnancy_label"] == "planning a pregnancy"
    both = evaluate({"side": "both", "red_flags": ["none"]}, TODAY)["facts"]
    assert both["red_flags"] == ["none"]
    assert both["red_flag_labels"] == ["twitching on both sides of the face"]


def test_provenance_and_sources():
    result = evaluate({}, TODAY)
    provenance = result["provenance"]
    datetime.date.fromisoformat(provenance["reviewed"])
    assert provenance["content_version"]
    assert provenance["reviewed"] == "2026-12-06"
    assert provenance["reviewed_text"] == "6 December 2026"
    written = (
        "Written on 6 December 2026 from published studies. "
        "Not yet checked by a neurologist or neurosurgeon."
    )
    assert provenance["reviewed_by"] == written
    assert provenance["statement"] == f"Content version {provenance['content_version']}. {written}"
    assert provenance["statement"] in " ".join(format_text(result).split())
    assert "not sponsored" in provenance["funding"] and "no funding" in provenance["funding"]
    assert "No neurologist or neurosurgeon" in provenance["written_by"]
    assert "no ties to any drug maker" in provenance["conflicts"]
    assert "once a year" in provenance["update_policy"]
    for option in result["options"]:
        assert all(source in result["sources"] for source in option["sources"])
    assert all(len(citation) > 20 for citation in result["sources"].values())


def test_result_is_json_and_deterministic():
    answers = fixture("typical_botox")
    first = json.dumps(evaluate(answers, TODAY), sort_keys=True)
    assert first == json.dumps(evaluate(copy.deepcopy(answers), TODAY), sort_keys=True)
    assert answers == fixture("typical_botox")  # the input is not changed


def test_text_format():
    text = format_text(evaluate(fixture("red_flag"), TODAY))
    assert text.index("Get emergency help") < text.index("Have a doctor check")
    headings = ("WHAT HEMIFACIAL SPASM IS", "THE DECISION", "YOUR CHOICES, SIDE BY SIDE")
    for heading in (*headings, "QUESTIONS TO ASK", "SOURCES", "Content version"):
        assert heading in text
    assert text.count("How good the evidence is:") == 4  # every option, every row
    with_priorities = evaluate({"priorities": {"avoid_surgery": "very"}}, TODAY)
    assert "avoiding surgery matters a lot to you" in format_text(with_priorities)


# --- Validation --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "answers, field, words",
    [
        ({"side": "up"}, "side", "must be one of"),
        ({"botox_weeks_now": 60}, "botox_weeks_now", "whole number from 0 to 52"),
        ({"botox_weeks_first": True}, "botox_weeks_first", "whole number"),
        ({"botox_rounds": 0}, "botox_rounds", "from 1"),
        ({"onset": "2020/01"}, "onset", "YYYY-MM or YYYY"),
        ({"onset": "2020-13"}, "onset", "month"),
        ({"onset": "2027-01"}, "onset", "in the future"),
        ({"onset": "2027"}, "onset", "in the future"),
        ({"botox_last": "2026-12"}, "botox_last", "in the future"),
        ({"date_of_birth": "1970-02-30"}, "date_of_birth", "real date"),
        ({"date_of_birth": "2030-01-01"}, "date_of_birth", "in the future"),
        ({"red_flags": ["none", "limb"]}, "red_flags", "'none' cannot be combined"),
        ({"seen_by": ["none", "neurologist"]}, "seen_by", "'none'"),
        ({"red_flags": ["limb", "limb"]}, "red_flags", "more than once"),
        ({"red_flags": ["headache"]}, "red_flags[0]", "must be one of"),
        ({"treatments": "botox"}, "treatments", "list"),
        ({"patient_questions": ["?"] * 21}, "patient_questions", "at most 20"),
        ({"patient_questions": ["x" * 501]}, "patient_questions[0]", "at most 500"),
        ({"impact": {"reading": 4}}, "impact.reading", "from 0 to 3"),
        ({"priorities": {"lasting_fix": "yes"}}, "priorities.lasting_fix", "not, somewhat, very"),
        ({"sure": {"know_options": "maybe"}}, "sure.know_options", "yes, no"),
        ({"onset_ago": {"amount": -1, "unit": "years"}}, "onset_ago.amount", "from 0"),
        ({"onset_ago": {"amount": 2, "unit": "days"}}, "onset_ago.unit", "weeks"),
        ({"onset_ago": "2 years"}, "onset_ago", "object"),
        ({"mvd_year": 2027}, "mvd_year", "1950 to 2026"),  # 08_mvd.yaml
        ({"name": 42}, "name", "text"),
    ],
)
def test_validation_names_the_field(answers, field, words):
    problems = validate(answers, TODAY)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{field}: "), problems
    assert words in problems[0]
    with pytest.raises(ValidationError) as caught:
        evaluate(answers, TODAY)
    assert caught.value.problems == problems


def test_every_problem_is_reported_and_extra_fields_are_ignored():
    answers = {"side": "up", "mri": "maybe", "favourite_colour": "blue", "impact": {"extra": 9}}
    problems = validate(answers, TODAY)
    assert [p.split(":")[0] for p in problems] == ["side", "mri"]
    assert validate({"favourite_colour": "blue", "side": None}, TODAY) == []
    assert validate([], TODAY) == ["answers: must be a JSON object (got [])"]


# --- Command line ------------------------------------------------------------------------------


def run_cli(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "decision_aid.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        input=stdin,
        check=False,
    )


def test_cli_json_and_text():
    path = str(ANSWERS_DIR / "typical_botox.json")
    done = run_cli("guidance", path, "--today", TODAY.isoformat())
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == evaluate(fixture("typical_botox"), TODAY)
    done = run_cli("guidance", path, "--today", TODAY.isoformat(), "--format", "text")
    assert done.returncode == 0 and "What to know about Botox" in done.stdout


def test_cli_defaults_to_the_real_date(capsys):
    assert main(["guidance", str(ANSWERS_DIR / "minimal.json")]) == 0
    assert json.loads(capsys.readouterr().out)["items"]


@pytest.mark.parametrize(
    "content, first_field",
    [
        ('{"side": "up", "botox_weeks_now": 99}', "side"),
        ('{"side": ', "answers"),
        ("[1, 2]", "answers"),
        (b"\xff\xfe{}", "answers"),
    ],
)
def test_cli_invalid_input_exits_2_without_traceback(tmp_path, content, first_field):
    path = tmp_path / "answers.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    done = run_cli("guidance", str(path), "--today", TODAY.isoformat())
    assert done.returncode == 2
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines and lines[0].startswith(f"{first_field}: ")


def test_cli_missing_file_and_bad_date():
    done = run_cli("guidance", "/no/such/answers.json")
    assert done.returncode == 2 and done.stderr.startswith("answers: cannot read")
    done = run_cli("guidance", str(ANSWERS_DIR / "minimal.json"), "--today", "2026-02-30")
    assert done.returncode == 2 and "--today" in done.stderr and "Traceback" not in done.stderr


def test_rules_markdown_and_the_document_is_up_to_date(capsys):
    assert main(["rules", "--format", "markdown"]) == 0
    printed = capsys.readouterr().out
    assert printed == rules_markdown()
    for rule_id in RULE_IDS:
        assert f"| `{rule_id}` |" in printed
    document = (ROOT / "docs" / "guidance-rules.md").read_text(encoding="utf-8")
    assert document == printed, "run: decision-aid rules --format markdown > docs/guidance-rules.md"


def test_guidance_package_does_not_import_flask():
    package = ROOT / "decision_aid" / "guidance"
    for source in package.glob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "import flask" not in text and "from flask" not in text, source


@pytest.mark.parametrize(
    "answers, today",
    [
        # A year alone, early in that year: it may have started in January, so it is not "short".
        ({"onset": "2026", "seen_by": ["none"], "mri": "none"}, datetime.date(2026, 6, 30)),
        ({"onset": "2026", "seen_by": ["none"], "mri": "none"}, datetime.date(2026, 2, 1)),
        # Eyelid rippling with no known start: not reassured as myokymia, and not left unchecked.
        (
            {
                "eyelid_ripple_only": "yes",
                "side": "left",
                "current_areas": ["eyelid"],
                "seen_by": ["none"],
                "mri": "none",
            },
            TODAY,
        ),
    ],
)
def test_a_vague_or_unknown_start_never_turns_off_the_specialist_and_scan_advice(answers, today):
    levels = {item["id"]: item["level"] for item in evaluate(answers, today)["items"]}
    assert levels.get("specialist_evaluation") == "recommend"
    assert levels.get("mri") == "recommend"
    assert "myokymia" not in levels
