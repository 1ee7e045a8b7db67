"""PDF rendering away from the web workers: in a separate process that is replaced after
PDF_RENDERS_PER_PROCESS renders (`ProcessPoolExecutor(max_tasks_per_child=...)`), so WeasyPrint's
native memory goes back to the system and a web worker's memory stays flat by design. Only that
process imports WeasyPrint; a web worker never does.

Each web worker process starts its own pool (PDF_PROCESSES processes, 1 by default) when it first
needs one, never before a fork (gunicorn --preload). At most PDF_CONCURRENCY renders run at once
on the host (decision_aid.pdf.slots); a request waits for a slot before it hands its render over.

Python 3.11 to 3.14's executor can stop replacing a process that reached its task limit while
work is queued, and then hangs (CPython gh-115634). `RecycledPool` replaces an exited process
whenever the pool is short of one, as the upstream fix does.

A render process ends when its web worker is gone, however it went: a worker killed with SIGKILL
(the OOM killer, gunicorn's timeout) runs no clean-up, and its render process (about 100 MB)
would live on for ever, re-parented to init (security review, M5). Each render process watches
its parent (`_watch_parent`)."""

import concurrent.futures
import multiprocessing
import os
import threading
import time
from concurrent.futures.process import BrokenProcessPool

from decision_aid.pdf import slots

_pool = None
_pool_owner = None  # (process id, processes, renders per process) the pool was made for
_pool_lock = threading.Lock()


class RecycledPool(concurrent.futures.ProcessPoolExecutor):
    def _adjust_process_count(self):
        if threading.current_thread() is self._executor_manager_thread:
            # A process left at its task limit: replace it, whatever the idle count says.
            if len(self._processes) < self._max_workers:
                self._spawn_process()
            return
        super()._adjust_process_count()


RENDER_NICENESS = 10
PARENT_CHECK_SECONDS = 1.0


def _watch_parent(parent):
    """Runs in a render process, on a thread of its own: exits the process as soon as its web
    worker (`parent`) is gone, mid-render included. A poll of getppid() rather than
    PR_SET_PDEATHSIG, which fires when the *thread* that started the process ends (here a
    request's thread or the executor's manager thread), not the worker."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_SECONDS)
    os._exit(0)


def _warm_up(worker=None):
    """In a new render process, before its first task: watch the web worker (see above; its id
    is given, as the worker may be gone before this runs), lower
    the CPU priority (pages come first when the host is busy), import WeasyPrint and lay out a
    line with the summary's stylesheet and fonts, so that the first real render is not the slow
    one."""
    watch = threading.Thread(target=_watch_parent, args=(worker or os.getppid(),), daemon=True)
    watch.start()
    os.nice(RENDER_NICENESS)
    from decision_aid.pdf import render

    render.warm_up()


def _render(kind, kwargs):
    """Runs in the render process, with the clinic's EMERGENCY_NUMBER in the guidance's words."""
    from decision_aid import i18n

    with i18n.using_emergency_number(kwargs.pop("emergency_number", "")):
        return _render_kind(kind, kwargs)


def _render_kind(kind, kwargs):
    if kind == "summary":
        from decision_aid import guidance, i18n
        from decision_aid.pdf.render import render_summary_pdf

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
    from decision_aid import guidance, i18n
    from decision_aid.pdf.render import render_clinician_pages
    from decision_aid.pdf.view import SummaryPages

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


def _executor(app):
    """This process's pool, made on first use (a new one after a fork or a change of settings)."""
    global _pool, _pool_owner
    processes = max(1, int(app.config["PDF_PROCESSES"]))
    renders = max(1, int(app.config["PDF_RENDERS_PER_PROCESS"]))
    owner = (os.getpid(), processes, renders)
    with _pool_lock:
        if _pool is not None and _pool_owner != owner and _pool_owner[0] == os.getpid():
            _pool.shutdown(wait=False)
            _pool = None
        if _pool is None or _pool_owner != owner:
            _pool = RecycledPool(
                max_workers=processes,
                mp_context=multiprocessing.get_context("spawn"),
                max_tasks_per_child=renders,
                initializer=_warm_up,
                initargs=(os.getpid(),),
            )
            _pool_owner = owner
        return _pool


def _discard(pool):
    """Drop a broken or stuck pool; the next render starts a new one."""
    global _pool
    with _pool_lock:
        if _pool is pool:
            _pool = None
    for process in list((pool._processes or {}).values()):
        process.kill()
    pool.shutdown(wait=False, cancel_futures=True)


def start(app):
    """Start this worker's render process now, in the background (gunicorn's post_worker_init,
    deploy/gunicorn.conf.py), so that the first PDF does not wait for WeasyPrint to load."""
    _executor(app).submit(int)


def render(app, kind, **kwargs):
    """PDF bytes, rendered in the pool once a host-wide slot is free. Raises slots.Busy (a
    503 with Retry-After) when none is free in time."""
    with slots.worker_turn(app), slots.slot(app):
        pool = _executor(app)
        try:
            kwargs["emergency_number"] = app.config.get("EMERGENCY_NUMBER", "")
            return pool.submit(_render, kind, kwargs).result(app.config["PDF_RENDER_TIMEOUT"])
        except (BrokenProcessPool, concurrent.futures.TimeoutError):
            _discard(pool)
            raise


def process_ids():
    """The render processes of this worker (for the tests and the load tool)."""
    pool = _pool if _pool_owner and _pool_owner[0] == os.getpid() else None
    return sorted((pool._processes or {}).keys()) if pool else []
