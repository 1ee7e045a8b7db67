"""At most PDF_CONCURRENCY PDF renders at once on a host, across every worker process: a
semaphore made of lock files (`flock`) in the instance folder (or PDF_LOCK_DIR, which instances
on one host may share). The kernel drops a lock when its holder dies, so a killed worker never
keeps a slot. A render ahead (decision_aid.pdf.ahead) takes no slot: it starts only while every
slot is free, with a lock file of its own (`ahead_slot`).

A request that finds every slot taken waits up to PDF_WAIT_SECONDS, then gets a friendly 503
page with Retry-After instead of piling up behind the renders.

Two more bounds keep a flood of PDF requests (one patient downloading 16 at once) from taking
every thread of a worker, so that pages are still served:
- `worker_turn`: at most PDF_REQUESTS_PER_WORKER PDF requests are under way in one worker
  process (waiting or rendering), and at most PER_PATIENT of one patient's; one more gets the
  503 at once, holding no thread.
- `single_flight`: requests for the same PDF wait for the one render under way (a lock file per
  PDF), then take it from the cache, instead of each rendering it again."""

import contextlib
import fcntl
import logging
import os
import random
import threading
import time
from pathlib import Path

from werkzeug.exceptions import ServiceUnavailable

from decision_aid.config.instance_files import private_dir

POLL_SECONDS = 0.05
log = logging.getLogger(__name__)

_turns = {}  # (process id, size) -> the semaphore of PDF requests under way in this worker
_patients = {}  # (process id, reference code) -> that patient's PDF requests under way here
PER_PATIENT = 2  # a patient's own PDF requests under way at once in one worker
_turns_lock = threading.Lock()
_held = threading.local()
# Spreads waiters over the slots. Its own generator: the global `random` is the tests' (Hypothesis
# fails a test whose strategy sees the global state change under it, from a render ahead here).
_spread = random.Random()


class Busy(ServiceUnavailable):
    """Every render slot stayed taken for the whole wait."""


def lock_dir(app):
    return Path(app.config.get("PDF_LOCK_DIR") or app.instance_path) / "pdf-slots"


def busy(app, why):
    """The 503 to raise, logged with which bound turned the request away (so that an operator,
    and `make load`, can tell a flood from too few render slots)."""
    log.warning("PDF request turned away (503): %s", why)
    return Busy(retry_after=int(app.config["PDF_RETRY_AFTER"]))


def _try_lock(path):
    """The open descriptor of the lock file `path`, locked, or None if another holds it."""
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def _holding(app, paths, why, wait=None):
    """Hold the first of the lock files `paths` that is free, for the `with` block, trying again
    until `wait` seconds (PDF_WAIT_SECONDS) have passed; then Busy."""
    wait = app.config["PDF_WAIT_SECONDS"] if wait is None else wait
    deadline = time.monotonic() + wait
    while (fd := next((lock for lock in map(_try_lock, paths) if lock is not None), None)) is None:
        if time.monotonic() >= deadline:
            raise busy(app, why)
        time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)


def _slot_count(app):
    return max(1, int(app.config["PDF_CONCURRENCY"]))


def _paths(app):
    slots = _slot_count(app)
    folder = private_dir(lock_dir(app))
    first = _spread.randrange(slots)  # spread the waiters over the slots
    return [folder / f"slot-{(first + n) % slots}.lock" for n in range(slots)]


def slot(app, wait=None):
    """Hold one render slot for the `with` block; raises Busy after `wait` seconds
    (PDF_WAIT_SECONDS) without one."""
    return _holding(app, _paths(app), "every render slot stayed taken", wait)


@contextlib.contextmanager
def ahead_slot(app):
    """The turn of a render ahead (decision_aid.pdf.ahead), only when the host renders nothing
    else: at most PDF_CONCURRENCY renders ahead at once on the host (lock files of their own;
    one at a time gave 14 to 20 of 40 downloads from the cache under `make load`, one a slot 33
    of 40), started only while every render slot is free. It holds none of the slots, so every
    slot stays a Download's: one that comes while a render ahead runs renders beside it at once
    (the render ahead's process runs at nice 19 and yields it the CPU). Otherwise Busy at once,
    without the 503's warning: a render ahead put off is not a request turned away. `make load`
    on a busy host: with the render ahead queueing for a slot like a Download, the PDF p95 was
    20 s against 4.6 s without it (docs/performance.md)."""
    folder = private_dir(lock_dir(app))
    lanes = (_try_lock(folder / f"ahead-{n}.lock") for n in range(_slot_count(app)))
    own = next((fd for fd in lanes if fd is not None), None)
    try:
        for path in [None] if own is None else _paths(app):
            fd = None if path is None else _try_lock(path)
            if fd is None:
                raise Busy(retry_after=int(app.config["PDF_RETRY_AFTER"]))
            fcntl.flock(fd, fcntl.LOCK_UN)  # free: a Download may take it from now on
            os.close(fd)
        yield
    finally:
        if own is not None:
            fcntl.flock(own, fcntl.LOCK_UN)
            os.close(own)


@contextlib.contextmanager
def worker_turn(app, patient=None):
    """One of this worker's PDF_REQUESTS_PER_WORKER turns for the `with` block, or Busy at once;
    also Busy at once when `patient` (a reference code) has PER_PATIENT requests under way in
    this worker already, so that one patient's flood takes few of the turns that other patients
    queue in. A thread that holds a turn already does not take a second one."""
    if getattr(_held, "turn", False):
        yield
        return
    size = max(1, int(app.config["PDF_REQUESTS_PER_WORKER"]))
    refused = None
    with _turns_lock:  # decided under the lock; logged and raised after it
        turns = _turns.setdefault((os.getpid(), size), threading.BoundedSemaphore(size))
        mine = (os.getpid(), patient)
        if patient is not None and _patients.get(mine, 0) >= PER_PATIENT:
            refused = "this patient has PER_PATIENT PDF requests under way"
        elif not turns.acquire(blocking=False):
            refused = "this worker has PDF_REQUESTS_PER_WORKER PDF requests under way"
        elif patient is not None:
            _patients[mine] = _patients.get(mine, 0) + 1
    if refused:
        raise busy(app, refused)
    _held.turn = True
    try:
        yield
    finally:
        _held.turn = False
        with _turns_lock:
            turns.release()
            if patient is not None:
                _patients[mine] -= 1
                if not _patients[mine]:
                    del _patients[mine]


def in_render(folder, name):
    """Whether a request, in any worker, holds the lock file `name` in `folder`: renders that PDF
    now (single_flight). The lock is only tried, never waited for."""
    fd = _try_lock(Path(private_dir(folder)) / name)
    if fd is None:
        return True
    fcntl.flock(fd, fcntl.LOCK_UN)
    os.close(fd)
    return False


def single_flight(app, folder, name):
    """Hold the lock file `name` in `folder` (one PDF) for the `with` block, waiting up to
    PDF_WAIT_SECONDS while another request, in any worker, renders the same PDF."""
    return _holding(app, [Path(private_dir(folder)) / name], "the same PDF stayed in render")
