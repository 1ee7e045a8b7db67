"""Answer storage. One row per patient's set of answers, found by the hash of a long random token
(the patient's key, carried in a signed cookie and the resume link) or by a short reference code
(for clinic look-up). SQLite in the instance folder by default; `DATABASE_URL` for PostgreSQL.

The clinic side adds: staff accounts, the "sent to the clinic" and review status of a summary,
an append-only audit log (who did what to which reference code; never answers), sign-in failure
counts for rate limiting, and the retention purge. The schema is created and upgraded by the
Alembic migrations in decision_aid/migrations/ (`upgrade`), never by `create_all`."""

import contextlib
import functools
import hashlib
import itertools
import os
import secrets
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError

from decision_aid.i18n import N_

metadata = MetaData()

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
    # summary (decision_aid.listing), stored when it is sent or changed.
    Column("answered_at", DateTime(timezone=True)),
    Column("patient_name", String(200)),
    Column("name_key", String(200)),
    Column("date_of_birth", String(10)),
    Column("appointment", String(10)),
    Column("red_flags", Boolean),
    # Revision 0007: raised by every save, so that two saves of the same answers at once cannot
    # both write what they read (decision_aid.saving merges and tries again).
    Column("version", Integer, nullable=False, server_default="0"),
    Index("ix_responses_sent_at", "sent_at"),
    Index("ix_responses_updated_at", "updated_at"),
    Index("ix_responses_appointment", "appointment"),
    Index("ix_responses_date_of_birth", "date_of_birth"),
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

# One row per staff sign-in attempt that is under way or has failed: the SHA-256 of "email|ip" or
# of the address alone, so no address is stored in clear.
login_failures = Table(
    "login_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("key", String(64), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Index("ix_login_failures_key_at", "key", "at"),
)

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

# No look-alikes: 0/O, 1/I/L are left out, so a code read aloud or from paper is unambiguous.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8
TOKEN_BYTES = 32  # 256 random bits

# Characters that never occur in a code, and the code characters a person may have misread as
# them. A typed character from this table matches any of its look-alikes. Pairs where both
# characters are in the alphabet (5/S, 2/Z, 8/B, U/V) cannot be guessed and are left alone.
LOOK_ALIKES = {
    "0": "DQ",
    "O": "DQ",
    "1": "7JT",
    "I": "7JT",
    "L": "7JT",
}

# The words of each action (translated where shown: the staff audit page).
AUDIT_ACTIONS = {
    "viewed": N_("Opened the summary"),
    "printed": N_("Opened the PDF to print"),
    "downloaded": N_("Downloaded the PDF"),
    "reviewed": N_("Marked as reviewed"),
    "reopened": N_("Marked as new again"),
    "purged": N_("Deleted after the retention period"),
    "patient_deleted": N_("Deleted by the patient"),
    "sent": N_("Sent by the patient"),
    "signed_in": N_("Signed in"),
    "signed_out": N_("Signed out"),
    "staff_added": N_("Staff account added"),
    "staff_disabled": N_("Staff account disabled"),
    "staff_enabled": N_("Staff account enabled"),
    "password_set": N_("Staff password changed"),
    "printed_clinician": N_("Opened the clinician page to print"),
    "day_list_printed": N_("Printed the day list"),
    "fhir_downloaded": N_("Downloaded for the health record (FHIR)"),
    "fhir_read": N_("Read through the FHIR API"),
    "fhir_searched": N_("Found by a FHIR API search"),
    "api_token_added": N_("API token added"),
    "api_token_revoked": N_("API token revoked"),
    "sign_in_paused": N_("Sign-in paused after many failed attempts"),
}
PATIENT = "patient"
RETENTION = "retention purge"
COMMAND_LINE = "command line"

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
BASELINE_REVISION = "0001"
_PG_MIGRATION_LOCK = 727_401_001  # pg_advisory_xact_lock key: one migrating process at a time
FAILURE_WINDOW = timedelta(minutes=15)  # sign-in failures count for this long
PURGE_BATCH = 1000  # rows deleted per transaction, so that saves wait at most one batch
SQLITE_BUSY_MS = 30_000  # how long a SQLite write waits for another one to finish


def _now():
    return datetime.now(UTC)


