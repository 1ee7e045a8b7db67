"""Helpers for the clinic-side tests: staff accounts, signing in, and sent summaries."""

import json
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from conftest import csrf_from
from test_wizard import LONG_BOTOX, walk

from decision_aid.clinic import listing
from decision_aid.staff import hash_password
from decision_aid.staff import passwords as staff_module
from decision_aid.store import get_store

STAFF_EMAIL = "nurse@clinic.example"
STAFF_PASSWORD = "correct horse battery staple"
DATA = Path(__file__).parent / "data" / "answers"


def answers_file(name):
    return json.loads((DATA / f"{name}.json").read_text(encoding="utf-8"))


def add_staff(app, email=STAFF_EMAIL, password=STAFF_PASSWORD):
    return get_store(app).add_staff(email, hash_password(password))


def sign_in(client, email=STAFF_EMAIL, password=STAFF_PASSWORD, ip=None):
    page = client.get("/staff/sign-in")
    assert page.status_code == 200, page.status_code
    data = {"csrf_token": csrf_from(page.get_data(as_text=True)), "email": email}
    data["password"] = password
    extra = {"environ_base": {"REMOTE_ADDR": ip}} if ip else {}
    return client.post("/staff/sign-in", data=data, **extra)


def staff_client(app, email=STAFF_EMAIL):
    """A new browser, signed in as an (added) staff account."""
    if get_store(app).staff_by_email(email) is None:
        add_staff(app, email)
    client = app.test_client()
    response = sign_in(client, email)
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return client


def staff_post(client, path, data=None):
    """POST from a staff page, with the CSRF token of the staff's session."""
    token = csrf_from(client.get("/staff/").get_data(as_text=True))
    return client.post(path, data={"csrf_token": token, **(data or {})})


def send_through_pages(patient, steps=LONG_BOTOX, emergency_after=None):
    """The patient walks the wizard and sends the summary through the confirm page."""
    walk(patient, steps, emergency_after=emergency_after)
    page = patient.client.get("/send-to-clinic")
    assert page.status_code == 200
    # The clinic needs a name and date of birth; the page asks for them if they were not given.
    identity = {
        "name": "Sam Example",
        "date_of_birth__day": "14",
        "date_of_birth__month": "2",
        "date_of_birth__year": "1966",
    }
    response = patient.client.post(
        "/send-to-clinic",
        data={"csrf_token": csrf_from(page.get_data(as_text=True)), **identity},
    )
    assert response.status_code == 302 and response.location == "/send-to-clinic/sent"
    return patient.stored()


def columns(store, answers):
    """The list columns a caller of the store's `send` passes in (decision_aid.clinic.listing)."""
    return listing.columns(answers, store.today())


def sent_summary(app, answers=None, send=True):
    """A finished (and sent) set of answers, made directly in the store. Returns
    (token, Submission)."""
    store = get_store(app)
    token, _submission = store.create()
    store.save(token, answers or answers_file("typical_botox"), [], finished=True)
    if send:
        store.send(token, columns(store, answers or answers_file("typical_botox")))
    return token, store.load(token)


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch):
    """argon2id with the smallest cost, so that the many sign-ins stay quick. The real
    parameters are argon2-cffi's defaults (RFC 9106)."""
    monkeypatch.setattr(
        staff_module, "hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    monkeypatch.setattr(staff_module, "_dummy_hash", None)
