"""Every setting comes from one table (config/settings.py): the app reads each environment
variable into the Flask key of the same name, a former name still works, the documents' tables
are the table's, and no other module reads the environment."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from decision_aid import create_app
from decision_aid.config.settings import BY_NAME, SETTINGS, config_from_env
from decision_aid.store import get_store

ROOT = Path(__file__).resolve().parent.parent

# A value other than the default for each setting, and what the app's configuration holds then.
SET = {
    "CLINIC_NAME": ("Riverside Clinic", "Riverside Clinic"),
    "PAPER": ("LETTER", "letter"),
    "CLINIC_TZ": ("Europe/London", "Europe/London"),
    "CLINIC_LANGUAGE": ("es", "es"),
    "EMERGENCY_NUMBER": (" 999 ", "999"),
    "RETENTION_DAYS": ("7", 7),
    "SESSION_COOKIE_SECURE": ("yes", True),
    "MAX_CONTENT_LENGTH": ("1000", 1000),
    "TRUSTED_HOSTS": ("a.example, b.example:8443", ["a.example", "b.example:8443"]),
    "TRUSTED_PROXIES": ("1", 1),
    "FHIR_BASE_URL": ("https://fhir.clinic.example/r4/ ", "https://fhir.clinic.example/r4"),
    "STAFF_SESSION_MAX_HOURS": ("9.5", 9.5),
    "PDF_RENDER_AHEAD": ("0", False),
    "RATE_LIMIT_PDF": ("5/60", "5/60"),
    "DATE_ORDER": ("dmy", "dmy"),
}


def test_the_documents_tables_are_the_settings_table():
    done = subprocess.run(
        [sys.executable, "scripts/settings_docs.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_readme_lists_the_operators_settings_and_the_configuration_page_all():
    readme = (ROOT / "README.md").read_text()
    every = (ROOT / "docs" / "configuration.md").read_text()
    for setting in SETTINGS:
        assert f"| `{setting.name}` |" in every
        assert (f"| `{setting.name}` |" in readme) == setting.operator
    assert 10 <= sum(s.operator for s in SETTINGS) <= 15


@pytest.mark.parametrize("name", sorted(SET))
def test_each_variable_sets_the_flask_key_of_its_name(tmp_path, monkeypatch, name):
    text, expected = SET[name]
    monkeypatch.setenv(name, text)
    app = create_app({"INSTANCE_PATH": str(tmp_path), "TESTING": True})
    try:
        assert app.config[name] == expected
        assert app.config[name] != config_from_env(tmp_path, environ={})[name]
    finally:
        get_store(app).engine.dispose()


def test_the_fhir_base_default_is_the_mappings():
    from decision_aid.config import settings
    from decision_aid.fhir import canon

    assert settings.DEFAULT_BASE_URL == canon.DEFAULT_BASE_URL


def test_every_setting_has_a_default_that_reads():
    defaults = config_from_env("/srv/instance", environ={})
    assert set(defaults) == {s.name for s in SETTINGS} - {"INSTANCE_PATH"}
    assert defaults["DATABASE_URL"] == "sqlite:////srv/instance/decision_aid.sqlite3"
    assert defaults["SECRET_KEY"] is None  # made once in the instance folder
    assert defaults["SESSION_COOKIE_SECURE"] is False and defaults["DB_UPGRADE"] is True
    assert defaults["PDF_CONCURRENCY"] >= 1


@pytest.mark.parametrize(
    ("former", "name", "text", "expected"),
    [
        ("COOKIE_SECURE", "SESSION_COOKIE_SECURE", "1", True),
        ("MAX_REQUEST_BYTES", "MAX_CONTENT_LENGTH", "4096", 4096),
    ],
)
def test_a_former_name_is_still_read_and_the_new_one_wins(former, name, text, expected):
    assert former in BY_NAME[name].former
    assert config_from_env(".", environ={former: text})[name] == expected
    both = config_from_env(".", environ={former: text, name: "0"})
    assert both[name] in (False, 0)


@pytest.mark.parametrize(
    ("name", "text", "words"),
    [
        ("CLINIC_LANGUAGE", "fr", "CLINIC_LANGUAGE must be one of"),
        ("EMERGENCY_NUMBER", "call 999", "EMERGENCY_NUMBER must be a number to dial"),
        ("MAX_RETENTION_DAYS", "10", "MAX_RETENTION_DAYS (10) must be at least RETENTION_DAYS"),
    ],
)
def test_a_value_the_app_cannot_use_stops_it(tmp_path, monkeypatch, name, text, words):
    monkeypatch.setenv(name, text)
    with pytest.raises(ValueError, match=re.escape(words)):
        create_app({"INSTANCE_PATH": str(tmp_path)})


def test_no_other_module_reads_the_environment():
    """Alembic's env.py reads DATABASE_URL when run by hand (`alembic upgrade`)."""
    readers = {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "decision_aid").rglob("*.py")
        if re.search(r"os\.environ|os\.getenv", path.read_text())
    }
    assert readers == {"decision_aid/config/settings.py", "decision_aid/migrations/env.py"}


def test_with_no_instance_path_the_app_serves_from_instance_in_the_working_folder(
    tmp_path, monkeypatch
):
    """`make run` sets no INSTANCE_PATH: the documented default, ./instance, is used (an empty
    default once reached Flask as a relative path, and `make run` stopped at start-up)."""
    for name in ("INSTANCE_PATH", "DATABASE_URL", "SECRET_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    app = create_app()
    assert Path(app.instance_path) == tmp_path / "instance"
    assert (tmp_path / "instance" / "decision_aid.sqlite3").exists()
    assert app.test_client().get("/").status_code == 200
    get_store(app).engine.dispose()
