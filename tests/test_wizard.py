"""Complete walks of the wizard through the test client, with CSRF on, and the behaviour around
them: branching, Change links, the emergency interrupt, resume and delete."""

import html
import re

import pytest
from conftest import TODAY, Patient, csrf_from
from sqlalchemy import func, select

from decision_aid.store import get_store, responses

TWITCHING = {"side": "left", "started_where": "eye", "current_areas": ["eyelid", "cheek"]}
# With JavaScript on, the page says which follow-up was on screen; the walks send it as it would.
TIME = {
    "onset_known": "date",
    "onset_known__shown": "date",
    "onset__month": "3",
    "onset__year": "2019",
    "course": "worse",
}
PATTERN = {"frequency": "daily", "in_sleep": "yes"}  # more than the eyelid: no ripple question
NO_FLAGS = {"red_flags": ["none"], "bells_palsy": "no", "onset_before_40": "no"}
SEEN = {"seen_by": ["neurologist"], "diagnosed_hfs": "yes", "mri": "normal"}
DAILY = {f"impact__{k}": v for k, v in {"reading": "2", "driving": "1", "sleep": "0"}.items()}
PRIORITIES = {"priorities__lasting_fix": "very", "priorities__avoid_surgery": "somewhat"}
PRIORITIES["leaning"] = "surgery"
SURE_KEYS = ("sure_of_choice", "know_options", "clear_values", "enough_support")
SURE_ALL_YES = {f"sure__{k}": "yes" for k in SURE_KEYS}
PDF_NAME = "/summary/your-name"  # the page before the PDF, which asks for the name on it

COMMON_EXPECTED = {
    "side": "left",
    "started_where": "eye",
    "current_areas": ["eyelid", "cheek"],
    "in_sleep": "yes",
    "onset": "2019-03",
    "course": "worse",
    "frequency": "daily",
    "red_flags": ["none"],
    "bells_palsy": "no",
    "onset_before_40": "no",
    "seen_by": ["neurologist"],
    "diagnosed_hfs": "yes",
    "mri": "normal",
    "impact": {"reading": 2, "driving": 1, "sleep": 0},
    "priorities": {"lasting_fix": "very", "avoid_surgery": "somewhat"},
    "leaning": "surgery",
    "sure": {k: "yes" for k in SURE_KEYS},
}


def walk(patient, steps, emergency_after=None, words=str):
    """Post each question page in order; each must lead to the next one (or to the emergency
    page); then make the summary. A step asked when sharing (the name and date of birth) is
    answered where the app asks it: on the page before the PDF, as a person downloading it.
    `words` gives the page's words for an English text (tests/test_languages.py walks in other
    languages)."""
    questionnaire = patient.app.extensions["questionnaire"]
    sharing = [data for step_id, data in steps if not questionnaire.step(step_id).in_sequence]
    steps = [(step_id, data) for step_id, data in steps if questionnaire.step(step_id).in_sequence]
    patient.start()
    for index, (step_id, data) in enumerate(steps):
        response = patient.post_step(step_id, data)
        assert response.status_code == 302, (step_id, response.get_data(as_text=True)[:2000])
        following = steps[index + 1][0] if index + 1 < len(steps) else None
        expected = f"/step/{following}" if following else "/check"
        if step_id == emergency_after:
            assert response.location.startswith("/emergency")
            page = patient.client.get(response.location).get_data(as_text=True)
            assert words("Call your local emergency number now") in page
            assert f'href="{expected}"' in page
        else:
            location = through_decision_pages(patient, response.location, expected)
            assert location == expected, (step_id, location)
    finished = patient.finish()
    assert finished.status_code == 302 and finished.location == "/summary"
    for data in sharing:
        response = patient.post_page(PDF_NAME, data)
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        assert response.location == "/summary.pdf"
    return patient.stored()


# The optional pages of "Making your decision" a walk may leave out (issue 31).
OPTIONAL_DECISION_STEPS = ("role", "support", "knowledge")


def through_decision_pages(patient, location, expected):
    """Follow the choices page (its Continue link leads to the step it opens) and skip the
    optional decision pages a walk does not list, answering nothing on them."""
    if location == "/choices":
        page = patient.client.get(location)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert 'id="option-grid"' in html
        location = re.search(r'href="([^"]+)" id="choices-continue"', html).group(1)
        if location == expected:
            return location
    while location != expected and location.removeprefix("/step/") in OPTIONAL_DECISION_STEPS:
        location = patient.post_step(location.removeprefix("/step/"), {}).location
    return location


