"""No rows for nothing, no lost page, no failed save during a purge (issue 15). Runs on SQLite,
and on PostgreSQL under `make test-postgres`. Concurrency comes from threads started together at
a barrier, never from sleeps."""

import functools
import re
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest
from conftest import Patient, csrf_from
from sqlalchemy import func, insert, select, update
from test_wizard import NOTHING_TRIED, TIME, TWITCHING, opening

from decision_aid.store import get_store, hash_token, responses
from decision_aid.web import saving

PATTERN = dict(opening()[2][1])


def count_rows(app):
    with get_store(app).engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(responses)).scalar_one()


def second_tab(app, patient):
    """Another tab of the same browser: a client with the same session cookie."""
    tab = Patient(app, app.test_client())
    tab.client.set_cookie("decision_aid", patient.client.get_cookie("decision_aid").value)
    return tab


# --- no rows for nothing -----------------------------------------------------------------------


def test_a_replayed_start_makes_no_rows_and_each_start_gets_a_new_token(app, client):
    csrf = csrf_from(client.get("/").get_data(as_text=True))
    cookie = client.get_cookie("decision_aid").value
    tokens = set()
    for _ in range(20):
        replay = app.test_client()
        replay.set_cookie("decision_aid", cookie)
        response = replay.post("/start", data={"csrf_token": csrf})
        assert response.status_code == 302 and response.location == "/step/twitching"
        with replay.session_transaction() as session:
            tokens.add(session["token"])
    assert len(tokens) == 20
    assert count_rows(app) == 0


def test_the_first_saved_answer_makes_the_record_under_a_new_token(app, patient):
    patient.start()
    started = patient.token()
    assert count_rows(app) == 0
    assert patient.client.get("/step/twitching").status_code == 200
    assert patient.client.get("/check").location == "/step/twitching"
    assert patient.post_step("twitching", TWITCHING).location == "/step/time"
    assert count_rows(app) == 1
    assert patient.token() != started
    assert get_store(app).load(started) is None
    assert patient.stored().answers == TWITCHING


def test_a_planted_cookie_never_opens_the_victims_answers(app):
    """Session fixation: someone starts, copies their cookie into another person's browser and
    keeps their own. The other person answers (even without pressing Start); the copied token
    opens nothing, now or later."""
    attacker = Patient(app, app.test_client())
    attacker.start()
    planted_token = attacker.token()
    victim = Patient(app, app.test_client())
    victim.client.set_cookie("decision_aid", attacker.client.get_cookie("decision_aid").value)
    assert victim.post_step("twitching", TWITCHING).status_code == 302
    assert victim.stored().answers == TWITCHING
    assert victim.token() != planted_token
    assert get_store(app).load(planted_token) is None
    assert attacker.client.get(f"/resume/{planted_token}").status_code == 404
    assert attacker.client.get("/check").location == "/step/twitching"  # still nothing saved
    page = attacker.client.get("/step/twitching").get_data(as_text=True)
    assert 'value="left" checked' not in page and "checked" not in page


def test_start_again_always_gets_a_fresh_token_and_no_record(app, patient):
    patient.start()
    patient.post_step("twitching", TWITCHING)
    old = patient.token()
    page = patient.client.get("/start-again").get_data(as_text=True)
    patient.client.post("/start-again", data={"csrf_token": csrf_from(page)})
    assert patient.token() not in (None, old)
    assert get_store(app).load(old) is None
    assert count_rows(app) == 0


def test_pages_read_the_answers_while_another_save_holds_the_write_lock(app, patient):
    """Reading never waits for writing. Every page reads the answers; on SQLite a read that
    took the write lock (BEGIN IMMEDIATE) queued every page behind every save, in every worker
    (`make load`). Here a save is under way, uncommitted: the pages still show the answers as
    last saved. Before the fix this page waited the whole busy timeout, then failed."""
    patient.start()
    patient.post_step("twitching", TWITCHING)
    store = get_store(app)
    with store.engine.begin() as conn:  # another save, mid-way (SQLite: BEGIN IMMEDIATE)
        conn.execute(update(responses).values(answers={}))
        page = patient.client.get("/step/twitching")
        assert page.status_code == 200
        assert re.search(r'name="side" value="left"\s*checked', page.get_data(as_text=True))
        assert store.load(patient.token()).answers == TWITCHING
    assert store.load(patient.token()).answers == {}


