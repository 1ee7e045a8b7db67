"""The production recipe end to end (issue 24; security review C1, L3, M4, L8, L10, L15): Debian's
nginx running deploy/nginx/'s real site and snippet with TLS (a throwaway self-signed
certificate), gunicorn with deploy/gunicorn.conf.py behind it (TRUSTED_PROXIES=1,
SESSION_COOKIE_SECURE=1), and Debian's chromium driving it as a patient and a nurse would.

The site is served under a name (decision-aid.test, which chromium is told is 127.0.0.1), not
as https://127.0.0.1: a browser sends no server name (SNI) for an address, and the site's default
server refuses every TLS handshake without this site's name, as it should.

One nginx and one gunicorn (2 workers) serve the whole file; they are stopped at the end, also
when a test fails."""

import contextlib
import http.client
import os
import re
import shlex
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
from html import unescape
from pathlib import Path

import pytest
from browser_support import CHROMIUM, CHROMIUM_ARGS, PATH, do, submit
from test_wizard import TWITCHING

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NAME = "decision-aid.test"
CLINIC = "Riverside Neurology"
STAFF_EMAIL = "nurse@clinic.example"
STAFF_PASSWORD = "correct horse battery staple"
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
COULD_NOT_READ = "Sorry, we could not read that"

pytestmark = pytest.mark.browser

sys.path.insert(0, str(ROOT / "bench"))
try:
    from nginx_site import runnable_config
finally:
    sys.path.remove(str(ROOT / "bench"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, process, what):
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited at start (code {process.returncode})")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            return
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not listen on {port}")


def stop(process):
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def children(parent):
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                    found.add(int(entry.name))
    return found


class Stack:
    """nginx (TLS) in front of gunicorn, both on free ports of 127.0.0.1, in `folder`."""

    def __init__(self, folder):
        self.folder = folder
        self.port = free_port()
        self.http_port = free_port()
        self.app_port = free_port()
        self.base = f"https://{NAME}:{self.port}"
        self.gunicorn = self.nginx = None
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("PDF_")}
        self.env.update(
            INSTANCE_PATH=str(folder / "instance"),
            SECRET_KEY="test-deploy-https-" + "x" * 32,
            GUNICORN_BIND=f"127.0.0.1:{self.app_port}",
            GUNICORN_WORKERS="2",
            GUNICORN_THREADS="4",
            TRUSTED_PROXIES="1",
            SESSION_COOKIE_SECURE="1",
            DB_UPGRADE="0",
            CLINIC_NAME=CLINIC,
        )

    def start(self):
        folder = self.folder
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-keyout", folder / "key.pem", "-out", folder / "cert.pem",
             "-subj", f"/CN={NAME}", "-addext", f"subjectAltName=DNS:{NAME}"],
            check=True, capture_output=True,
        )  # fmt: skip
        cli = BIN / "decision-aid"
        subprocess.run([cli, "db", "upgrade"], env=self.env, check=True, capture_output=True)
        subprocess.run(
            [cli, "staff", "add", STAFF_EMAIL],
            input=STAFF_PASSWORD + "\n",
            text=True,
            env=self.env,
            check=True,
            capture_output=True,
        )
        self.start_gunicorn()
        config = folder / "nginx.conf"
        config.write_text(
            runnable_config(
                folder,
                [self.app_port],
                self.port,
                http_port=self.http_port,
                certificate=folder / "cert.pem",
                key=folder / "key.pem",
                server_name=NAME,
            )
        )
        with open(folder / "nginx.stderr", "w") as stderr:  # the child keeps its own copy
            self.nginx = subprocess.Popen([NGINX, "-c", config, "-p", folder], stderr=stderr)
        wait_for_port(self.port, self.nginx, "nginx")

    def start_gunicorn(self):
        command = [
            BIN / "gunicorn",
            "--config",
            ROOT / "deploy" / "gunicorn.conf.py",
            "decision_aid:create_app()",
        ]
        with open(self.folder / "gunicorn.out", "a") as log:  # the child keeps its own copy
            self.gunicorn = subprocess.Popen(
                command, env=self.env, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT
            )
        wait_for_port(self.app_port, self.gunicorn, "gunicorn")

    def workers(self):
        """The PIDs of gunicorn's workers (the master's children; render processes are the
        workers' children)."""
        return children(self.gunicorn.pid)

    def booted_workers(self, replacing=()):
        """Wait until the 2 workers run (none of `replacing`), each with its render process."""
        deadline = time.monotonic() + 90  # not a time limit: a hung start fails, not hangs
        while True:
            workers = self.workers()
            renders = {pid for w in workers for pid in children(w)}
            if len(workers) == 2 and not workers & set(replacing) and len(renders) >= 2:
                return workers
            assert time.monotonic() < deadline, (replacing, workers)
            time.sleep(0.1)

    @contextlib.contextmanager
    def gunicorn_down(self):
        stop(self.gunicorn)
        try:
            yield
        finally:
            self.start_gunicorn()

    def logs(self):
        """Everything nginx wrote: access log, the site's error log, its main error log."""
        return {p.name: p.read_text(errors="replace") for p in self.folder.glob("*.log")}

    def close(self):
        stop(self.nginx)
        stop(self.gunicorn)


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    if not Path(NGINX).exists():  # never skipped, like the other browser tests
        pytest.fail("nginx is missing: `make test` installs it (apt-get install nginx-light)")
    stack = Stack(tmp_path_factory.mktemp("deploy-https"))
    try:
        stack.start()
        yield stack
    finally:
        stack.close()


