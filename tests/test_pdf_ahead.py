"""Render ahead (issue 26): reaching the summary queues the patient's PDF in the background, so
Download finds it in the cache; nothing is rendered before the summary is reached; a change
drops it, and reaching the summary again renders it again; delete removes the files."""

import os
import threading
import time
from pathlib import Path

import pytest
from conftest import make_app
from test_wizard import NOTHING_TRIED, walk

from decision_aid.pdf import ahead
from decision_aid.store import get_store


def cache_files(app):
    return sorted((Path(app.instance_path) / "pdf-cache").glob("*/*.pdf"))


def test_summary_renders_ahead_and_download_is_served_from_the_cache(tmp_path, monkeypatch):
    app = make_app(tmp_path, PDF_RENDER_AHEAD=True)
    from conftest import Patient

    patient = Patient(app, app.test_client())
    walk(patient, NOTHING_TRIED)  # to "Make my summary", not yet the summary page
    ahead.wait_idle()
    assert cache_files(app) == []  # nothing before the summary is reached

    page = patient.client.get("/summary")
    assert page.status_code == 200
    ahead.wait_idle()
    [cached] = cache_files(app)
    assert cached.parent.name == patient.stored().reference

    renders = []
    from decision_aid.pdf import pool

    real = pool.render
    monkeypatch.setattr(pool, "render", lambda *a, **k: renders.append(1) or real(*a, **k))
    data = patient.client.get("/summary.pdf").data
    assert data == cached.read_bytes() and data.startswith(b"%PDF")
    assert renders == []  # served from the cache

    # Reaching the summary again queues nothing new: the PDF is cached.
    assert patient.client.get("/summary").status_code == 200
    ahead.wait_idle()
    assert cache_files(app) == [cached]
    get_store(app).engine.dispose()


def test_off_renders_nothing(tmp_path):
    app = make_app(tmp_path, PDF_RENDER_AHEAD=False)
    from conftest import Patient

    patient = Patient(app, app.test_client())
    walk(patient, NOTHING_TRIED)
    assert patient.client.get("/summary").status_code == 200
    ahead.wait_idle()
    assert cache_files(app) == []
    get_store(app).engine.dispose()


def test_a_render_ahead_waits_while_the_host_renders_something_else(tmp_path):
    """A render nobody has asked for yet never takes a slot a Download may need: with the host's
    only slot taken, reaching the summary renders nothing (the render is put off, not queued for
    the slot), and once the slot is free the render ahead makes the PDF, which Download then
    takes from the cache."""
    from conftest import Patient

    from decision_aid.pdf import slots

    app = make_app(tmp_path, PDF_RENDER_AHEAD=True, PDF_CONCURRENCY=1, PDF_WAIT_SECONDS=120)
    patient = Patient(app, app.test_client())
    walk(patient, NOTHING_TRIED)
    taken, release = threading.Event(), threading.Event()

    def another_render():  # holds the only slot until the render ahead has been put off
        with app.app_context(), slots.slot(app):
            taken.set()
            release.wait(60)

    holder = threading.Thread(target=another_render)
    holder.start()
    taken.wait(30)
    put_off_before = ahead.put_off_count
    assert patient.client.get("/summary").status_code == 200
    for _ in range(600):  # up to 30 s for the render ahead's first try
        if ahead.put_off_count > put_off_before:
            break
        time.sleep(0.05)
    assert ahead.put_off_count > put_off_before, "the render ahead never tried"
    assert cache_files(app) == []  # put off while the slot was taken
    release.set()
    holder.join()
    ahead.wait_idle()
    assert len(cache_files(app)) == 1
    reply = patient.client.get("/summary.pdf")
    assert reply.status_code == 200 and reply.headers["X-PDF-Cache"] == "hit"
    get_store(app).engine.dispose()


