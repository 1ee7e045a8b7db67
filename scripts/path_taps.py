"""Count the pages and taps of five persona walks through the real app (Flask test client, CSRF
on): from the start page to the summary, and on to the downloaded PDF. Run it on any commit to
compare: `.venv/bin/python scripts/path_taps.py` (`-v` lists the pages). To count an older
commit, copy this file into a checkout of it and run it there with this venv's Python.

`--without ID,ID,...` counts the walks as if those questions were not asked (a bound for a
product decision, not a change to the app): each one's `<div class="question" id="q-ID">` is
left out of what is read and tapped, and a page left with no question is not counted at all.
The walk still sends the answers, so it goes the same way.

What counts:
- a page: every page the person sees, from the start page to the summary (an error page would
  count too, but these walks make no mistakes);
- a tap: one for each choice made (a radio, each ticked box), one for each text field typed
  into, and one for each button or link pressed to go on (Start, Continue, "I am safe", "Make my
  summary").

To the PDF: from the summary, press "Download PDF" (one tap) and, on any page shown before the
PDF comes (the page that asks for the name on it), fill in what the persona gives and press its
button, counted as above. So asking for the name later, at the PDF, is not hidden: a persona
who gives a name has it on the PDF (the script checks the PDF's text), wherever it was asked.

Each persona is a set of form fields (the names the question pages use). A field counts only
on a page that shows it, so a question that a later version no longer asks is not counted.
With JavaScript on, the onset question reveals its follow-up in place: the walk sends what the
page's script would (the follow-up was shown), so the reveal costs no extra page."""

import html as html_lib
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import path_time  # noqa: E402

from decision_aid import create_app  # noqa: E402

TODAY = "2026-11-25"
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
FIELD = re.compile(r'<(?:input|textarea)[^>]*\bname="([^"]+)"')
FORM_ACTION = re.compile(r'<form method="post" action="([^"]+)"')
DOWNLOAD = re.compile(r'<a\b[^>]*\bhref="([^"]+)"[^>]*>\s*Download PDF\s*</a>')

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


WITHOUT = ()  # --without: question ids left out of the count
QUESTION_DIV = '<div class="question[^"]*" id="q-{}"'


def leave_out(html, ids):
    """The page as it would be without these questions (each one's question div cut out)."""
    for qid in ids:
        found = re.search(QUESTION_DIV.format(re.escape(qid)), html)
        if not found:
            continue
        depth = 0
        for tag in re.finditer(r"<(/?)div\b[^>]*>", html[found.start() :]):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                html = html[: found.start()] + html[found.start() + tag.end() :]
                break
    return html


def asks_nothing(html):
    """A question page that --without leaves with no question: not counted."""
    return (
        bool(WITHOUT)
        and 'class="question' in html
        and 'class="question' not in leave_out(html, WITHOUT)
    )


def taps_for(value):
    if isinstance(value, list):
        return len(value)
    return 1 if value else 0


def fill(html, persona, clock=None, label="?"):
    """The form data a persona sends on a page, and the taps it costs (its fields and the
    button). With a clock: the page's reading, its taps and the characters typed."""
    names = set(FIELD.findall(html)) - {"csrf_token", "return_to"}
    data = {name: persona[name] for name in names if name in persona}
    shown = leave_out(html, WITHOUT)
    counted = {k: v for k, v in data.items() if k in set(FIELD.findall(shown))}
    taps = 1 + sum(taps_for(v) for k, v in counted.items() if not k.endswith("__shown"))
    # An optional page with "Skip this page" at its top: a persona with nothing to give on it
    # presses that, having read only what comes before it.
    skipping = not data and 'name="skip_page"' in html
    if skipping:
        data = {"skip_page": "1"}
    if clock is not None:
        clock.page(shown, label=label, skipping=skipping)
        clock.tap(taps)
        typed = path_time.read(shown).typed_fields
        for name, value in counted.items():
            if name in typed and isinstance(value, str):
                clock.type(value)
    return data | {"csrf_token": CSRF.search(html).group(1)}, taps


