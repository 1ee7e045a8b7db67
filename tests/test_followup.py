"""Issue 31, after the consultation: "How did your appointment go?" offered once the appointment
date has passed (a moved clock), on the start page, the resume page and the saved page; stored
beside the answers; sent to the clinic only if the patient chooses; deleted with the answers;
the summary shows SURE before and after."""

import datetime

import pytest
from clinic_support import staff_client
from conftest import csrf_from
from hypothesis import given
from hypothesis import strategies as st
from test_wizard import NOTHING_TRIED

from decision_aid.guidance import quality
from decision_aid.store import get_store

APPOINTMENT = {"appointment__day": "9", "appointment__month": "12", "appointment__year": "2026"}
FOLLOWUP_FORM = {
    "chosen": "botox",
    **{f"sure_after__{k}": "yes" for k in quality.SURE_ITEM_IDS},
    "treated_3_months": "yes",
    "treated_3_months__shown": "yes",  # with script, the page says the follow-up was on screen
    "regret__right_decision": "2",
    "regret__regret_choice": "4",
    "regret__same_again": "3",
    "regret__did_harm": "5",
    "regret__wise_decision": "2",
}


def finished_with_appointment(patient):
    """NOTHING_TRIED (SURE all yes except the first: 3 of 4) with an appointment on 9 December."""
    patient.start()
    for step_id, data in NOTHING_TRIED:
        if step_id == "sure":
            data = dict(data) | {"sure__sure_of_choice": "no"}
        if step_id == "your_questions":
            data = dict(data) | APPOINTMENT
        patient.post_step(step_id, data)
    assert patient.finish().location == "/summary"


def move_clock(app, day):
    app.config["TODAY"] = day


def post(patient, path, data):
    page = patient.client.get(path)
    assert page.status_code == 200, (path, page.status_code, page.location)
    return patient.client.post(
        path, data={"csrf_token": csrf_from(page.get_data(as_text=True)), **data}
    )


def test_not_offered_before_the_appointment_date_has_passed(app, patient):
    finished_with_appointment(patient)
    for day in ("2026-11-25", "2026-12-09"):  # before, and on the day itself
        move_clock(app, day)
        assert "followup-offer" not in patient.client.get("/").get_data(as_text=True)
        assert patient.client.get("/after-appointment").location == "/"


def test_offered_after_it_on_start_saved_and_resume_pages(app, patient):
    finished_with_appointment(patient)
    token = patient.token()
    move_clock(app, "2026-12-10")
    start = patient.client.get("/").get_data(as_text=True)
    assert 'id="followup-offer"' in start and 'href="/after-appointment"' in start
    saved = patient.client.get("/saved").get_data(as_text=True)
    assert 'id="followup-offer"' in saved
    other = app.test_client()  # another browser, with the resume link
    page = other.get(f"/resume/{token}").get_data(as_text=True)
    assert 'id="resume-followup"' in page
    response = other.post(
        f"/resume/{token}", data={"csrf_token": csrf_from(page), "then": "followup"}
    )
    assert response.location == "/after-appointment"
    assert other.get("/after-appointment").status_code == 200


def test_stored_beside_the_answers_and_the_summary_shows_sure_before_and_after(app, patient):
    finished_with_appointment(patient)
    move_clock(app, "2026-12-10")
    answers_before = patient.stored().answers
    response = post(patient, "/after-appointment", FOLLOWUP_FORM)
    assert response.location == "/after-appointment/done"
    stored = patient.stored()
    assert stored.answers == answers_before  # the answers document is unchanged
    assert stored.followup["chosen"] == "botox"
    assert stored.followup["regret"]["did_harm"] == 5
    assert stored.followup_sent_at is None
    done = patient.client.get("/after-appointment/done").get_data(as_text=True)
    assert "3 of 4" in done and "4 of 4" in done
    assert "Only you can see these answers" in done  # not sent to the clinic: nothing to send to
    summary = patient.client.get("/summary").get_data(as_text=True)
    block = summary.split('id="sure-before-after"')[1].split("</dl>")[0]
    assert "before your appointment" in block and "3 of 4" in block and "4 of 4" in block