def test_renders_ahead_one_a_slot_at_most_and_only_when_every_slot_is_free(tmp_path):
    """slots.ahead_slot: a render ahead starts only with every slot free and holds none of them,
    so Downloads keep them all; at most PDF_CONCURRENCY renders ahead at once on the host; one
    more, or any slot taken, is put off at once (Busy)."""
    from decision_aid.pdf import slots

    app = make_app(tmp_path, PDF_CONCURRENCY=2)
    with app.app_context():
        with slots.ahead_slot(app), slots.ahead_slot(app):
            with slots.slot(app, wait=0), slots.slot(app, wait=0):
                with pytest.raises(slots.Busy), slots.slot(app, wait=0):
                    pass  # two Downloads took both slots beside the renders ahead
            with pytest.raises(slots.Busy), slots.ahead_slot(app):
                pass  # two renders ahead at once on two slots, not three
        with slots.slot(app, wait=0):
            with pytest.raises(slots.Busy), slots.ahead_slot(app):
                pass  # a Download renders: the render ahead waits
        with slots.ahead_slot(app):  # all free again
            pass
    get_store(app).engine.dispose()


def test_a_render_ahead_runs_in_a_process_of_its_own_at_the_lowest_priority(tmp_path):
    from decision_aid.pdf import pool

    app = make_app(tmp_path)
    with app.app_context():
        ahead_pool, download_pool = pool.process_pool(app, ahead=True), pool.process_pool(app)
        assert ahead_pool is not download_pool
        niceness = os.nice(0)
        ahead_nice = ahead_pool.schedule(os.nice, (0,)).result(timeout=120)
        download_nice = download_pool.schedule(os.nice, (0,)).result(timeout=120)
        assert ahead_nice == min(19, niceness + pool.AHEAD_NICENESS)
        assert download_nice == min(19, niceness + pool.RENDER_NICENESS)
        assert pool.process_pool(app, ahead=True) is ahead_pool  # made once
    get_store(app).engine.dispose()


def test_the_newest_summary_renders_first_and_a_full_queue_drops_the_oldest(tmp_path, monkeypatch):
    """Under load a patient downloads within seconds of reaching the summary: the render ahead
    takes the newest summary first, and a full queue drops its oldest. The render itself is
    recorded here (the tests above render for real); the first one is held until the rest are
    queued."""
    app = make_app(tmp_path, PDF_RENDER_AHEAD=True)
    started, release, order = threading.Event(), threading.Event(), []

    def recorded(_app, code, _kind, _answers, **_options):
        order.append(code)
        if code == "FIRST":
            started.set()
            release.wait(30)

    monkeypatch.setattr(ahead.cache, "summary", recorded)
    monkeypatch.setattr(ahead, "QUEUE_SIZE", 3)
    assert ahead.queue_render(app, "FIRST", "patient", {})
    assert started.wait(30)
    for code in ("OLDEST", "B", "C", "NEWEST"):
        assert ahead.queue_render(app, code, "patient", {})
    assert not ahead.queue_render(app, "C", "patient", {})  # queued already
    release.set()
    ahead.wait_idle()
    assert order == ["FIRST", "NEWEST", "C", "B"]
    get_store(app).engine.dispose()


def slow_render_ahead(app, patient):
    """The patient reaches the summary while the render ahead's process is busy (a sleep): the
    render ahead has its turn and waits. Returns the sleep's future: cancel it to go on."""
    from decision_aid.pdf import pool, slots

    with app.app_context():
        busy = pool.process_pool(app, ahead=True).schedule(time.sleep, (300,))
    assert patient.client.get("/summary").status_code == 200
    for _ in range(600):
        if slots.in_render(slots.lock_dir(app), "ahead-0.lock"):
            break
        time.sleep(0.05)
    return busy


def test_a_download_never_waits_for_the_render_ahead_of_its_own_pdf(tmp_path):
    """The render ahead of this patient's PDF is under way but slow (its process is busy): the
    Download does not wait for it, it renders the PDF itself at once."""
    from conftest import Patient

    app = make_app(tmp_path, PDF_RENDER_AHEAD=True, PDF_CONCURRENCY=2, PDF_WAIT_SECONDS=5)
    patient = Patient(app, app.test_client())
    walk(patient, NOTHING_TRIED)
    busy = slow_render_ahead(app, patient)
    assert ahead._rendering == 1
    reply = patient.client.get("/summary.pdf")
    assert reply.status_code == 200 and reply.data.startswith(b"%PDF")
    assert reply.headers["X-PDF-Cache"] == "miss"
    assert ahead._rendering == 1  # still under way: the Download did not wait for it
    busy.cancel()  # pebble ends that process; the render ahead then finds the PDF made
    ahead.wait_idle()
    assert [path.read_bytes() for path in cache_files(app)] == [reply.data]
    get_store(app).engine.dispose()


