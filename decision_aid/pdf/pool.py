"""PDF rendering away from the web workers: in a separate process that is replaced after
PDF_RENDERS_PER_PROCESS renders (pebble's `ProcessPool(max_tasks=...)`), so WeasyPrint's native
memory goes back to the system and a web worker's memory stays flat by design. Only that process
imports WeasyPrint; a web worker never does.

Each web worker process starts its own pool (PDF_PROCESSES processes, 1 by default) when it first
needs one, never before a fork (gunicorn --preload). The render ahead (decision_aid.pdf.ahead) has
a pool of its own, one process at the lowest CPU priority (nice 19), made on its first use: a
Download never queues behind a render that nobody has asked for yet, and takes the CPU first (a
Download's render runs at the pages' priority, RENDER_NICENESS).
At most PDF_CONCURRENCY Downloads render at once on the host (decision_aid.pdf.slots); a request
waits for a slot before it hands its render over. Renders ahead start only while no Download
renders, at most as many again (slots.ahead_slot).

pebble rather than the standard library's ProcessPoolExecutor: that one can stop replacing a
process that reached its task limit while work is queued, and then hangs (CPython gh-115634,
Python 3.11 to 3.14), and it cannot end one stuck render without breaking the whole pool. pebble
replaces a process whenever the pool is short of one, and a cancelled render's process is ended
and replaced on its own.

A render process ends when its web worker is gone, however it went: a worker killed with SIGKILL
(the OOM killer, gunicorn's timeout) runs no clean-up, and its render process (about 100 MB)
would live on for ever, re-parented to init (security review, M5). Each render process watches
its parent (`_watch_parent`)."""

import contextlib
import multiprocessing
import os
import threading
import time

import pebble
from pebble.pool.process import WORKERS_NAME

from decision_aid.pdf import slots

_pools = {}  # False: the Download pool, True: the render ahead's -> (pool, owner)
_pool_lock = threading.Lock()

# A Download's render runs at the pages' priority: the patient is waiting for it. At nice 10
# the web workers and the render ahead took its CPU, and under 50 patients its p95 was 1.5 s
# against 0.9 s at nice 0, with the pages as fast (docs/performance.md). PDF_CONCURRENCY and
# the rate limits bound how many run at once.
RENDER_NICENESS = 0
AHEAD_NICENESS = 19  # a render ahead: after everything else
PARENT_CHECK_SECONDS = 1.0