def opening(twitching=TWITCHING, time=TIME, pattern=PATTERN, symptoms=NO_FLAGS):
    return [("twitching", twitching), ("time", time), ("pattern", pattern), ("symptoms", symptoms)]


LONG_BOTOX = opening() + [
    ("diagnosis", SEEN),
    ("treatments", {"treatments": ["botox", "medicines"]}),
    (
        "botox",
        {
            "botox_rounds": "24",
            "botox_last": "",
            "botox_last__month": "sep",
            "botox_last__year": "2026",
            "botox_satisfaction": "somewhat",
        },
    ),
    (
        "botox_effects",
        {
            "botox_weeks_first": "12",
            "botox_weeks_now": "6",
            "botox_side_effects": ["ptosis", "dry_watery_eye"],
        },
    ),
    ("botox_now", {}),
    ("medicines", {"medicines": ["carbamazepine"], "medicine_current": "no"}),
    ("medicine_effects", {"medicine_helped": "no", "medicine_side_effects": ["dizziness"]}),
    ("daily_life", DAILY),
    ("health", {}),
    ("priorities", PRIORITIES),
    ("sure", SURE_ALL_YES),
    (
        "your_questions",
        {
            "patient_questions__common": ["Could an operation (MVD) help me?"],
            "patient_questions__own": "Why does my Botox wear off sooner?\n\n  Is MVD safe?  ",
        },
    ),
    (
        "about_you",
        {
            "name": "Zoë Ångström",
            "date_of_birth__day": "7",
            "date_of_birth__month": "2",
            "date_of_birth__year": "1956",
        },
    ),
]
LONG_BOTOX_EXPECTED = COMMON_EXPECTED | {
    "treatments": ["botox", "medicines"],
    "botox_rounds": 24,
    "botox_last": "2026-09",
    "botox_weeks_first": 12,
    "botox_weeks_now": 6,
    "botox_side_effects": ["ptosis", "dry_watery_eye"],
    "botox_satisfaction": "somewhat",
    "medicines": ["carbamazepine"],
    "medicine_helped": "no",
    "medicine_side_effects": ["dizziness"],
    "medicine_current": "no",
    "patient_questions": [
        "Could an operation (MVD) help me?",
        "Why does my Botox wear off sooner?",
        "Is MVD safe?",
    ],
    "name": "Zoë Ångström",
    "date_of_birth": "1956-02-07",
}

RED_FLAG = opening(
    time={
        "onset_known": "ago",
        "onset_known__shown": "ago",
        "onset_ago__amount": "3",
        "onset_ago__unit": "weeks",
        "course": "worse",
    },
    pattern={"frequency": "hourly", "in_sleep": "yes"},
    symptoms={
        "red_flags": ["sudden_weakness", "hearing_loss"],
        "bells_palsy": "unsure",
        "onset_before_40": "yes",
    },
) + [
    ("diagnosis", {"seen_by": ["none"], "diagnosed_hfs": "no", "mri": "none"}),
    ("treatments", {"treatments": ["none"]}),
    ("daily_life", {}),
    ("health", {}),
    ("priorities", {"leaning": "unsure"}),
    ("sure", {f"sure__{k}": "no" for k in SURE_KEYS}),
    ("your_questions", {}),
]
RED_FLAG_EXPECTED = {k: v for k, v in COMMON_EXPECTED.items() if k in TWITCHING} | {
    "in_sleep": "yes",
    "onset_ago": {"amount": 3, "unit": "weeks"},
    "course": "worse",
    "frequency": "hourly",
    "red_flags": ["sudden_weakness", "hearing_loss"],
    "bells_palsy": "unsure",
    "onset_before_40": "yes",
    "seen_by": ["none"],
    "diagnosed_hfs": "no",
    "mri": "none",
    "treatments": ["none"],
    "leaning": "unsure",
    "sure": {k: "no" for k in SURE_KEYS},
}

