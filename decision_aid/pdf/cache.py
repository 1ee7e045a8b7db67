"""The PDF cache. A summary PDF is byte-deterministic, so the same answers give the same file: it
is kept in the instance folder (`pdf-cache/<reference code>/<kind>-<key>.pdf`, folders 0700,
files 0600) and served again without a render.

- The key is a SHA-256 of everything the PDF depends on: the answers, the guidance result's
  inputs (the date), the reference code, the date the answers were last changed, the clinic's
  name, logo, paper size and EMERGENCY_NUMBER, the page-1-only switch, and the content version
  (every source, template, stylesheet and content file of this package, and the version of
  WeasyPrint).
- It is read only after the usual owner or staff check: the routes call `summary` once they
  know who may have the PDF.
- It is dropped when the answers change (decision_aid.web.saving) or are deleted (the patient's
  delete, and the purge, which drops the folders of codes no longer stored).
- It is bounded: past PDF_CACHE_MB the least recently used files go. 0 turns it off.
- It never breaks a PDF: when its folder cannot be written (a full disk, a read-only folder),
  the PDF is rendered without it, and a line is logged (security review, L9).
"""

import contextlib
import functools
import hashlib
import json
import logging
import os
import re
import shutil
from importlib import metadata
from pathlib import Path

from sqlalchemy import select

from decision_aid.config.instance_files import private_dir, write_private
from decision_aid.store import reading, responses

log = logging.getLogger(__name__)

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # decision_aid/
SOURCES = {".py", ".html", ".css", ".yaml", ".svg", ".ttf", ".png"}
REFERENCE = re.compile(r"[A-Z0-9]{1,16}")
KINDS = {"patient", "clinic", "clinician", "consultation", "patient-consultation"}


def cache_dir(app):
    return Path(app.instance_path) / "pdf-cache"


def _max_bytes(app):
    return int(float(app.config["PDF_CACHE_MB"]) * 1024 * 1024)


@functools.cache
def content_version():
    """A digest of every file the PDF's look and words may come from (the whole package, read
    once per process), and of the versions of this package and WeasyPrint (from the installed
    metadata: WeasyPrint is not imported)."""
    digest = hashlib.sha256()
    for name in ("decision_aid", "weasyprint"):
        try:
            digest.update(f"{name} {metadata.version(name)}\n".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name} ?\n".encode())
    for path in sorted(PACKAGE_DIR.rglob("*")):
        if path.suffix in SOURCES and "__pycache__" not in path.parts and path.is_file():
            digest.update(str(path.relative_to(PACKAGE_DIR)).encode() + b"\n")
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _logo_fingerprint(clinic_logo):
    if not clinic_logo:
        return None
    try:
        stat = Path(clinic_logo).expanduser().resolve().stat()
    except OSError:
        return [str(clinic_logo), None]
    return [str(clinic_logo), stat.st_mtime_ns, stat.st_size]


