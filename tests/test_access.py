"""Access control: every route of the app, for an anonymous visitor, a patient (with their own
finished answers) and a signed-in member of staff. Staff pages need a staff account; a patient's
token opens none of them; staff get none of a patient's pages or answers. A new route must be
added to MATRIX, or `test_the_matrix_covers_every_route` fails."""

import pytest
from clinic_support import (
    add_staff,
    cheap_password_hashing,  # noqa: F401 (an autouse fixture)
    sent_summary,
    sign_in,
)
from conftest import csrf_from

from decision_aid.clinic import listing
from decision_aid.fhir import tokens as api_tokens
from decision_aid.store import get_store

START = ("redirect", "/?missing=1")
SIGN_IN = ("redirect", "/staff/sign-in")

# (method, endpoint): (path, {role: expected}). Expected: a status code, or ("redirect", prefix).
# {mine} is the patient's own reference (finished, not sent); {sent} another patient's sent one.
MATRIX = {
    ("GET", "wizard.start"): ("/", {"anonymous": 200, "patient": 200, "staff": 200}),
    ("POST", "wizard.begin"): (
        "/start",
        # A patient with answers goes on with them: starting again is /start-again.
        {
            "anonymous": ("redirect", "/step/"),
            "patient": ("redirect", "/summary"),
            "staff": ("redirect", "/step/"),
        },
    ),
    ("GET", "wizard.step"): (
        "/step/twitching",
        {"anonymous": START, "patient": 200, "staff": START},
    ),
    ("POST", "wizard.step"): (
        "/step/twitching",
        {"anonymous": START, "patient": 200, "staff": START},
    ),
    ("GET", "wizard.saved"): ("/saved", {"anonymous": START, "patient": 200, "staff": START}),
    ("GET", "wizard.start_again"): (
        "/start-again",
        {"anonymous": ("redirect", "/"), "patient": 200, "staff": ("redirect", "/")},
    ),
    ("POST", "wizard.start_again"): (
        "/start-again",
        {
            "anonymous": ("redirect", "/"),
            "patient": ("redirect", "/step/"),
            "staff": ("redirect", "/"),
        },
    ),
    ("GET", "wizard.emergency"): (
        "/emergency",
        {"anonymous": START, "patient": 200, "staff": START},
    ),
    # The urgent interrupt (a rash on carbamazepine): without such answers, on to the questions.
    ("GET", "wizard.urgent"): (
        "/urgent/medicine_rash",
        {"anonymous": START, "patient": ("redirect", "/check"), "staff": START},
    ),
    ("GET", "wizard.check"): ("/check", {"anonymous": START, "patient": 200, "staff": START}),
    # The choices side by side before "Making your decision" (issue 31): the patient's answers.
    ("GET", "wizard.choices"): ("/choices", {"anonymous": START, "patient": 200, "staff": START}),
    # "Was anything unclear or missing?" (issue 31): open to anyone, stored with no answers;
    # sent empty here, so the page says what to write.
    ("GET", "wizard.feedback"): ("/feedback", {"anonymous": 200, "patient": 200, "staff": 200}),
    ("POST", "wizard.feedback"): ("/feedback", {"anonymous": 200, "patient": 200, "staff": 200}),
    ("GET", "wizard.feedback_thanks"): (
        "/feedback/thanks",
        {"anonymous": 200, "patient": 200, "staff": 200},
    ),
    # "How did your appointment go?" (issue 31): only the patient's own answers, and only once
    # the appointment date has passed (not yet here: tests/test_followup.py moves the clock).
    ("GET", "wizard.followup"): (
        "/after-appointment",
        {"anonymous": ("redirect", "/"), "patient": ("redirect", "/"), "staff": ("redirect", "/")},
    ),
    ("POST", "wizard.followup"): (
        "/after-appointment",
        {"anonymous": ("redirect", "/"), "patient": ("redirect", "/"), "staff": ("redirect", "/")},
    ),
    ("GET", "wizard.followup_done"): (
        "/after-appointment/done",
        {"anonymous": ("redirect", "/"), "patient": ("redirect", "/"), "staff": ("redirect", "/")},
    ),
    ("POST", "wizard.followup_done"): (
        "/after-appointment/done",
        {"anonymous": ("redirect", "/"), "patient": ("redirect", "/"), "staff": ("redirect", "/")},
    ),
    ("POST", "wizard.check"): (
        "/check",
        {"anonymous": START, "patient": ("redirect", "/summary"), "staff": START},
    ),
    ("GET", "wizard.summary"): ("/summary", {"anonymous": START, "patient": 200, "staff": START}),
    # docs/development.md, linked from the summary's "About this guide": public, no answers
    ("GET", "wizard.development"): (
        "/about-this-guide",
        {"anonymous": 200, "patient": 200, "staff": 200},
    ),
    ("GET", "wizard.summary_pdf"): (
        "/summary.pdf",
        {"anonymous": 404, "patient": 200, "staff": 404},
    ),
    # Issue 26: page 2 alone for the patient, and the public list of sources.
    ("GET", "wizard.consultation_pdf"): (
        "/summary/consultation.pdf",
        {"anonymous": 404, "patient": 200, "staff": 404},
    ),
    # Issue 27: the text size is a link that sets a cookie and comes back (to / without ?next).
    ("GET", "text_size"): (
        "/text-size/large",
        {"anonymous": ("redirect", "/"), "patient": ("redirect", "/"), "staff": ("redirect", "/")},
    ),
    # "Email me the link" is off without MAIL_URL (tests/test_mail_link.py tests it on).
    ("POST", "wizard.email_link"): (
        "/saved/email",
        {"anonymous": 404, "patient": 404, "staff": 404},
    ),
    ("GET", "wizard.sources"): ("/sources", {"anonymous": 200, "patient": 200, "staff": 200}),
    ("GET", "wizard.pdf_name"): (
        "/summary/your-name",
        {"anonymous": START, "patient": 200, "staff": START},
    ),
    ("POST", "wizard.pdf_name"): (
        "/summary/your-name?then=print",
        {"anonymous": START, "patient": ("redirect", "/summary.pdf?print=1"), "staff": START},
    ),
    ("GET", "wizard.resume"): (
        "/resume/not-a-token",
        {"anonymous": 404, "patient": 404, "staff": 404},
    ),
    ("POST", "wizard.resume"): (
        "/resume/not-a-token",
        {"anonymous": 404, "patient": 404, "staff": 404},
    ),
    ("POST", "wizard.forget"): ("/forget", {"anonymous": START, "patient": 200, "staff": START}),
    ("GET", "wizard.delete"): ("/delete", {"anonymous": START, "patient": 200, "staff": START}),
    ("POST", "wizard.delete"): ("/delete", {"anonymous": START, "patient": 200, "staff": START}),
    ("GET", "clinic_send.send"): (
        "/send-to-clinic",
        {"anonymous": START, "patient": 200, "staff": START},
    ),
    ("POST", "clinic_send.send"): (
        "/send-to-clinic",
        {"anonymous": START, "patient": ("redirect", "/send-to-clinic/sent"), "staff": START},
    ),
    ("GET", "clinic_send.sent"): (
        "/send-to-clinic/sent",
        {"anonymous": START, "patient": ("redirect", "/send-to-clinic"), "staff": START},
    ),
    ("GET", "staff.sign_in"): (
        "/staff/sign-in",
        {"anonymous": 200, "patient": 200, "staff": ("redirect", "/staff/")},
    ),
    ("POST", "staff.sign_in"): (
        "/staff/sign-in",
        {"anonymous": 200, "patient": 200, "staff": ("redirect", "/staff/")},
    ),
    ("POST", "staff.sign_out"): (
        "/staff/sign-out",
        {"anonymous": SIGN_IN, "patient": SIGN_IN, "staff": SIGN_IN},
    ),
    ("GET", "staff.summaries"): (
        "/staff/",
        {"anonymous": SIGN_IN, "patient": SIGN_IN, "staff": 200},
    ),
    ("GET", "staff.find"): (
        "/staff/find?code={sent}",
        {"anonymous": SIGN_IN, "patient": SIGN_IN, "staff": ("redirect", "/staff/summary/")},
    ),
    ("GET", "staff.clinician_pdf"): (
        "/staff/summary/{sent}/clinician.pdf",
        {"anonymous": SIGN_IN, "patient": SIGN_IN, "staff": 200},
    ),
    ("GET", "staff.consultation_pdf"): (
        "/staff/summary/{sent}/consultation.pdf",
        {"anonymous": SIGN_IN, "patient": SIGN_IN, "staff": 200},
    ),
    ("GET", "staff.day_list"): (
        "/staff/day-list?date=2026-12-03",
        {"anonymous": SIGN_IN, "patient": SIGN_IN, "staff": 200},
    ),
    ("GET", "staff.day_clinician_pages"): (
        "/staff/day-list/clinician-pages?date=2026-12-09",  # the sent summary's appointment
        {"anonymous": SIGN_IN, "patient": SIGN_IN, "staff": 200},
    ),
    ("GET", "staff.summary"): (
        "/staff/summary/{sent}",
        {"anonymous": SIGN_IN, "patient": SIGN_IN, "staff": 200},
    ),
    ("GET", "staff.pdf"): (
        "/staff/summary/{sent}/pdf",
        {"anonymous": SIGN_IN, "patient": SIGN_IN, "staff": 200},
    ),
    ("POST", "staff.status"): (
        "/staff/summary/{sent}/status",
        {"anonymous": SIGN_IN, "patient": SIGN_IN, "staff": ("redirect", "/staff/summary/")},
    ),
    ("GET", "staff.audit"): (
        "/staff/audit",
        {"anonymous": SIGN_IN, "patient": SIGN_IN, "staff": 200},
    ),
    ("GET", "staff.report"): (
        "/staff/report",
        {"anonymous": SIGN_IN, "patient": SIGN_IN, "staff": 200},
    ),
    ("GET", "staff.feedback"): (
        "/staff/feedback",
        {"anonymous": SIGN_IN, "patient": SIGN_IN, "staff": 200},
    ),
    ("GET", "staff.fhir_bundle"): (
        "/staff/summary/{sent}/fhir",
        {"anonymous": SIGN_IN, "patient": SIGN_IN, "staff": 200},
    ),
    # The FHIR read API: only an API token opens it; a staff or patient session does not.
    ("GET", "fhir_api.metadata"): (
        "/fhir/metadata",
        {"anonymous": 200, "patient": 200, "staff": 200, "api": 200},
    ),
    ("GET", "fhir_api.questionnaire"): (
        "/fhir/Questionnaire/hfs-decision-aid",
        {"anonymous": 401, "patient": 401, "staff": 401, "api": 200},
    ),
    ("GET", "fhir_api.codesystem"): (
        "/fhir/CodeSystem/hfs-decision-aid-answers",
        {"anonymous": 401, "patient": 401, "staff": 401, "api": 200},
    ),
    ("GET", "fhir_api.read_response"): (
        "/fhir/QuestionnaireResponse/{sent}",
        {"anonymous": 401, "patient": 401, "staff": 401, "api": 200},
    ),
    ("GET", "fhir_api.search_responses"): (
        "/fhir/QuestionnaireResponse",
        {"anonymous": 401, "patient": 401, "staff": 401, "api": 200},
    ),
}
# "api": a record system with an API token and no session. Where a route names no "api"
# expectation, the token must give nothing more than an anonymous visitor gets.
ROLES = ("anonymous", "patient", "staff", "api")
CASES = [(method, endpoint, role) for (method, endpoint) in MATRIX for role in ROLES]


