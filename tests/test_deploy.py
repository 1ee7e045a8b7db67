"""The production recipe in deploy/ (issues 15 and 24) agrees with the app: the environment file
names every setting, gunicorn's settings are the ones `make load` measured, the nginx site is
valid for Debian's nginx (when it is installed), closes unknown names, logs no path, query or
request line, and has a kind page for its own errors in each language, and the systemd units
upgrade the schema once (and on reload) and purge daily. tests/test_deploy_https.py runs it."""

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
    from decision_aid.config.settings import SETTINGS

    return {setting.name for setting in SETTINGS}


def test_the_environment_file_names_every_setting():
    example = (DEPLOY / "decision-aid.env.example").read_text()
    named = set(re.findall(r"^#? ?([A-Z_]+)=", example, re.MULTILINE))
    missing = settings_read_by_the_app() - named - {"PDF_LOCK_DIR"}
    assert missing == set()
    assert "DB_UPGRADE=0" in example and "TRUSTED_PROXIES=1" in example


def test_gunicorn_settings_are_the_measured_ones():
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert settings["worker_class"] == "gthread"
    # A reload (SIGHUP) makes new workers from the code on disk only without --preload.
    assert settings["preload_app"] is False
    assert settings["keepalive"] > 4  # longer than nginx's upstream keepalive_timeout (4 s)
    assert settings["control_socket_disable"] is True
    assert settings["bind"].startswith("127.0.0.1:")
    assert settings["accesslog"] is None
    assert "max_requests" not in settings
    assert callable(settings["post_worker_init"])


def test_the_systemd_units_upgrade_once_and_purge_daily():
    service = (DEPLOY / "systemd" / "decision-aid.service").read_text()
    assert "ExecStartPre=/opt/decision-aid/venv/bin/decision-aid db upgrade" in service
    assert "--config /opt/decision-aid/deploy/gunicorn.conf.py" in service
    assert "UMask=0077" in service and "StateDirectoryMode=0700" in service
    reload = [line for line in service.splitlines() if line.startswith("ExecReload=")]
    assert reload == [
        "ExecReload=/opt/decision-aid/venv/bin/decision-aid db upgrade",
        "ExecReload=/opt/decision-aid/venv/bin/gunicorn --check-config"
        ' --config /opt/decision-aid/deploy/gunicorn.conf.py "decision_aid:create_app()"',
        "ExecReload=/bin/kill -s HUP $MAINPID",
    ]
    purge = (DEPLOY / "systemd" / "decision-aid-purge.service").read_text()
    assert "ExecStart=/opt/decision-aid/venv/bin/decision-aid purge" in purge
    timer = (DEPLOY / "systemd" / "decision-aid-purge.timer").read_text()
    assert "OnCalendar=*-*-* 03:30:00" in timer and "Persistent=true" in timer


def site_and_snippet():
    site = (DEPLOY / "nginx" / "decision-aid.conf").read_text()
    snippet = (DEPLOY / "nginx" / "decision-aid-proxy.conf").read_text()
    return site, snippet


def directives(text, name):
    """Every `name ...;` directive in an nginx file, comments left out."""
    code = re.sub(r"#[^\n]*", "", text)
    return [" ".join(m.split()) for m in re.findall(rf"(?m)^\s*{name}\s[^;]*;", code)]


def test_the_nginx_logs_hold_no_path_query_or_request_line():
    """M4 and L8: the access log names a route, never the path or its query; the error log,
    which writes the request line beside each message, keeps only crit and worse."""
    site, snippet = site_and_snippet()
    (log_format,) = re.findall(r"log_format decision_aid ([^;]*);", site)
    for variable in ("$uri", "$request", "$args", "$query_string", "$http_referer", "$arg_"):
        assert variable not in log_format.replace("$request_method", "").replace(
            "$request_id", ""
        ).replace("$request_time", "")
    assert "$decision_aid_route" in log_format
    routes = site[site.index("map $request_uri $decision_aid_route") :]
    for route in ("static", "staff", "fhir", "resume", "page"):
        assert re.search(rf"\s{route};", routes[: routes.index("}")])
    access = directives(site + snippet, "access_log")
    assert access and all(a.endswith(" decision_aid;") or a == "access_log off;" for a in access)
    errors = directives(site + snippet, "error_log")
    assert len(errors) == 3 and all(e.endswith(" crit;") for e in errors)


def test_the_nginx_site_closes_unknown_names_and_hides_its_version():
    """L3 and L15: a default server for 80 and 443 answers no other Host; the site's Host goes
    to the app with its port (C1: the resume link and Flask-WTF's origin check need it)."""
    site, snippet = site_and_snippet()
    default = site[site.index("server {") : site.index("\n}\n", site.index("server {"))]
    assert "default_server" in default and "return 444;" in default
    assert "ssl_reject_handshake on;" in default
    assert {d.split()[1] for d in directives(default, "listen")} >= {"80", "443"}
    assert site.count("server {") == 3 and site.count("server_tokens off;") == 2
    assert "server_tokens off;" in snippet
    assert directives(snippet, "proxy_set_header Host") == ["proxy_set_header Host $http_host;"]


def test_nginx_has_a_kind_page_for_its_own_errors_in_each_language():
    """L10: nginx's 502, 503 and 504 show our page (the status kept: no `=` in error_page), in
    the browser's language; the pages load nothing from anywhere."""
    from decision_aid.text import i18n

    site, snippet = site_and_snippet()
    assert directives(snippet, "error_page") == [
        "error_page 502 503 504 /_decision_aid_errors/busy.$decision_aid_error_language.html;"
    ]
    pages = {p.name for p in (DEPLOY / "nginx" / "errors").glob("*.html")}
    assert pages == {f"busy.{language}.html" for language in i18n.SHIPPED}
    for language in ("es", "zh_Hans"):
        assert re.search(rf"\s{language};", site[site.index("$decision_aid_error_language") :])
    for name in pages:
        page = (DEPLOY / "nginx" / "errors" / name).read_text()
        assert not re.search(r"(src=|url\(|@import|https?:|<link|<script)", page), name
        assert re.findall(r'href="([^"]*)"', page) == ["/"]


@pytest.mark.skipif(
    not shutil.which("nginx") and not Path("/usr/sbin/nginx").exists(),
    reason="nginx is not installed (make test-deploy installs it)",
)
@pytest.mark.parametrize("tls", [True, False], ids=["https", "plain-http-for-make-load"])
def test_nginx_accepts_the_site_and_its_snippet(tmp_path, tls):
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from nginx_site import runnable_config
    finally:
        sys.path.remove(str(ROOT / "bench"))
    options = {}
    if tls:
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
             "-keyout", tmp_path / "key.pem", "-out", tmp_path / "cert.pem", "-subj", "/CN=t"],
            check=True, capture_output=True,
        )  # fmt: skip
        options = dict(http_port=8079, certificate=tmp_path / "cert.pem", key=tmp_path / "key.pem")
    config = tmp_path / "nginx.conf"
    config.write_text(runnable_config(tmp_path, [8001, 8002], 8080, **options))
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    run = subprocess.run(
        [binary, "-t", "-c", str(config), "-p", str(tmp_path)], capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