def key(kind, answers, options, emergency_number=""):
    """The cache key of a summary PDF: `options` are those of render_summary_pdf, and
    `emergency_number` the clinic's EMERGENCY_NUMBER (the patient's copy gives it to call)."""
    parts = {
        "emergency": emergency_number,
        "content": content_version(),
        "kind": kind,
        "answers": answers,
        "options": {k: v for k, v in options.items() if k != "clinic_logo"},
        "logo": _logo_fingerprint(options.get("clinic_logo")),
    }
    text = json.dumps(parts, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def _folder(app, reference):
    if not REFERENCE.fullmatch(reference or ""):
        raise ValueError("not a stored reference code")
    return cache_dir(app) / reference


def get(app, reference, kind, cache_key):
    """The cached PDF, or None."""
    if _max_bytes(app) <= 0:
        return None
    path = _folder(app, reference) / f"{kind}-{cache_key}.pdf"
    try:
        data = path.read_bytes()
        os.utime(path)  # recently used: the last to go
    except FileNotFoundError:
        return None
    except OSError as exc:
        _unusable(exc, "read")
        return None
    return data


def _unusable(exc, doing):
    log.warning(
        "PDF cache not %s (%s): the PDF is rendered without it",
        doing,
        exc.strerror or type(exc).__name__,
    )


def put(app, reference, kind, cache_key, data):
    """Keep `data`; older PDFs of the same kind for this code go (their answers are gone)."""
    limit = _max_bytes(app)
    if limit <= 0 or len(data) > limit:
        return
    folder = private_dir(_folder(app, reference))
    private_dir(cache_dir(app))
    name = f"{kind}-{cache_key}.pdf"
    for old in folder.glob(f"{kind}-*.pdf"):
        if old.name != name:
            old.unlink(missing_ok=True)
    write_private(folder / name, data)
    _trim(app, limit)


def _trim(app, limit):
    """Past `limit` bytes, delete the least recently used files down to 90% of it."""
    files = []
    for path in cache_dir(app).glob("*/*.pdf"):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        files.append((stat.st_mtime, stat.st_size, path))
    total = sum(size for _mtime, size, _path in files)
    for _mtime, size, path in sorted(files, key=lambda entry: entry[0]):
        if total <= limit * 0.9:
            break
        path.unlink(missing_ok=True)
        total -= size


def drop(app, reference):
    """Forget every cached PDF of this reference code."""
    if reference:
        shutil.rmtree(_folder(app, reference), ignore_errors=True)


def drop_missing(app, store):
    """Forget the cached PDFs of every code no longer stored (after a purge). Returns how many
    codes were dropped."""
    folder = cache_dir(app)
    if not folder.is_dir():
        return 0
    cached = sorted(path.name for path in folder.iterdir() if REFERENCE.fullmatch(path.name))
    stored = set()
    with reading(store.engine) as conn:
        for start in range(0, len(cached), 500):
            query = select(responses.c.reference).where(
                responses.c.reference.in_(cached[start : start + 500])
            )
            stored.update(conn.execute(query).scalars())
    missing = set(cached) - stored
    for reference in missing:
        drop(app, reference)
    return len(missing)


def _still_stored(app, code, answers):
    """Whether the record of `code` still holds these answers (not changed, not deleted)."""
    from decision_aid.store import get_store

    submission = get_store(app).by_reference(code)
    return submission is not None and submission.answers == answers


def summary(app, code, kind, answers, report=None, ahead=False, **options):
    """The summary PDF for these answers of the stored reference `code`: from the cache, or
    rendered (decision_aid.pdf.pool, which makes the guidance result from the answers and
    `today`) and kept. `options` are those of render_summary_pdf. Only ever called after the
    owner or staff check, once the caller knows the answers give a guidance result. `report`, a
    dict, gets "hit": whether the PDF came from the cache (made earlier, or by the render this
    request waited for). `ahead`: a render ahead (decision_aid.pdf.ahead), in its own pool and
    only while the host renders nothing else (slots.ahead_slot); it renders nothing, and returns
    None, while a Download renders the same PDF, or when the patient's answers changed or were
    deleted while it rendered (nothing is kept then). A Download never waits for a render ahead
    (at nice 19 it could take seconds under load): it renders at once, at the pages' priority;
    should both finish, both write the same bytes (write_private replaces the file whole).
    A render ahead takes none of the worker's or the patient's PDF turns (slots.worker_turn)."""
    from decision_aid.pdf import pool, slots

    if kind not in KINDS:
        raise ValueError(kind)
    cache_key = key(kind, answers, options, app.config.get("EMERGENCY_NUMBER", ""))
    data = get(app, code, kind, cache_key)
    report = report if report is not None else {}
    report["hit"] = data is not None
    if data is not None:
        return data
    flight_lock = f".{kind}.lock"  # held by a Download while it renders this PDF
    turn = contextlib.nullcontext() if ahead else slots.worker_turn(app, code)
    with turn, contextlib.ExitStack() as flight:
        try:
            if not ahead:
                flight.enter_context(slots.single_flight(app, _folder(app, code), flight_lock))
            elif slots.in_render(_folder(app, code), flight_lock):
                return None  # a Download makes it now, and keeps it
        except OSError as exc:  # no lock file in an unwritable folder: render all the same
            _unusable(exc, "written")
        data = get(app, code, kind, cache_key)  # made by the request this one waited for
        report["hit"] = data is not None
        if data is None:
            data = pool.render(app, "summary", ahead=ahead, answers=answers, **options)
            if ahead and not _still_stored(app, code, answers):
                return None
            try:
                put(app, code, kind, cache_key, data)
            except OSError as exc:
                _unusable(exc, "written")
    return data
