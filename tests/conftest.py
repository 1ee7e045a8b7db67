import re

import pytest

from decision_aid import create_app
from decision_aid.store import get_store

TODAY = "2026-11-25"


@pytest.fixture
def app(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path / "instance"), "TESTING": True, "TODAY": TODAY})
    yield app
    get_store(app).engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_from(html):
    match = CSRF_RE.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


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

    def finish(self):
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