# Only the eyelid twitches, so the eyelid-ripple question is asked. "I don't know" when it
# started: neither onset nor onset_ago is stored.
BOTH_SIDES = opening(
    twitching=TWITCHING | {"side": "both", "current_areas": ["eyelid"]},
    time={"onset_known": "unknown", "course": "same"},
    pattern={"frequency": "weekly", "in_sleep": "yes", "eyelid_ripple_only": "no"},
    symptoms={"red_flags": ["both_eyes"], "bells_palsy": "no", "onset_before_40": "no"},
) + [
    (
        "diagnosis",
        {"seen_by": ["family_doctor", "eye_doctor"], "diagnosed_hfs": "unsure", "mri": "unsure"},
    ),
    ("treatments", {"treatments": ["acupuncture", "complementary"]}),
    ("daily_life", DAILY),
    ("health", {}),
    ("priorities", {"leaning": "wait"}),
    ("sure", SURE_ALL_YES | {"sure__know_options": "no"}),
    ("your_questions", {"clinic": "St Mary's Neurology"}),
]
BOTH_SIDES_EXPECTED = {
    "side": "both",
    "started_where": "eye",
    "current_areas": ["eyelid"],
    "in_sleep": "yes",
    "eyelid_ripple_only": "no",
    "course": "same",
    "frequency": "weekly",
    "red_flags": ["both_eyes"],
    "bells_palsy": "no",
    "onset_before_40": "no",
    "seen_by": ["family_doctor", "eye_doctor"],
    "diagnosed_hfs": "unsure",
    "mri": "unsure",
    "treatments": ["acupuncture", "complementary"],
    "impact": {"reading": 2, "driving": 1, "sleep": 0},
    "leaning": "wait",
    "sure": {k: "yes" for k in SURE_KEYS} | {"know_options": "no"},
    "clinic": "St Mary's Neurology",
}

NOTHING_TRIED = opening(
    twitching={"side": "right", "started_where": "unsure", "current_areas": ["eyelid"]},
    time={
        "onset_known": "ago",
        "onset_known__shown": "ago",
        "onset_ago__amount": "2",
        "onset_ago__unit": "months",
        "course": "fluctuates",
    },
    pattern={"frequency": "less", "in_sleep": "unsure", "eyelid_ripple_only": "yes"},
) + [
    ("diagnosis", {"seen_by": ["none"], "diagnosed_hfs": "no", "mri": "none"}),
    ("treatments", {"treatments": ["none"]}),
    ("daily_life", {}),
    ("health", {}),
    ("priorities", {"leaning": "wait"}),
    ("sure", SURE_ALL_YES),
    ("your_questions", {}),
]
NOTHING_TRIED_EXPECTED = {
    "side": "right",
    "started_where": "unsure",
    "current_areas": ["eyelid"],
    "in_sleep": "unsure",
    "eyelid_ripple_only": "yes",
    "onset_ago": {"amount": 2, "unit": "months"},
    "course": "fluctuates",
    "frequency": "less",
    "red_flags": ["none"],
    "bells_palsy": "no",
    "onset_before_40": "no",
    "seen_by": ["none"],
    "diagnosed_hfs": "no",
    "mri": "none",
    "treatments": ["none"],
    "leaning": "wait",
    "sure": {k: "yes" for k in SURE_KEYS},
}

PREVIOUS_MVD = opening() + [
    ("diagnosis", SEEN | {"seen_by": ["neurologist", "neurosurgeon"], "mri": "vessel_contact"}),
    ("treatments", {"treatments": ["botox", "mvd"]}),
    ("botox", {"botox_satisfaction": "not"}),
    ("botox_effects", {"botox_side_effects": ["none"]}),
    ("botox_now", {}),
    ("mvd", {"mvd_year": "2021", "mvd_helped": "yes", "mvd_recurred": "yes"}),
    ("daily_life", DAILY),
    ("health", {}),
    ("priorities", PRIORITIES),
    ("sure", SURE_ALL_YES),
    (
        "your_questions",
        {"appointment__day": "14", "appointment__month": "1", "appointment__year": "2027"},
    ),
]
PREVIOUS_MVD_EXPECTED = COMMON_EXPECTED | {
    "seen_by": ["neurologist", "neurosurgeon"],
    "mri": "vessel_contact",
    "treatments": ["botox", "mvd"],
    "botox_side_effects": ["none"],
    "botox_satisfaction": "not",
    "mvd_year": 2021,
    "mvd_helped": "yes",
    "mvd_recurred": "yes",
    "appointment": "2027-01-14",
}


