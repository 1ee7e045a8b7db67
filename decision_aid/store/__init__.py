"""Answer storage. One row per patient's set of answers (a `Submission`), found by the hash of a
long random token or by a short reference code. SQLite in the instance folder by default;
`DATABASE_URL` for PostgreSQL. The clinic side adds staff accounts, the "sent to the clinic" and
review status of a summary, an append-only audit log (never answers), sign-in failure counts for
rate limiting, and the retention purge.

The package, one module per job:
- schema: the tables, and the engine (SQLite's pragmas, WAL, BEGIN IMMEDIATE)
- references: reference codes (made, shown, read back with look-alikes) and token hashes
- records: the `Submission` and `SentSummary` handed out, made from table rows
- submissions: the patient's answers: create, load, save, send, delete
- clinic: the sent summaries: the clinic's list, the day list, the FHIR search, review status
- staff_accounts: staff accounts and the sign-in limits
- audit: the audit log
- retention: the purge, in batches
- report: what the clinic's report counts (decision_aid.clinic.report), never names or codes
- followup: "How did your appointment go?", beside the answers (issue 31)
- feedback: patients' feedback for the development record, apart from the answers
- migrations: running the Alembic migrations (decision_aid/migrations)

`Store` puts the parts together over one engine. Callers import from `decision_aid.store`."""

from datetime import UTC, datetime

from decision_aid.store.audit import (
    AUDIT_ACTIONS,
    COMMAND_LINE,
    PATIENT,
    RETENTION,
    AuditEntry,
    AuditLog,
    record_audit,
)
from decision_aid.store.clinic import SentSummaries
from decision_aid.store.feedback import Feedback, FeedbackEntry
from decision_aid.store.followup import FollowUps
from decision_aid.store.migrations import (
    alembic_config,
    current_revision,
    head_revision,
    upgrade,
)
from decision_aid.store.records import SentSummary, Submission
from decision_aid.store.references import (
    LOOK_ALIKES,
    REFERENCE_ALPHABET,
    REFERENCE_LENGTH,
    format_reference,
    hash_token,
    new_reference,
    new_token,
    normalise_reference,
    reference_candidates,
)
from decision_aid.store.report import ReportRecords
from decision_aid.store.retention import (
    APPOINTMENT_GRACE_DAYS,
    PURGE_BATCH,
    KeptUntil,
    PurgeResult,
    Retention,
    kept_until,
)
from decision_aid.store.schema import (
    api_tokens,
    as_utc,
    audit_log,
    hits_table,
    login_failures,
    make_engine,
    metadata,
    reading,
    responses,
    staff,
)
from decision_aid.store.staff_accounts import (
    FAILURE_WINDOW,
    StaffAccount,
    StaffAccounts,
    normalise_email,
)
from decision_aid.store.submissions import Submissions

__all__ = [
    "APPOINTMENT_GRACE_DAYS",
    "KeptUntil",
    "kept_until",
    "AUDIT_ACTIONS",
    "COMMAND_LINE",
    "FAILURE_WINDOW",
    "LOOK_ALIKES",
    "PATIENT",
    "PURGE_BATCH",
    "REFERENCE_ALPHABET",
    "REFERENCE_LENGTH",
    "RETENTION",
    "AuditEntry",
    "FeedbackEntry",
    "PurgeResult",
    "SentSummary",
    "StaffAccount",
    "Store",
    "Submission",
    "alembic_config",
    "api_tokens",
    "as_utc",
    "audit_log",
    "current_revision",
    "format_reference",
    "get_store",
    "hash_token",
    "head_revision",
    "hits_table",
    "init_app",
    "login_failures",
    "metadata",
    "new_reference",
    "new_token",
    "normalise_email",
    "normalise_reference",
    "reading",
    "record_audit",
    "reference_candidates",
    "responses",
    "staff",
    "upgrade",
]


class Store(
    Submissions,
    SentSummaries,
    StaffAccounts,
    AuditLog,
    Retention,
    Feedback,
    FollowUps,
    ReportRecords,
):
    """The store over one database: each base class holds one part's methods (see above)."""

    def __init__(self, url):
        self.engine = make_engine(url)
        # The date the list's red-flag marker is judged on; the app sets the clinic's date.
        self.today = lambda: datetime.now(UTC).date()
        self.zone = UTC  # the clinic's time zone (CLINIC_TZ): the purge's "today"

    def upgrade(self, revision="head"):
        """Bring the schema up to `revision` with Alembic (see decision_aid/migrations)."""
        upgrade(self.engine, revision)


def init_app(app):
    """The store, and the schema: brought up to date here with DB_UPGRADE on (the default, once
    per host under a lock), else it must already be (`decision-aid db upgrade`, once per
    deployment) or the app refuses to start."""
    from decision_aid.clinic.clock import app_today

    store = Store(app.config["DATABASE_URL"])
    store.today = lambda: app_today(app)
    store.zone = app.extensions["clinic_tz"]
    if app.config.get("DB_UPGRADE", True):
        store.upgrade()
    elif current_revision(store.engine) != head_revision():
        raise RuntimeError("The database schema is not up to date: run `decision-aid db upgrade`")
    app.extensions["store"] = store


def get_store(app):
    return app.extensions["store"]
