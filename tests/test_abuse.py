"""The abuse findings of the security review (December 2026) that the app itself answers: each
test repeats the review's reproduction against the app through the Flask test client."""

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from conftest import csrf_from, make_app
from sqlalchemy import func, select, text
from test_wizard import TIME, TWITCHING

from decision_aid import create_app
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


@pytest.mark.parametrize("host", ["a" * 64 + ".example", "a" * 300])
def test_a_malformed_host_gets_a_plain_400_not_a_500(client, host, caplog):
    """L1: a Host with a DNS label of 64 or more characters gave gunicorn's bare 500, after a
    12 KB traceback in the log (the error page could not build its links)."""
    response = client.get("/", headers={"Host": host})
    assert response.status_code == 400
    assert "Sorry, we could not read that" in response.get_data(as_text=True)
    assert "Traceback" not in caplog.text


def test_only_the_trusted_hosts_are_served(tmp_path):
    """L3: with TRUSTED_HOSTS set, a request for another host gets a 400, so the resume link
    and its QR code can never name another site."""
    app = make_app(tmp_path, TRUSTED_HOSTS=["clinic.example", "clinic.example:8443"])
    client = app.test_client()
    assert client.get("/", headers={"Host": "clinic.example"}).status_code == 200
    assert client.get("/", headers={"Host": "clinic.example:8443"}).status_code == 200
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    get_store(app).engine.dispose()


LOGGING_APP = textwrap.dedent(
    """
    import logging, sys
    from decision_aid import create_app
    app = create_app({"INSTANCE_PATH": sys.argv[1]})

    @app.get("/log-and-fail")
    def log_and_fail():
        logging.getLogger("decision_aid.somewhere").info("an INFO line")
        raise RuntimeError("boom")

    print(app.test_client().get("/log-and-fail").status_code)
    """
)


def test_log_lines_have_a_time_a_level_and_the_request_id_as_under_gunicorn(tmp_path):
    """L6: in a process whose logging nobody configured (gunicorn's workers), the app's lines
    went to Python's last-resort handler: no time, no request id, and INFO lost."""
    run = subprocess.run(
        [sys.executable, "-c", LOGGING_APP, str(tmp_path / "instance")],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )
    assert run.stdout.strip() == "500"
    lines = run.stderr.strip().splitlines()
    line = r"\[\d{{4}}-\d\d-\d\d [\d:,]+\] {level} {name} \[request [0-9a-f]{{16}}\]: {text}"
    info = line.format(level="INFO", name="decision_aid.somewhere", text="an INFO line")
    error = line.format(
        level="ERROR",
        name="decision_aid.web.errors",
        text=re.escape("unhandled RuntimeError (route GET /log-and-fail)"),
    )
    assert re.fullmatch(info, lines[0]), lines
    assert re.fullmatch(error, lines[1]), lines
    assert "boom" not in run.stderr and "Traceback" not in run.stderr


ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.skipif(
    os.geteuid() != 0 or not shutil.which("setpriv"),
    reason="needs root's setpriv to take away root's right to write anything",
)
def test_a_read_only_database_at_start_gives_one_clear_line(tmp_path):
    """Info in the review: the app exited with a PermissionError traceback. gunicorn started as
    deploy/ starts it, on an instance folder and database it may only read (root without
    CAP_DAC_OVERRIDE, as the review did), stops at once with one line that says what to fix."""
    instance = tmp_path / "instance"
    database = f"sqlite:///{instance / 'decision_aid.sqlite3'}"
    create_app({"INSTANCE_PATH": str(instance), "DATABASE_URL": database})
    for path in instance.iterdir():
        path.chmod(0o400)
    instance.chmod(0o500)
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"INSTANCE_PATH": str(instance), "DB_UPGRADE": "0", "HOME": str(tmp_path)}
    env["GUNICORN_BIND"] = "127.0.0.1:0"
    gunicorn = Path(sys.executable).parent / "gunicorn"
    try:
        run = subprocess.run(
            ["setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner", str(gunicorn)]
            + ["--config", str(ROOT / "deploy" / "gunicorn.conf.py"), "decision_aid:create_app()"],
            capture_output=True,
            text=True,
            env=env,
            timeout=60,
        )
    finally:
        instance.chmod(0o700)
    assert run.returncode != 0
    # gunicorn's own "[INFO] Starting gunicorn" aside, one line says it all.
    lines = [line for line in run.stderr.splitlines() if line.strip() and "[INFO]" not in line]
    assert len(lines) == 1 and "Traceback" not in run.stderr, run.stderr
    assert lines[0].startswith("Error: decision_aid cannot start")
    assert "Permission denied" in lines[0] and str(instance) in lines[0]


def test_the_database_survives_its_connections_being_cut(app, patient):
    """L11: the first request after a PostgreSQL restart got a 500 (a pooled connection the
    restart had closed). On SQLite, deleted answers are overwritten in the file."""
    engine = get_store(app).engine
    patient.start()
    assert patient.post_step("twitching", TWITCHING).status_code == 302
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:  # what a restart does to every other connection
            conn.execute(
                text(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE pid <> pg_backend_pid() AND datname = current_database()"
                )
            )
    else:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA secure_delete")).scalar_one() == 1
    assert patient.client.get("/step/twitching").status_code == 200
    assert patient.post_step("time", TIME).status_code == 302