def test_everything_is_optional(app, patient):
    finished_with_appointment(patient)
    move_clock(app, "2026-12-10")
    assert post(patient, "/after-appointment", {}).location == "/after-appointment/done"
    assert patient.stored().followup == {} or patient.stored().followup is None


def test_sent_to_the_clinic_only_if_the_patient_chooses(app, patient):
    finished_with_appointment(patient)
    page = patient.client.get("/send-to-clinic").get_data(as_text=True)
    identity = {
        "name": "Sam Example",
        "date_of_birth__day": "14",
        "date_of_birth__month": "2",
        "date_of_birth__year": "1966",
    }
    sent = patient.client.post("/send-to-clinic", data={"csrf_token": csrf_from(page), **identity})
    assert sent.location == "/send-to-clinic/sent"
    reference = patient.stored().reference
    move_clock(app, "2026-12-10")
    post(patient, "/after-appointment", FOLLOWUP_FORM)
    staff = staff_client(app)
    before = staff.get(f"/staff/summary/{reference}").get_data(as_text=True)
    assert 'id="followup-sent"' not in before  # not chosen yet: the clinic sees nothing of it
    done = patient.client.get("/after-appointment/done").get_data(as_text=True)
    assert 'id="send-followup"' in done
    assert post(patient, "/after-appointment/done", {}).location == "/after-appointment/done"
    assert patient.stored().followup_sent_at is not None
    after = staff.get(f"/staff/summary/{reference}").get_data(as_text=True)
    block = after.split('id="followup-sent"')[1].split("</dl>")[0]
    assert "Botox" in block and "before: 3/4; after: 4/4" in block
    assert "25 of 100 (0 is no regret)" in block
    # Changed afterwards: not sent again until the patient sends it.
    post(patient, "/after-appointment", FOLLOWUP_FORM | {"chosen": "wait"})
    assert patient.stored().followup_sent_at is None
    assert 'id="followup-sent"' not in staff.get(f"/staff/summary/{reference}").get_data(
        as_text=True
    )


def test_it_goes_with_the_answers_in_the_purge(app, patient):
    finished_with_appointment(patient)
    move_clock(app, "2026-12-10")
    post(patient, "/after-appointment", FOLLOWUP_FORM)
    store = get_store(app)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=400)
    store.purge(30, now=later)
    assert store.load(patient.token()) is None


@pytest.mark.parametrize(
    ("regret", "score"),
    [
        (
            {
                "right_decision": 1,
                "regret_choice": 5,
                "same_again": 1,
                "did_harm": 5,
                "wise_decision": 1,
            },
            0,
        ),
        (
            {
                "right_decision": 5,
                "regret_choice": 1,
                "same_again": 5,
                "did_harm": 1,
                "wise_decision": 5,
            },
            100,
        ),
        (
            {
                "right_decision": 2,
                "regret_choice": 4,
                "same_again": 3,
                "did_harm": 5,
                "wise_decision": 2,
            },
            25,
        ),
        ({"right_decision": 2}, None),
    ],
)
def test_decision_regret_scale_scoring(regret, score):
    assert quality.regret_score(regret) == score


@given(st.lists(st.integers(1, 5), min_size=5, max_size=5))
def test_regret_is_0_to_100_and_agreeing_with_regret_raises_it(values):
    regret = dict(zip(quality.REGRET_ITEMS, values, strict=True))
    score = quality.regret_score(regret)
    assert 0 <= score <= 100
    if regret["regret_choice"] > 1:
        more = regret | {"regret_choice": regret["regret_choice"] - 1}  # agrees more
        assert quality.regret_score(more) > score
