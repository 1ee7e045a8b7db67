"""The tables and the engine. The schema itself is made and changed only by the Alembic
migrations (decision_aid/migrations, run by `decision_aid.store.migrations.upgrade`); these
Table objects are what the queries are written against, and must match what the migrations make.

SQLite (the default) gets foreign keys, WAL and a long busy timeout on every connection, and
takes the write lock when a transaction that writes begins (reads, through `reading`, never
wait for it); PostgreSQL needs none of that."""

import os
import weakref
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)

SQLITE_BUSY_MS = 30_000  # how long a SQLite write waits for another one to finish

metadata = MetaData()

# One row per patient's set of answers (a submission). The table keeps its first name.
responses = Table(
    "responses",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("reference", String(16), nullable=False, unique=True),
    Column("answers", JSON, nullable=False),
    Column("completed_steps", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True)),
    # Revision 0002: the clinic side.
    Column("sent_at", DateTime(timezone=True)),
    Column("reviewed_at", DateTime(timezone=True)),
    Column("reviewed_by", Integer, ForeignKey("staff.id", ondelete="SET NULL")),
    # Revision 0005: the clinic's copy, the answers as sent or as last remade after sending.
    Column("sent_answers", JSON),
    # Revision 0006: when the answers last changed, and what the clinic's list shows of a sent
    # summary (decision_aid.clinic.listing), stored when it is sent or changed.
    Column("answered_at", DateTime(timezone=True)),
    Column("patient_name", String(200)),
    Column("name_key", String(200)),
    Column("date_of_birth", String(10)),
    Column("appointment", String(10)),
    Column("red_flags", Boolean),
    # Revision 0010: the urgent items of a sent summary, as codes (decision_aid.guidance.urgent),
    # so that the list and the day list name each one; NULL when there are none.
    Column("urgent", JSON(none_as_null=True)),
    # Revision 0007: raised by every save, so that two saves of the same answers at once cannot
    # both write what they read (decision_aid.web.saving merges and tries again).
    Column("version", Integer, nullable=False, server_default="0"),
    # Revision 0008: the language the patient's pages were in at their last save (i18n), so
    # the clinic's print of their copy is in it too. The answers themselves stay language-free.
    Column("language", String(16)),
    # Revision 0009: the SHA-256 of the token "Start" gave, on the record its first save made,
    # so that one start makes one record (decision_aid.web.saving).
    Column("start_hash", String(64)),
    # Revision 0011: the appointment's time, "14:30", when given (decision_aid.clinic.listing).
    Column("appointment_time", String(5)),
    # Revision 0013: after the consultation (issue 31), beside the answers: the follow-up, when it
    # was given, and when the patient sent it to the clinic (only if they chose to).
    Column("followup", JSON(none_as_null=True)),
    Column("followup_at", DateTime(timezone=True)),
    Column("followup_sent_at", DateTime(timezone=True)),
    Index("ix_responses_sent_at", "sent_at"),
    Index("ix_responses_updated_at", "updated_at"),
    Index("ix_responses_appointment", "appointment"),
    Index("ix_responses_date_of_birth", "date_of_birth"),
    Index("ix_responses_start_hash", "start_hash", unique=True),
)

staff = Table(
    "staff",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_sign_in_at", DateTime(timezone=True)),
    # Revision 0003: raised on sign-out, a password change and disabling, which ends every
    # session signed in with an older value (a copied cookie included).
    Column("session_generation", Integer, nullable=False, server_default="0"),
)

# Revision 0012: patients' feedback ("Was anything unclear or missing?", issue 31), apart from
# the answers: no reference code, token or link to a submission; the day only, not the time.
feedback = Table(
    "feedback",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("given_on", Date, nullable=False),
    Column("language", String(16)),
    Column("text", Text, nullable=False),
    Index("ix_feedback_given_on", "given_on"),
)

# Append-only (database triggers refuse UPDATE and DELETE). Holds reference codes, never answers.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(254), nullable=False),
    Column("action", String(32), nullable=False),
    Column("reference", String(16)),
    Column("detail", String(120)),  # revision 0006: e.g. the date of a printed day list
    Index("ix_audit_log_reference", "reference"),
)


def hits_table(name):
    """A table of hashed keys and times, one row per counted event, indexed for "how many under
    this key since then": sign-in failures here, rate-limit hits in decision_aid.web.limits."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True),
        Column("key", String(64), nullable=False),
        Column("at", DateTime(timezone=True), nullable=False),
        Index(f"ix_{name}_key_at", "key", "at"),
    )


# One row per staff sign-in attempt that is under way or has failed: the SHA-256 of "email|ip" or
# of the address alone, so no address is stored in clear.
login_failures = hits_table("login_failures")

# Revision 0004: tokens for the FHIR read API. Only the SHA-256 of a token is kept (a token is
# 256 random bits, so a fast hash is enough); the token itself is shown once, when made.
api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(80), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("last_used_at", DateTime(timezone=True)),
)


def now():
    return datetime.now(UTC)


def as_utc(moment):
    """SQLite gives naive datetimes back (all stored in UTC); PostgreSQL gives aware ones."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def make_engine(url):
    """The engine for `url`, set up for the store's use of SQLite (see the module's notes)."""
    # hide_parameters: an error message never carries the values sent (answers). pre-ping: a
    # connection that a database restart closed is replaced, not handed to a request (a 500
    # just after a PostgreSQL restart, security review L11); SQLite files need none.
    sqlite = url.startswith("sqlite")
    engine = create_engine(url, hide_parameters=True, pool_pre_ping=not sqlite)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
    _dispose_after_fork(engine)
    return engine


def _sqlite_pragmas(dbapi_connection, _record):
    """Foreign keys; WAL, so that reading never waits for writing; a long busy timeout, so that
    a write waits for another one (a purge batch) instead of failing with "database is locked".
    Transactions are begun by `_sqlite_begin`, not by the driver."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    # Deleted answers are overwritten in the file, not left in free pages (Debian's SQLite does
    # this by default; another build might not).
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] not in ("wal", "memory"):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


READ_ONLY = "decision_aid_read_only"  # the execution option `reading` sets


def _sqlite_begin(conn):
    """BEGIN IMMEDIATE: a transaction takes the write lock when it begins, waiting up to the busy
    timeout. A deferred one that read first could find the database changed when it came to
    write, and fail at once ("database is locked") without waiting. A connection from `reading`
    only reads: a deferred BEGIN, which in WAL mode never waits for a write."""
    if conn.get_execution_options().get(READ_ONLY):
        conn.exec_driver_sql("BEGIN")
    else:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


@contextmanager
def reading(engine):
    """A connection for reads only. Every page reads the answers: on SQLite a read must not take
    the write lock (`_sqlite_begin`), or pages queue behind saves in every worker. Writes use
    `engine.begin()`."""
    with engine.connect() as conn:
        conn.execution_options(**{READ_ONLY: True})
        yield conn


def _dispose_after_fork(engine):
    """A process forked from this one (gunicorn --preload) must not use the parent's database
    connections: it drops its copies of the pool and opens its own."""
    reference = weakref.ref(engine)

    def dispose():
        engine = reference()
        if engine is not None:
            engine.dispose(close=False)

    os.register_at_fork(after_in_child=dispose)
