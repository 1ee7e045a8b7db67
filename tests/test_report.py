"""Issue 31: the clinic's report (/staff/report and `decision-aid report`): counts only, cells
under 5 shown as "fewer than 5", figures checked against a hand-computed small case and 200
generated patients saved and sent through the store (SQLite here; PostgreSQL with
`make test-postgres`)."""

import csv
import datetime
import io
import random

import pytest
import yaml
from clinic_support import answers_file, columns, staff_client
from sqlalchemy import update

from decision_aid.cli import main as cli
from decision_aid.guidance import quality
from decision_aid.guidance.content import CONTENT_DIR
from decision_aid.store import get_store, responses

SURE_KEYS = quality.SURE_ITEM_IDS
KEY = {"botox_repeats": "true", "mvd_hearing": "true", "tablets_most": "false"}
KEY |= {"waiting_safe": "true", "mvd_same_day": "false"}
THREE_RIGHT = KEY | {"waiting_safe": "false", "mvd_same_day": "true"}
TODAY = datetime.date.today()  # sent_at is the real clock's moment
PERIOD = ["--from", (TODAY - datetime.timedelta(days=1)).isoformat(), "--to", TODAY.isoformat()]


def sure(yes):
    return {key: "yes" if i < yes else "no" for i, key in enumerate(SURE_KEYS)}


def add_patient(store, answers, followup=None, send_followup=False):
    token, _ = store.create()
    store.save(token, answers, [], finished=True)
    store.send(token, columns(store, answers))
    if followup is not None:
        store.save_followup(token, followup)
        if send_followup:
            store.send_followup(token)
    return token


# The hand-computed case: 8 patients (see the report's figures in the test below).
SMALL_CASE = [
    # (answers, follow-up, sent?)
    (
        {"sure": sure(4), "knowledge": KEY, "preferred_role": "shared"}
        | {"priorities": {"lasting_fix": "very"}},
        {"chosen": "surgery", "sure_after": sure(4)},
        True,
    ),
    (
        {"sure": sure(3), "knowledge": THREE_RIGHT, "preferred_role": "patient"}
        | {"priorities": {"avoid_surgery": "very"}},
        {"chosen": "botox", "sure_after": sure(4)},
        True,
    ),
    (
        {"sure": sure(2), "knowledge": THREE_RIGHT, "preferred_role": "doctor"}
        | {"priorities": {"lasting_fix": "very"}},
        {"chosen": "botox", "sure_after": sure(3)},
        True,
    ),
    (
        {
            "sure": sure(4),
            "preferred_role": "shared",
            "priorities": {"no_repeat_injections": "very"},
        },
        {"chosen": "botox", "sure_after": sure(4)},
        False,  # kept by the patient, never sent: the report does not see it
    ),
    (
        {"sure": sure(1), "knowledge": THREE_RIGHT, "preferred_role": "shared"}
        | {"priorities": {"avoid_nerve_risk": "very"}},
        {"chosen": "wait", "sure_after": sure(4)},
        True,
    ),
    (
        {"sure": sure(4), "knowledge": THREE_RIGHT, "preferred_role": "shared"},
        {"chosen": "wait", "sure_after": sure(4)},
        True,
    ),
    ({"sure": sure(3), "knowledge": THREE_RIGHT, "preferred_role": "shared"}, None, False),
    (
        {"sure": sure(4), "preferred_role": "shared", "priorities": {"short_recovery": "very"}},
        {"chosen": "medicines", "sure_after": sure(4)},
        True,
    ),
]
SMALL_CASE_EXPECTED = {
    ("Summaries", "summaries sent"): "8",
    ("Summaries", "with an urgent item"): "fewer than 5",
    ("Ready", "answered before the appointment"): "8",
    ("Ready", "in conflict before"): "fewer than 5",  # 4: patients 2, 3, 5, 7
    ("Ready", "answered after the appointment (follow-ups sent)"): "6",
    ("Ready", "in conflict after"): "fewer than 5",  # 1: patient 3
    ("Ready", "answered both"): "6",
    ("Ready", "from conflict to none"): "fewer than 5",  # 2: patients 2 and 5
    ("Check", "answered"): "6",
    ("Check", "score 60 (3 right)"): "5 of 6 (83%)",
    ("Check", "score 100 (all 5 right)"): "fewer than 5",
    ("Check", "score 0 (none right)"): "fewer than 5",
    ("Preferred", "answered"): "8",
    ("Preferred", "collaborative (decides with the doctor)"): "6 of 8 (75%)",
    ("Preferred", "active (the patient decides)"): "fewer than 5",
    ("Preferred", "passive (the doctor decides)"): "fewer than 5",
    ("Options", "recorded"): "6",
    ("Options", "Botox"): "fewer than 5",
    ("Options", "wait and see"): "fewer than 5",
    ("Values", "rated what matters and recorded a choice"): "5",  # patients 1, 2, 3, 5, 8
    ("Values", "choice fits the top-rated priority"): "fewer than 5",  # 4: all but patient 3
}


