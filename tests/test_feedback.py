"""Issue 31: "Was anything unclear or missing?": stored apart from the answers with no
reference code, the free-text limits, staff reading it (audited), the export command, and the
purge."""

import csv
import datetime
import io
import json

from clinic_support import staff_client
from conftest import csrf_from
from sqlalchemy import select

from decision_aid.cli import main as cli
from decision_aid.store import get_store, metadata


def post_feedback(client, text):
    page = client.get("/feedback")
    assert page.status_code == 200
    token = csrf_from(page.get_data(as_text=True))
    return client.post("/feedback", data={"csrf_token": token, "feedback": text})


def feedback_rows(app):
    table = metadata.tables["feedback"]
    with get_store(app).engine.connect() as conn:
        return [dict(row._mapping) for row in conn.execute(select(table))]


def test_the_summary_offers_it_and_it_is_stored_apart_with_no_code(app, patient):
    from test_wizard import LONG_BOTOX, walk

    walk(patient, LONG_BOTOX)
    summary = patient.client.get("/summary").get_data(as_text=True)
    assert "Was anything unclear or missing?" in summary and 'href="/feedback"' in summary
    reference = patient.stored().reference
    response = post_feedback(patient.client, "The table was hard to read on my phone.\r\nThanks")
    assert response.status_code == 302 and response.location == "/feedback/thanks"
    assert "We have your note" in patient.client.get("/feedback/thanks").get_data(as_text=True)
    rows = feedback_rows(app)
    assert len(rows) == 1
    row = rows[0]
    assert set(row) == {"id", "given_on", "language", "text"}  # no code, token or link
    assert row["text"] == "The table was hard to read on my phone.\nThanks"
    assert row["language"] == "en" and row["given_on"] == datetime.date(2026, 11, 25)
    assert reference not in json.dumps(row, default=str)
    # and the answers hold nothing of it
    assert "hard to read" not in json.dumps(patient.stored().answers)


def test_bad_input_says_why_and_keeps_what_was_typed(app, client):
    empty = post_feedback(client, "   ").get_data(as_text=True)
    assert "There is a problem" in empty and "Write what was unclear or missing" in empty
    long_text = "x" * 501
    page = post_feedback(client, long_text).get_data(as_text=True)
    assert "Write 500 characters or fewer. It has 501." in page
    assert f">{long_text}</textarea>" in page
    hidden = post_feedback(client, "odd\u202etext").get_data(as_text=True)
    assert "hidden characters" in hidden and ">oddtext</textarea>" in hidden
    assert feedback_rows(app) == []
    assert post_feedback(client, "x" * 500).status_code == 302


def test_staff_read_it_audited_and_the_export_prints_it(app, client, capsys, monkeypatch):
    post_feedback(client, "What does MVD stand for?")
    post_feedback(client, 'A "quoted", comma note')
    staff = staff_client(app)
    page = staff.get("/staff/feedback").get_data(as_text=True)
    assert "What does MVD stand for?" in page
    audit = staff.get("/staff/audit").get_data(as_text=True)
    assert "Read the patients&#39; feedback" in audit or "Read the patients' feedback" in audit
    monkeypatch.setenv("DATABASE_URL", app.config["DATABASE_URL"])
    monkeypatch.setenv("INSTANCE_PATH", app.instance_path)
    assert cli.main(["feedback", "export"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["given_on", "language", "text"]
    assert [r[2] for r in rows[1:]] == ["What does MVD stand for?", 'A "quoted", comma note']
    assert cli.main(["feedback", "export", "--format", "json", "--from", "2026-11-26"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_the_purge_takes_it_out_with_the_answers(app):
    store = get_store(app)
    store.add_feedback("old note", "en", datetime.date(2026, 1, 1))
    store.add_feedback("new note", "es", datetime.date(2026, 11, 20))
    now = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)
    outcome = store.purge(30, now=now, max_days=90)
    assert outcome.feedback == 1
    assert [e.text for e in store.feedback_entries()] == ["new note"]
