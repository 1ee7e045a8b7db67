"""The attacks of the December 2026 security review, as `make load`'s abuse mode runs them
against a real gunicorn (deploy/gunicorn.conf.py), with what each must leave behind:

- M1, replayed first save: one Start, then the first question's POST sent again and again with
  the cookie from before the first save. Extra stored records: must be 0.
- M3, account lock-out by strangers: 34 wrong passwords for one account from 34 addresses (each
  sent as X-Forwarded-For straight to gunicorn, TRUSTED_PROXIES=1), then the right password from
  a fresh address. Locked accounts: must be 0.
- M5, render processes orphaned by a killed worker: each worker killed with SIGKILL, then its
  render process looked for. Orphans: must be 0.

Plain http.client: each request is sent exactly as written (cookies and headers by hand)."""

import http.client
import os
import signal
import time
from pathlib import Path
from urllib.parse import urlencode

from persona import CSRF, form_for

STAFF_EMAIL = "load.nurse@clinic.example"
STAFF_PASSWORD = "a long password for the load test"


def send(port, method, path, cookie=None, form=None, address=None):
    """(status, headers, body) of one request; `address` is sent as X-Forwarded-For."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if address:
        headers["X-Forwarded-For"] = address
    body = None
    if form is not None:
        body = urlencode(form, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.headers, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def session_cookie(headers, cookie=None):
    """The session cookie a response set, else the one sent."""
    for value in headers.get_all("Set-Cookie") or []:
        if value.startswith("decision_aid="):
            return value.split(";", 1)[0]
    return cookie


def stored_records(database_url):
    from sqlalchemy import create_engine, func, select

    from decision_aid.store import responses

    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(responses)).scalar_one()
    finally:
        engine.dispose()


def replayed_first_save(port, database_url, replays=30):
    """M1. Returns (replays sent, statuses, extra records)."""
    status, headers, body = send(port, "GET", "/")
    cookie = session_cookie(headers)
    status, headers, _ = send(
        port, "POST", "/start", cookie, {"csrf_token": CSRF.search(body).group(1)}
    )
    cookie = session_cookie(headers, cookie)
    status, headers, body = send(port, "GET", "/step/twitching", cookie)
    cookie = session_cookie(headers, cookie)
    form = {**form_for("twitching", "Load Replay"), "csrf_token": CSRF.search(body).group(1)}
    before = stored_records(database_url)
    statuses = [send(port, "POST", "/step/twitching", cookie, form)[0] for _ in range(replays + 1)]
    extra = stored_records(database_url) - before - 1  # the first save makes the one record
    return replays, statuses, extra


def add_staff(database_url):
    from decision_aid.staff.passwords import hash_password
    from decision_aid.store import Store

    store = Store(database_url)
    try:
        if store.staff_by_email(STAFF_EMAIL) is None:
            store.add_staff(STAFF_EMAIL, hash_password(STAFF_PASSWORD))
    finally:
        store.engine.dispose()


def sign_in(port, password, address):
    status, headers, body = send(port, "GET", "/staff/sign-in", address=address)
    cookie = session_cookie(headers)
    form = {"email": STAFF_EMAIL, "password": password, "csrf_token": CSRF.search(body).group(1)}
    return send(port, "POST", "/staff/sign-in", cookie, form, address)[0]


def lock_out(port, database_url, attackers=34):
    """M3. Returns (wrong passwords sent, their statuses, whether the account is locked)."""
    add_staff(database_url)
    statuses = [sign_in(port, "wrong password!", f"198.51.100.{n}") for n in range(attackers)]
    locked = sign_in(port, STAFF_PASSWORD, "203.0.113.200") != 302
    return attackers, statuses, locked


def children(pid):
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


def alive(pid):
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def orphans_after_kills(master, kills=3, wait=5.0):
    """M5. Kill a worker with SIGKILL `kills` times (gunicorn starts a new one each time); after
    `wait` seconds, count the killed workers' render processes still running."""
    orphans, every_render = 0, []
    for _ in range(kills):
        deadline = time.monotonic() + 60
        while not (workers := [w for w in children(master) if children(w)]):
            if time.monotonic() > deadline:
                raise RuntimeError("no worker with a render process")
            time.sleep(0.2)
        worker = workers[0]
        renders = children(worker)
        every_render += renders
        os.kill(worker, signal.SIGKILL)
        time.sleep(wait)
        orphans += sum(alive(pid) for pid in renders)
    for pid in every_render:  # leave nothing behind, whatever happened
        if alive(pid):
            os.kill(pid, signal.SIGKILL)
    return kills, orphans
