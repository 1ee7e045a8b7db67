"""'Skip this page' on the optional pages of "Making your decision" (issue 27's time target,
issue 31's role, support and knowledge check): it comes before the page's questions, goes on
without choosing anything, keeps what was chosen before, and is not offered on a page with a
required question."""

import re

from test_wizard import NOTHING_TRIED

from decision_aid.web.shared import questionnaire


def _to_role(patient, last="sure"):
    patient.start()
    for step_id, data in NOTHING_TRIED:
        patient.post_step(step_id, data)
        if step_id == last:
            break


def _skip(patient, step_id, query=""):
    page = patient.client.get(f"/step/{step_id}{query}").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = page.split('class="skip-page"')[1].split("</form>")[0]
    data = {"csrf_token": token, "skip_page": "1"}
    data |= dict(re.findall(r'type="hidden" name="(return_to|question)" value="([^"]+)"', form))
    return patient.client.post(f"/step/{step_id}{query}", data=data)


def test_only_the_optional_pages_of_making_your_decision_can_be_skipped(app):
    with app.app_context():
        skippable = [s.id for s in questionnaire().steps if s.skippable]
    assert skippable == ["role", "support", "knowledge"]


def test_skip_comes_before_the_questions_and_goes_on_with_nothing_chosen(patient):
    _to_role(patient)
    page = patient.client.get("/step/role").get_data(as_text=True)
    main = page.split('id="main"')[1]
    assert main.index("Skip this page") < main.index("I prefer to make the decision myself")
    assert "This page is optional." in main
    assert _skip(patient, "role").location == "/step/support"
    assert _skip(patient, "support").location == "/step/knowledge"
    assert _skip(patient, "knowledge").location == "/step/your_questions"
    stored = patient.stored()
    assert not {"preferred_role", "others_involved", "pressure", "knowledge"} & set(stored.answers)
    assert {"role", "support", "knowledge"} <= set(stored.completed_steps)


def test_skipping_after_a_change_link_keeps_the_answer_given_before(patient):
    _to_role(patient)
    patient.post_step("role", {"preferred_role": "shared"})
    query = "?return_to=check&question=preferred_role"
    response = _skip(patient, "role", query)
    assert patient.stored().answers["preferred_role"] == "shared"
    assert response.location.startswith("/step/support?return_to=check")


def test_a_page_with_a_required_question_has_no_skip(patient):
    _to_role(patient, last="priorities")
    page = patient.client.get("/step/sure").get_data(as_text=True)
    assert "Skip this page" not in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = patient.client.post("/step/sure", data={"csrf_token": token, "skip_page": "1"})
    assert response.status_code == 200 and "Select yes or no" in response.get_data(as_text=True)