@pytest.mark.parametrize(
    "steps, expected, emergency_after",
    [
        (LONG_BOTOX, LONG_BOTOX_EXPECTED, None),
        (RED_FLAG, RED_FLAG_EXPECTED, "symptoms"),
        (BOTH_SIDES, BOTH_SIDES_EXPECTED, None),
        (NOTHING_TRIED, NOTHING_TRIED_EXPECTED, None),
        (PREVIOUS_MVD, PREVIOUS_MVD_EXPECTED, None),
    ],
    ids=["long-botox", "red-flag", "both-sides", "nothing-tried", "previous-mvd"],
)
def test_complete_walk_stores_the_expected_answers(patient, steps, expected, emergency_after):
    stored = walk(patient, steps, emergency_after)
    assert stored.answers == expected
    assert stored.finished_at is not None
    summary = patient.client.get("/summary")
    assert summary.status_code == 200
    assert stored.reference_display in summary.get_data(as_text=True)


def test_pages_name_their_section_and_promise_no_step_count(patient):
    """Branching changes the number of pages, so no page says "Step X of Y": the caption is the
    section's name."""
    patient.start()
    page = patient.client.get("/step/twitching").get_data(as_text=True)
    assert '<p class="caption">About your spasm</p>' in page
    for step_id, data in LONG_BOTOX[:6]:
        patient.post_step(step_id, data)
    page = patient.client.get("/step/botox").get_data(as_text=True)
    assert '<p class="caption">Your care so far</p>' in page
    assert not re.search(r"Step \d+ of", page)
    assert 'href="/step/treatments"' in page  # the Back link


def test_no_page_asks_more_than_three_questions(app):
    for step in app.extensions["questionnaire"].steps:
        # A time beside its date (the appointment's) is part of that question.
        asked = [q for q in step.questions if q.id not in step.revealed_ids and not q.beside]
        assert len(asked) <= 3, (step.id, [q.id for q in asked])


def test_skipped_steps_are_not_shown_and_cannot_be_opened(patient):
    walk(patient, NOTHING_TRIED)
    check = patient.client.get("/check").get_data(as_text=True)
    assert "Your Botox injections" not in check
    response = patient.client.get("/step/botox")
    assert response.status_code == 302 and response.location == "/check"


def test_change_link_returns_to_check_and_drops_answers_that_no_longer_apply(patient):
    walk(patient, LONG_BOTOX)
    check = patient.client.get("/check").get_data(as_text=True)
    assert 'href="/step/treatments?return_to=check&amp;question=treatments#q-treatments"' in check
    response = patient.post_step(
        "treatments", {"treatments": ["acupuncture"]}, "?return_to=check&question=treatments"
    )
    assert response.location == "/check#answer-treatments"  # back at the row that changed
    answers = patient.stored().answers
    assert answers["treatments"] == ["acupuncture"]
    assert not any(key.startswith(("botox_", "medicine")) for key in answers)
    page = patient.client.get("/check").get_data(as_text=True)
    assert "Your Botox injections" not in page and "Your medicines" not in page


def test_change_that_opens_a_step_asks_it_before_returning_to_check(patient):
    walk(patient, NOTHING_TRIED)
    response = patient.post_step("treatments", {"treatments": ["mvd"]}, "?return_to=check")
    assert response.location == "/step/mvd?return_to=check"
    # The check page is not reachable until the new step is answered.
    assert patient.client.get("/check").location == "/step/mvd"
    page = patient.client.get(response.location).get_data(as_text=True)
    assert 'class="back-link" href="/check"' in page
    response = patient.post_step(
        "mvd", {"mvd_helped": "partly", "mvd_recurred": "no"}, "?return_to=check"
    )
    assert response.location == "/check"
    assert patient.stored().answers["mvd_helped"] == "partly"


def test_change_of_a_simple_answer_keeps_everything_else(patient):
    walk(patient, BOTH_SIDES)
    before = patient.stored().answers
    changed = TWITCHING | {"side": "right", "current_areas": ["eyelid"]}
    response = patient.post_step("twitching", changed, "?return_to=check")
    assert response.location == "/check"
    assert patient.stored().answers == before | {"side": "right"}


