"""gunicorn settings for decision_aid behind nginx (deploy/nginx/). Used by
deploy/systemd/decision-aid.service and by `make load`, which measures exactly this.

- gthread workers: a thread waiting for a PDF (rendered in a separate process, see
  decision_aid.pdf.pool) or for the database leaves the worker's other threads serving pages.
- No --preload: each worker makes the app itself, so a reload (SIGHUP, `systemctl reload
  decision-aid`) starts workers with the code and settings installed now, then stops the old ones
  once their requests are answered. With --preload the master would fork the code it loaded at
  start, and a new version would need a restart (502s while nothing listens). The price is
  memory: the workers share no pages of the app with the master (docs/deployment.md).
  WeasyPrint is never imported by a worker (PDFs render in separate processes).
- No --max-requests: renders happen in processes that are replaced after
  PDF_RENDERS_PER_PROCESS renders, so a web worker's memory stays flat without recycling it.
- Slow clients are nginx's job: gunicorn listens on 127.0.0.1 only and nginx hands it whole
  requests. The timeouts here are a second line.
- No access log here (nginx keeps one without resume paths); errors go to the journal.
"""

import os
import subprocess
import sys

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "8"))
preload_app = False
timeout = 60  # a worker silent this long is restarted (a PDF render times out at 60 s first)
graceful_timeout = 30
keepalive = 5
limit_request_line = 4094
limit_request_fields = 60
limit_request_field_size = 8190
accesslog = None
errorlog = "-"
loglevel = "info"
forwarded_allow_ips = "127.0.0.1"
# gunicorn 25.1+ opens a control socket for `gunicornc` ($XDG_RUNTIME_DIR/gunicorn.ctl or
# ~/.gunicorn/gunicorn.ctl, mode 0600) unless told not to. Nothing here uses it: signals do.
control_socket_disable = True


def on_starting(server):
    """Make the app once, in a child process, before any worker starts: an instance folder or
    database the app cannot use (or a bad setting) stops gunicorn with the app's one-line reason,
    instead of workers failing one after another with tracebacks. A child, so that the master
    never imports the app and a reload still loads new code (see above)."""
    check = subprocess.run(
        [sys.executable, "-c", "from decision_aid import create_app; create_app()"],
        capture_output=True,
        text=True,
    )
    if check.returncode:
        lines = check.stderr.strip().splitlines() or ["the app could not be made"]
        raise RuntimeError(lines[-1].removeprefix("RuntimeError: "))


def post_worker_init(worker):
    """Each worker starts its PDF render process at once, in the background."""
    app = worker.wsgi
    if "PDF_PROCESSES" in getattr(app, "config", {}):
        from decision_aid.pdf import pool as pdf_pool

        pdf_pool.start(app)