def _watch_parent(parent):
    """Runs in a render process, on a thread of its own: exits the process as soon as its web
    worker (`parent`) is gone, mid-render included. A poll of getppid() rather than
    PR_SET_PDEATHSIG, which fires when the *thread* that started the process ends (here a
    request's thread or the pool's manager thread), not the worker."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _warm_up(worker, niceness):
    """pebble's initializer, in a new render process before its first task: watch the web worker
    (see above; its id is given, as the worker may be gone before this runs), take the pool's CPU
    priority (RENDER_NICENESS, or AHEAD_NICENESS for the render ahead), import WeasyPrint and lay
    out a line with the summary's stylesheet and fonts, so that the first real render is not the
    slow one."""
    watch = threading.Thread(target=_watch_parent, args=(worker,), daemon=True)
    watch.start()
    os.nice(niceness)
    from decision_aid.pdf import render

    render.warm_up()


def _render(kind, kwargs):
    """Runs in the render process, with the clinic's EMERGENCY_NUMBER in the guidance's words."""
    from decision_aid.text import i18n

    with i18n.using_emergency_number(kwargs.pop("emergency_number", "")):
        return _render_kind(kind, kwargs)


def _render_kind(kind, kwargs):
    if kind == "summary":
        from decision_aid import guidance
        from decision_aid.pdf.render import render_summary_pdf
        from decision_aid.text import i18n

        # The guidance result is made again here from the answers and the date, as the route
        # made it: a typed result does not cross to another process (it holds mapping proxies).
        answers = kwargs.pop("answers")
        with i18n.using(kwargs.get("language", i18n.DEFAULT)):  # the patient's copy's words
            result = guidance.result_for(answers, kwargs["today"])
        return render_summary_pdf(answers, result, **kwargs)
    if kind == "clinician_pages":
        return _clinician_pages(**kwargs)
    if kind == "day_list":
        from decision_aid.pdf import day_list

        items = kwargs.pop("items")
        return day_list.render(items, **kwargs)
    raise ValueError(f"no such PDF: {kind!r}")


def _clinician_pages(summaries, clinic_language, **options):
    """Runs in the render process: page 1 of each summary (a dict of `answers`, `language`
    and the options of render_summary_pdf), the guidance made again here as for "summary"."""
    from decision_aid import guidance
    from decision_aid.pdf.render import render_clinician_pages
    from decision_aid.pdf.view import SummaryPages
    from decision_aid.text import i18n

    pages = []
    for summary in summaries:
        answers = summary.pop("answers")
        with i18n.using(summary["language"]):
            result = guidance.result_for(answers, summary["today"])
        pages.append(
            SummaryPages(
                answers, result, clinician_only=True, clinic_language=clinic_language, **summary
            )
        )
    with i18n.using(clinic_language):
        return render_clinician_pages(pages, **options)


def process_pool(app, ahead=False):
    """This process's pool (with `ahead`, the render ahead's), made on first use; a new one after
    a fork, a change of settings, or when pebble gave the old one up (a broken pool: its tasks
    failed with BrokenProcessPool)."""
    processes = 1 if ahead else max(1, int(app.config["PDF_PROCESSES"]))
    renders = max(1, int(app.config["PDF_RENDERS_PER_PROCESS"]))
    owner = (os.getpid(), processes, renders)
    with _pool_lock:
        pool, made_for = _pools.get(ahead, (None, None))
        if pool is not None and made_for == owner and pool.active:
            return pool
        if pool is not None and made_for[0] == os.getpid():
            _retire(pool)
        pool = pebble.ProcessPool(
            max_workers=processes,
            max_tasks=renders,
            initializer=_warm_up,
            initargs=(os.getpid(), AHEAD_NICENESS if ahead else RENDER_NICENESS),
            context=multiprocessing.get_context("spawn"),
        )
        _pools[ahead] = (pool, owner)
        return pool


def _retire(pool):
    """Let a pool finish the renders it has (none if it is broken), then end its processes, in
    the background: its callers are waiting on those renders."""
    pool.close()
    threading.Thread(target=pool.join, daemon=True).start()


def start(app):
    """Start this worker's render process now, in the background (gunicorn's post_worker_init,
    deploy/gunicorn.conf.py), so that the first PDF does not wait for WeasyPrint to load."""
    process_pool(app).schedule(int)


def render(app, kind, ahead=False, **kwargs):
    """PDF bytes, rendered in the pool once a host-wide slot is free (`ahead`: in the render
    ahead's pool, in the turn slots.ahead_slot gives: no slot). Raises slots.Busy (a 503 with
    Retry-After) when none is free in time, and TimeoutError after PDF_RENDER_TIMEOUT seconds
    (queued and rendering): the render is cancelled then, and pebble ends its process and starts
    another."""
    with contextlib.ExitStack() as held:
        if ahead:
            held.enter_context(slots.ahead_slot(app))
        else:
            held.enter_context(slots.worker_turn(app))
            held.enter_context(slots.slot(app))
        kwargs["emergency_number"] = app.config.get("EMERGENCY_NUMBER", "")
        future = process_pool(app, ahead).schedule(_render, (kind, kwargs))
        try:
            return future.result(app.config["PDF_RENDER_TIMEOUT"])
        except TimeoutError:
            if future.cancel():
                raise
            return future.result()  # it finished just now


def process_ids():
    """The render processes of this worker (for the tests)."""
    if not any(owner[0] == os.getpid() for _pool, owner in _pools.values()):
        return []
    return sorted(p.pid for p in multiprocessing.active_children() if p.name == WORKERS_NAME)