def test_resume_link_brings_back_every_answer_in_a_new_browser(app, patient):
    walk(patient, LONG_BOTOX)
    token = patient.token()
    saved = patient.client.get("/saved").get_data(as_text=True)
    assert f"/resume/{token}" in saved
    assert len(token) >= 43  # 32 random bytes, base64: at least 128 bits as the issue asks

    fresh = Patient(app, app.test_client())
    assert fresh.client.get("/check").location.startswith("/?missing=1")
    response = resume(fresh.client, token)
    assert response.status_code == 302 and response.location == "/summary"
    check = fresh.client.get("/check").get_data(as_text=True)
    assert "Why does my Botox wear off sooner?" in check
    assert fresh.stored().answers == LONG_BOTOX_EXPECTED


def test_resume_midway_goes_to_the_first_unanswered_step(app, patient):
    patient.start()
    for step_id, data in LONG_BOTOX[:4]:
        patient.post_step(step_id, data)
    fresh = app.test_client()
    response = resume(fresh, patient.token())
    assert response.location == "/step/diagnosis"
    page = fresh.get("/step/time").get_data(as_text=True)
    assert 'value="2019"' in page
    assert re.search(r'name="onset_known" value="date"\s*checked', page)


def test_resume_before_making_your_decision_shows_the_choices_first(app, patient):
    """The choices side by side open 'Making your decision' on the way through; a patient who
    comes back there sees them first too, then the page they had not answered."""
    patient.start()
    before = [step for step in LONG_BOTOX if step[0] != "priorities"]
    for step_id, data in before[: [s[0] for s in LONG_BOTOX].index("priorities")]:
        patient.post_step(step_id, data)
    fresh = app.test_client()
    response = resume(fresh, patient.token())
    assert response.location == "/choices"
    page = fresh.get("/choices").get_data(as_text=True)
    assert 'href="/step/priorities" id="choices-continue"' in page


def resume(client, token):
    """Open a resume link and confirm, as a person would."""
    page = client.get(f"/resume/{token}")
    assert page.status_code == 200
    assert "Continue with these answers" in page.get_data(as_text=True)
    return client.post(
        f"/resume/{token}", data={"csrf_token": csrf_from(page.get_data(as_text=True))}
    )


def test_opening_a_resume_link_changes_nothing_until_confirmed(app, patient):
    """A link sent by someone else (or an image pointing at it) must not switch a patient's
    browser to that person's record."""
    other = Patient(app, app.test_client())
    other.start()
    other.post_step("twitching", TWITCHING)
    patient.start()
    patient.post_step("twitching", TWITCHING)
    own = patient.token()
    page = patient.client.get(f"/resume/{other.token()}").get_data(as_text=True)
    assert "This browser already has other answers in progress" in page
    assert patient.token() == own
    assert patient.client.post(f"/resume/{other.token()}").status_code == 400  # no CSRF token
    assert patient.token() == own


def test_unknown_resume_token_is_a_friendly_404(client):
    response = client.get("/resume/not-a-real-token")
    assert response.status_code == 404
    assert "This link does not work" in response.get_data(as_text=True)


def test_reference_code_has_no_look_alike_characters(patient):
    walk(patient, NOTHING_TRIED)
    reference = patient.stored().reference
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{8}", reference)


def test_delete_confirms_then_removes_the_answers(app, patient):
    walk(patient, LONG_BOTOX)
    token = patient.token()
    page = patient.client.get("/delete")
    assert page.status_code == 200
    assert "Yes, delete my answers" in page.get_data(as_text=True)
    assert patient.stored() is not None  # GET alone deletes nothing
    response = patient.client.post(
        "/delete", data={"csrf_token": csrf_from(page.get_data(as_text=True))}
    )
    assert response.status_code == 200
    assert "Your answers are deleted" in response.get_data(as_text=True)
    from decision_aid.store import get_store

    assert get_store(app).load(token) is None
    assert app.test_client().get(f"/resume/{token}").status_code == 404
    assert patient.client.get("/summary").location.startswith("/?missing=1")


