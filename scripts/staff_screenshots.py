"""Screenshots of the clinic side: the patient's "send to the clinic" pages and every staff page,
at 360 px and 1280 px wide, in headless Debian chromium. Writes build/screenshots/staff-*.png.

    .venv/bin/python scripts/staff_screenshots.py
"""

import json
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright
from screenshots import CHROMIUM, CHROMIUM_ARGS, serve  # the same browser and server

from decision_aid import create_app
from decision_aid.clinic import listing
from decision_aid.staff import hash_password
from decision_aid.store import get_store

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "build" / "screenshots"  # git-ignored
ANSWERS = ROOT / "tests" / "data" / "answers"
WIDTHS = {"phone": (360, 740), "desktop": (1280, 900)}
EMAIL = "nurse@clinic.example"
PASSWORD = "screenshots only, not a real password"
ELEMENT_ONLY = {"01-patient-summary-send": "#send-to-clinic"}
# Made-up patients: three of them come to the clinic on 27 November 2026.
PEOPLE = [
    {"name": "Alex Example", "date_of_birth": "1966-02-14", "appointment": "2026-11-27"},
    {"name": "Zoë Ångström-Núñez", "date_of_birth": "1962-04-17", "appointment": "2026-11-27"},
    {"name": "Sam Okafor", "date_of_birth": "1971-09-03", "appointment": "2026-11-27"},
    {"name": "Mei Lin", "date_of_birth": "1958-12-30", "appointment": "2026-12-02"},
    {"name": "Jo Williams", "appointment": "2027-01-15"},
]


def seed(app):
    """A staff account and a few sent summaries: one with red flags, one reviewed, one patient
    part-way (finished, not yet sent). Returns the token of the unsent one."""
    store = get_store(app)
    store.add_staff(EMAIL, hash_password(PASSWORD))
    staff_id = store.staff_by_email(EMAIL).id
    answers = {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in ANSWERS.glob("*.json")}
    questionnaire = app.extensions["questionnaire"]
    tokens = {}
    for name, person in (
        ("minimal", {}),
        ("typical_botox", PEOPLE[0]),
        ("red_flag", PEOPLE[1]),
        ("typical_botox", PEOPLE[2]),
        ("minimal", PEOPLE[3]),
        ("typical_botox", PEOPLE[4]),
    ):
        token, response = store.create()
        given = {**answers[name], **person}
        steps = [s.id for s in questionnaire.applicable_steps(given)]
        store.save(token, given, steps, finished=True)
        store.send(token, listing.columns(given, store.today()))
        tokens.setdefault(name, (token, response.reference))
    store.set_reviewed(tokens["minimal"][1], staff_id)
    unsent, _ = store.create()
    answers_ = answers["typical_botox"]
    steps = [s.id for s in questionnaire.applicable_steps(answers_)]
    store.save(unsent, answers_, steps, finished=True)
    return unsent, tokens["red_flag"][1]


def staff_pages(page, base, unsent_token, flagged):
    page.goto(f"{base}/resume/{unsent_token}")
    page.click("button:has-text('Continue with these answers')")
    page.goto(f"{base}/summary")
    page.locator("#send-to-clinic").scroll_into_view_if_needed()
    yield "01-patient-summary-send"
    page.click("text=Send to Riverside Hospital")
    yield "02-patient-send-confirm"
    page.click("main button[type=submit]")
    yield "03-patient-sent"
    page.goto(f"{base}/staff/")
    yield "04-sign-in"
    page.fill("#email", EMAIL)
    page.fill("#password", "wrong password")
    page.click("button:has-text('Sign in')")
    yield "05-sign-in-failed"
    page.fill("#email", EMAIL)
    page.fill("#password", PASSWORD)
    page.click("button:has-text('Sign in')")
    yield "06-list"
    page.goto(f"{base}/staff/?when=week&sort=appointment")
    yield "06-list-next-7-days"
    page.goto(f"{base}/staff/")
    page.fill("#q", "zzzz-zzzz")
    page.click("button:has-text('Find')")
    yield "07-find-not-found"
    page.fill("#q", flagged.lower()[:4] + " " + flagged.lower()[4:])
    page.click("button:has-text('Find')")
    yield "08-summary"
    page.click("button:has-text('Mark as reviewed')")
    yield "09-summary-reviewed"
    page.goto(f"{base}/staff/audit")
    yield "10-audit"
    page.click("button:has-text('Sign out')")
    yield "11-signed-out"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for device, (width, height) in WIDTHS.items():
            with tempfile.TemporaryDirectory() as instance:
                app = create_app(
                    {
                        "INSTANCE_PATH": instance,
                        "TODAY": "2026-11-25",
                        "CLINIC_NAME": "Riverside Hospital",  # the clinic patients send to
                    }
                )
                unsent, flagged = seed(app)
                server, base = serve(app)
                try:
                    context = browser.new_context(viewport={"width": width, "height": height})
                    page = context.new_page()
                    for name in staff_pages(page, base, unsent, flagged):
                        path = OUT / f"staff-{name}-{device}.png"
                        if name in ELEMENT_ONLY:  # the long summary page: only our part
                            page.locator(ELEMENT_ONLY[name]).screenshot(path=path)
                        else:
                            page.screenshot(path=path, full_page=True)
                        print(f"staff-{name}-{device}.png")
                    context.close()
                finally:
                    server.shutdown()
                    get_store(app).engine.dispose()
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
