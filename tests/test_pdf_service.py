"""The PDF under load (issue 15): the cache (the same bytes; dropped on a change and on delete;
never given to anyone else; bounded), the host-wide render slots with their friendly 503, the
recycled render process, and web workers that never import WeasyPrint."""

import datetime
import errno
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
from conftest import Patient, csrf_from, make_app
from test_wizard import LONG_BOTOX, NOTHING_TRIED, walk

from decision_aid.pdf import cache as pdf_cache
from decision_aid.pdf import pool as pdf_pool
from decision_aid.pdf import slots as pdf_slots
from decision_aid.store import get_store


def cache_files(app):
    return sorted((Path(app.instance_path) / "pdf-cache").glob("*/*.pdf"))


@pytest.fixture
def finished(app, patient):
    walk(patient, NOTHING_TRIED)
    return patient


def test_a_repeated_download_is_the_same_bytes_from_the_cache(app, finished):
    first = finished.client.get("/summary.pdf")
    assert first.status_code == 200 and first.data.startswith(b"%PDF")
    [cached] = cache_files(app)
    assert cached.read_bytes() == first.data
    assert cached.parent.name == finished.stored().reference
    assert cached.stat().st_mode & 0o777 == 0o600
    assert cached.parent.stat().st_mode & 0o777 == 0o700
    # A fresh render gives the very same bytes ...
    cached.unlink()
    assert finished.client.get("/summary.pdf").data == first.data
    # ... and a repeat is served from the cache: a marked file in its place comes back as it is.
    [cached] = cache_files(app)
    cached.write_bytes(first.data + b"%marked")
    assert finished.client.get("/summary.pdf").data == first.data + b"%marked"


def test_an_unwritable_cache_never_breaks_a_pdf(app, finished, caplog):
    """L9: on a full disk a PDF that had rendered still gave a 500 (the cache write raised).
    Here the cache's folder cannot be made at all (a file is in its place)."""
    (Path(app.instance_path) / "pdf-cache").write_bytes(b"not a folder")
    first = finished.client.get("/summary.pdf")
    assert first.status_code == 200 and first.data.startswith(b"%PDF")
    assert "PDF cache not written" in caplog.text and "rendered without it" in caplog.text
    assert finished.client.get("/summary.pdf").data == first.data  # rendered again, the same