# --- no lost page ------------------------------------------------------------------------------


def test_a_save_that_loses_the_race_merges_again(app):
    """The interleaving made exact: tab A saves while tab B is merging. B's write finds the
    version changed, so B reads A's answers and merges again."""
    store = get_store(app)
    token, _ = store.create({"side": "left"}, ["twitching"])
    seen = []

    def tab_b(stored):
        seen.append(dict(stored.answers))
        if len(seen) == 1:
            saving.save_merged(
                store,
                token,
                lambda s: (s.answers | {"course": "worse"}, s.completed_steps + ["time"]),
            )
        return stored.answers | {"frequency": "daily"}, stored.completed_steps + ["pattern"]

    saving.save_merged(store, token, tab_b)
    stored = store.load(token)
    assert stored.answers == {"side": "left", "course": "worse", "frequency": "daily"}
    assert stored.completed_steps == ["twitching", "time", "pattern"]
    assert seen == [{"side": "left"}, {"side": "left", "course": "worse"}]
    assert stored.version == 2  # made at 0, then A's save and B's


def at_once(calls):
    """Run each of `calls` in its own thread, all released together at a barrier; returns their
    results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        barrier.wait()
        results[index] = call()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


@pytest.fixture
def busy_switching():
    """Threads switch every 10 microseconds instead of 5 ms, so that two requests released
    together really interleave (without the version check, this loses a page almost every
    round)."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)
    yield
    sys.setswitchinterval(interval)


def test_two_tabs_saving_different_pages_at_once_keep_both(app, busy_switching):
    for _round in range(6):
        patient = Patient(app, app.test_client())
        patient.start()
        patient.post_step("twitching", TWITCHING)
        tabs = [(patient, "time", TIME), (second_tab(app, patient), "pattern", PATTERN)]
        posts = []
        for tab, step_id, data in tabs:
            page = tab.client.get(f"/step/{step_id}").get_data(as_text=True)
            form = dict(data, csrf_token=csrf_from(page))
            posts.append(functools.partial(tab.client.post, f"/step/{step_id}", data=form))
        assert [reply.status_code for reply in at_once(posts)] == [302, 302]
        stored = patient.stored()
        assert {"onset", "course", "frequency", "in_sleep"} <= set(stored.answers)
        assert set(stored.completed_steps) == {"twitching", "time", "pattern"}


# --- the purge ---------------------------------------------------------------------------------


def _old_rows(app, count):
    old = datetime.now(UTC) - timedelta(days=400)
    rows = [
        {
            "token_hash": hash_token(f"old-{n}"),
            "reference": f"OLD{n:06d}",
            "answers": {"side": "left"},
            "completed_steps": ["twitching"],
            "created_at": old,
            "updated_at": old,
            "answered_at": old,
        }
        for n in range(count)
    ]
    with get_store(app).engine.begin() as conn:
        conn.execute(insert(responses), rows)


def test_saves_during_a_large_purge_never_fail(app):
    _old_rows(app, 3000)
    patients = []
    for _ in range(4):
        patient = Patient(app, app.test_client())
        patient.start()
        patient.post_step("twitching", NOTHING_TRIED[0][1])
        patients.append(patient)
    steps = NOTHING_TRIED[1:5]
    pages = {}
    for patient in patients:
        for step_id, data in steps:
            page = patient.client.get(f"/step/{step_id}").get_data(as_text=True)
            pages[patient, step_id] = dict(data, csrf_token=csrf_from(page))
    barrier = threading.Barrier(len(patients) + 1)
    statuses, failures = [], []

    def answer(patient):
        barrier.wait()
        for step_id, _data in steps:
            try:
                reply = patient.client.post(f"/step/{step_id}", data=pages[patient, step_id])
                statuses.append(reply.status_code)
            except Exception as error:  # a "database is locked" would land here
                failures.append(repr(error))

    threads = [threading.Thread(target=answer, args=(p,)) for p in patients]
    for thread in threads:
        thread.start()
    barrier.wait()
    outcome = get_store(app).purge(30, batch=100)
    for thread in threads:
        thread.join()
    assert failures == []
    assert statuses == [302] * (len(patients) * len(steps))
    assert outcome.submissions == 3000
    assert count_rows(app) == len(patients)
    for patient in patients:
        assert len(patient.stored().completed_steps) == 1 + len(steps)