def walk(client, persona, clock=None):
    """Start page to summary. Returns (pages, taps, page paths, the summary's HTML). A clock
    (scripts/path_time.py) adds up the time, to "What to do next" on the summary."""
    clock = clock or path_time.Clock()
    pages, taps, seen = 1, 1, ["/"]  # the start page, and its Start button
    page = client.get("/").get_data(as_text=True)
    clock.page(page, label="/")
    clock.tap()
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
            clock.page(html, stop_at_id="next-title", label=path)
            return pages, taps, seen, html
        if path.startswith("/emergency"):
            clock.page(html, label=path)
            clock.tap()
            taps += 1
            location = re.search(r'<a class="button[^"]*" href="(/[^"]+)"', html).group(1)
            continue
        if path.startswith("/choices"):
            # The choices side by side: a page to read, with a Continue link and no form.
            clock.page(html, stop_at_id="choices-continue", label=path)
            clock.tap()
            taps += 1
            location = re.search(r'<a [^>]*href="(/[^"]+)" id="choices-continue"', html).group(1)
            continue
        token = CSRF.search(html).group(1)
        if path.startswith("/check"):
            clock.page(html, label=path)
            clock.tap()
            taps += 1
            response = client.post(path, data={"csrf_token": token})
        elif asks_nothing(html):
            pages -= 1
            seen.pop()
            response = client.post(path, data=fill(html, persona)[0])
        else:
            data, page_taps = fill(html, persona, clock, label=path)
            taps += page_taps
            response = client.post(path, data=data)
        if response.status_code != 302:
            raise RuntimeError(f"{path} did not accept the answers:\n{response.get_data()[:3000]}")
        location = response.location


def to_pdf(client, persona, summary_html, clock=None):
    """From the summary to the downloaded PDF. Returns (pages, taps, page paths, PDF bytes):
    the pages shown between the summary and the PDF, and the taps from the summary on."""
    clock = clock or path_time.Clock()
    clock.tap()
    pages, taps, seen = 0, 1, []  # the Download PDF button
    response = client.get(html_lib.unescape(DOWNLOAD.search(summary_html).group(1)))
    while True:
        if len(seen) > 5:
            raise RuntimeError(f"no PDF after {seen}")
        if response.status_code == 302:
            response = client.get(response.location)
            continue
        if response.mimetype == "application/pdf":
            return pages, taps, seen, response.get_data()
        html = response.get_data(as_text=True)
        action = html_lib.unescape(FORM_ACTION.search(html).group(1))
        pages += 1
        seen.append(action)
        data, page_taps = fill(html, persona, clock, label=action)
        taps += page_taps
        response = client.post(action, data=data)
        if response.status_code != 302:
            raise RuntimeError(f"{action} did not accept:\n{response.get_data()[:3000]}")


def pdf_text(body):
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"], input=body, capture_output=True, check=True
    )
    return " ".join(done.stdout.decode("utf-8").split())


def main():
    global WITHOUT
    if "--without" in sys.argv:
        WITHOUT = tuple(sys.argv[sys.argv.index("--without") + 1].split(","))
    rows = []
    with tempfile.TemporaryDirectory() as instance:
        app = create_app({"INSTANCE_PATH": instance, "TODAY": TODAY})
        for name, persona in PERSONAS.items():
            client = app.test_client()
            clock = path_time.Clock()
            pages, taps, seen, summary = walk(client, persona, clock)
            minutes = clock.minutes
            more_pages, more_taps, more_seen, body = to_pdf(client, persona, summary, clock)
            named = persona.get("name", "") and persona["name"] in pdf_text(body)
            if persona.get("name") and not named:
                raise RuntimeError(f"{name}: the PDF does not have the name on it")
            pdf = (pages + more_pages, taps + more_taps, clock.minutes)
            named = "yes" if named else "no name given"
            per_page = [
                f"{label:<28} {words:>4} words {t:>3} taps {c:>3} typed"
                f"  {path_time.minutes(words, t, c):4.1f} min"
                for label, words, t, c in clock.pages
            ]
            rows.append((name, pages, taps, minutes, *pdf, named, per_page + ["(PDF)"]))
    width = max(len(row[0]) for row in rows)
    print(f"{'':<{width}}  {'to the summary':>19}  {'to the PDF':>19}")
    print(f"{'persona':<{width}}  pages  taps  minutes  pages  taps  minutes  name on the PDF")
    for name, pages, taps, minutes, pdf_pages, pdf_taps, pdf_minutes, named, _seen in rows:
        print(
            f"{name:<{width}}  {pages:>5}  {taps:>4}  {minutes:>7.1f}"
            f"  {pdf_pages:>5}  {pdf_taps:>4}  {pdf_minutes:>7.1f}  {named}"
        )
    print(
        f"\nMinutes: {path_time.WORDS_A_MINUTE} words a minute before the main button (the summary:"
        f" to 'What to do next'), {path_time.SECONDS_A_TAP:g} s a tap,"
        f" {path_time.SECONDS_A_CHARACTER:g} s a typed character,"
        f" +{path_time.SPASM_EXTRA:.0%} for spasm pauses (scripts/path_time.py)."
    )
    if WITHOUT:
        print(f"Counted without these questions: {', '.join(WITHOUT)}.")
    if "-v" in sys.argv:
        for name, *_counts, seen in rows:
            print(f"\n{name}:\n  " + "\n  ".join(seen))
    return 0


if __name__ == "__main__":
    sys.exit(main())