def test_a_render_ahead_renders_nothing_while_a_download_renders_the_same_pdf(tmp_path):
    from conftest import Patient

    from decision_aid.pdf import cache, slots

    app = make_app(tmp_path, PDF_RENDER_AHEAD=True)
    patient = Patient(app, app.test_client())
    walk(patient, NOTHING_TRIED)
    folder = cache._folder(app, patient.stored().reference)
    with app.app_context(), slots.single_flight(app, folder, ".patient.lock"):  # the Download
        assert patient.client.get("/summary").status_code == 200
        ahead.wait_idle()
        assert cache_files(app) == []
    get_store(app).engine.dispose()


def test_a_render_ahead_put_off_too_long_is_dropped(tmp_path, monkeypatch):
    """A render put off past GIVE_UP_SECONDS is not tried again: the patient has downloaded it
    or gone by then, and the queue empties even while the host keeps rendering."""
    from conftest import Patient

    from decision_aid.pdf import slots

    monkeypatch.setattr(ahead, "GIVE_UP_SECONDS", 0)
    app = make_app(tmp_path, PDF_RENDER_AHEAD=True, PDF_CONCURRENCY=1)
    patient = Patient(app, app.test_client())
    walk(patient, NOTHING_TRIED)
    put_off_before = ahead.put_off_count
    with app.app_context(), slots.slot(app):  # the host renders all along
        assert patient.client.get("/summary").status_code == 200
        ahead.wait_idle()
        assert ahead.put_off_count == put_off_before + 1  # tried once, then dropped
    assert cache_files(app) == []
    assert patient.client.get("/summary").status_code == 200  # queued afresh: now it renders
    ahead.wait_idle()
    assert len(cache_files(app)) == 1
    get_store(app).engine.dispose()


def test_newer_answers_take_the_place_of_a_render_ahead_still_queued(tmp_path):
    """The host renders; the patient reaches the summary, changes an answer and reaches it again:
    the render ahead makes the PDF of the newer answers, and Download finds it."""
    from conftest import Patient

    from decision_aid.pdf import slots

    app = make_app(tmp_path, PDF_RENDER_AHEAD=True, PDF_CONCURRENCY=1)
    patient = Patient(app, app.test_client())
    walk(patient, NOTHING_TRIED)
    with app.app_context(), slots.slot(app):  # the host renders: both are put off
        assert patient.client.get("/summary").status_code == 200
        changed = {"frequency": "daily", "in_sleep": "yes", "eyelid_ripple_only": "yes"}
        patient.post_step("pattern", changed, "?return_to=check")
        patient.finish()
        assert patient.stored().answers["frequency"] == "daily"
        assert patient.client.get("/summary").status_code == 200
        assert len(ahead._stack) == 1  # one entry for the patient, with the newer answers
    ahead.wait_idle()
    reply = patient.client.get("/summary.pdf")
    assert reply.status_code == 200 and reply.headers["X-PDF-Cache"] == "hit"
    get_store(app).engine.dispose()


def test_a_render_ahead_keeps_nothing_of_answers_deleted_while_it_rendered(tmp_path):
    from conftest import Patient

    app = make_app(tmp_path, PDF_RENDER_AHEAD=True)
    patient = Patient(app, app.test_client())
    walk(patient, NOTHING_TRIED)
    busy = slow_render_ahead(app, patient)
    token = patient.token()
    assert patient.post_page("/delete", {}).status_code == 200
    assert get_store(app).load(token) is None
    busy.cancel()  # the render ahead now renders, and must not keep the PDF
    ahead.wait_idle()
    assert cache_files(app) == []
    get_store(app).engine.dispose()
