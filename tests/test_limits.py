"""Rate limits kept in the database (issue 15): new starts and sending to the clinic per address,
PDF downloads per patient, and staff sign-in per account across addresses (with one audit
entry). Each refusal is a friendly 429 page with Retry-After."""

import pytest
from clinic_support import (  # noqa: F401 (the fixture)
    add_staff,
    cheap_password_hashing,
    send_through_pages,
    sign_in,
)
from conftest import Patient, csrf_from, make_app
from test_wizard import NOTHING_TRIED, walk

from decision_aid import create_app
from decision_aid.staff import auth as staff_module
from decision_aid.store import get_store
from decision_aid.web import limits


@pytest.fixture
def limited(tmp_path):
    app = make_app(
        tmp_path, RATE_LIMIT_START="3/600", RATE_LIMIT_SEND="1/3600", RATE_LIMIT_PDF="2/3600"
    )
    yield app
    get_store(app).engine.dispose()


def start(client, address):
    csrf = csrf_from(client.get("/").get_data(as_text=True))
    return client.post("/start", data={"csrf_token": csrf}, environ_base={"REMOTE_ADDR": address})


def assert_friendly_429(response, retry_after):
    assert response.status_code == 429
    assert response.headers["Retry-After"] == str(retry_after)
    page = response.get_data(as_text=True)
    assert "Please wait a little" in page and "Your saved answers are safe" in page


def test_new_starts_are_limited_per_address(limited):
    for _ in range(3):
        assert start(limited.test_client(), "192.0.2.1").status_code == 302
    assert_friendly_429(start(limited.test_client(), "192.0.2.1"), 600)
    assert start(limited.test_client(), "192.0.2.2").status_code == 302  # another address


def test_the_limit_holds_across_workers(limited, tmp_path):
    """Another app on the same database (another worker or host) counts the same hits."""
    other = create_app(
        {
            "INSTANCE_PATH": str(tmp_path / "other"),
            "DATABASE_URL": limited.config["DATABASE_URL"],
            "TESTING": True,
            "RATE_LIMIT_START": limited.config["RATE_LIMIT_START"],
        }
    )
    for app in (limited, other, limited):
        assert start(app.test_client(), "192.0.2.9").status_code == 302
    assert start(other.test_client(), "192.0.2.9").status_code == 429
    get_store(other).engine.dispose()


def test_pdf_downloads_are_limited_per_patient(limited):
    patient = Patient(limited, limited.test_client())
    walk(patient, NOTHING_TRIED)
    for _ in range(2):
        assert patient.client.get("/summary.pdf").status_code == 200
    assert_friendly_429(patient.client.get("/summary.pdf"), 3600)
    other = Patient(limited, limited.test_client())
    walk(other, NOTHING_TRIED)
    assert other.client.get("/summary.pdf").status_code == 200


def test_pdf_downloads_are_limited_per_address_whoever_the_patients(tmp_path):
    """M2: one address with many finished patients could render without end, each patient
    under its own limit, and starve everyone's PDFs."""
    limited = make_app(tmp_path, RATE_LIMIT_PDF_ADDRESS="3/3600")
    patients = [Patient(limited, limited.test_client()) for _ in range(3)]
    statuses = []
    for patient in patients:
        walk(patient, NOTHING_TRIED)
        statuses.append(patient.client.get("/summary.pdf").status_code)
    assert statuses == [200, 200, 200]
    one_more = Patient(limited, limited.test_client())
    walk(one_more, NOTHING_TRIED)
    assert_friendly_429(one_more.client.get("/summary.pdf"), 3600)
    elsewhere = one_more.client.get("/summary.pdf", environ_base={"REMOTE_ADDR": "192.0.2.77"})
    assert elsewhere.status_code == 200
    get_store(limited).engine.dispose()


def test_sending_to_the_clinic_is_limited_per_address(limited):
    send_through_pages(Patient(limited, limited.test_client()), NOTHING_TRIED)
    second = Patient(limited, limited.test_client())
    walk(second, NOTHING_TRIED)
    page = second.client.get("/send-to-clinic").get_data(as_text=True)
    identity = {
        "name": "Sam Example",
        "date_of_birth__day": "14",
        "date_of_birth__month": "2",
        "date_of_birth__year": "1966",
    }
    refused = second.client.post(
        "/send-to-clinic", data={"csrf_token": csrf_from(page), **identity}
    )
    assert_friendly_429(refused, 3600)
    assert second.stored().sent_at is None


def test_old_hits_are_forgotten_by_the_purge(limited):
    from datetime import UTC, datetime, timedelta

    store = get_store(limited)
    for _ in range(3):
        assert limits.hit("start", "192.0.2.7", store=store, app=limited) == 0
    assert limits.hit("start", "192.0.2.7", store=store, app=limited) == 600
    later = datetime.now(UTC) + timedelta(days=2)
    assert limits.forget_old(store, now=later, app=limited) == 3
    assert limits.hit("start", "192.0.2.7", store=store, app=limited) == 0


def test_failures_from_many_addresses_slow_an_account_but_never_lock_it_out(app):
    """M3: 34 wrong passwords for one email from 34 addresses paused the account for everyone,
    the right password included. Now the right password from an address that has not failed
    gets in; an address that has failed waits, with Retry-After; one audit entry says so."""
    add_staff(app)
    for n in range(34):
        reply = sign_in(app.test_client(), password="wrong password!", ip=f"198.51.100.{n}")
        assert reply.status_code == 200, n
    assert sign_in(app.test_client(), ip="203.0.113.5").status_code == 302  # the nurse
    for n in range(3):  # an attacker's address tries again at once: slowed
        reply = sign_in(app.test_client(), password="wrong password!", ip=f"198.51.100.{n}")
        assert reply.status_code == 429
        assert staff_module.SLOWED in reply.get_data(as_text=True)
        assert 1 <= int(reply.headers["Retry-After"]) <= max(limits.ACCOUNT_DELAYS)
    entries, _total = get_store(app).audit_entries()
    slowed = [e for e in entries if e.action == "sign_in_slowed"]
    assert len(slowed) == 1 and slowed[0].actor == "nurse@clinic.example"
    assert slowed[0].action_label == "Sign-in slowed after failures from many addresses"


def test_a_lock_out_is_audited_once_under_the_account_never_under_typed_text(app):
    """L13: the actor of a lock-out entry was whatever the "email" box held."""
    add_staff(app)
    for typed in ("nurse@clinic.example", "api token: ehr"):
        for _ in range(7):
            sign_in(app.test_client(), typed, "wrong password!", ip="192.0.2.50")
    entries, _total = get_store(app).audit_entries()
    paused = sorted(e.actor for e in entries if e.action == "sign_in_paused")
    assert paused == ["nurse@clinic.example", "unknown account"]
    assert all(e.detail.startswith("address ") for e in entries if e.action == "sign_in_paused")
    # Another account is not affected.
    add_staff(app, "doctor@clinic.example")
    reply = sign_in(app.test_client(), "doctor@clinic.example", ip="198.51.100.9")
    assert reply.status_code == 302