def test_a_replayed_step_after_delete_does_not_recreate_answers(app, patient):
    walk(patient, NOTHING_TRIED)
    page = patient.client.get("/step/twitching").get_data(as_text=True)
    csrf = csrf_from(page)
    delete_page = patient.client.get("/delete").get_data(as_text=True)
    patient.client.post("/delete", data={"csrf_token": csrf_from(delete_page)})
    replay = patient.client.post("/step/twitching", data=dict(TWITCHING, csrf_token=csrf))
    assert replay.status_code == 400  # the CSRF token went with the deleted session
    assert patient.token() is None
    with get_store(app).engine.connect() as conn:  # nothing was stored again
        assert conn.execute(select(func.count()).select_from(responses)).scalar_one() == 0


def test_summary_needs_the_check_page_first(patient):
    patient.start()
    assert patient.client.get("/summary").location == "/check"
    assert patient.client.get("/check").location == "/step/twitching"  # the first unanswered
    for step_id, data in NOTHING_TRIED:
        patient.post_step(step_id, data)
    assert patient.client.get("/summary").location == "/check"  # every page answered, not sent
    patient.finish()
    assert patient.client.get("/summary").status_code == 200


def test_emergency_page_offers_a_way_on(patient):
    patient.start()
    for step_id, data in opening()[:3]:
        patient.post_step(step_id, data)
    response = patient.post_step(
        "symptoms", {"red_flags": ["sudden_weakness"], "bells_palsy": "no", "onset_before_40": "no"}
    )
    assert response.location == "/emergency"
    page = patient.client.get(response.location).get_data(as_text=True)
    assert "stroke" in page and 'href="/step/diagnosis"' in page


def test_the_emergency_page_takes_its_way_on_from_the_answers_never_the_url(patient):
    patient.start()
    for step_id, data in opening()[:3]:
        patient.post_step(step_id, data)
    patient.post_step(
        "symptoms", {"red_flags": ["sudden_weakness"], "bells_palsy": "no", "onset_before_40": "no"}
    )
    page = patient.client.get("/emergency?next=//evil.example/x").get_data(as_text=True)
    assert "evil.example" not in page
    assert 'href="/step/diagnosis">I am safe: go on with the questions</a>' in page
    patient.post_step("diagnosis", SEEN)
    page = patient.client.get("/emergency?next=/step/diagnosis").get_data(as_text=True)
    assert 'href="/step/treatments">I am safe: go on with the questions</a>' in page


def test_summary_shows_the_guidance_urgent_first(patient):
    walk(patient, RED_FLAG, emergency_after="symptoms")
    page = patient.client.get("/summary").get_data(as_text=True)
    cards = re.findall(r'class="care-card care-card--(\w+)" id="item-(\w+)"', page)
    assert cards[0] == ("emergency", "emergency")
    levels = [level for level, _ in cards[1:]]
    order = {"urgent": 0, "recommend": 1, "inform": 2}
    assert levels == sorted(levels, key=order.get)
    assert ("urgent", "red_flags") in cards
    for heading in [
        "Your choices, side by side",
        "Questions to ask at your appointment",
        "Sources",
    ]:
        assert heading in page
    for option in ["botox", "medicines", "mvd", "wait"]:
        assert f'id="option-{option}"' in page
    # The grid: every row for every option, and the pictures of 100 people with their words.
    assert page.count('id="grid-') == 11
    assert page.count('<td><span class="option-grid__name">') == 44
    assert (
        'aria-label="Picture of 100 people: out of 100 people, about 85 to 95 get good relief '
        'from each dose."' in page
    )
    assert page.index("What hemifacial spasm is") < page.index("Your choices, side by side")
    assert "No neurologist or neurosurgeon" in page[: page.index("Your choices, side by side")]
    assert "This is not a diagnosis." in page
    # Download and Print go by the page that asks for the name to put on the PDF.
    assert 'href="/summary/your-name"' in page
    assert 'href="/summary/your-name?then=print"' in page


def test_summary_reasons_name_the_answers(patient):
    walk(patient, LONG_BOTOX)
    page = patient.client.get("/summary").get_data(as_text=True)
    assert 'id="item-ask_about_mvd"' in page
    assert "6 weeks" in page and "12 weeks" in page


