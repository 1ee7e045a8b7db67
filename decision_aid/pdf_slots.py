"""At most PDF_CONCURRENCY PDF renders at once on a host, across every worker process: a
semaphore made of lock files (`flock`) in the instance folder (or PDF_LOCK_DIR, which instances
on one host may share). The kernel drops a lock when its holder dies, so a killed worker never
keeps a slot.

A request that finds every slot taken waits up to PDF_WAIT_SECONDS, then gets a friendly 503
page with Retry-After instead of piling up behind the renders."""

import contextlib
import fcntl
import os
import random
import time
from pathlib import Path

from werkzeug.exceptions import ServiceUnavailable

from decision_aid.instance_files import private_dir

POLL_SECONDS = 0.05


class Busy(ServiceUnavailable):
    """Every render slot stayed taken for the whole wait."""


def lock_dir(app):
    return Path(app.config.get("PDF_LOCK_DIR") or app.instance_path) / "pdf-slots"


def _try_slot(folder, number):
    """The open, locked descriptor of slot `number`, or None if another holds it."""
    fd = os.open(folder / f"slot-{number}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


@contextlib.contextmanager
def slot(app, wait=None):
    """Hold one render slot for the `with` block; raises Busy after `wait` seconds
    (PDF_WAIT_SECONDS) without one."""
    slots = max(1, int(app.config["PDF_CONCURRENCY"]))
    wait = app.config["PDF_WAIT_SECONDS"] if wait is None else wait
    folder = private_dir(lock_dir(app))
    deadline = time.monotonic() + wait
    fd = None
    while fd is None:
        first = random.randrange(slots)  # spread the waiters over the slots
        for number in [(first + n) % slots for n in range(slots)]:
            fd = _try_slot(folder, number)
            if fd is not None:
                break
        else:
            if time.monotonic() >= deadline:
                raise Busy(retry_after=int(app.config["PDF_RETRY_AFTER"]))
            time.sleep(POLL_SECONDS)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)
        os.close(fd)
