"""Render ahead: when a patient reaches their summary (or reaches it again after a change), the
summary page queues the render of their PDF, so that Download usually finds it in the cache.

- Low priority and never in the page's way: one background thread per worker process takes one
  render at a time from a small queue (newest first; see below),
  and renders only when a host-wide render slot is free at once (none free: skipped likewise,
  so that it never queues in front of a Download; slots.only_if_idle).
  The render itself runs in the render process at a lower CPU priority, through the same cache,
  slots and single-flight lock as a download (decision_aid.pdf.cache.summary), so a Download
  made while it renders waits for it rather than rendering twice.
- Nothing is rendered before the summary is reached: only the summary route calls `queue`.
- A PDF already cached, or already queued for the same code, is not queued again.
- Purging and changing answers drop cached files as before (decision_aid.pdf.cache.drop).
- Newest first: the queue is a stack that drops its oldest entry when full. A patient downloads
  within seconds of reaching the summary, so under load the newest summary is the one worth
  rendering; a first-in-first-out queue rendered, behind a backlog, PDFs whose patients had
  downloaded already (`make load`: 0 of 38 downloads from the cache).
- Nothing about the answers is logged: a failed render logs its exception's type only.
"""

import collections
import logging
import threading

from decision_aid.pdf import cache, slots

log = logging.getLogger(__name__)

QUEUE_SIZE = 32
_stack: collections.deque = collections.deque()  # newest on the right
_codes: set[str] = set()  # the codes queued or rendering
_changed = threading.Condition()
_rendering = 0
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
        if code in _codes:
            return False
        if _thread is None or not _thread.is_alive():
            _thread = threading.Thread(target=_work, name="pdf-render-ahead", daemon=True)
            _thread.start()
        if len(_stack) >= QUEUE_SIZE:  # full: the oldest goes
            _codes.discard(_stack.popleft()[1])
        _stack.append((app, code, kind, dict(answers), options))
        _codes.add(code)
        _changed.notify_all()
    return True


def wait_idle():
    """Block until every queued render is done (for tests and the load script)."""
    with _changed:
        _changed.wait_for(lambda: not _stack and not _rendering)


def _work():
    global _rendering
    while True:
        with _changed:
            _changed.wait_for(lambda: _stack)
            app, code, kind, answers, options = _stack.pop()  # the newest
            _rendering += 1
        try:
            with app.app_context(), slots.only_if_idle():
                cache.summary(app, code, kind, answers, **options)
        except Exception as exc:  # noqa: BLE001  a render ahead never matters to a page
            log.info("PDF render ahead skipped (%s)", type(exc).__name__)
        finally:
            with _changed:
                _codes.discard(code)
                _rendering -= 1
                _changed.notify_all()
