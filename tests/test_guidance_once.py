"""The guidance is made once per PDF (issue 29): a route that hands the answers to the render
process only checks that they are readable, and the render process makes the result. Answers the
guidance cannot read still give the patient a 404 and the clinic a 409 page, logged without
them."""

import pytest
from clinic_support import answers_file, sent_summary, staff_client
from test_wizard import NOTHING_TRIED, walk

from decision_aid import guidance
from decision_aid.store import get_store

UNREADABLE = "sideways"  # not a value of `side`


@pytest.fixture
def made(monkeypatch):
    """How many guidance results this (the web) process makes."""
    calls = []
    real = guidance.result_for

    def counted(answers, today):
        calls.append(today)
        return real(answers, today)

    monkeypatch.setattr(guidance, "result_for", counted)
    return calls


def test_the_patients_pdfs_make_no_guidance_in_the_web_process(app, patient, made):
    walk(patient, NOTHING_TRIED)
    made.clear()
    for path in ("/summary.pdf", "/summary.pdf?without_name=1", "/summary/consultation.pdf"):
        response = patient.client.get(path)
        assert response.status_code == 200 and response.data.startswith(b"%PDF"), path
    assert made == []  # the render process made it, once per PDF
    assert patient.client.get("/summary").status_code == 200
    assert len(made) == 1  # the summary page: once


def test_unreadable_answers_give_the_patient_a_404_and_log_no_answer(app, patient, caplog):
    walk(patient, NOTHING_TRIED)
    stored = patient.stored()
    get_store(app).save(
        patient.token(), stored.answers | {"side": UNREADABLE}, stored.completed_steps
    )
    for path in ("/summary.pdf", "/summary.pdf?without_name=1", "/summary/consultation.pdf"):
        assert patient.client.get(path).status_code == 404, path
    assert "stored answers failed validation: 1 problems" in caplog.text
    assert UNREADABLE not in caplog.text


def test_the_clinics_pdfs_make_no_guidance_in_the_web_process(app, made):
    _token, sent = sent_summary(app, answers_file("typical_botox"))
    staff = staff_client(app)
    made.clear()
    for path in ("pdf", "clinician.pdf", "consultation.pdf"):
        response = staff.get(f"/staff/summary/{sent.reference}/{path}")
        assert response.status_code == 200 and response.data.startswith(b"%PDF"), path
    assert made == []


def test_unreadable_sent_answers_give_the_clinic_a_page_that_says_so(app, caplog):
    answers = answers_file("typical_botox") | {"side": UNREADABLE}
    _token, sent = sent_summary(app, answers)
    staff = staff_client(app)
    for path in ("pdf", "clinician.pdf", "consultation.pdf"):
        response = staff.get(f"/staff/summary/{sent.reference}/{path}")
        assert response.status_code == 409, path
        assert "No PDF yet" in response.get_data(as_text=True)
    assert "stored answers failed validation: 1 problems" in caplog.text
    assert UNREADABLE not in caplog.text