@pytest.fixture(scope="module")
def chromium(stack, browser):
    """Debian's chromium, told that decision-aid.test is 127.0.0.1: launched through the session's
    Playwright (tests/browser_support.py), since a process can run only one."""
    chromium = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {NAME} 127.0.0.1"],
    )
    try:
        yield chromium
    finally:
        chromium.close()


@contextlib.contextmanager
def browser_page(chromium, **options):
    context = chromium.new_context(ignore_https_errors=True, **options)
    context.set_default_timeout(15_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def sees(page):
    """What the person sees: the main heading, checked for the CSRF failure page."""
    heading = page.locator("h1").first.inner_text()
    assert COULD_NOT_READ not in page.content(), (page.url, heading)
    return heading


# ---- a patient and a nurse, in chromium, over HTTPS -------------------------------------------


def test_a_patient_starts_saves_walks_and_sends_over_https(stack, chromium):
    base = stack.base
    with browser_page(chromium) as page:
        page.goto(base + "/")
        submit(page, "text=Start now")
        sees(page)
        assert page.url == f"{base}/step/twitching"
        first = PATH[0]
        for action in first.actions:
            do(page, action)
        submit(page, "text=Save and come back later")
        assert sees(page) == "Your answers are saved"
        # The link and its QR code keep the site's port (nginx passes the Host as sent).
        link = page.locator(".resume-link a").get_attribute("href")
        assert link.startswith(f"{base}/resume/"), link
        assert page.locator("[data-copy]").get_attribute("data-copy") == link
        assert page.locator(".qr svg").count() == 1
        page.goto(link)
        assert sees(page) == "Go back to your answers"
        submit(page, "text=Continue with these answers")
        sees(page)
        page.goto(base + "/step/time")
        for step in PATH[1:]:
            if page.url.endswith("/choices"):  # the choices side by side (issue 31)
                submit(page, "#choices-continue")
            assert page.url.endswith(f"/step/{step.id}"), (step.id, page.url)
            for action in step.actions:
                do(page, action)
            submit(page)
            sees(page)
            if "/emergency" in page.url:
                submit(page, "text=I am safe: go on with the questions")
        assert page.url.endswith("/check"), page.url
        submit(page, "text=Make my summary")
        assert page.url.endswith("/summary"), page.url
        submit(page, f"text=Send to {CLINIC}")
        assert sees(page) == f"Send your summary to {CLINIC}?"
        page.fill("#name", "Ann Lee")
        page.fill("#date_of_birth__day", "7")
        page.fill("#date_of_birth__month", "2")
        page.fill("#date_of_birth__year", "1956")
        submit(page, "main button[type=submit]")
        assert page.url == f"{base}/send-to-clinic/sent", page.url
        assert CLINIC in sees(page)


def test_a_nurse_signs_in_and_out_over_https(stack, chromium):
    with browser_page(chromium) as page:
        page.goto(stack.base + "/staff/sign-in")
        page.fill("#email", STAFF_EMAIL)
        page.fill("#password", STAFF_PASSWORD)
        submit(page, "main button[type=submit]")
        sees(page)
        assert page.url == f"{stack.base}/staff/", page.url
        assert f"Signed in as {STAFF_EMAIL}" in page.locator("body").inner_text()
        submit(page, "text=Sign out")
        sees(page)
        assert "/staff/sign-in" in page.url
        page.goto(stack.base + "/staff/")
        assert "/staff/sign-in" in page.url  # signed out for real


# ---- plain clients: other names, logs ---------------------------------------------------------


def tls_context():
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context


def connection(stack, sni=NAME, tls=True):
    """A connection to nginx on 127.0.0.1 that says `sni` in its TLS handshake."""
    if not tls:
        return http.client.HTTPConnection("127.0.0.1", stack.http_port, timeout=10)
    conn = http.client.HTTPSConnection(sni, stack.port, context=tls_context(), timeout=60)
    conn._create_connection = lambda _address, *args: socket.create_connection(
        ("127.0.0.1", stack.port), *args
    )
    return conn


def fetch(conn, method, path, host, body=None, headers=()):
    conn.request(method, path, body=body, headers={"Host": host, **dict(headers)})
    response = conn.getresponse()
    return response.status, dict(response.getheaders()), response.read().decode(errors="replace")


def once(stack, method, path, host=None, *, sni=NAME, tls=True, **options):
    """One request on a new connection, closed after it."""
    conn = connection(stack, sni, tls)
    try:
        return fetch(conn, method, path, host or f"{NAME}:{stack.port}", **options)
    finally:
        conn.close()


def test_a_name_the_site_does_not_own_gets_no_page(stack):
    # TLS with another name: the handshake is refused, so no certificate or page is shown.
    with pytest.raises(ssl.SSLError):
        once(stack, "GET", "/saved", "evil.example", sni="evil.example")
    # This site's name in the handshake, another in the Host: the connection is closed unanswered.
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        once(stack, "GET", "/saved", "evil.example")
    # Plain HTTP: the same for another name; this site's name is sent to HTTPS.
    with pytest.raises((http.client.RemoteDisconnected, ConnectionError)):
        once(stack, "GET", "/", "evil.example", tls=False)
    status, headers, _ = once(stack, "GET", "/", NAME, tls=False)
    assert status == 301 and headers["Location"] == f"https://{NAME}/"
    # The site itself, with no version in its Server header (L15).
    status, headers, _ = once(stack, "GET", "/")
    assert status == 200 and headers["Server"] == "nginx"


def test_no_log_holds_a_resume_link_a_search_or_a_step(stack):
    token = "SECRETTOKEN" + "x" * 32
    big = b"a=" + b"x" * 1_200_000
    # nginx's refusal of a body over 1 MiB, logged at error level with the request line.
    assert once(stack, "POST", f"/resume/{token}", body=big)[0] == 413
    assert once(stack, "GET", f"/resume/{token}")[0] == 404
    assert once(stack, "GET", "/staff/find?q=Maria%20Lopez%201961-04-12")[0] == 302
    assert once(stack, "GET", "/step/botox")[0] == 302  # no answers yet: to the start
    with stack.gunicorn_down():  # "connect() failed", logged with the request line
        assert once(stack, "GET", f"/resume/{token}")[0] == 502
    logs = stack.logs()
    access = logs["access.log"]
    assert '"POST resume" 413' in access and '"GET staff" 302' in access
    assert '"GET resume" 502' in access  # under its route, though nginx's own page answered
    for name, text in logs.items():
        for secret in (token, "q=", "Maria", "/resume/", "botox", "/step/"):
            assert secret not in text, (name, secret)


# ---- nginx's own error pages -------------------------------------------------------------------

BUSY = {
    "en-GB": "Sorry, we are busy just now",
    "es-MX": "Lo sentimos, ahora estamos muy ocupados",
    "zh-CN": "抱歉，我们现在很忙",
    "zh-TW": "Sorry, we are busy just now",  # no Traditional Chinese page yet
}
SAVED = {
    "en-GB": "Your answers are saved.",
    "es-MX": "Sus respuestas están guardadas.",
    "zh-CN": "您的回答已经保存。",
    "zh-TW": "Your answers are saved.",
}


def test_a_stopped_app_shows_a_kind_page_in_the_patients_language(stack, chromium):
    with stack.gunicorn_down():
        for locale, heading in BUSY.items():
            with browser_page(chromium, locale=locale) as page:
                response = page.goto(stack.base + "/step/twitching")
                assert response.status == 502
                assert page.locator("h1").inner_text() == heading
                assert SAVED[locale] in page.locator("main").inner_text()
                assert response.headers["server"] == "nginx"
        # A POST (a saved page) gets the same, with its status.
        status, _, page = once(
            stack, "POST", "/step/twitching", body="a=1",
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )  # fmt: skip
        assert status == 502 and "Your answers are saved." in page


# ---- a reload for a deploy ----------------------------------------------------------------------


class Walker(threading.Thread):
    """A patient who keeps answering the first page, GET then POST, through nginx over HTTPS on
    one kept-alive connection, as a browser does. Counts answers and error responses."""

    def __init__(self, stack):
        super().__init__(daemon=True)
        self.stack = stack
        self.host = f"{NAME}:{stack.port}"
        self.origin = f"https://{self.host}"
        self.cookie = None
        self.done = threading.Event()
        self.counts = {"GET": 0, "POST": 0}
        self.errors = []
        self.conn = connection(stack)

    def send(self, method, path, form=None):
        headers = {"Referer": self.origin + path}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = "&".join(f"{k}={v}" for k, v in form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        status, response_headers, page = fetch(self.conn, method, path, self.host, body, headers)
        found = re.search(r"decision_aid=[^;]+", response_headers.get("Set-Cookie", ""))
        if found:
            self.cookie = found.group(0)
        self.counts[method] += 1
        if status >= 400:
            self.errors.append((method, path, status, page[:200]))
        return status, page

    def answer_first_page(self):
        _, page = self.send("GET", "/step/twitching")
        token = unescape(CSRF_RE.search(page).group(1))
        form = [("csrf_token", token), ("side", TWITCHING["side"])]
        form += [("started_where", TWITCHING["started_where"])]
        form += [("current_areas", area) for area in TWITCHING["current_areas"]]
        status, _ = self.send("POST", "/step/twitching", form)
        if status != 302:
            self.errors.append(("POST", "/step/twitching", status, "not saved"))

    def run(self):
        try:
            _, page = self.send("GET", "/")
            token = unescape(CSRF_RE.search(page).group(1))
            self.send("POST", "/start", [("csrf_token", token)])
            while not self.done.is_set():
                self.answer_first_page()
        except Exception as exc:  # a dropped connection is an error the patient sees
            self.errors.append(("exception", repr(exc)))
        finally:
            self.conn.close()


def reload_commands(master):
    """The systemd unit's ExecReload lines, with this checkout's paths and gunicorn's PID."""
    unit = (ROOT / "deploy" / "systemd" / "decision-aid.service").read_text()
    for line in unit.splitlines():
        if line.startswith("ExecReload="):
            line = line.removeprefix("ExecReload=").replace("$MAINPID", str(master))
            line = line.replace("/opt/decision-aid/venv/bin/", f"{BIN}/")
            yield shlex.split(line.replace("/opt/decision-aid/", f"{ROOT}/"))


def test_a_reload_loads_new_workers_with_no_error_page(stack):
    """`systemctl reload decision-aid` (the unit's ExecReload: a schema upgrade, then SIGHUP):
    new workers start from the code on disk, the old ones finish their requests, and a patient
    answering all the while sees no error."""
    before = stack.booted_workers()
    walkers = [Walker(stack) for _ in range(3)]
    for walker in walkers:
        walker.start()
    try:
        while min(w.counts["POST"] for w in walkers) < 5:  # all three are answering
            assert all(w.is_alive() for w in walkers), [w.errors for w in walkers]
            time.sleep(0.05)
        for command in reload_commands(stack.gunicorn.pid):
            subprocess.run(command, env=stack.env, check=True, capture_output=True)
        # Until both new workers answer and the old ones have gone (each stops once its
        # requests are answered), then some more answers.
        stack.booted_workers(replacing=before)
        answered = sum(w.counts["POST"] for w in walkers)
        deadline = time.monotonic() + 120  # not a time limit: a stuck walker fails, not hangs
        while sum(w.counts["POST"] for w in walkers) < answered + 30:
            assert all(w.is_alive() for w in walkers), [w.errors for w in walkers]
            assert time.monotonic() < deadline, [w.errors for w in walkers]
            time.sleep(0.05)
    finally:
        for walker in walkers:
            walker.done.set()
        for walker in walkers:
            walker.join(30)
    after = stack.workers()
    assert len(after) == 2 and not after & before
    print("reload:", [w.counts for w in walkers])
    assert [w.errors for w in walkers] == [[], [], []]