def as_utc(moment):
    """SQLite gives naive datetimes back (all stored in UTC); PostgreSQL gives aware ones."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def new_reference():
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def format_reference(reference):
    """ABCD-EFGH: easier to read out and to copy."""
    return f"{reference[:4]}-{reference[4:]}"


def normalise_reference(text):
    """What a person typed -> the stored form: case, spaces, dashes and other punctuation are
    ignored. Look-alikes are kept as typed; `reference_candidates` expands them."""
    return "".join(ch for ch in (text or "").upper() if ch.isascii() and ch.isalnum())


def reference_candidates(text, limit=64):
    """Every code a person may have meant by `text`: each 0/O matches D or Q, each 1/I/L
    matches 7, J or T (see LOOK_ALIKES). [] when it cannot be a code (wrong length, a
    character that is in no code and has no look-alike, or too many look-alikes to be sure)."""
    code = normalise_reference(text)
    if len(code) != REFERENCE_LENGTH:
        return []
    choices = []
    for ch in code:
        if ch in REFERENCE_ALPHABET:
            choices.append(ch)
        elif ch in LOOK_ALIKES:
            choices.append(LOOK_ALIKES[ch])
        else:
            return []
    count = 1
    for option in choices:
        count *= len(option)
    if count > limit:
        return []
    return ["".join(parts) for parts in itertools.product(*choices)]


@dataclass
class Response:
    id: int
    reference: str
    answers: dict
    completed_steps: list = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    finished_at: datetime | None = None
    sent_at: datetime | None = None
    reviewed_at: datetime | None = None
    reviewed_by: int | None = None
    sent_answers: dict | None = None  # the clinic's copy (see Store.send)
    answered_at: datetime | None = None
    version: int = 0  # raised by each save (decision_aid.saving)

    @property
    def reference_display(self):
        return format_reference(self.reference)


@dataclass
class SentSummary:
    """One line of the clinic's list: no answers, only what the list shows, as stored when the
    summary was sent or last changed (decision_aid.listing). `red_flags` is None when the
    answers could not be read."""

    reference: str
    sent_at: datetime
    reviewed_at: datetime | None
    finished: bool
    red_flags: bool | None = None
    patient_name: str | None = None
    date_of_birth: str | None = None
    appointment: str | None = None

    @property
    def reference_display(self):
        return format_reference(self.reference)


@dataclass
class StaffAccount:
    id: int
    email: str
    password_hash: str
    active: bool
    created_at: datetime | None = None
    last_sign_in_at: datetime | None = None
    session_generation: int = 0


@dataclass
class AuditEntry:
    id: int
    at: datetime
    actor: str
    action: str
    reference: str | None
    detail: str | None = None

    @property
    def action_label(self):
        return AUDIT_ACTIONS.get(self.action, self.action)

    @property
    def reference_display(self):
        return format_reference(self.reference) if self.reference else ""


@dataclass
class PurgeResult:
    responses: int = 0
    sent: list = field(default_factory=list)
    login_failures: int = 0


def _row_to_response(row, clinic_copy=False):
    """The patient's answers, or with `clinic_copy` what the clinic sees: the copy sent."""
    sent_answers = dict(row.sent_answers) if row.sent_answers is not None else None
    answers = dict(row.answers or {})
    if clinic_copy and sent_answers is not None:
        answers = sent_answers
    return Response(
        id=row.id,
        reference=row.reference,
        answers=answers,
        sent_answers=sent_answers,
        completed_steps=list(row.completed_steps or []),
        created_at=as_utc(row.created_at),
        updated_at=as_utc(row.updated_at),
        finished_at=as_utc(row.finished_at),
        sent_at=as_utc(row.sent_at),
        reviewed_at=as_utc(row.reviewed_at),
        reviewed_by=row.reviewed_by,
        answered_at=as_utc(row.answered_at),
        version=row.version,
    )


def _row_to_staff(row):
    return StaffAccount(
        id=row.id,
        email=row.email,
        password_hash=row.password_hash,
        active=bool(row.active),
        created_at=as_utc(row.created_at),
        last_sign_in_at=as_utc(row.last_sign_in_at),
        session_generation=row.session_generation,
    )


def normalise_email(email):
    return (email or "").strip().lower()


