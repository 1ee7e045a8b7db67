"""Files and logs (issue 15): the instance folder 0700 and its files 0600 whatever the umask; a
request id in a response header and on the log lines of that request; a database error logged
with its class, message, route and request id, never with answers."""

import logging
import os
import sqlite3
from pathlib import Path

import pytest
from conftest import Patient
from sqlalchemy.exc import OperationalError
from test_wizard import TWITCHING

from decision_aid import create_app
from decision_aid.store import Store, get_store


@pytest.fixture
def open_umask():
    old = os.umask(0o022)
    yield
    os.umask(old)


def mode(path):
    return Path(path).stat().st_mode & 0o777


def test_the_instance_folder_and_its_files_are_private(tmp_path, open_umask):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True})
    someone = Patient(app, app.test_client())
    someone.start()
    someone.post_step("twitching", TWITCHING)  # a write: the WAL file exists now
    instance = Path(app.instance_path)
    database = instance / "decision_aid.sqlite3"
    assert mode(instance) == 0o700
    assert mode(database) == 0o600 and mode(instance / "secret_key") == 0o600
    assert mode(f"{database}-wal") == 0o600
    assert mode(f"{database}.migrate-lock") == 0o600
    get_store(app).engine.dispose()


def test_an_existing_open_instance_folder_is_made_private(tmp_path, open_umask):
    instance = tmp_path / "instance"
    instance.mkdir(mode=0o755)
    (instance / "decision_aid.sqlite3").touch(mode=0o644)
    app = create_app({"INSTANCE_PATH": str(instance), "TESTING": True})
    assert mode(instance) == 0o700 and mode(instance / "decision_aid.sqlite3") == 0o600
    get_store(app).engine.dispose()


def test_every_response_has_a_request_id(client):
    ids = {client.get("/").headers["X-Request-ID"] for _ in range(3)}
    assert len(ids) == 3 and all(len(i) == 16 for i in ids)
    assert client.get("/nope").headers["X-Request-ID"]  # error pages too
    given = client.get("/", headers={"X-Request-ID": "nginx-4f2a9c1e"})
    assert given.headers["X-Request-ID"] == "nginx-4f2a9c1e"  # from the proxy, kept
    odd = client.get("/", headers={"X-Request-ID": "<script>alert(1)</script>"})
    assert odd.headers["X-Request-ID"] != "<script>alert(1)</script>"
    assert client.post("/start").headers["X-Request-ID"]  # a refused CSRF token too


def test_a_database_error_is_logged_with_class_message_route_and_request_id(
    app, patient, monkeypatch, caplog
):
    patient.start()
    patient.post_step("twitching", TWITCHING)
    token = patient.token()

    def locked(self, _token):
        driver = sqlite3.OperationalError("database is locked\nDETAIL: Zoë Ångström said this")
        raise OperationalError("SELECT answers FROM responses", {"answers": "secret"}, driver)

    monkeypatch.setattr(Store, "load", locked)
    with caplog.at_level(logging.ERROR):
        reply = patient.client.get("/step/time")
    assert reply.status_code == 500
    assert "Your saved answers are safe" in reply.get_data(as_text=True)
    [record] = [r for r in caplog.records if "database error" in r.getMessage()]
    message = record.getMessage()
    expected = "database error OperationalError: database is locked (route GET /step/<step_id>)"
    assert message == expected
    assert record.request_id == reply.headers["X-Request-ID"]
    logged = caplog.text + message
    assert "Zoë" not in logged and "secret" not in logged and token not in logged


def test_the_log_format_carries_the_request_id(app, client, caplog):
    from flask.logging import default_handler

    @app.route("/log-something")
    def log_something():
        app.logger.warning("something happened")
        return "ok"

    with caplog.at_level(logging.WARNING):
        reply = client.get("/log-something")
    [record] = [r for r in caplog.records if r.getMessage() == "something happened"]
    line = default_handler.formatter.format(record)
    assert f"[request {reply.headers['X-Request-ID']}]" in line
