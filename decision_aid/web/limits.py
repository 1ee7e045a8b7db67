"""Rate limits kept in the database, so that they hold across workers and hosts: new starts and
sending to the clinic per address, PDF downloads per patient and per address. (Staff sign-in and
the FHIR API count their failures in `login_failures`, with the MAX_*FAILURES limits below; see
decision_aid.staff.auth.)

Each hit is written before it is counted, as a sign-in attempt is, so that requests sent at the
same moment cannot all get under the limit; a refused hit is taken out again, so that refusals
do not extend the wait. Only the SHA-256 of "name subject" is stored, never an address.

Limits are "count/seconds" strings, from the settings RATE_LIMIT_START, RATE_LIMIT_SEND,
RATE_LIMIT_PDF, RATE_LIMIT_PDF_ADDRESS, RATE_LIMIT_MAIL_ADDRESS and RATE_LIMIT_MAIL_PATIENT
(decision_aid.config.settings)."""

import hashlib
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import current_app
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import TooManyRequests

from decision_aid.store import PURGE_BATCH, get_store, hits_table, reading

log = logging.getLogger(__name__)
rate_limit_hits = hits_table("rate_limit_hits")

# A clinic's waiting room may share one address: the address limits leave room for a busy day.
DEFAULTS = {
    "start": "60/600",  # new starts per address: 60 in 10 minutes
    "send": "20/3600",  # summaries sent to the clinic per address: 20 an hour
    "pdf": "30/3600",  # PDF downloads per patient: 30 an hour
    "pdf_address": "200/3600",  # PDF downloads per address, whoever the patients: 200 an hour
    "mail_address": "3/86400",  # "Email me the link" to one email address: 3 a day
    "mail_patient": "5/86400",  # "Email me the link" for one patient's answers: 5 a day
    "feedback": "20/3600",  # "Was anything unclear or missing?" per address: 20 an hour
}

# Failed sign-ins (staff) and failed tokens (the FHIR API) within store.FAILURE_WINDOW.
MAX_FAILURES = 5  # per email address and IP address
MAX_ADDRESS_FAILURES = 20  # per IP address, whatever the email addresses
MAX_ACCOUNT_FAILURES = 30  # per email address, from any IP addresses: then slowed, not locked
# Past MAX_ACCOUNT_FAILURES, seconds between tries at the account from an address that has failed
# for it, by the failures past the limit (1, 2, ...; the last holds after that).
ACCOUNT_DELAYS = (2, 4, 8, 16, 32, 60)


@dataclass(frozen=True)
class Limit:
    count: int
    window: timedelta


def parse(text):
    """ "60/600" -> Limit(60, 10 minutes)."""
    count, _, seconds = str(text).partition("/")
    limit = Limit(int(count), timedelta(seconds=int(seconds)))
    if limit.count < 1 or limit.window <= timedelta(0):
        raise ValueError(f"a rate limit is COUNT/SECONDS, both at least 1, not {text!r}")
    return limit


def limit_for(name, app=None):
    """The limit `name` as configured (RATE_LIMIT_<NAME>, decision_aid.config.settings)."""
    return parse((app or current_app).config.get(f"RATE_LIMIT_{name.upper()}") or DEFAULTS[name])


def key(name, subject):
    return hashlib.sha256(f"{name} {subject or ''}".encode()).hexdigest()


def hit(name, subject, store=None, app=None):
    """Count one `name` hit for `subject` (an address, a patient's reference). Returns the number
    of seconds to wait when the limit is reached, else 0 (and the hit is recorded)."""
    limit = limit_for(name, app)
    store = store or get_store(app or current_app)
    now = datetime.now(UTC)
    hashed = key(name, subject)
    with store.engine.begin() as conn:
        row_id = conn.execute(insert(rate_limit_hits).values(key=hashed, at=now))
        row_id = row_id.inserted_primary_key[0]
    window = rate_limit_hits.c.key == hashed, rate_limit_hits.c.at >= now - limit.window
    with reading(store.engine) as conn:
        count = conn.execute(select(func.count()).select_from(rate_limit_hits).where(*window))
        count = count.scalar_one()
    if count <= limit.count:
        return 0
    with store.engine.begin() as conn:
        conn.execute(delete(rate_limit_hits).where(rate_limit_hits.c.id == row_id))
    return int(limit.window.total_seconds())


def check(name, subject):
    """`hit`, in a request: a friendly 429 page with Retry-After when the limit is reached.
    When the hit cannot be written (a full disk), the request goes on, logged: a limit against
    floods must not stop a patient's PDF while the disk is full (security review, L9)."""
    try:
        wait = hit(name, subject)
    except OperationalError as exc:
        log.warning("rate limit %s not counted (%s): let through", name, type(exc.orig).__name__)
        return
    if wait:
        raise TooManyRequests(retry_after=wait)


def forget_old(store, now=None, app=None):
    """Delete the hits older than every limit's window (by the daily purge), a batch at a time.
    Returns how many were deleted."""
    now = now or datetime.now(UTC)
    windows = [limit_for(name, app).window for name in DEFAULTS] if app else []
    oldest = now - max(windows + [timedelta(days=1)])
    deleted = 0
    while True:
        with store.engine.begin() as conn:
            ids = conn.execute(
                select(rate_limit_hits.c.id).where(rate_limit_hits.c.at < oldest).limit(PURGE_BATCH)
            ).scalars()
            count = conn.execute(delete(rate_limit_hits).where(rate_limit_hits.c.id.in_(list(ids))))
            deleted += count.rowcount
        if count.rowcount < PURGE_BATCH:
            return deleted
