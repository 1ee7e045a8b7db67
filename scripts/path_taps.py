"""Count the pages and taps of five persona walks, start page to summary, through the real app
(Flask test client, CSRF on). Run it on any commit to compare: `.venv/bin/python
scripts/path_taps.py`.

What counts:
- a page: every page the person sees, from the start page to the summary (an error page would
  count too, but these walks make no mistakes);
- a tap: one for each choice made (a radio, each ticked box), one for each text field typed
  into, and one for each button or link pressed to go on (Start, Continue, "I am safe", "Make my
  summary").

Each persona is a set of form fields (the names the question pages use). A field counts only
on a page that shows it, so a question that a later version no longer asks is not counted.
With JavaScript on, the onset question reveals its follow-up in place: the walk sends what the
page's script would (the follow-up was shown), so the reveal costs no extra page."""

import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from decision_aid import create_app  # noqa: E402

TODAY = "2026-11-25"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FIELD = re.compile(r'<(?:input|textarea)[^>]*\bname="([^"]+)"')

BASE = {
    "side": "left",
    "started_where": "eye",
    "current_areas": ["eyelid", "cheek"],
    "in_sleep": "yes",
    "eyelid_ripple_only": "no",
    "onset_known": "date",
    "onset_known__shown": "date",
    "onset__month": "3",
    "onset__year": "2019",
    "course": "worse",
    "frequency": "daily",
    "red_flags": ["none"],
    "bells_palsy": "no",
    "onset_before_40": "no",
    "seen_by": ["neurologist"],
    "diagnosed_hfs": "yes",
    "mri": "normal",
    **{f"impact__{k}": "1" for k in ("reading", "driving", "work", "social", "sleep", "mood")},
    "impact__worry": "2",
    **{
        f"priorities__{k}": "very"
        for k in (
            "avoid_surgery",
            "lasting_fix",
            "no_repeat_injections",
            "avoid_nerve_risk",
            "short_recovery",
            "cost_travel",
        )
    },
    "leaning": "surgery",
    **{
        f"sure__{k}": "yes"
        for k in ("sure_of_choice", "know_options", "clear_values", "enough_support")
    },
}
DETAILS = {
    "patient_questions__common": ["Could an operation (MVD) help me?"],
    "patient_questions__own": "Why does my Botox wear off sooner?",
    "name": "Margaret Jones",
    "date_of_birth__day": "7",
    "date_of_birth__month": "2",
    "date_of_birth__year": "1958",
    "appointment__day": "14",
    "appointment__month": "1",
    "appointment__year": "2027",
    "clinic": "St Mary's Neurology",
}
BOTOX = {
    "botox_rounds": "24",
    "botox_last__month": "9",
    "botox_last__year": "2026",
    "botox_weeks_first": "12",
    "botox_weeks_now": "6",
    "botox_side_effects": ["ptosis"],
    "botox_satisfaction": "somewhat",
}

PERSONAS = {
    "Botox user, 68 (the issue's walk)": BASE | DETAILS | {"treatments": ["botox"]} | BOTOX,
    "Red flag, nothing tried": BASE
    | {
        "onset_known": "ago",
        "onset_known__shown": "ago",
        "onset__month": "",
        "onset__year": "",
        "onset_ago__amount": "3",
        "onset_ago__unit": "weeks",
        "red_flags": ["sudden_weakness", "numbness_pain"],
        "seen_by": ["none"],
        "mri": "none",
        "treatments": ["none"],
        "leaning": "unsure",
    },
    "Both sides, complementary therapy": BASE
    | {
        "side": "both",
        "current_areas": ["eyelid"],
        "eyelid_ripple_only": "no",
        "onset_known": "unknown",
        "onset_known__shown": "",
        "onset__month": "",
        "onset__year": "",
        "red_flags": ["both_eyes"],
        "treatments": ["acupuncture", "complementary"],
        "clinic": "St Mary's Neurology",
    },
    "Eyelid flutter, nothing tried": BASE
    | {
        "current_areas": ["eyelid"],
        "eyelid_ripple_only": "yes",
        "onset_known": "ago",
        "onset_known__shown": "ago",
        "onset__month": "",
        "onset__year": "",
        "onset_ago__amount": "2",
        "onset_ago__unit": "months",
        "seen_by": ["none"],
        "mri": "none",
        "treatments": ["none"],
        "leaning": "wait",
    },
    "Botox, medicines and an earlier operation": BASE
    | DETAILS
    | {"treatments": ["botox", "medicines", "mvd"]}
    | BOTOX
    | {
        "medicines": ["carbamazepine"],
        "medicine_helped": "no",
        "medicine_side_effects": ["dizziness"],
        "medicine_current": "no",
        "mvd_year": "2021",
        "mvd_helped": "yes",
        "mvd_recurred": "yes",
    },
}


def taps_for(value):
    if isinstance(value, list):
        return len(value)
    return 1 if value else 0


def walk(client, persona):
    """Returns (pages, taps, page paths)."""
    pages, taps, seen = 1, 1, ["/"]  # the start page, and its Start button
    page = client.get("/").get_data(as_text=True)
    response = client.post("/start", data={"csrf_token": CSRF.search(page).group(1)})
    location = response.location
    while True:
        if len(seen) > 40:
            raise RuntimeError(f"the walk does not end: {seen}")
        path = location.split("#")[0]
        response = client.get(path)
        if response.status_code == 302:
            location = response.location
            continue
        html = response.get_data(as_text=True)
        pages += 1
        seen.append(path)
        if path.startswith("/summary"):
            return pages, taps, seen
        if path.startswith("/emergency"):
            taps += 1
            location = re.search(r'<a class="button[^"]*" href="([^"]+)"', html).group(1)
            continue
        token = CSRF.search(html).group(1)
        if path.startswith("/check"):
            taps += 1
            response = client.post(path, data={"csrf_token": token})
        else:
            names = set(FIELD.findall(html)) - {"csrf_token", "return_to"}
            data = {name: persona[name] for name in names if name in persona}
            taps += 1 + sum(taps_for(v) for k, v in data.items() if not k.endswith("__shown"))
            response = client.post(path, data=data | {"csrf_token": token})
        if response.status_code != 302:
            raise RuntimeError(f"{path} did not accept the answers:\n{response.get_data()[:3000]}")
        location = response.location


def main():
    rows = []
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE_PATH": instance, "TODAY": TODAY})
        for name, persona in PERSONAS.items():
            pages, taps, seen = walk(app.test_client(), persona)
            rows.append((name, pages, taps, seen))
    width = max(len(name) for name, *_ in rows)
    print(f"{'persona':<{width}}  pages  taps")
    for name, pages, taps, _seen in rows:
        print(f"{name:<{width}}  {pages:>5}  {taps:>4}")
    if "-v" in sys.argv:
        for name, _pages, _taps, seen in rows:
            print(f"\n{name}:\n  " + "\n  ".join(seen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
