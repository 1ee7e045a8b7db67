"""Render ahead (issue 26): reaching the summary queues the patient's PDF in the background, so
Download finds it in the cache; nothing is rendered before the summary is reached; a change
drops it, and reaching the summary again renders it again; delete removes the files."""

import threading
from pathlib import Path

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


def test_no_render_ahead_while_every_render_slot_is_taken(tmp_path):
    """A render nobody has asked for yet never queues for a slot a Download may need: with the
    host's only slot taken, reaching the summary renders nothing, and Download renders as
    before once the slot is free."""
    from conftest import Patient

    from decision_aid.pdf import slots

    app = make_app(tmp_path, PDF_RENDER_AHEAD=True, PDF_CONCURRENCY=1, PDF_WAIT_SECONDS=120)
    patient = Patient(app, app.test_client())
    walk(patient, NOTHING_TRIED)
    taken, release = threading.Event(), threading.Event()

    def another_render():  # holds the only slot until the render ahead has been dealt with
        with app.app_context(), slots.slot(app):
            taken.set()
            release.wait(60)

    holder = threading.Thread(target=another_render)
    holder.start()
    taken.wait(30)
    assert patient.client.get("/summary").status_code == 200
    # The queue empties while the slot is still taken: a render that waited for the slot
    # (PDF_WAIT_SECONDS is 120 here) would still be waiting when the 30 seconds are up.
    idle = threading.Thread(target=ahead.wait_idle, daemon=True)
    idle.start()
    idle.join(30)
    finished_while_taken = not idle.is_alive()
    release.set()
    holder.join()
    ahead.wait_idle()
    assert finished_while_taken, "the render ahead waited for a render slot"
    assert cache_files(app) == []
    reply = patient.client.get("/summary.pdf")
    assert reply.status_code == 200 and reply.headers["X-PDF-Cache"] == "miss"
    assert len(cache_files(app)) == 1
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
