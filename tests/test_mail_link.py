"""Issue 27: "Email me the link" on the saved page, against a real SMTP server (aiosmtpd) that
the test starts on 127.0.0.1. Off when MAIL_URL is unset; the address is used once and not
stored; the mail says only "your saved answers"; limited per address and per patient."""

import email
import socket

import pytest
from aiosmtpd.controller import Controller
from conftest import Patient, csrf_from, make_app
from test_wizard import LONG_BOTOX, walk

from decision_aid.store import get_store, metadata

ADDRESS = "ann@example.com"


class Inbox:
    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):
        self.mails.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield inbox, f"smtp://127.0.0.1:{controller.port}?from=noreply@clinic.example"
    finally:
        controller.stop()


@pytest.fixture
def mail_app(tmp_path, smtp):
    return make_app(tmp_path, MAIL_URL=smtp[1])


def saved_patient(app):
    patient = Patient(app, app.test_client())
    walk(patient, LONG_BOTOX)
    return patient


def ask(patient, address):
    page = patient.client.get("/saved").get_data(as_text=True)
    return patient.client.post(
        "/saved/email", data={"csrf_token": csrf_from(page), "email": address}
    )


def test_without_mail_url_there_is_no_button(app, patient):
    walk(patient, LONG_BOTOX)
    page = patient.client.get("/saved").get_data(as_text=True)
    assert "Email me the link" not in page
    token = csrf_from(page)
    sent = patient.client.post("/saved/email", data={"csrf_token": token, "email": ADDRESS})
    assert sent.status_code == 404


def test_the_link_arrives_and_says_only_your_saved_answers(mail_app, smtp):
    inbox, _url = smtp
    patient = saved_patient(mail_app)
    page = patient.client.get("/saved").get_data(as_text=True)
    assert "Email me the link" in page
    assert "do not keep it" in page  # said before the address is typed
    done = ask(patient, ADDRESS)
    assert done.status_code == 302
    after = patient.client.get(done.location).get_data(as_text=True)
    assert "We sent the link. We did not keep your email address." in after
    assert len(inbox.mails) == 1
    to, mail = inbox.mails[0]
    assert to == [ADDRESS]
    assert mail["Subject"] == "Your saved answers"
    body = mail.get_payload(decode=True).decode()
    assert f"/resume/{patient.token()}" in body
    for word in ["spasm", "Botox", "twitch", "face", "HFS", "neurolog", "summary"]:
        assert word.lower() not in (body + mail["Subject"]).lower(), word
    # The address is not kept: not in the session cookie, the store or the page after.
    assert ADDRESS not in after
    cookie = patient.client.get_cookie("decision_aid").value
    assert ADDRESS not in cookie
    with get_store(mail_app).engine.connect() as conn:
        for table in metadata.sorted_tables:
            for row in conn.execute(table.select()):
                assert ADDRESS not in repr(tuple(row)), table.name


def test_a_wrong_address_is_kept_with_a_message(mail_app, smtp):
    patient = saved_patient(mail_app)
    page = ask(patient, "ann at example").get_data(as_text=True)
    assert "Enter an email address in the right form, like name@example.com" in page
    assert 'value="ann at example"' in page
    assert smtp[0].mails == []


def test_limited_per_address_and_per_patient(mail_app, smtp):
    inbox, _url = smtp
    patient = saved_patient(mail_app)
    for i in range(3):
        assert ask(patient, ADDRESS).status_code == 302, i
    assert ask(patient, ADDRESS).status_code == 429  # 3 a day to one address
    assert ask(patient, "other@example.com").status_code == 302
    assert ask(patient, "third@example.com").status_code == 302
    assert ask(patient, "fourth@example.com").status_code == 429  # 5 a day for one patient
    assert len(inbox.mails) == 5
    other = saved_patient(mail_app)
    assert ask(other, ADDRESS).status_code == 429  # the address's limit holds for anyone


def test_a_server_that_is_down_gets_a_message_not_an_error(tmp_path):
    app = make_app(tmp_path, MAIL_URL=f"smtp://127.0.0.1:{free_port()}")
    patient = saved_patient(app)
    response = ask(patient, ADDRESS)
    assert response.status_code == 200
    assert "We could not send the email" in response.get_data(as_text=True)