def figures(text):
    """{(section's first word, measure): value} from the CSV."""
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["section", "measure", "value"]
    return {(section.split()[0].split("-")[0], measure): v for section, measure, v in rows[1:]}


def run_report(app, monkeypatch, capsys, *extra):
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("INSTANCE_PATH", app.instance_path)
    assert cli.main(["report", *PERIOD, *extra]) == 0
    return capsys.readouterr().out


def test_the_small_case_by_hand(app, monkeypatch, capsys):
    store = get_store(app)
    for answers, followup, sent in SMALL_CASE:
        token = add_patient(store, answers)
        if not sent and followup is not None:
            store.save_followup(token, followup)
        elif followup is not None:
            store.save_followup(token, followup)
            store.send_followup(token)
    # one more patient, sent before the period: left out
    old = add_patient(store, {"sure": sure(0)})
    with store.engine.begin() as conn:
        conn.execute(
            update(responses)
            .where(responses.c.reference == store.load(old).reference)
            .values(sent_at=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC))
        )
    got = figures(run_report(app, monkeypatch, capsys, "--format", "csv"))
    for key, value in SMALL_CASE_EXPECTED.items():
        assert got[key] == value, key
    text = run_report(app, monkeypatch, capsys)
    assert "summaries sent: 8" in text and "score 60 (3 right): 5 of 6 (83%)" in text


def test_the_report_holds_no_names_codes_or_free_text(app, monkeypatch, capsys):
    store = get_store(app)
    answers = answers_file("typical_botox") | {
        "name": "Zoë Unique-Name",
        "patient_questions": ["A very particular question about my left eye?"],
    }
    tokens = [add_patient(store, answers) for _ in range(6)]
    out = run_report(app, monkeypatch, capsys, "--format", "csv")
    assert "Zoë" not in out and "particular question" not in out
    for token in tokens:
        reference = store.load(token).reference
        assert reference not in out and reference[:4] not in out
    client = staff_client(app)
    page = client.get(f"/staff/report?from={PERIOD[1]}&to={PERIOD[3]}").get_data(as_text=True)
    assert "Clinic report" in page and "Zoë" not in page and "particular question" not in page
    assert '<th scope="row">summaries sent</th><td>6</td>' in page
    audit = client.get("/staff/audit").get_data(as_text=True)
    assert "Opened the clinic report" in audit and "Printed the clinic report" in audit


def test_the_staff_page_says_when_a_day_is_not_a_day(app):
    client = staff_client(app)
    page = client.get("/staff/report?from=yesterday").get_data(as_text=True)
    assert "Enter the days as YYYY-MM-DD" in page
    assert client.get("/staff/report?from=2026-12-10&to=2026-12-01").status_code == 200


FIT = yaml.safe_load((CONTENT_DIR / "about.yaml").read_text(encoding="utf-8"))["fit_options"]
OPTION = {"botox": "botox", "medicines": "medicines", "surgery": "mvd", "wait": "wait"}


def generated(rng):
    """One generated patient: answers and a follow-up (sent or not), each part maybe missing."""
    answers = {}
    if rng.random() < 0.9:
        answers["sure"] = sure(rng.randint(0, 4))
    if rng.random() < 0.7:
        answers["knowledge"] = {k: rng.choice(["true", "false", "unsure"]) for k in KEY}
    if rng.random() < 0.8:
        answers["preferred_role"] = rng.choice(list(quality.ROLE_GROUPS))
    if rng.random() < 0.8:
        answers["priorities"] = {
            k: rng.choice(["not", "somewhat", "very"]) for k in rng.sample(sorted(FIT), 3)
        }
    followup = None
    if rng.random() < 0.6:
        followup = {"chosen": rng.choice(["botox", "medicines", "surgery", "wait", "undecided"])}
        if rng.random() < 0.9:
            followup["sure_after"] = sure(rng.randint(0, 4))
    return answers, followup, rng.random() < 0.7


