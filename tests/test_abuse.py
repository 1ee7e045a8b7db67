"""The abuse findings of the security review (December 2026) that the app itself answers: each
test repeats the review's reproduction against the app through the Flask test client."""

import pytest
from conftest import csrf_from
from sqlalchemy import func, select, text
from test_wizard import TIME, TWITCHING

from decision_aid.store import get_store, responses


def stored_records(app):
    with get_store(app).engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(responses)).scalar_one()


def test_a_replayed_first_save_makes_no_second_record(app, patient):
    """M1: one Start, then the first question's POST sent 30 times with the cookie from before
    the first save, made 30 records. Now the start is used once: 1 record, and the replays open
    nothing of it."""
    patient.start()
    page = patient.client.get("/step/twitching")
    before_first_save = patient.client.get_cookie("decision_aid").value
    form = {"csrf_token": csrf_from(page.get_data(as_text=True)), **TWITCHING}
    first = patient.client.post("/step/twitching", data=form)
    assert first.status_code == 302 and first.location == "/step/time"
    owner_cookie = patient.client.get_cookie("decision_aid").value
    assert owner_cookie != before_first_save

    replayer = patient.app.test_client()
    for _ in range(30):
        replayer.set_cookie("decision_aid", before_first_save)
        replay = replayer.post("/step/twitching", data=form)
        assert replay.status_code == 302 and replay.location == "/step/time"
    assert stored_records(app) == 1
    # The replayer's pages hold none of the patient's answers.
    replayer.set_cookie("decision_aid", before_first_save)
    assert 'value="left" checked' not in replayer.get("/step/twitching").get_data(as_text=True)

    # The patient goes on as if nothing happened.
    assert patient.post_step("time", TIME).status_code == 302
    assert patient.stored().answers["side"] == "left"
    assert stored_records(app) == 1


def test_a_double_click_on_the_first_page_keeps_one_record_and_the_way_on(app, patient):
    """The same first POST twice at once (before the first answer came back): the second is
    refused quietly, leads to the same next page, and the browser keeps the first one's key."""
    patient.start()
    page = patient.client.get("/step/twitching")
    cookie = patient.client.get_cookie("decision_aid").value
    form = {"csrf_token": csrf_from(page.get_data(as_text=True)), **TWITCHING}
    first = patient.client.post("/step/twitching", data=form)
    kept = patient.client.get_cookie("decision_aid").value
    second = patient.app.test_client()
    second.set_cookie("decision_aid", cookie)
    again = second.post("/step/twitching", data=form)
    assert again.location == first.location
    assert "Set-Cookie" not in again.headers  # the browser keeps the key the first one gave
    assert kept != cookie and stored_records(app) == 1


def test_the_audit_log_cannot_be_overwritten_or_emptied(app):
    """L7: UPDATE and DELETE were refused, but SQLite's INSERT OR REPLACE over an existing id
    deleted the row without the delete trigger, and PostgreSQL's TRUNCATE fired no row trigger."""
    store = get_store(app)
    store.audit("nurse@clinic.example", "viewed", "ABCDEFGH")
    engine = store.engine
    if engine.dialect.name == "sqlite":
        forge = (
            "INSERT OR REPLACE INTO audit_log (id, at, actor, action) "
            "VALUES (1, '2026-01-01', 'forged', 'viewed')"
        )
    else:
        forge = "TRUNCATE audit_log"
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text(forge))
    entries, total = store.audit_entries(per_page=10)
    assert total == 1 and entries[0].actor == "nurse@clinic.example"
    # Appending goes on as before.
    store.audit("nurse@clinic.example", "printed", "ABCDEFGH")
    assert store.audit_entries(per_page=10)[1] == 2
