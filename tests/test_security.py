"""Headers, CSRF, request limits, error pages, cookies, secrets and logs."""

import logging
import re

import pytest
from conftest import csrf_from
from test_wizard import LONG_BOTOX, walk

from decision_aid import create_app


def test_security_headers_on_every_page(patient):
    walk(patient, LONG_BOTOX)
    for path in ["/", "/step/twitching", "/check", "/summary", "/delete", "/emergency", "/nope"]:
        response = patient.client.get(path)
        headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cache-Control"] == "no-store", path


def test_pages_have_no_inline_script_or_style_and_no_external_urls(patient):
    walk(patient, LONG_BOTOX)
    for path in ["/", "/step/twitching", "/step/botox", "/check", "/summary", "/delete"]:
        page = patient.client.get(path).get_data(as_text=True)
        assert not re.search(r"<script(?![^>]*\bsrc=)", page), path
        assert "<style" not in page and " style=" not in page, path
        # Nothing is loaded from elsewhere. Links to the sources are plain <a> links.
        without_links = re.sub(r"<a [^>]*>", "", page)
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", without_links), path
        for link in re.findall(r"""<a [^>]*href=["']?(https?://[^"' >]+)""", page):
            allowed = (
                "https://pubmed.ncbi.nlm.nih.gov/",
                "https://pmc.ncbi.nlm.nih.gov/",
                "https://doi.org/",
                "http://localhost/",
            )
            assert link.startswith(allowed), (path, link)


def test_static_assets_may_be_cached(client):
    with client.get("/static/app.css") as response:  # closes the file it streams
        assert response.status_code == 200
        assert response.headers.get("Cache-Control") != "no-store"


def test_a_post_without_csrf_token_is_refused_cleanly(patient):
    patient.start()
    response = patient.client.post("/step/twitching", data={"side": "left"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Sorry, we could not read that" in page
    assert "Traceback" not in page and "CSRF" not in page
    assert patient.stored() is None  # nothing saved, so no record either


def test_a_forged_csrf_token_is_refused(patient):
    patient.start()
    response = patient.client.post(
        "/step/twitching", data={"side": "left", "csrf_token": "forged.token.value"}
    )
    assert response.status_code == 400


def test_a_token_from_another_session_is_refused(app, patient):
    patient.start()
    other = app.test_client()
    stolen = csrf_from(other.get("/").get_data(as_text=True))
    response = patient.client.post("/step/twitching", data={"side": "left", "csrf_token": stolen})
    assert response.status_code == 400


def test_start_and_delete_need_csrf_too(patient):
    assert patient.client.post("/start").status_code == 400
    patient.start()
    patient.post_step(
        "twitching", {"side": "left", "started_where": "eye", "current_areas": ["eyelid"]}
    )
    assert patient.client.post("/delete").status_code == 400
    assert patient.stored() is not None


def test_an_oversized_post_gets_a_friendly_413(patient):
    patient.start()
    page = patient.client.get("/step/your_questions").get_data(as_text=True)
    response = patient.client.post(
        "/step/your_questions",
        data={"csrf_token": csrf_from(page), "patient_questions__own": "x" * 300_000},
    )
    assert response.status_code == 413
    assert "too much text" in response.get_data(as_text=True)


def test_malformed_form_data_is_not_a_500(patient):
    patient.start()
    page = patient.client.get("/step/twitching").get_data(as_text=True)
    response = patient.client.post(
        "/step/twitching",
        data=b"csrf_token=" + csrf_from(page).encode() + b"&side=%ff%fe&side=left&&=&current_areas",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)


def test_unknown_step_and_page_are_friendly_404s(patient):
    patient.start()
    for path in ["/step/nope", "/nope"]:
        response = patient.client.get(path)
        assert response.status_code == 404
        assert "Page not found" in response.get_data(as_text=True)


def test_a_server_error_leaks_nothing(tmp_path):
    app = create_app({"INSTANCE_PATH": str(tmp_path), "PROPAGATE_EXCEPTIONS": False})

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret detail /etc/passwd")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "something went wrong" in page
    assert "secret detail" not in page and "Traceback" not in page


def test_session_cookie_flags(patient):
    patient.start()
    cookie = patient.client.get_cookie("decision_aid")
    assert cookie is not None
    assert cookie.http_only
    assert cookie.same_site == "Lax"
    assert not cookie.secure


@pytest.mark.parametrize("name", ["SESSION_COOKIE_SECURE", "COOKIE_SECURE"])  # and its former name
def test_secure_cookie_when_configured(tmp_path, monkeypatch, name):
    monkeypatch.setenv(name, "1")
    app = create_app({"INSTANCE_PATH": str(tmp_path)})
    client = app.test_client()
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post("/start", data={"csrf_token": token})
    assert "Secure" in response.headers["Set-Cookie"]


def test_secret_key_is_made_once_and_kept_in_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    first = create_app({"INSTANCE_PATH": str(tmp_path)})
    second = create_app({"INSTANCE_PATH": str(tmp_path)})
    assert len(first.config["SECRET_KEY"]) >= 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    key_file = tmp_path / "secret_key"
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_secret_key_from_the_environment_wins(tmp_path, monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "from-env")
    assert create_app({"INSTANCE_PATH": str(tmp_path)}).config["SECRET_KEY"] == "from-env"
    assert not (tmp_path / "secret_key").exists()


def test_answers_never_reach_the_logs(patient, caplog):
    caplog.set_level(logging.DEBUG)
    walk(patient, LONG_BOTOX)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for secret in ["Zoë", "Ångström", "Botox wear off", patient.token()]:
        assert secret not in logged


@pytest.mark.parametrize("path", ["/check", "/summary", "/delete", "/emergency", "/step/time"])
def test_pages_with_answers_need_the_owners_session(app, patient, path):
    walk(patient, LONG_BOTOX)
    stranger = app.test_client()
    response = stranger.get(path)
    assert response.status_code == 302 and response.location.startswith("/?missing=1")
