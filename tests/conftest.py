import datetime
import os
import re

import pytest
from sqlalchemy import text

from decision_aid import create_app
from decision_aid.store import get_store, metadata

# The date every test runs on: the app is pinned to it, and the engine is given it.
TODAY = datetime.date(2026, 11, 25)
TEST_CLINIC = "Riverside Hospital"

# Set (as `make test-postgres` does) to run the tests against a real PostgreSQL; the tables are
# emptied between tests. Unset: each test gets its own SQLite file.
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or None


def empty_tables(engine):
    """Remove every row (PostgreSQL test runs). The audit log refuses TRUNCATE (revision 0009):
    a test reset, which the app never does, turns that trigger off for its own transaction."""
    names = ", ".join(table.name for table in metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_truncate"))
        conn.execute(text(f"TRUNCATE TABLE {names} RESTART IDENTITY CASCADE"))
        conn.execute(text("ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_truncate"))


def make_app(tmp_path, **config):
    """An app for one test, on its own SQLite file (or the emptied TEST_DATABASE_URL), with
    `config` over the test settings."""
    settings = {
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "TESTING": True,
        "TODAY": TODAY.isoformat(),
        # The clinic that runs the service: without one, sending is not offered (docs/clinic.md).
        "CLINIC_NAME": TEST_CLINIC,
        # No background renders unless a test asks (tests/test_pdf_ahead.py).
        "PDF_RENDER_AHEAD": False,
    }
    if TEST_DATABASE_URL:
        settings["DATABASE_URL"] = TEST_DATABASE_URL
    app = create_app(settings | config)
    if TEST_DATABASE_URL:
        empty_tables(get_store(app).engine)
    return app


@pytest.fixture
def app(tmp_path):
    app = make_app(tmp_path)
    yield app
    if TEST_DATABASE_URL:
        empty_tables(get_store(app).engine)
    get_store(app).engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html):
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


OPTIONAL_PAGES = ("/step/role", "/step/support", "/step/knowledge")


class Patient:
    """Walks the wizard like a browser: GET a page, read its CSRF token, POST the form."""

    def __init__(self, app, client):
        self.app = app
        self.client = client

    def start(self):
        token = csrf_from(self.client.get("/").get_data(as_text=True))
        response = self.client.post("/start", data={"csrf_token": token})
        assert response.status_code == 302
        return response.location

    def post_step(self, step_id, data, query=""):
        page = self.client.get(f"/step/{step_id}{query}")
        assert page.status_code == 200, (step_id, page.status_code, page.location)
        form = dict(data)
        form["csrf_token"] = csrf_from(page.get_data(as_text=True))
        return self.client.post(f"/step/{step_id}{query}", data=form)

    def post_page(self, path, data):
        """GET a page that is not a question page, and POST its form with `data`."""
        page = self.client.get(path)
        assert page.status_code == 200, (path, page.status_code, page.location)
        form = dict(data)
        form["csrf_token"] = csrf_from(page.get_data(as_text=True))
        return self.client.post(path, data=form)

    def finish(self):
        page = self.client.get("/check")
        # The optional pages of "Making your decision" (issue 31) a test did not post: left
        # empty, as a person who skips them.
        while page.status_code == 302 and page.location in OPTIONAL_PAGES:
            self.post_step(page.location.removeprefix("/step/"), {})
            page = self.client.get("/check")
        assert page.status_code == 200, page.location
        token = csrf_from(page.get_data(as_text=True))
        return self.client.post("/check", data={"csrf_token": token})

    def token(self):
        with self.client.session_transaction() as session:
            return session.get("token")

    def stored(self):
        return get_store(self.app).load(self.token())


@pytest.fixture
def patient(app, client):
    return Patient(app, client)


# The browser tests' session-scoped fixtures (a live server and Debian's chromium): see
# tests/browser_support.py.
from browser_support import browser, live_server  # noqa: E402, F401