def _routes(app):
    return {
        (method, rule.endpoint)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_the_matrix_covers_every_route(app):
    missing = _routes(app) - set(MATRIX)
    assert not missing, f"add these routes to MATRIX in tests/test_access.py: {sorted(missing)}"
    assert set(MATRIX) - _routes(app) == set()


@pytest.fixture
def world(app):
    """Two patients' answers: the patient's own (finished, not sent) and someone else's sent
    summary, with complete steps so every page of the path opens."""
    store = get_store(app)
    questionnaire = app.extensions["questionnaire"]
    _mine_token, mine = sent_summary(app, send=False)
    _sent_token, sent = sent_summary(app)
    for token, response in ((_mine_token, mine), (_sent_token, sent)):
        steps = [s.id for s in questionnaire.applicable_steps(response.answers)]
        listed = listing.columns(response.answers, store.today())
        store.save(token, response.answers, steps, finished=True, listed=listed)
    add_staff(app)
    return {
        "mine_token": _mine_token,
        "mine": store.load(_mine_token),
        "sent": sent,
        "api_token": api_tokens.add(store, "record-system"),
    }


def _client(app, world, role):
    client = app.test_client()
    if role == "patient":
        with client.session_transaction() as session:
            session["token"] = world["mine_token"]
    elif role == "staff":
        assert sign_in(client).status_code == 302
    elif role == "api":
        client.environ_base["HTTP_AUTHORIZATION"] = f"Bearer {world['api_token']}"
    return client


def _csrf(client, role):
    page = {"staff": "/staff/", "patient": "/check"}.get(role, "/")
    return csrf_from(client.get(page).get_data(as_text=True))


@pytest.mark.parametrize("method, endpoint, role", CASES)
def test_access_matrix(app, world, method, endpoint, role):
    path, expected = MATRIX[(method, endpoint)]
    path = path.format(mine=world["mine"].reference, sent=world["sent"].reference)
    client = _client(app, world, role)
    if method == "POST":
        response = client.post(path, data={"csrf_token": _csrf(client, role)})
    else:
        response = client.get(path)
    wanted = expected.get(role, expected["anonymous"])
    if isinstance(wanted, tuple):
        assert response.status_code == 302, (role, path, response.status_code)
        assert response.location.startswith(wanted[1]), (role, path, response.location)
    else:
        assert response.status_code == wanted, (role, path, response.status_code)
    body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
    if role != "patient":  # nobody else sees the patient's own answers or code
        assert world["mine"].reference_display not in body
        assert "Zoë" not in body
    data = response.get_data()
    fhir_json = response.mimetype == "application/fhir+json"
    if role != "patient" and fhir_json:  # a patient's unsent answers never reach the API
        assert world["mine"].reference.encode() not in data
    if role not in ("staff", "api"):  # only staff and the record system see a sent summary
        assert world["sent"].reference_display.encode() not in data
        assert not fhir_json or world["sent"].reference.encode() not in data


@pytest.mark.parametrize("endpoint", sorted({e for (m, e) in MATRIX if m == "POST"}))
@pytest.mark.parametrize("role", ROLES)
def test_every_post_needs_a_csrf_token(app, world, endpoint, role):
    path, _expected = MATRIX[("POST", endpoint)]
    path = path.format(mine=world["mine"].reference, sent=world["sent"].reference)
    client = _client(app, world, role)
    assert client.post(path, data={"status": "reviewed"}).status_code == 400
    assert get_store(app).load(world["mine_token"]) is not None
    assert get_store(app).sent_by_reference(world["sent"].reference).reviewed_at is None


def test_a_patient_cannot_open_their_own_sent_summary_on_the_staff_pages(app, world):
    client = _client(app, world, "patient")
    token = csrf_from(client.get("/send-to-clinic").get_data(as_text=True))
    client.post("/send-to-clinic", data={"csrf_token": token})
    reference = world["mine"].reference
    for path in [f"/staff/summary/{reference}", f"/staff/summary/{reference}/pdf", "/staff/"]:
        response = client.get(path)
        assert response.status_code == 302 and response.location.startswith("/staff/sign-in")


def test_staff_cannot_change_answers(app, world):
    client = _client(app, world, "staff")
    before = get_store(app).load(world["mine_token"]).answers
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    client.post("/step/twitching", data={"csrf_token": token, "side": "right"})
    client.post("/delete", data={"csrf_token": token})
    assert get_store(app).load(world["mine_token"]).answers == before
