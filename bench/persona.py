"""The simulated patient of `make load`: what they send on each page (the form fields, as a
browser with JavaScript sends them), and the answers the store must hold afterwards, worked out
once by walking the same path through the app in this process (`expected_answers`)."""

import re
import tempfile

SURE_KEYS = ("sure_of_choice", "know_options", "clear_values", "enough_support")

# step id -> form fields. The load client follows the app's redirects, so the order is the app's.
PAGES = {
    "twitching": {"side": "left", "started_where": "eye", "current_areas": ["eyelid", "cheek"]},
    "time": {
        "onset_known": "date",
        "onset_known__shown": "date",
        "onset__month": "3",
        "onset__year": "2019",
        "course": "worse",
    },
    "pattern": {"frequency": "daily", "in_sleep": "yes"},
    "symptoms": {"red_flags": ["none"], "bells_palsy": "no", "onset_before_40": "no"},
    "diagnosis": {"seen_by": ["neurologist"], "diagnosed_hfs": "yes", "mri": "normal"},
    "treatments": {"mri_year": "2021", "treatments": ["botox", "medicines"]},
    "botox": {
        "botox_rounds": "24",
        "botox_last": "",
        "botox_last__month": "sep",
        "botox_last__year": "2026",
        "botox_satisfaction": "somewhat",
    },
    "botox_effects": {
        "botox_weeks_first": "12",
        "botox_weeks_now": "6",
        "botox_side_effects": ["ptosis", "dry_watery_eye"],
    },
    "botox_now": {"botox_current": "yes"},
    "medicines": {"medicines": ["carbamazepine"], "medicine_current": "no"},
    "medicine_effects": {"medicine_helped": "no", "medicine_side_effects": ["dizziness"]},
    "daily_life": {"impact__reading": "2", "impact__driving": "1", "impact__sleep": "0"},
    "health": {"age_band": "70_79", "health_problems": ["none"], "blood_thinners": "no"},
    "priorities": {
        "priorities__lasting_fix": "very",
        "priorities__avoid_surgery": "somewhat",
        "leaning": "surgery",
    },
    "sure": {f"sure__{key}": "yes" for key in SURE_KEYS},
    "role": {"preferred_role": "shared"},
    "support": {"skip_page": "1"},  # the optional pages: one answered, two skipped
    "knowledge": {"skip_page": "1"},
    "your_questions": {
        "patient_questions__common": ["Could an operation (MVD) help me?"],
        "patient_questions__own": "Why does my Botox wear off sooner?",
    },
    "about_you": {
        "name": "NAME",  # replaced by each patient's own name
        "date_of_birth__day": "7",
        "date_of_birth__month": "2",
        "date_of_birth__year": "1956",
    },
}
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CHOICES_NEXT = re.compile(r'href="([^"]+)" id="choices-continue"')
REFERENCE = re.compile(r"\b([A-HJKMNP-Z2-9]{4})-([A-HJKMNP-Z2-9]{4})\b")


def form_for(step_id, name):
    """The fields of one page, with the patient's own name; None for a page not in the path."""
    fields = PAGES.get(step_id)
    if fields is None:
        return None
    return {key: (name if value == "NAME" else value) for key, value in fields.items()}


def expected_answers():
    """The stored answers of a patient called "NAME" who walked PAGES, from the app itself."""
    from decision_aid import create_app
    from decision_aid.store import get_store

    with tempfile.TemporaryDirectory() as folder:
        app = create_app({"INSTANCE_PATH": folder, "TESTING": True})
        client = app.test_client()
        page = client.get("/").get_data(as_text=True)
        location = client.post("/start", data={"csrf_token": CSRF.search(page)[1]}).location
        while location.startswith(("/step/", "/choices")):
            page = client.get(location).get_data(as_text=True)
            if location.startswith("/choices"):  # the choices side by side: read, then go on
                location = CHOICES_NEXT.search(page)[1]
                continue
            step_id = location.split("/")[2].split("?")[0]
            form = form_for(step_id, "NAME")
            if form is None:
                raise SystemExit(f"bench/persona.py has no answers for the page {step_id!r}")
            reply = client.post(location, data=dict(form, csrf_token=CSRF.search(page)[1]))
            if reply.status_code != 302:
                raise SystemExit(f"bench/persona.py: the page {step_id!r} refused the answers")
            location = reply.location
        with client.session_transaction() as session:
            answers = get_store(app).load(session["token"]).answers
        get_store(app).engine.dispose()
    return answers
