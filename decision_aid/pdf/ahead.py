"""Render ahead: when a patient reaches their summary (or reaches it again after a change), the
summary page queues the render of their PDF, so that Download usually finds it in the cache.

- Low priority and never in the page's way: one background thread per worker process takes one
  render at a time from a small queue (newest first; see below), and renders only while the
  host renders nothing else: at most one render ahead a render slot on the host (two on two
  cores), and only when every render slot is free (slots.ahead_slot); it holds no slot, so a
  Download always finds one. Otherwise the render waits in the queue and is tried again shortly
  (RETRY_SECONDS), until GIVE_UP_SECONDS after it was queued: by then the patient has downloaded
  it or left.
- The render runs in a process of its own at the lowest CPU priority (nice 19; pool.py), so a
  Download never queues behind it in its worker's render process and takes the CPU first. It
  takes none of a Download's turns (slots.worker_turn), and a Download never waits for it: one
  of the same PDF renders at once, and a render ahead renders nothing while a Download makes
  its PDF (decision_aid.pdf.cache.summary).
- Nothing is rendered before the summary is reached: only the summary route calls
  `queue_render`.
- A PDF already cached, or queued with the same answers, is not queued again; queued with other
  answers (the patient changed one and came back), the newer answers take the older's place.
- A render whose answers changed or were deleted while it rendered is not kept
  (cache.summary); purging and changing answers drop cached files as before (cache.drop).
- Newest first: the queue is a stack that drops its oldest entry when full. A patient downloads
  within seconds of reaching the summary, so under load the newest summary is the one worth
  rendering; a first-in-first-out queue rendered, behind a backlog, PDFs whose patients had
  downloaded already (`make load`: 0 of 38 downloads from the cache).
- Nothing about the answers is logged: a failed render logs its exception's type only.
"""

import collections
import itertools
import logging
import threading
import time

from decision_aid.pdf import cache, slots

log = logging.getLogger(__name__)

QUEUE_SIZE = 32
RETRY_SECONDS = 0.25  # the host was rendering: try again after this
GIVE_UP_SECONDS = 120  # a render put off this long after it was queued is dropped
# (number, queued at, app, code, kind, answers, options), newest on the right; a code at most once
_stack: collections.deque = collections.deque()
_numbers = itertools.count()
_changed = threading.Condition()
_rendering = 0
put_off_count = 0  # renders put off because the host was rendering (tests, make load)
_thread: threading.Thread | None = None


def queue_render(app, code, kind, answers, **options):
    """Queue the render of this PDF unless it is cached or queued already. Returns at once."""
    if not app.config.get("PDF_RENDER_AHEAD", True) or cache._max_bytes(app) <= 0:
        return False
    try:
        emergency = app.config.get("EMERGENCY_NUMBER", "")
        if cache.get(app, code, kind, cache.key(kind, answers, options, emergency)) is not None:
            return False
    except ValueError:
        return False
    app = getattr(app, "_get_current_object", lambda: app)()  # the app, not Flask's proxy
    global _thread
    with _changed:
        for queued in [entry for entry in _stack if entry[3] == code]:
            if queued[4:] == (kind, answers, options):
                return False  # queued already
            _stack.remove(queued)  # older answers: these take their place
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_work, name="pdf-render-ahead", daemon=True)
            _thread.start()
        if len(_stack) >= QUEUE_SIZE:  # full: the oldest goes
            _stack.popleft()
        _stack.append((next(_numbers), time.monotonic(), app, code, kind, dict(answers), options))
        _changed.notify_all()
    return True


def wait_idle():
    """Block until every queued render is done (for tests and the load script)."""
    with _changed:
        _changed.wait_for(lambda: not _stack and not _rendering)


def _work():
    global _rendering, put_off_count
    while True:
        with _changed:
            _changed.wait_for(lambda: _stack)
            entry = _stack.pop()  # the newest
            _rendering += 1
        _number, queued, app, code, kind, answers, options = entry
        put_off = False
        try:
            with app.app_context():
                cache.summary(app, code, kind, answers, ahead=True, **options)
        except slots.Busy:  # the host renders something else: later, unless newer ones push it out
            put_off = True
        except Exception as exc:  # noqa: BLE001  a render ahead never matters to a page
            log.info("PDF render ahead skipped (%s)", type(exc).__name__)
        finally:
            with _changed:
                _rendering -= 1
                put_off_count += put_off
                fresh = time.monotonic() - queued < GIVE_UP_SECONDS
                newer = any(other[3] == code for other in _stack)  # queued again meanwhile
                if put_off and fresh and not newer:  # back in its place, by age
                    _stack.insert(sum(other[0] < entry[0] for other in _stack), entry)
                    if len(_stack) > QUEUE_SIZE:  # full: the oldest goes
                        _stack.popleft()
                _changed.notify_all()
        if put_off:
            time.sleep(RETRY_SECONDS)
