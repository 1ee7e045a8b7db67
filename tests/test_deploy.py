"""The production recipe in deploy/ (issue 15) agrees with the app: the environment file names
every setting, gunicorn's settings are the ones `make load` measured, the nginx site is valid
for Debian's nginx (when it is installed) and never logs a resume link, and the systemd units
upgrade the schema once and purge daily."""

import re
import runpy
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"


def settings_read_by_the_app():
    names = set()
    for source in ("decision_aid/__init__.py", "decision_aid/limits.py"):
        text = (ROOT / source).read_text()
        names |= set(re.findall(r'os\.environ\.get\(\s*"([A-Z_]+)"', text))
        names |= set(re.findall(r'_env_bool\(\s*"([A-Z_]+)"', text))
    from decision_aid.limits import DEFAULTS

    return names | {f"RATE_LIMIT_{name.upper()}" for name in DEFAULTS}


def test_the_environment_file_names_every_setting():
    example = (DEPLOY / "decision-aid.env.example").read_text()
    named = set(re.findall(r"^#? ?([A-Z_]+)=", example, re.MULTILINE))
    missing = settings_read_by_the_app() - named - {"PDF_LOCK_DIR"}
    assert missing == set()
    assert "DB_UPGRADE=0" in example and "TRUSTED_PROXIES=1" in example


def test_gunicorn_settings_are_the_measured_ones():
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert settings["worker_class"] == "gthread" and settings["preload_app"] is True
    assert settings["bind"].startswith("127.0.0.1:")
    assert settings["accesslog"] is None
    assert "max_requests" not in settings
    assert callable(settings["post_worker_init"])


def test_the_systemd_units_upgrade_once_and_purge_daily():
    service = (DEPLOY / "systemd" / "decision-aid.service").read_text()
    assert "ExecStartPre=/opt/decision-aid/venv/bin/decision-aid db upgrade" in service
    assert "--config /opt/decision-aid/deploy/gunicorn.conf.py" in service
    assert "UMask=0077" in service and "StateDirectoryMode=0700" in service
    purge = (DEPLOY / "systemd" / "decision-aid-purge.service").read_text()
    assert "ExecStart=/opt/decision-aid/venv/bin/decision-aid purge" in purge
    timer = (DEPLOY / "systemd" / "decision-aid-purge.timer").read_text()
    assert "OnCalendar=*-*-* 03:30:00" in timer and "Persistent=true" in timer


def test_the_nginx_site_never_logs_a_resume_link():
    site = (DEPLOY / "nginx" / "decision-aid.conf").read_text()
    assert "~^/resume/ 0;" in site
    for line in site.splitlines():
        if line.strip().startswith("access_log"):
            assert "if=$decision_aid_loggable" in line
    log_format = site[site.index("log_format") : site.index(";", site.index("log_format"))]
    assert "$uri" in log_format and "$request_uri" not in log_format and "$args" not in log_format


@pytest.mark.skipif(
    not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists(),
    reason="nginx is not installed (make load installs it)",
)
def test_nginx_accepts_the_site_and_its_snippet(tmp_path):
    pytest.importorskip("aiohttp")  # bench/load.py's client (the load extra)
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from load import nginx_config
    finally:
        sys.path.remove(str(ROOT / "bench"))
    config = tmp_path / "nginx.conf"
    config.write_text(nginx_config(tmp_path, [8001, 8002], 8080))
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    run = subprocess.run(
        [binary, "-t", "-c", str(config), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