class Store:
    def __init__(self, url):
        # hide_parameters: an error message never carries the values sent (answers).
        self.engine = create_engine(url, hide_parameters=True)
        # The date the list's red-flag marker is judged on; the app sets the clinic's date.
        self.today = lambda: datetime.now(UTC).date()
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_pragmas)
            event.listen(self.engine, "begin", _sqlite_begin)
        _dispose_after_fork(self.engine)

    # --- schema ----------------------------------------------------------------------------

    def upgrade(self, revision="head"):
        """Bring the schema up to `revision` with Alembic (see decision_aid/migrations)."""
        upgrade(self.engine, revision)

    # --- the patient's answers --------------------------------------------------------------

    def create(self, answers=None, completed_steps=None):
        """A new set of answers (empty unless given), under a new token. Returns (token,
        Response)."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        answers, completed_steps = answers or {}, completed_steps or []
        now = _now()
        for _ in range(10):  # a reference clash is rare; try again with a new code
            reference = new_reference()
            try:
                with self.engine.begin() as conn:
                    result = conn.execute(
                        insert(responses).values(
                            token_hash=hash_token(token),
                            reference=reference,
                            answers=answers,
                            completed_steps=completed_steps,
                            created_at=now,
                            updated_at=now,
                            answered_at=now,
                        )
                    )
                    row_id = result.inserted_primary_key[0]
                response = Response(row_id, reference, answers, completed_steps, now, now)
                response.answered_at = now
                return token, response
            except IntegrityError:
                continue
        raise RuntimeError("could not make a unique reference code")

    def load(self, token):
        if not token:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                select(responses).where(responses.c.token_hash == hash_token(token))
            ).first()
        return _row_to_response(row) if row else None

    def by_reference(self, text):
        reference = normalise_reference(text)
        with self.engine.connect() as conn:
            row = conn.execute(select(responses).where(responses.c.reference == reference)).first()
        return _row_to_response(row) if row else None

    def save(self, token, answers, completed_steps, finished=None, version=None):
        """Save the answers. The clinic's copy of a sent summary changes only when the patient
        makes the summary again (`finished=True`): answers being changed never reach the clinic
        half-done. When that copy changes after the clinic reviewed it, it is new again.

        With `version` (the one the answers were read at) nothing is written if another save
        came first: False, and the caller merges again (decision_aid.saving). The version is
        raised first, so the row is locked before it is read."""
        now = _now()
        values = {"answers": answers, "completed_steps": completed_steps, "updated_at": now}
        if finished is not None:
            values["finished_at"] = now if finished else None
        where = responses.c.token_hash == hash_token(token)
        claim = where if version is None else where & (responses.c.version == version)
        with self.engine.begin() as conn:
            bumped = conn.execute(
                update(responses).where(claim).values(version=responses.c.version + 1)
            )
            if bumped.rowcount != 1:
                return False
            current = conn.execute(
                select(
                    responses.c.answers,
                    responses.c.sent_at,
                    responses.c.sent_answers,
                    responses.c.reviewed_at,
                ).where(where)
            ).first()
            if current is None:
                return False
            if dict(current.answers or {}) != answers:
                values["answered_at"] = now
            if finished and current.sent_at is not None:
                # The clinic's copy, and what its list shows, follow the remade summary.
                values["sent_answers"] = answers
                values.update(self._list_fields(answers))
                changed = dict(current.sent_answers or {}) != answers
                if current.reviewed_at is not None and changed:
                    values.update(reviewed_at=None, reviewed_by=None)
            result = conn.execute(update(responses).where(where).values(values))
        return result.rowcount == 1

    def delete(self, token):
        """The patient deletes their answers. A summary they had sent leaves a line in the audit
        log, so the clinic can see why it is gone."""
        where = responses.c.token_hash == hash_token(token)
        with self.engine.begin() as conn:
            row = conn.execute(select(responses.c.reference, responses.c.sent_at).where(where))
            row = row.first()
            if row is None:
                return False
            result = conn.execute(delete(responses).where(where))
            if row.sent_at is not None:
                _audit(conn, PATIENT, "patient_deleted", row.reference)
        return result.rowcount == 1

    def send(self, token):
        """The patient sends their finished summary to the clinic. Returns the Response, or None
        when there is nothing finished to send. Sending again changes nothing."""
        where = responses.c.token_hash == hash_token(token)
        with self.engine.begin() as conn:
            row = conn.execute(select(responses).where(where)).first()
            if row is None or row.finished_at is None:
                return None
            if row.sent_at is None:
                now = _now()
                # Sending counts as a change: the retention period starts again from here. The
                # clinic gets a copy of the answers as they are now (see `save`), and its list
                # shows what that copy says.
                listed = self._list_fields(dict(row.answers or {}))
                conn.execute(
                    update(responses)
                    .where(where)
                    .values(sent_at=now, updated_at=now, sent_answers=row.answers, **listed)
                )
                _audit(conn, PATIENT, "sent", row.reference)
                row = conn.execute(select(responses).where(where)).first()
        return _row_to_response(row)

    # --- the clinic's view ------------------------------------------------------------------

    def _list_fields(self, answers):
        from decision_aid.listing import fields

        return fields(answers, self.today())

    def list_sent(
        self,
        page=1,
        per_page=25,
        status=None,
        by_appointment=False,
        appointments=None,
        name=None,
        date_of_birth=None,
    ):
        """Sent summaries, newest first (or by appointment date, soonest first, those without one
        last). Returns (list of SentSummary, total count); a page past the end gives the last
        page. Filters: `status` ("new" or "reviewed"), `appointments` (first, last) ISO dates,
        `name` (a part of the name, as `listing.name_key` compares it), `date_of_birth` (ISO).
        Only the stored list columns are read: never the answers."""
        from decision_aid.listing import name_key

        condition = responses.c.sent_at.is_not(None)
        if status == "new":
            condition = condition & responses.c.reviewed_at.is_(None)
        elif status == "reviewed":
            condition = condition & responses.c.reviewed_at.is_not(None)
        if appointments:
            first, last = appointments
            condition = condition & responses.c.appointment.between(first, last)
        if name:
            pattern = "%" + _escape_like(name_key(name)) + "%"
            condition = condition & responses.c.name_key.like(pattern, escape="\\")
        if date_of_birth:
            condition = condition & (responses.c.date_of_birth == date_of_birth)
        if by_appointment:
            order = (
                responses.c.appointment.is_(None),
                responses.c.appointment,
                responses.c.sent_at.desc(),
                responses.c.id.desc(),
            )
        else:
            order = (responses.c.sent_at.desc(), responses.c.id.desc())
        query = select(*LIST_COLUMNS).where(condition).order_by(*order)
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(responses).where(condition))
            total = total.scalar_one()
            query = query.limit(per_page).offset(_offset(page, per_page, total))
            rows = conn.execute(query).all()
        return [_row_to_summary(row) for row in rows], total

    def day_list(self, day, limit=200):
        """The sent summaries with an appointment on `day` (ISO), by name then code."""
        query = (
            select(*LIST_COLUMNS)
            .where(responses.c.sent_at.is_not(None), responses.c.appointment == day)
            .order_by(responses.c.name_key.is_(None), responses.c.name_key, responses.c.reference)
            .limit(limit)
        )
        with self.engine.connect() as conn:
            return [_row_to_summary(row) for row in conn.execute(query).all()]

    def search_sent(self, statuses=None, updated=(), offset=0, limit=20):
        """Sent summaries for the FHIR search, oldest change first (so that a record system
        polling with `_lastUpdated` pages through a stable order). `statuses` is a subset of
        {"completed", "in-progress"} (finished or being changed), `updated` a list of
        (operator, moment) with operator one of ge, gt, le, lt. Returns (responses, total)."""
        condition = responses.c.sent_at.is_not(None)
        if statuses is not None:
            finished = responses.c.finished_at.is_not(None)
            if statuses == {"completed"}:
                condition = condition & finished
            elif statuses == {"in-progress"}:
                condition = condition & responses.c.finished_at.is_(None)
            elif not statuses:
                condition = condition & (responses.c.id < 0)
        column = responses.c.updated_at
        compare = {
            "ge": column.__ge__,
            "gt": column.__gt__,
            "le": column.__le__,
            "lt": column.__lt__,
        }
        for operator, moment in updated:
            condition = condition & compare[operator](moment)
        query = select(responses).where(condition).order_by(column, responses.c.id)
        with self.engine.connect() as conn:
            total = conn.execute(select(func.count()).select_from(responses).where(condition))
            total = total.scalar_one()
            rows = conn.execute(query.limit(limit).offset(offset)).all()
        return [_row_to_response(row) for row in rows], total

    def find_sent(self, text):
        """A sent summary by what a person typed (see `reference_candidates`), or None. If
        look-alikes make the input match more than one sent summary, it matches none."""
        candidates = reference_candidates(text)
        if not candidates:
            return None
        query = select(responses).where(
            responses.c.reference.in_(candidates), responses.c.sent_at.is_not(None)
        )
        with self.engine.connect() as conn:
            rows = conn.execute(query.limit(2)).all()
        return _row_to_response(rows[0], clinic_copy=True) if len(rows) == 1 else None

    def sent_by_reference(self, reference):
        """A sent summary by its exact stored code (as in the clinic's URLs), or None."""
        query = select(responses).where(
            responses.c.reference == normalise_reference(reference),
            responses.c.sent_at.is_not(None),
        )
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return _row_to_response(row, clinic_copy=True) if row else None

    def set_reviewed(self, reference, staff_id, reviewed=True):
        """Mark a sent summary reviewed (or new again). Returns False if there is none."""
        if reviewed:
            values = {"reviewed_at": _now(), "reviewed_by": staff_id}
        else:
            values = {"reviewed_at": None, "reviewed_by": None}
        with self.engine.begin() as conn:
            result = conn.execute(
                update(responses)
                .where(responses.c.reference == reference, responses.c.sent_at.is_not(None))
                .values(values)
            )
        return result.rowcount == 1

    # --- retention --------------------------------------------------------------------------

    def purge(self, retention_days, now=None, failure_window=FAILURE_WINDOW, batch=PURGE_BATCH):
        """Delete every set of answers not changed (or sent) for `retention_days` days, judged by
        `updated_at`. Each purged summary that had been sent leaves an audit entry; nothing else
        of it remains. Also forgets sign-in failures older than the rate-limit window.

        At most `batch` rows go in one transaction, so a patient's save waits for one batch at
        most, never for the whole backlog."""
        if retention_days < 1:
            raise ValueError("the retention period must be at least 1 day")
        now = now or _now()
        cutoff = now - timedelta(days=retention_days)
        outcome = PurgeResult()
        while True:
            with self.engine.begin() as conn:
                rows = conn.execute(
                    select(responses.c.id, responses.c.reference, responses.c.sent_at)
                    .where(responses.c.updated_at < cutoff)
                    .order_by(responses.c.id)
                    .limit(batch)
                ).all()
                ids = [row.id for row in rows]
                # Checked again: a row saved since it was read is not old any more.
                gone = responses.c.id.in_(ids) & (responses.c.updated_at < cutoff)
                deleted = conn.execute(
                    delete(responses).where(gone).returning(responses.c.reference)
                )
                deleted = {row.reference for row in deleted}
                outcome.responses += len(deleted)
                for row in rows:
                    if row.sent_at is not None and row.reference in deleted:
                        outcome.sent.append(row.reference)
                        _audit(conn, RETENTION, "purged", row.reference, at=now)
            if len(rows) < batch:
                break
        with self.engine.begin() as conn:
            outcome.login_failures = conn.execute(
                delete(login_failures).where(login_failures.c.at < now - failure_window)
            ).rowcount
        return outcome

    # --- staff accounts ---------------------------------------------------------------------

    def add_staff(self, email, password_hash):
        """A new, active account. Raises ValueError if the email is taken."""
        try:
            with self.engine.begin() as conn:
                result = conn.execute(
                    insert(staff).values(
                        email=normalise_email(email),
                        password_hash=password_hash,
                        active=True,
                        created_at=_now(),
                    )
                )
                _audit(conn, COMMAND_LINE, "staff_added", None, detail_actor=email)
                return result.inserted_primary_key[0]
        except IntegrityError:
            raise ValueError("an account with that email already exists") from None

    def staff_by_id(self, staff_id):
        with self.engine.connect() as conn:
            row = conn.execute(select(staff).where(staff.c.id == staff_id)).first()
        return _row_to_staff(row) if row else None

    def staff_by_email(self, email):
        with self.engine.connect() as conn:
            row = conn.execute(select(staff).where(staff.c.email == normalise_email(email)))
            row = row.first()
        return _row_to_staff(row) if row else None

    def list_staff(self):
        with self.engine.connect() as conn:
            rows = conn.execute(select(staff).order_by(staff.c.email)).all()
        return [_row_to_staff(row) for row in rows]

    def set_staff_active(self, email, active):
        """Enable or disable an account. Disabling also ends its sessions."""
        values = {"active": active}
        if not active:
            values["session_generation"] = staff.c.session_generation + 1
        with self.engine.begin() as conn:
            result = conn.execute(
                update(staff).where(staff.c.email == normalise_email(email)).values(values)
            )
            if result.rowcount:
                action = "staff_enabled" if active else "staff_disabled"
                _audit(conn, COMMAND_LINE, action, None, detail_actor=email)
        return result.rowcount == 1

    def set_staff_password(self, email, password_hash, rehash=False):
        """A new password (the command line: ends the account's sessions), or the same one
        hashed with newer parameters (`rehash`, at sign-in: not audited, sessions kept)."""
        values = {"password_hash": password_hash}
        if not rehash:
            values["session_generation"] = staff.c.session_generation + 1
        with self.engine.begin() as conn:
            result = conn.execute(
                update(staff).where(staff.c.email == normalise_email(email)).values(values)
            )
            if result.rowcount and not rehash:
                _audit(conn, COMMAND_LINE, "password_set", None, detail_actor=email)
        return result.rowcount == 1

    def record_sign_in(self, staff_id):
        with self.engine.begin() as conn:
            conn.execute(update(staff).where(staff.c.id == staff_id).values(last_sign_in_at=_now()))

    def end_staff_sessions(self, staff_id):
        """Sign the account out everywhere: sessions from before this no longer count."""
        with self.engine.begin() as conn:
            conn.execute(
                update(staff)
                .where(staff.c.id == staff_id)
                .values(session_generation=staff.c.session_generation + 1)
            )

    # --- sign-in rate limiting --------------------------------------------------------------

    def begin_attempt(self, keys, since):
        """Record a sign-in attempt under each of `keys` before anything is checked, then count.
        Returns (row ids, count per key since `since`, this attempt included). The rows are
        committed before counting, so of attempts made at the same moment each counts all that
        came before it: a limit cannot be passed by sending many at once."""
        now = _now()
        with self.engine.begin() as conn:
            ids = [
                conn.execute(insert(login_failures).values(key=key, at=now)).inserted_primary_key[0]
                for key in keys
            ]
        return ids, [self.count_failures(key, since) for key in keys]

    def forget_attempts(self, ids):
        """Remove attempt rows that did not end in a failure (refused, or the password was
        right)."""
        if ids:
            with self.engine.begin() as conn:
                conn.execute(delete(login_failures).where(login_failures.c.id.in_(ids)))

    def count_failures(self, key, since):
        with self.engine.connect() as conn:
            return conn.execute(
                select(func.count())
                .select_from(login_failures)
                .where(login_failures.c.key == key, login_failures.c.at >= since)
            ).scalar_one()

    def clear_failures(self, key):
        with self.engine.begin() as conn:
            conn.execute(delete(login_failures).where(login_failures.c.key == key))

    # --- the audit log ----------------------------------------------------------------------

    def audit(self, actor, action, reference=None, detail=None):
        with self.engine.begin() as conn:
            _audit(conn, actor, action, reference, detail=detail)

    def audit_entries(self, page=1, per_page=50, reference=None):
        """Newest first. Returns (list of AuditEntry, total count)."""
        condition = audit_log.c.reference == reference if reference else None
        query = select(audit_log).order_by(audit_log.c.id.desc())
        count = select(func.count()).select_from(audit_log)
        if condition is not None:
            query, count = query.where(condition), count.where(condition)
        with self.engine.connect() as conn:
            total = conn.execute(count).scalar_one()
            query = query.limit(per_page).offset(_offset(page, per_page, total))
            rows = conn.execute(query).all()
        entries = [
            AuditEntry(row.id, as_utc(row.at), row.actor, row.action, row.reference, row.detail)
            for row in rows
        ]
        return entries, total


LIST_COLUMNS = (
    responses.c.reference,
    responses.c.sent_at,
    responses.c.reviewed_at,
    responses.c.finished_at,
    responses.c.red_flags,
    responses.c.patient_name,
    responses.c.date_of_birth,
    responses.c.appointment,
)


def _row_to_summary(row):
    return SentSummary(
        reference=row.reference,
        sent_at=as_utc(row.sent_at),
        reviewed_at=as_utc(row.reviewed_at),
        finished=row.finished_at is not None,
        red_flags=row.red_flags,
        patient_name=row.patient_name,
        date_of_birth=row.date_of_birth,
        appointment=row.appointment,
    )


def _escape_like(text):
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _offset(page, per_page, total):
    """The first row of `page` (counted from 1), for a page past the end that of the last page,
    so that no number, however large, reaches the database."""
    last = max(-(-total // per_page), 1)
    return (min(max(page, 1), last) - 1) * per_page


def _audit(conn, actor, action, reference, at=None, detail_actor=None, detail=None):
    """One audit line. For account changes the account's email goes in `actor` after the
    command line marker, e.g. "command line: a@b.org"."""
    if detail_actor:
        actor = f"{actor}: {normalise_email(detail_actor)}"
    conn.execute(
        insert(audit_log).values(
            at=at or _now(), actor=actor[:254], action=action, reference=reference, detail=detail
        )
    )


def _sqlite_pragmas(dbapi_connection, _record):
    """Foreign keys; WAL, so that reading never waits for writing; a long busy timeout, so that
    a write waits for another one (a purge batch) instead of failing with "database is locked".
    Transactions are begun by `_sqlite_begin`, not by the driver."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    if cursor.execute("PRAGMA journal_mode").fetchone()[0] not in ("wal", "memory"):
        cursor.execute("PRAGMA journal_mode=WAL")
    cursor.close()


def _sqlite_begin(conn):
    """BEGIN IMMEDIATE: a transaction takes the write lock when it begins, waiting up to the busy
    timeout. A deferred one that read first could find the database changed when it came to
    write, and fail at once ("database is locked") without waiting."""
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def _dispose_after_fork(engine):
    """A process forked from this one (gunicorn --preload) must not use the parent's database
    connections: it drops its copies of the pool and opens its own."""
    reference = weakref.ref(engine)

    def dispose():
        engine = reference()
        if engine is not None:
            engine.dispose(close=False)

    os.register_at_fork(after_in_child=dispose)


def alembic_config(connection=None):
    """An Alembic configuration in code (no alembic.ini): the migrations folder, and the
    connection to run on."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def upgrade(engine, revision="head"):
    """Run the migrations up to `revision`, in one transaction. A database made before the
    migrations existed (a `responses` table and no `alembic_version`) is first stamped at the
    baseline revision. On PostgreSQL an advisory lock keeps two starting workers apart. A
    database already at the newest revision costs one query, and no lock."""
    from alembic import command

    if revision == "head" and current_revision(engine) == head_revision():
        return
    with _sqlite_file_lock(engine), engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK})
        config = alembic_config(conn)
        tables = set(inspect(conn).get_table_names())
        if "responses" in tables and "alembic_version" not in tables:
            command.stamp(config, BASELINE_REVISION)
        command.upgrade(config, revision)


@contextlib.contextmanager
def _sqlite_file_lock(engine):
    """SQLite has no advisory locks: workers starting together take turns through a lock file
    next to the database file. Other databases (and in-memory SQLite) need none."""
    database = engine.url.database if engine.dialect.name == "sqlite" else None
    if not database or database == ":memory:":
        yield
        return
    import fcntl

    fd = os.open(f"{database}.migrate-lock", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def current_revision(engine):
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


@functools.cache
def head_revision():
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def init_app(app):
    """The store, and the schema: brought up to date here with DB_UPGRADE on (the default, once
    per host under a lock), else it must already be (`decision-aid db upgrade`, once per
    deployment) or the app refuses to start."""
    from decision_aid.clinic_time import app_today

    store = Store(app.config["DATABASE_URL"])
    store.today = lambda: app_today(app)
    if app.config.get("DB_UPGRADE", True):
        store.upgrade()
    elif current_revision(store.engine) != head_revision():
        raise RuntimeError("The database schema is not up to date: run `decision-aid db upgrade`")
    app.extensions["store"] = store


def get_store(app):
    return app.extensions["store"]