def test_pdf_download_for_the_owner_only(app, patient):
    walk(patient, LONG_BOTOX)
    reference = patient.stored().reference_display
    response = patient.client.get("/summary.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="hfs-summary-{reference}.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert app.test_client().get("/summary.pdf").status_code == 404


def test_pdf_needs_a_finished_summary(patient):
    patient.start()
    assert patient.client.get("/summary.pdf").status_code == 404


def test_remove_from_this_device_keeps_the_answers_on_the_server(app, patient):
    walk(patient, LONG_BOTOX)
    token = patient.token()
    page = patient.client.get("/summary").get_data(as_text=True)
    response = patient.client.post("/forget", data={"csrf_token": csrf_from(page)})
    assert response.status_code == 200
    assert "Your answers are off this device" in response.get_data(as_text=True)
    assert patient.token() is None
    assert patient.client.get("/summary").location.startswith("/?missing=1")
    assert get_store(app).load(token).answers == LONG_BOTOX_EXPECTED


def test_the_emergency_page_has_a_way_back_for_a_mistake(patient):
    patient.start()
    for step_id, data in opening()[:3]:
        patient.post_step(step_id, data)
    patient.post_step(
        "symptoms", {"red_flags": ["sudden_weakness"], "bells_palsy": "no", "onset_before_40": "no"}
    )
    page = patient.client.get("/emergency").get_data(as_text=True)
    assert 'class="back-link" href="/step/symptoms"' in page
    assert 'href="tel:999"' in page


def check_rows(page):
    """(short label, answer lines) of each row of the check page."""
    rows = re.findall(
        r'<dt class="summary-list__key">([^<]*)</dt>\s*<dd class="summary-list__value">(.*?)</dd>',
        page,
        re.S,
    )
    return {
        html.unescape(label): [html.unescape(x) for x in re.findall(r">([^<]+)</span>", value)]
        for label, value in rows
    }


@pytest.mark.parametrize(
    "steps, shown",
    [
        (LONG_BOTOX, ["March 2019"]),
        (NOTHING_TRIED, ["About 2 months ago"]),
        (BOTH_SIDES, ["Not known"]),
    ],
)
def test_check_page_has_one_row_for_when_it_started(patient, steps, shown):
    walk(patient, steps)
    rows = check_rows(patient.client.get("/check").get_data(as_text=True))
    assert rows["When it started"] == shown
    assert "onset_known" not in patient.stored().answers  # the helper question is never stored


def test_check_page_rows_have_short_labels_and_none_reads_none(patient):
    walk(patient, LONG_BOTOX)
    rows = check_rows(patient.client.get("/check").get_data(as_text=True))
    assert rows["Other symptoms"] == ["None"]
    assert rows["Ready to decide"][0] == "Do you feel sure about the best choice for you? Yes"
    assert rows["Thinking about now"] == ["Asking about an operation (MVD)"]
    assert rows["Times injected"] == ["24 times"]
    assert "Have you had any of these?" not in rows


def test_a_page_only_question_stays_out_of_the_answers_and_guidance_validates(app, patient):
    from decision_aid import guidance

    for steps in (LONG_BOTOX, NOTHING_TRIED, BOTH_SIDES):
        stored = walk(Patient(app, app.test_client()), steps)
        assert not {"onset_known", "onset_known__shown"} & set(stored.answers)
        guidance.validate(stored.answers, TODAY)


def test_pressing_start_twice_before_answering_makes_no_record(app, patient):
    """No record until the first answer is saved; each Start gets a fresh token, so a cookie
    planted before it is worth nothing."""
    patient.start()
    token = patient.token()
    patient.start()
    assert patient.token() != token
    with get_store(app).engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(responses)).scalar_one() == 0
    patient.post_step("twitching", TWITCHING)
    assert patient.token() not in (token, None)
    with get_store(app).engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(responses)).scalar_one() == 1


def test_the_scan_year_on_the_treatments_page_says_which_answer_it_follows(patient):
    """The year of the last MRI is asked on "Treatments you have tried", after the page about
    tests: its hint says why it is there, and it is not asked after "No MRI"."""
    patient.start()
    for step_id, data in opening() + [("diagnosis", SEEN)]:
        patient.post_step(step_id, data)
    page = patient.client.get("/step/treatments").get_data(as_text=True)
    assert "In what year was your last brain scan (MRI)?" in page
    assert "You said you have had one." in page  # why it is asked here
    patient.post_step("diagnosis", SEEN | {"mri": "none"})
    page = patient.client.get("/step/treatments").get_data(as_text=True)
    assert "brain scan" not in page