def test_a_full_disk_never_breaks_a_pdf(app, finished, caplog, monkeypatch):
    def disk_full(path, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(pdf_cache, "write_private", disk_full)
    response = finished.client.get("/summary.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "PDF cache not written (No space left on device)" in caplog.text
    assert cache_files(app) == []


def test_a_database_that_cannot_be_written_never_stops_a_pdf(app, finished, caplog):
    """L9: the download also writes its rate-limit hit, which failed on the full disk. SQLite's
    query_only stands in for the full disk: every write fails with an OperationalError."""
    from sqlalchemy import event

    engine = get_store(app).engine
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query_only stands in for a full disk")

    def full(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA query_only=ON")

    engine.dispose()
    event.listen(engine, "connect", full)
    try:
        response = finished.client.get("/summary.pdf")
    finally:
        event.remove(engine, "connect", full)
        engine.dispose()
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert "rate limit pdf not counted (OperationalError): let through" in caplog.text


def test_a_changed_answer_drops_the_cached_pdf(app, finished):
    first = finished.client.get("/summary.pdf").data
    assert cache_files(app)
    reply = finished.post_step("pattern", dict(NOTHING_TRIED[2][1], frequency="daily"))
    assert reply.status_code == 302
    assert cache_files(app) == []
    finished.finish()
    changed = finished.client.get("/summary.pdf").data
    assert changed.startswith(b"%PDF") and changed != first


def test_deleting_the_answers_drops_the_cached_pdf(app, finished):
    finished.client.get("/summary.pdf")
    assert cache_files(app)
    page = finished.client.get("/delete").get_data(as_text=True)
    finished.client.post("/delete", data={"csrf_token": csrf_from(page)})
    assert cache_files(app) == []


def test_a_cached_pdf_is_never_given_to_anyone_else(app, finished):
    own = finished.client.get("/summary.pdf").data
    stranger = app.test_client()
    assert stranger.get("/summary.pdf").status_code == 404
    stranger_patient = Patient(app, stranger)
    stranger_patient.start()
    assert stranger.get("/summary.pdf").status_code == 404
    twin = Patient(app, app.test_client())
    walk(twin, NOTHING_TRIED)  # the same answers, another person
    theirs = twin.client.get("/summary.pdf").data
    assert theirs.startswith(b"%PDF") and theirs != own
    assert len(cache_files(app)) == 2
    assert {path.parent.name for path in cache_files(app)} == {
        finished.stored().reference,
        twin.stored().reference,
    }


def test_the_cache_stays_within_its_size(tmp_path):
    app = make_app(tmp_path, PDF_CACHE_MB=0.09)  # room for one summary (about 60 KB)
    for _ in range(2):
        patient = Patient(app, app.test_client())
        walk(patient, NOTHING_TRIED)
        assert patient.client.get("/summary.pdf").status_code == 200
    [kept] = cache_files(app)
    assert kept.parent.name == patient.stored().reference  # the older one went
    assert sum(path.stat().st_size for path in cache_files(app)) <= 0.12 * 1024 * 1024
    get_store(app).engine.dispose()


# --- render slots: at most PDF_CONCURRENCY renders on the host, then a friendly 503 -----------

HOLD_SLOT = textwrap.dedent(
    """
    import fcntl, os, sys
    fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    print("held", flush=True)
    sys.stdin.read()
    """
)


def test_with_every_slot_busy_the_pdf_is_a_friendly_503_with_retry_after(tmp_path, caplog):
    app = make_app(tmp_path, PDF_CONCURRENCY=1, PDF_WAIT_SECONDS=0.2, PDF_RETRY_AFTER=30)
    patient = Patient(app, app.test_client())
    walk(patient, NOTHING_TRIED)
    folder = pdf_slots.lock_dir(app)
    folder.mkdir(parents=True, exist_ok=True)
    # Another process (another gunicorn worker) is rendering in the only slot.
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_SLOT, str(folder / "slot-0.lock")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout.readline().strip() == "held"
        busy = patient.client.get("/summary.pdf")
        holder.stdin.close()
    assert busy.status_code == 503
    assert busy.headers["Retry-After"] == "30"
    assert busy.headers["Cache-Control"] == "no-store"
    page = busy.get_data(as_text=True)
    assert "Sorry, we are busy just now" in page and "Your answers are saved" in page
    assert cache_files(app) == []
    assert "PDF request turned away (503): every render slot stayed taken" in caplog.text
    again = patient.client.get("/summary.pdf")
    assert again.status_code == 200 and again.data.startswith(b"%PDF")
    get_store(app).engine.dispose()


def test_the_staff_pdfs_wait_for_the_same_slots(tmp_path):
    from clinic_support import send_through_pages, staff_client

    app = make_app(tmp_path, PDF_CONCURRENCY=1, PDF_WAIT_SECONDS=0.1)
    sent = send_through_pages(Patient(app, app.test_client()), LONG_BOTOX)
    staff = staff_client(app)
    with pdf_slots.slot(app):
        busy = staff.get(f"/staff/summary/{sent.reference}/pdf")
        day = staff.get(f"/staff/day-list?date={datetime.date(2026, 11, 25).isoformat()}")
    assert busy.status_code == 503 and day.status_code == 503
    assert staff.get(f"/staff/summary/{sent.reference}/pdf").status_code == 200
    get_store(app).engine.dispose()


def test_parallel_downloads_of_one_pdf_share_one_render(tmp_path, monkeypatch):
    from test_saving import at_once

    app = make_app(tmp_path, PDF_REQUESTS_PER_WORKER=4, PDF_WAIT_SECONDS=60)
    patient = Patient(app, app.test_client())
    walk(patient, NOTHING_TRIED)
    renders = []
    real_render = pdf_pool.render

    def counted(*args, **kwargs):
        renders.append(kwargs.get("reference"))
        return real_render(*args, **kwargs)

    monkeypatch.setattr(pdf_pool, "render", counted)
    # Four at once, as two workers would take them (PER_PATIENT is 2 in each worker).
    monkeypatch.setattr(pdf_slots, "PER_PATIENT", 4)
    replies = at_once([lambda: patient.client.get("/summary.pdf")] * 4)
    assert [r.status_code for r in replies] == [200] * 4
    assert len({r.data for r in replies}) == 1
    assert len(renders) == 1
    get_store(app).engine.dispose()


def test_a_worker_past_its_pdf_requests_answers_503_at_once(tmp_path, caplog):
    app = make_app(tmp_path, PDF_REQUESTS_PER_WORKER=1, PDF_WAIT_SECONDS=30)
    patient = Patient(app, app.test_client())
    walk(patient, NOTHING_TRIED)
    holding = threading.Event()
    done = threading.Event()

    def another_pdf_request():
        with pdf_slots.worker_turn(app):
            holding.set()
            done.wait()

    thread = threading.Thread(target=another_pdf_request)
    thread.start()
    holding.wait()
    try:
        busy = patient.client.get("/summary.pdf")  # no 30 s wait: refused at once
    finally:
        done.set()
        thread.join()
    assert busy.status_code == 503 and busy.headers["Retry-After"]
    assert "turned away (503): this worker has PDF_REQUESTS_PER_WORKER PDF" in caplog.text
    assert patient.client.get("/summary.pdf").status_code == 200
    get_store(app).engine.dispose()


def test_one_patients_parallel_pdfs_leave_the_workers_turns_to_others(tmp_path, caplog):
    """A patient's flood takes at most PER_PATIENT (2) of a worker's turns: their third request
    is refused at once, while another patient still gets theirs."""
    app = make_app(tmp_path, PDF_REQUESTS_PER_WORKER=6, PDF_WAIT_SECONDS=30)
    flooding, other = Patient(app, app.test_client()), Patient(app, app.test_client())
    walk(flooding, NOTHING_TRIED)
    walk(other, LONG_BOTOX)
    code = flooding.stored().reference
    holding = threading.Barrier(pdf_slots.PER_PATIENT + 1)
    done = threading.Event()

    def a_pdf_request_of(reference):
        with pdf_slots.worker_turn(app, reference):
            holding.wait()
            done.wait()

    threads = [
        threading.Thread(target=a_pdf_request_of, args=(code,))
        for _ in range(pdf_slots.PER_PATIENT)
    ]
    for thread in threads:
        thread.start()
    holding.wait()
    try:
        third = flooding.client.get("/summary.pdf")  # refused at once, not after 30 s
        theirs = other.client.get("/summary.pdf")
    finally:
        done.set()
        for thread in threads:
            thread.join()
    assert third.status_code == 503 and third.headers["Retry-After"]
    assert "turned away (503): this patient has PER_PATIENT PDF requests" in caplog.text
    assert theirs.status_code == 200 and theirs.data.startswith(b"%PDF")
    assert flooding.client.get("/summary.pdf").status_code == 200  # their turns came back
    get_store(app).engine.dispose()


# --- the render process ------------------------------------------------------------------------


def test_render_processes_are_replaced_after_their_task_limit_without_hanging(tmp_path):
    """Six tasks queued at once on one render process that may run two: each process runs two
    and is replaced (the standard library's executor stopped replacing it here and hung: CPython
    gh-115634). Each runs at the web worker's CPU priority: the patient waits for it."""
    app = make_app(tmp_path, PDF_PROCESSES=1, PDF_RENDERS_PER_PROCESS=2)
    pool = pdf_pool.process_pool(app)
    futures = [pool.schedule(os.getpid) for _ in range(6)]
    pids = [future.result(timeout=120) for future in futures]
    assert [len(set(pids[n : n + 2])) for n in range(0, 6, 2)] == [1, 1, 1]
    assert len(set(pids)) == 3 and os.getpid() not in pids
    assert pool.schedule(os.nice, (0,)).result(timeout=120) == os.nice(0) + pdf_pool.RENDER_NICENESS
    get_store(app).engine.dispose()


def test_a_render_past_its_timeout_is_given_up_and_its_process_replaced(finished):
    app = finished.app
    before = pdf_pool.process_pool(app).schedule(os.getpid).result(timeout=120)  # once it is warm
    app.config["PDF_RENDER_TIMEOUT"] = 0.05  # far too short for a summary
    assert finished.client.get("/summary.pdf").status_code == 500
    for _ in range(100):  # pebble ends the cancelled render's process
        if not running(before):
            break
        time.sleep(0.1)
    else:
        raise AssertionError("the timed-out render's process still runs")
    app.config["PDF_RENDER_TIMEOUT"] = 60
    response = finished.client.get("/summary.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert pdf_pool.process_ids() and before not in pdf_pool.process_ids()


def test_a_broken_pool_is_replaced(finished):
    """A render process killed while idle (the OOM killer) breaks pebble's pool: the next PDF
    gets a new pool."""
    app = finished.app
    pool = pdf_pool.process_pool(app)
    before = pool.schedule(os.getpid).result(timeout=120)
    os.kill(before, signal.SIGKILL)
    for _ in range(100):
        if not pool.active:
            break
        time.sleep(0.1)
    else:
        raise AssertionError("pebble did not give the pool up")
    response = finished.client.get("/summary.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert pdf_pool.process_pool(app) is not pool
    assert pdf_pool.process_ids() and before not in pdf_pool.process_ids()


def test_the_app_renders_in_another_process(app, finished):
    assert finished.client.get("/summary.pdf").status_code == 200
    assert pdf_pool.process_ids() and os.getpid() not in pdf_pool.process_ids()


KILLED_WORKER = textwrap.dedent(
    """
    import sys, time
    from decision_aid import create_app
    from decision_aid.pdf import pool
    app = create_app({"INSTANCE_PATH": sys.argv[1]})
    pool.start(app)
    while not pool.process_ids():
        time.sleep(0.05)
    print(pool.process_ids()[0], flush=True)
    time.sleep(600)
    """
)


def running(pid):
    """Whether `pid` is a live process (a zombie waiting for init to reap it is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_render_process_ends_when_its_worker_is_killed(tmp_path):
    """M5: a web worker killed with SIGKILL left its render process running for ever."""
    with subprocess.Popen(
        [sys.executable, "-c", KILLED_WORKER, str(tmp_path / "instance")],
        stdout=subprocess.PIPE,
        text=True,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    ) as worker:
        try:
            render_pid = int(worker.stdout.readline())
            assert running(render_pid)
        finally:
            worker.kill()
    for _ in range(100):  # the render process checks its parent every second
        if not running(render_pid):
            break
        time.sleep(0.1)
    else:
        os.kill(render_pid, signal.SIGKILL)
        raise AssertionError("the render process outlived its killed worker")


WEB_WORKER = textwrap.dedent(
    """
    import sys
    from decision_aid import create_app
    app = create_app({"INSTANCE_PATH": sys.argv[1]})
    client = app.test_client()
    assert client.get("/").status_code == 200
    assert client.get("/staff/sign-in").status_code == 200
    assert client.get("/fhir/metadata").status_code == 200
    print("weasyprint" in sys.modules)
    """
)


def test_a_web_worker_never_imports_weasyprint(tmp_path):
    run = subprocess.run(
        [sys.executable, "-c", WEB_WORKER, str(tmp_path / "instance")],
        capture_output=True,
        text=True,
        check=True,
        env={k: v for k, v in os.environ.items() if k != "DATABASE_URL"},
    )
    assert run.stdout.strip() == "False"