def expected_counts(patients):
    """The figures counted again here, plainly, from what was generated."""
    sent = [(a, f if s else None) for a, f, s in patients]
    count = {}
    before = [sum(v == "yes" for v in a["sure"].values()) for a, _ in sent if "sure" in a]
    count["answered before the appointment"] = len(before)
    count["in conflict before"] = sum(b <= 3 for b in before)
    pairs = [
        (
            sum(v == "yes" for v in a["sure"].values()),
            sum(v == "yes" for v in f["sure_after"].values()),
        )
        for a, f in sent
        if f and "sure" in a and "sure_after" in f
    ]
    count["answered both"] = len(pairs)
    count["from conflict to none"] = sum(b <= 3 and a == 4 for b, a in pairs)
    scores = [
        sum(a["knowledge"][k] == KEY[k] for k in KEY) * 20 for a, _ in sent if "knowledge" in a
    ]
    count["Check answered"] = len(scores)
    count["score 60 (3 right)"] = scores.count(60)
    roles = [a["preferred_role"] for a, _ in sent if "preferred_role" in a]
    count["collaborative (decides with the doctor)"] = roles.count("shared")
    count["active (the patient decides)"] = sum(r.startswith("patient") for r in roles)
    chosen = [f["chosen"] for _, f in sent if f]
    count["recorded"] = len(chosen)
    count["Botox"] = chosen.count("botox")
    countable = fits = 0
    for a, f in sent:
        if not f or f["chosen"] not in OPTION:
            continue
        rated = a.get("priorities", {})
        top = [k for k, v in rated.items() if v == "very"] or [
            k for k, v in rated.items() if v == "somewhat"
        ]
        top = [k for k in top if FIT[k]]
        if not top:
            continue
        countable += 1
        fits += any(OPTION[f["chosen"]] in FIT[k] for k in top)
    count["rated what matters and recorded a choice"] = countable
    count["choice fits the top-rated priority"] = fits
    return count


def as_shown(count, whole=None):
    if count < 5:
        return "fewer than 5"
    if whole is None or whole < 5:
        return str(count)
    return f"{count} of {whole} ({round(100 * count / whole)}%)"


@pytest.mark.parametrize("seed", [31])
def test_200_generated_patients_through_the_store(app, monkeypatch, capsys, seed):
    rng = random.Random(seed)
    store = get_store(app)
    patients = [generated(rng) for _ in range(200)]
    for answers, followup, send in patients:
        add_patient(store, answers, followup, send_followup=send)
    got = figures(run_report(app, monkeypatch, capsys, "--format", "csv"))
    want = expected_counts(patients)
    assert got["Summaries", "summaries sent"] == "200"
    before = want["answered before the appointment"]
    assert got["Ready", "answered before the appointment"] == as_shown(before)
    assert got["Ready", "in conflict before"] == as_shown(want["in conflict before"], before)
    assert got["Ready", "answered both"] == as_shown(want["answered both"])
    assert got["Ready", "from conflict to none"] == as_shown(
        want["from conflict to none"], want["answered both"]
    )
    answered = want["Check answered"]
    assert got["Check", "answered"] == as_shown(answered)
    assert got["Check", "score 60 (3 right)"] == as_shown(want["score 60 (3 right)"], answered)
    roles = sum(1 for a, _f, _s in patients if "preferred_role" in a)
    for label in ("collaborative (decides with the doctor)", "active (the patient decides)"):
        assert got["Preferred", label] == as_shown(want[label], roles)
    assert got["Options", "recorded"] == as_shown(want["recorded"])
    assert got["Options", "Botox"] == as_shown(want["Botox"], want["recorded"])
    countable = want["rated what matters and recorded a choice"]
    assert got["Values", "rated what matters and recorded a choice"] == as_shown(countable)
    assert got["Values", "choice fits the top-rated priority"] == as_shown(
        want["choice fits the top-rated priority"], countable
    )
    # enough patients that the main figures are shown, not suppressed
    assert "fewer than 5" not in got["Values", "choice fits the top-rated priority"]
