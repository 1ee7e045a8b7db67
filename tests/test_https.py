"""Behind nginx with TLS (deploy/), every request is secure, and Flask-WTF's strict HTTPS check
refuses a POST whose Referer is missing or from another origin. A browser sends a Referer only
as the page's Referrer-Policy allows, so the policy decides whether anyone can start or sign in
(security review, C1). The real recipe is driven in Chromium in tests/test_deploy_https.py."""

from clinic_support import STAFF_EMAIL, STAFF_PASSWORD, add_staff
from conftest import csrf_from
from test_wizard import TWITCHING

ORIGIN = "https://clinic.example"

# What a browser sends as the Referer of a same-origin POST, by the policy of the page it is on
# (https://www.w3.org/TR/referrer-policy/): the page's URL, its origin, or nothing.
SAME_ORIGIN_REFERER = {
    "no-referrer": None,
    "same-origin": "url",
    "origin": "origin",
    "strict-origin": "origin",
    "origin-when-cross-origin": "url",
    "strict-origin-when-cross-origin": "url",
    "no-referrer-when-downgrade": "url",
    "unsafe-url": "url",
}


def browser_post(client, page_path, data, action=None):
    """GET `page_path` over HTTPS and POST its form (to `action`, else back to the page) with the
    Referer a browser would send from that page."""
    page = client.get(page_path, base_url=ORIGIN)
    assert page.status_code == 200, (page_path, page.status_code)
    sends = SAME_ORIGIN_REFERER[page.headers["Referrer-Policy"]]
    headers = {"Referer": {"url": ORIGIN + page_path, "origin": ORIGIN}[sends]} if sends else {}
    form = {"csrf_token": csrf_from(page.get_data(as_text=True)), **data}
    return client.post(action or page_path, data=form, headers=headers, base_url=ORIGIN)


def test_a_patient_starts_and_saves_a_step_over_https(app):
    client = app.test_client()
    started = browser_post(client, "/", {}, action="/start")
    assert started.status_code == 302, started.get_data(as_text=True)[:300]
    saved = browser_post(client, "/step/twitching", TWITCHING)
    assert saved.status_code == 302, saved.get_data(as_text=True)[:300]
    assert saved.location.startswith(("/step/", ORIGIN + "/step/"))


def test_staff_sign_in_and_out_over_https(app):
    add_staff(app)
    client = app.test_client()
    form = {"email": STAFF_EMAIL, "password": STAFF_PASSWORD}
    signed_in = browser_post(client, "/staff/sign-in", form)
    assert signed_in.status_code == 302, signed_in.get_data(as_text=True)[:300]
    assert client.get("/staff/", base_url=ORIGIN).status_code == 200
    signed_out = browser_post(client, "/staff/", {}, action="/staff/sign-out")
    assert signed_out.status_code == 302
    assert client.get("/staff/", base_url=ORIGIN).status_code == 302  # to sign-in again


def test_links_to_other_sites_carry_no_address(client):
    """The policy sends a Referer to this site only: a link to PubMed or DOI never carries a
    resume link or a step name."""
    for path in ["/", "/staff/sign-in"]:
        assert client.get(path).headers["Referrer-Policy"] == "same-origin"
